import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { SecretCatalog } from '../catalog';
import type { KmsUnsealSettings } from '../platform';
import { ExternalSecretsApplication } from './external-secrets-application';
import type { ArgoDestinationSettings } from './helm-application';
import { ReloaderApplication } from './reloader-application';
import { VaultApplication, VaultSettings } from './vault-application';

/** The chart id, and so the output file `argocd-applications.yaml`. */
export const COMPONENTS_CHART_ID = 'argocd-applications';

/** What the homelab decides about its components; the rest is fixed or comes from the catalog. */
export interface ComponentSettings {
  /** The KMS unseal key, the same settings the KMS stack creates it from. */
  readonly kms: KmsUnsealSettings;
  /** Vault's storage and ingress. @default VAULT_DEFAULTS, no ingress */
  readonly vault?: VaultSettings;
  /** Argo CD project, destination server and the namespace the Applications live in. @default ARGO_DESTINATION_DEFAULTS */
  readonly argo?: ArgoDestinationSettings;
}

export interface ComponentsChartProps extends ComponentSettings {
  /** The catalog; ESO is installed under its service account and must reach Vault at its store address. */
  readonly catalog: SecretCatalog;
}

/** The chart (one output file) with the Argo CD Applications of Vault, ESO and Reloader. */
export class ComponentsChart extends Chart {
  public readonly vault: VaultApplication;
  public readonly externalSecrets: ExternalSecretsApplication;
  public readonly reloader: ReloaderApplication;

  constructor(scope: Construct, id: string, props: ComponentsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalog } = props;
    const argo = props.argo ?? {};
    this.vault = new VaultApplication(this, 'Vault', { ...argo, ...props.vault, kms: props.kms });
    this.externalSecrets = new ExternalSecretsApplication(this, 'ExternalSecrets', { ...argo, access: catalog.eso });
    this.reloader = new ReloaderApplication(this, 'Reloader', { ...argo });
    this.node.addValidation({
      validate: () => catalog.eso.server === this.vault.serviceUrl
        ? []
        : [`ClusterSecretStore server "${catalog.eso.server}" is not the address of the Vault this chart installs ("${this.vault.serviceUrl}")`],
    });
  }
}
