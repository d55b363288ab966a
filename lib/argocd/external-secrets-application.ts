import { Construct } from 'constructs';
import { ExternalSecretsReleaseOptions, externalSecretsRelease } from '../components';
import { ArgoDestinationSettings, HelmApplication, IgnoredDifference } from './helm-application';

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
export interface ExternalSecretsApplicationProps extends ExternalSecretsReleaseOptions, ArgoDestinationSettings {
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
}

/**
 * External Secrets Operator from its Helm chart, CRDs included, as an Argo CD Application; its values
 * are ESO's release (`externalSecretsRelease`, shared with Flux's HelmRelease): installed into the
 * service account namespace under the service account name the Vault role binds.
 */
export class ExternalSecretsApplication extends HelmApplication {
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsApplicationProps) {
    const release = externalSecretsRelease(props);
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: release.name,
      namespace: release.namespace,
      chart: release.chart,
      syncWave: props.syncWave,
      extraSyncOptions: [SERVER_SIDE_APPLY],
      ignoreDifferences: WEBHOOK_CA_BUNDLE,
      values: release.values,
    });
    this.serviceAccountName = props.access.serviceAccountName;
  }
}
