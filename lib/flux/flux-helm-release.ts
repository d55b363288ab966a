import { Construct } from 'constructs';
import {
  HelmRelease,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecInstallStrategyName,
  HelmReleaseSpecUpgradeCrds,
  HelmReleaseSpecUpgradeStrategyName,
} from '../../imports/helm.toolkit.fluxcd.io';
import { assertRule, checkLabel, checkSubdomain, invalidProp } from '../catalog';
import { type ComponentRelease, type HelmValues, assertHelmValues } from '../components';
import { escapeKeys, renderKeysExactly } from '../k8s/private/exact-keys';
import { FLUX_INTERVALS, assertFluxDuration } from './flux-intervals';

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

/** Properties for `FluxHelmRelease`. */
export interface FluxHelmReleaseProps {
  /** The component's release: its name (also the HelmRelease's), target namespace, pinned chart and values. */
  readonly release: ComponentRelease;
  /** Namespace the HelmRelease object lives in (Flux's), not the one the chart is installed into. */
  readonly namespace: string;
  /** The HelmRepository the chart is fetched from. */
  readonly repository: { readonly name: string; readonly namespace: string };
  /** How often Flux reconciles the release. @default '10m' */
  readonly interval?: string;
  /**
   * Whether an install or upgrade waits for the release's resources to be ready before the
   * HelmRelease reports Ready. @default true
   */
  readonly wait?: boolean;
}

/**
 * A Flux HelmRelease that installs one pinned chart with the component's values, into the release's
 * namespace (created by the install), under the release name Argo CD's Application uses too.
 *
 * - CRDs: a chart's `crds/` folder is created on install and replaced on upgrade (`CreateReplace`;
 *   Flux's default upgrades none). ESO's chart renders its CRDs from templates instead
 *   (`installCRDs: true`), so Helm applies them with the release, first in its kind order.
 * - A failed install or upgrade is retried as it is (`RetryOnFailure`), never remediated by
 *   uninstalling: uninstalling ESO deletes its CRDs and with them every ExternalSecret and, through
 *   owner references, every Secret it wrote.
 * - No drift detection (Flux's default): the release is upgraded when git changes, and live edits
 *   stay until then. ESO's cert-controller writes the webhooks' caBundle at runtime, which a drift
 *   correction would have to be told to ignore.
 */
export class FluxHelmRelease extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly targetNamespace: string;
  public readonly values: HelmValues;
  public readonly resource: HelmRelease;

  constructor(scope: Construct, id: string, props: FluxHelmReleaseProps) {
    super(scope, id);
    const { release } = props;
    const owner = `HelmRelease "${release.name}"`;
    assertRule(checkLabel, 'name', release.name, owner);
    assertRule(checkLabel, 'namespace', props.namespace, owner);
    assertRule(checkLabel, 'target namespace', release.namespace, owner);
    assertRule(checkSubdomain, 'HelmRepository name', props.repository.name, owner);
    assertRule(checkLabel, 'HelmRepository namespace', props.repository.namespace, owner);
    if (!EXACT_VERSION.test(release.chart.version)) invalidProp(owner, 'chart version', release.chart.version, 'must be an exact version such as 1.2.3');
    const interval = props.interval ?? FLUX_INTERVALS.helmRelease;
    assertFluxDuration('interval', interval, owner);
    assertHelmValues(owner, release.values);
    const noWait = props.wait === false ? { disableWait: true } : {};

    this.name = release.name;
    this.namespace = props.namespace;
    this.targetNamespace = release.namespace;
    this.values = release.values;
    this.resource = new HelmRelease(this, 'Resource', {
      metadata: { name: release.name, namespace: props.namespace },
      spec: {
        interval,
        releaseName: release.name,
        targetNamespace: release.namespace,
        chart: {
          spec: {
            chart: release.chart.chart,
            version: release.chart.version,
            sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: props.repository.name, namespace: props.repository.namespace },
          },
        },
        install: {
          createNamespace: true,
          crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE,
          strategy: { name: HelmReleaseSpecInstallStrategyName.RETRY_ON_FAILURE },
          ...noWait,
        },
        upgrade: {
          crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE,
          strategy: { name: HelmReleaseSpecUpgradeStrategyName.RETRY_ON_FAILURE },
          ...noWait,
        },
        values: escapeKeys(release.values),
      },
    });
    // A value's key may be `constructor` (an ingress annotation, say): rendered exactly.
    renderKeysExactly(this.resource);
  }
}
