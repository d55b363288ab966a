import type { ResolvedEsoAccess } from '../catalog';
import { HELM_CHARTS } from './charts';
import type { ComponentRelease } from './helm-values';

export const EXTERNAL_SECRETS_APP_NAME = 'external-secrets';

/** What ESO's release is derived from. */
export interface ExternalSecretsReleaseOptions {
  /** ESO's service account and its namespace: the names the ClusterSecretStore and the Vault role use. */
  readonly access: Pick<ResolvedEsoAccess, 'serviceAccountName' | 'serviceAccountNamespace'>;
  /**
   * Whether ESO requests tokens for ServiceAccounts other than its own (the identities' stores log in
   * as them). The chart grants `serviceaccounts/token` create cluster-wide by default; this writes that
   * value out, so the grant the identities rely on is reviewed in git. @default false: the chart's default, unwritten
   */
  readonly tokenRequestsForStores?: boolean;
}

/**
 * External Secrets Operator's release, CRDs included, installed into the service account namespace
 * under the service account name the Vault role binds. Both come from the catalog's resolved ESO
 * settings, the same values the ClusterSecretStore and the Terraform Vault role render, so the three
 * cannot drift apart.
 */
export function externalSecretsRelease(options: ExternalSecretsReleaseOptions): ComponentRelease {
  return {
    name: EXTERNAL_SECRETS_APP_NAME,
    namespace: options.access.serviceAccountNamespace,
    chart: HELM_CHARTS.externalSecrets,
    values: {
      // The store and the ExternalSecrets need the CRDs before them (their sync waves, their Flux
      // Kustomizations); the chart installs them, rendered from its templates.
      installCRDs: true,
      // The chart default, written out because Argo CD's ignoreDifferences for the webhooks rely on it.
      crds: { conversion: { enabled: false } },
      serviceAccount: { create: true, name: options.access.serviceAccountName },
      ...(options.tokenRequestsForStores ? { rbac: { serviceAccountTokenCreate: true } } : {}),
    },
  };
}
