import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { type FluxSourceKind, assertRule, checkLabel, checkSubdomain, invalidProp } from '../catalog';
import { FLUX_INTERVALS, assertFluxDuration } from './flux-intervals';

/** An object whose health a Kustomization waits for. */
export interface FluxHealthCheck {
  /** API version of the object, such as `helm.toolkit.fluxcd.io/v2`. */
  readonly apiVersion: string;
  /** Its kind. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
}

/** How Flux tells the health of a custom resource kstatus cannot read: CEL expressions over the object. */
export interface FluxHealthCheckExpr {
  /** API version of the kind, such as `external-secrets.io/v1`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** True when the object is healthy. */
  readonly current: string;
  /** True when it failed. */
  readonly failed: string;
}

const SOURCE_KINDS: Record<FluxSourceKind, KustomizationSpecSourceRefKind> = {
  GitRepository: KustomizationSpecSourceRefKind.GIT_REPOSITORY,
  OCIRepository: KustomizationSpecSourceRefKind.OCI_REPOSITORY,
};

/** Properties for `FluxKustomization`. */
export interface FluxKustomizationProps {
  /** Name of the Kustomization, as other Kustomizations' `dependsOn` name it. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The folder it applies, relative to the source's root and starting with `./`; it holds a kustomization.yaml. */
  readonly path: string;
  /** The source the folder is read from. */
  readonly sourceRef: { readonly kind: FluxSourceKind; readonly name: string; readonly namespace: string };
  /** Kustomizations (in the same namespace) that must be Ready before this one is applied. @default - none */
  readonly dependsOn?: readonly string[];
  /** Wait for every applied object to be ready before reporting Ready. @default false */
  readonly wait?: boolean;
  /** Objects whose health decides this Kustomization's readiness (ignored with `wait`). @default - none */
  readonly healthChecks?: readonly FluxHealthCheck[];
  /** CEL health checks of custom kinds, for `wait` and `healthChecks`. @default - none: kstatus alone */
  readonly healthCheckExprs?: readonly FluxHealthCheckExpr[];
  /** Delete the objects that leave git. @default false */
  readonly prune?: boolean;
  /** How often Flux reapplies the folder. @default '10m' */
  readonly interval?: string;
  /** How soon Flux retries a failed apply or health check. @default '1m' */
  readonly retryInterval?: string;
}

/** A Flux Kustomization: applies one folder of the repository, after the Kustomizations it depends on. */
export class FluxKustomization extends Construct {
  public readonly name: string;
  public readonly path: string;
  public readonly dependsOn: readonly string[];
  public readonly resource: Kustomization;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    const owner = `Kustomization "${props.name}"`;
    assertRule(checkSubdomain, 'name', props.name, owner);
    assertRule(checkLabel, 'namespace', props.namespace, owner);
    if (!/^\.\/[^\s]*$/.test(props.path) || props.path.split('/').includes('..')) {
      invalidProp(owner, 'path', props.path, 'must start with "./" and stay inside the source');
    }
    const interval = props.interval ?? FLUX_INTERVALS.kustomization;
    const retryInterval = props.retryInterval ?? FLUX_INTERVALS.retry;
    assertFluxDuration('interval', interval, owner);
    assertFluxDuration('retryInterval', retryInterval, owner);
    const dependsOn = [...(props.dependsOn ?? [])];
    for (const name of dependsOn) assertRule(checkSubdomain, 'dependsOn', name, owner);
    const healthChecks = props.healthChecks ?? [];
    const healthCheckExprs = props.healthCheckExprs ?? [];

    this.name = props.name;
    this.path = props.path;
    this.dependsOn = dependsOn;
    this.resource = new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        interval,
        retryInterval,
        path: props.path,
        prune: props.prune ?? false,
        sourceRef: { kind: SOURCE_KINDS[props.sourceRef.kind], name: props.sourceRef.name, namespace: props.sourceRef.namespace },
        ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((name) => ({ name })) } : {}),
        ...(props.wait ? { wait: true } : {}),
        ...(healthChecks.length > 0 ? { healthChecks: healthChecks.map((check) => ({ ...check })) } : {}),
        ...(healthCheckExprs.length > 0 ? { healthCheckExprs: healthCheckExprs.map((expr) => ({ ...expr })) } : {}),
      },
    });
  }
}
