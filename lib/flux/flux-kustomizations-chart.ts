import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedDeclaration } from '../catalog';
import { EXTERNAL_SECRETS_APP_NAME } from '../components';
import { FluxHealthCheck, FluxHealthCheckExpr, FluxKustomization } from './flux-kustomization';

/** The chart id, and so the output file `flux-kustomizations.yaml` at the manifests folder's root. */
export const FLUX_KUSTOMIZATIONS_CHART_ID = 'flux-kustomizations';

/** A stage of the Flux layout: a folder of the manifests folder and the Kustomization that applies it. */
export interface FluxStage {
  /** The folder under the manifests folder, which holds the stage's kustomization.yaml. */
  readonly folder: string;
  /** Name of the Kustomization that applies the folder. */
  readonly kustomization: string;
}

/**
 * The three stages, in the order Flux applies them: the components (ESO's CRDs and webhook among
 * them), the store that needs ESO's CRDs and webhook, the ExternalSecrets that need the store. They
 * are the Argo CD sync waves -2, -1 and 0.
 */
export const FLUX_STAGES = {
  components: { folder: 'components', kustomization: 'secrets-components' },
  store: { folder: 'store', kustomization: 'secrets-store' },
  externalSecrets: { folder: 'externalsecrets', kustomization: 'secrets-externalsecrets' },
} as const satisfies Record<string, FluxStage>;

const readyIs = (value: 'True' | 'False'): string => `status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == '${value}')`;

/**
 * ESO's stores and ExternalSecrets report a `Ready` condition but no `observedGeneration`, so kstatus,
 * which Flux's `wait` uses, calls them healthy as soon as they exist. These CEL checks make the stages
 * wait for `Ready` True and fail fast on `Ready` False (retried every minute). `.?conditions.orValue([])`
 * reads a status without conditions as not ready yet (Flux's CEL environment has optional types).
 */
export function esoHealthCheckExprs(kinds: readonly ('ClusterSecretStore' | 'SecretStore' | 'ExternalSecret')[]): FluxHealthCheckExpr[] {
  return kinds.map((kind) => ({ apiVersion: 'external-secrets.io/v1', kind, current: readyIs('True'), failed: readyIs('False') }));
}

/** Properties for `FluxKustomizationsChart`. */
export interface FluxKustomizationsChartProps {
  /** The validated declaration: Flux's source and namespace, and whether ESO is one of the components. */
  readonly declaration: ResolvedDeclaration;
  /** The manifests folder as the source sees it, such as `./clusters/my-cluster/secrets`. */
  readonly folderPath: string;
  /** The stages that hold objects, each applied after the one before it. */
  readonly stages: readonly (keyof typeof FLUX_STAGES)[];
}

/**
 * The chart (one output file) with one Kustomization per stage, each depending on the stage before it:
 *
 * - components: Ready once ESO's HelmRelease is Ready, that is once Helm's wait saw ESO's Deployments
 *   ready. ESO's cert-controller reports ready only after it injected the webhook's CA and the webhook
 *   Service has ready endpoints, so the store that follows passes ESO's admission webhook. Vault and
 *   Reloader do not hold the store back.
 * - store: waits for every store to be Ready (ESO reached Vault and logged in), like Argo CD's health
 *   of the store's wave (CEL checks of ESO's Ready condition, `esoHealthCheckExprs`), for each kind of
 *   store the identities have.
 * - ExternalSecrets: waits for every ExternalSecret to be Ready, so that an application's Kustomization
 *   can depend on it to find its Secrets.
 *
 * None prunes: removing a Kustomization, or an object from git, must not delete ESO (its CRDs, and
 * with them every ExternalSecret and Secret) or a Secret; the Argo CD Applications do not prune either.
 */
export class FluxKustomizationsChart extends Chart {
  public readonly kustomizations: FluxKustomization[] = [];

  constructor(scope: Construct, id: string, props: FluxKustomizationsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { settings } = props.declaration;
    const { namespace, sourceRef } = settings.flux;
    const esoHealth: FluxHealthCheck[] = settings.components.externalSecrets
      ? [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: EXTERNAL_SECRETS_APP_NAME, namespace }]
      : [];
    // the kinds of store the identities have: a ClusterSecretStore, SecretStores, or both
    const storeKinds = (['ClusterSecretStore', 'SecretStore'] as const)
      .filter((kind) => props.declaration.identities.some(({ identity }) => identity.store.kind === kind));
    const stageHealth = {
      components: { healthChecks: esoHealth },
      store: { wait: true, healthCheckExprs: esoHealthCheckExprs(storeKinds) },
      externalSecrets: { wait: true, healthCheckExprs: esoHealthCheckExprs(['ExternalSecret']) },
    };
    let previous: string | undefined;
    for (const key of props.stages) {
      const stage = FLUX_STAGES[key];
      this.kustomizations.push(new FluxKustomization(this, stage.kustomization, {
        name: stage.kustomization,
        namespace,
        path: `${props.folderPath}/${stage.folder}`,
        sourceRef,
        dependsOn: previous === undefined ? [] : [previous],
        ...stageHealth[key],
      }));
      previous = stage.kustomization;
    }
  }
}
