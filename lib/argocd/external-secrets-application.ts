import { Construct } from 'constructs';
import type { ResolvedEsoAccess } from '../catalog';
import { HELM_CHARTS } from './charts';
import { ArgoDestinationSettings, HelmApplication, IgnoredDifference } from './helm-application';

export const EXTERNAL_SECRETS_APP_NAME = 'external-secrets';

/**
 * ESO's CRDs are too large for client-side apply: the last-applied-configuration annotation of the
 * (Cluster)SecretStore CRD would exceed Kubernetes' 256 KiB limit ("metadata.annotations: Too long").
 * Server-side apply keeps no such annotation. Argo CD v3.5.1, the version vendored here, also uses it
 * for the dry run of such objects (argo-cd#28440; v3.5.0-rc1 did not).
 */
export const SERVER_SIDE_APPLY = 'ServerSideApply=true';

/** The ValidatingWebhookConfigurations the ESO chart installs (fixed names in its template). */
export const ESO_WEBHOOK_CONFIGURATIONS = ['secretstore-validate', 'externalsecret-validate'] as const;

/**
 * ESO's cert-controller generates the webhook's CA at runtime and writes it into
 * `webhooks[].clientConfig.caBundle`, and rewrites it when it rotates the certificate. The chart
 * leaves the field out, so git can never hold the live value; Argo CD must not treat it as drift
 * nor self-heal it away. The CRDs need no such entry: chart 2.x renders them without a conversion
 * webhook (`crds.conversion.enabled: false`), so nothing injects a caBundle into them.
 */
const WEBHOOK_CA_BUNDLE: readonly IgnoredDifference[] = ESO_WEBHOOK_CONFIGURATIONS.map((name) => ({
  group: 'admissionregistration.k8s.io',
  kind: 'ValidatingWebhookConfiguration',
  name,
  jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  reason: "ESO's cert-controller injects and rotates the webhook CA at runtime; the chart leaves caBundle out",
}));

/** Properties for `ExternalSecretsApplication`. */
export interface ExternalSecretsApplicationProps extends ArgoDestinationSettings {
  /** ESO's service account and its namespace: the names the ClusterSecretStore and the Vault role use. */
  readonly access: Pick<ResolvedEsoAccess, 'serviceAccountName' | 'serviceAccountNamespace'>;
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
  /**
   * Whether ESO requests tokens for ServiceAccounts other than its own (the identities' stores log in
   * as them). The chart grants `serviceaccounts/token` create cluster-wide by default; this writes that
   * value out, so the grant the identities rely on is reviewed in git. @default false: the chart's default, unwritten
   */
  readonly tokenRequestsForStores?: boolean;
}

/**
 * External Secrets Operator from its Helm chart, CRDs included, installed into the service account
 * namespace under the service account name the Vault role binds. Both come from the catalog's
 * resolved ESO settings, the same values the ClusterSecretStore and the Terraform
 * Vault role render, so the three cannot drift apart.
 */
export class ExternalSecretsApplication extends HelmApplication {
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsApplicationProps) {
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: EXTERNAL_SECRETS_APP_NAME,
      namespace: props.access.serviceAccountNamespace,
      chart: HELM_CHARTS.externalSecrets,
      syncWave: props.syncWave,
      extraSyncOptions: [SERVER_SIDE_APPLY],
      ignoreDifferences: WEBHOOK_CA_BUNDLE,
      values: {
        // The store and the ExternalSecrets need the CRDs before their waves; the chart installs them.
        installCRDs: true,
        // The chart default, written out because the ignoreDifferences above rely on it.
        crds: { conversion: { enabled: false } },
        serviceAccount: { create: true, name: props.access.serviceAccountName },
        ...(props.tokenRequestsForStores ? { rbac: { serviceAccountTokenCreate: true } } : {}),
      },
    });
    this.serviceAccountName = props.access.serviceAccountName;
  }
}
