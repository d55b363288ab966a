import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedDeclaration } from '../catalog';
import { ExternalSecretsApplication } from './external-secrets-application';
import type { ArgoDestinationSettings } from './helm-application';
import { ReloaderApplication } from './reloader-application';
import { VaultApplication } from './vault-application';

/** The chart id, and so the output file `argocd-applications.yaml`. */
export const COMPONENTS_CHART_ID = 'argocd-applications';

/** Properties for `ComponentsChart`. */
export interface ComponentsChartProps {
  /** The validated declaration: the Vault install and KMS key, the Argo CD destination, ESO's service account. */
  readonly declaration: ResolvedDeclaration;
}

/** The chart (one output file) with the Argo CD Applications of Vault, ESO and Reloader, each if the settings install it. */
export class ComponentsChart extends Chart {
  public readonly vault?: VaultApplication;
  public readonly externalSecrets?: ExternalSecretsApplication;
  public readonly reloader?: ReloaderApplication;

  constructor(scope: Construct, id: string, props: ComponentsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { settings, catalog, identities } = props.declaration;
    const argo: ArgoDestinationSettings = {
      project: settings.argocd.project,
      server: settings.argocd.server,
      argoNamespace: settings.argocd.namespace,
    };
    const { vault, components } = settings;
    if (components.vault) this.vault = new VaultApplication(this, 'Vault', {
      ...argo,
      kms: settings.kms,
      namespace: vault.namespace,
      releaseName: vault.releaseName,
      storageClass: vault.storageClass,
      storageSize: vault.storageSize,
      ingress: vault.ingress,
      tls: vault.tlsSecretName === undefined ? { disabled: true } : { secretName: vault.tlsSecretName },
    });
    if (components.externalSecrets) {
      this.externalSecrets = new ExternalSecretsApplication(this, 'ExternalSecrets', {
        ...argo,
        access: catalog.eso,
        // ESO requests tokens for every ServiceAccount an identity logs in as, other than its own.
        tokenRequestsForStores: identities.some(({ identity }) => identity.boundNamespaces.some((namespace) =>
          namespace !== catalog.eso.serviceAccountNamespace || identity.serviceAccount.name !== catalog.eso.serviceAccountName)),
      });
    }
    if (components.reloader) this.reloader = new ReloaderApplication(this, 'Reloader', { ...argo });
  }
}
