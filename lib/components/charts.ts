/** Where a Helm chart comes from and the exact version installed. */
export interface HelmChartRef {
  /** Chart name in the repository. */
  readonly chart: string;
  /** Helm repository URL (not OCI): Argo CD's `repoURL`, the URL of Flux's HelmRepository. */
  readonly repoUrl: string;
  /** Exact chart version; ranges are refused so that a sync never upgrades by itself. */
  readonly version: string;
}

/**
 * Every chart the components install, pinned in this one place for every GitOps tool. Bump a version
 * here, run the synth, and the committed Application (or HelmRelease) shows the change.
 *
 * - vault 0.34.1 (2026-08-13): the newest vault-helm release. Its StatefulSet writes `apiVersion`
 *   and `kind` into the volumeClaimTemplates, so Argo CD shows no diff there.
 * - external-secrets 2.9.0: must match the vendored CRDs in crds/external-secrets (ESO v2.9.0, chart
 *   tag helm-chart-2.9.0), which the ClusterSecretStore and ExternalSecrets are validated against.
 * - reloader 2.2.16: the chart that ships Reloader v1.4.21, the version CONVENTIONS.md was checked against.
 */
export const HELM_CHARTS = {
  vault: {
    chart: 'vault',
    repoUrl: 'https://helm.releases.hashicorp.com',
    version: '0.34.1',
  },
  externalSecrets: {
    chart: 'external-secrets',
    repoUrl: 'https://charts.external-secrets.io',
    version: '2.9.0',
  },
  reloader: {
    chart: 'reloader',
    repoUrl: 'https://stakater.github.io/stakater-charts',
    version: '2.2.16',
  },
} as const satisfies Record<string, HelmChartRef>;
