import { Construct } from 'constructs';
import { Application } from '../../imports/argoproj.io';
import { SETTINGS_DEFAULTS, assertRule, checkLabel, invalidProp } from '../catalog';
import { SYNC_WAVES, SYNC_WAVE_ANNOTATION } from '../k8s';
import { escapeKeys, renderKeysExactly } from '../k8s/private/exact-keys';
import { type HelmChartRef, type HelmValues, assertHelmValues } from '../components';

/** A live field Argo CD must not compare, and why. */
export interface IgnoredDifference {
  /** API group of the object. */
  readonly group: string;
  /** Kind of the object. */
  readonly kind: string;
  /** Name of the object. @default - every object of the kind in the Application */
  readonly name?: string;
  /** jq paths of the ignored fields. */
  readonly jqPathExpressions: readonly string[];
  /** Why the field differs from git; not rendered (YAML output holds no comments), kept for readers and the docs. */
  readonly reason: string;
}

/** Where an Application lives and where it installs to; shared by every component. */
export interface ArgoDestinationSettings {
  /** Argo CD project of the Application. @default 'default' */
  readonly project?: string;
  /** API server the chart is installed into. @default 'https://kubernetes.default.svc', the cluster Argo CD runs in */
  readonly server?: string;
  /** Namespace Argo CD runs in; Application objects must live there. @default 'argocd' */
  readonly argoNamespace?: string;
}

/** Argo CD creates the destination namespace, so a fresh cluster needs nothing but the Applications. */
export const CREATE_NAMESPACE = 'CreateNamespace=true';

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

/** Properties for `HelmApplication`. */
export interface HelmApplicationProps extends ArgoDestinationSettings {
  /** Application name, also the Helm release name; a label value in Argo CD's tracking, so a DNS-1123 label. */
  readonly name: string;
  /** Namespace the chart is installed into. */
  readonly namespace: string;
  /** The pinned chart. */
  readonly chart: HelmChartRef;
  /** Helm values. @default - no values: the chart's defaults */
  readonly values?: HelmValues;
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
  /** Sync options in addition to CreateNamespace=true. @default - none */
  readonly extraSyncOptions?: readonly string[];
  /** Live fields Argo CD must not compare, each with its reason. @default - none */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
  /** Whether automated sync deletes objects the chart no longer renders. @default false */
  readonly prune?: boolean;
}

/**
 * An Argo CD Application that installs one pinned Helm chart with structured values.
 *
 * Sync is automated with self-heal, so a rebuilt cluster converges from git alone. Pruning is off by
 * default and the Application carries no `resources-finalizer.argocd.argoproj.io`: removing the
 * Application (or a chart dropping an object) never deletes a component's objects. For ESO that
 * would delete its CRDs, then every ExternalSecret and, through owner references, every Secret; for
 * Vault the StatefulSet holding the data. Deleting a component is a deliberate manual step.
 */
export class HelmApplication extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly chart: HelmChartRef;
  public readonly values: HelmValues;
  public readonly syncWave: number;
  public readonly project: string;
  public readonly server: string;
  public readonly argoNamespace: string;
  public readonly syncOptions: readonly string[];
  public readonly ignoreDifferences: readonly IgnoredDifference[];
  public readonly prune: boolean;
  public readonly resource: Application;

  constructor(scope: Construct, id: string, props: HelmApplicationProps) {
    super(scope, id);
    const owner = `Application "${props.name}"`;
    assertRule(checkLabel, 'name', props.name, owner);
    assertRule(checkLabel, 'namespace', props.namespace, owner);
    if (!EXACT_VERSION.test(props.chart.version)) invalidProp(owner, 'chart version', props.chart.version, 'must be an exact version such as 1.2.3');
    const syncWave = props.syncWave ?? SYNC_WAVES.components;
    if (!Number.isInteger(syncWave)) invalidProp(owner, 'sync wave', syncWave, 'must be an integer');
    assertHelmValues(owner, props.values ?? {});

    this.name = props.name;
    this.namespace = props.namespace;
    this.chart = props.chart;
    this.values = props.values ?? {};
    this.syncWave = syncWave;
    this.project = props.project ?? SETTINGS_DEFAULTS.argocd.project;
    this.server = props.server ?? SETTINGS_DEFAULTS.argocd.server;
    this.argoNamespace = props.argoNamespace ?? SETTINGS_DEFAULTS.argocd.namespace;
    this.syncOptions = [CREATE_NAMESPACE, ...(props.extraSyncOptions ?? [])];
    this.ignoreDifferences = [...(props.ignoreDifferences ?? [])];
    this.prune = props.prune ?? false;

    this.resource = new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.argoNamespace,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(this.syncWave) },
      },
      spec: {
        project: this.project,
        destination: { server: this.server, namespace: this.namespace },
        source: {
          repoUrl: this.chart.repoUrl,
          chart: this.chart.chart,
          targetRevision: this.chart.version,
          helm: { releaseName: this.name, valuesObject: escapeKeys(this.values) },
        },
        syncPolicy: {
          automated: { prune: this.prune, selfHeal: true },
          syncOptions: [...this.syncOptions],
        },
        ignoreDifferences: this.ignoreDifferences.length > 0
          ? this.ignoreDifferences.map(({ group, kind, name, jqPathExpressions }) => ({
            group,
            kind,
            name,
            jqPathExpressions: [...jqPathExpressions],
          }))
          : undefined,
      },
    });
    // A value's key may be `constructor` (an ingress annotation, say): rendered exactly.
    renderKeysExactly(this.resource);
  }
}
