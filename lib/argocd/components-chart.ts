import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedDeclaration } from '../catalog';
import { componentInstalls } from '../components';
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
    const { settings } = props.declaration;
    const argo: ArgoDestinationSettings = {
      project: settings.argocd.project,
      server: settings.argocd.server,
      argoNamespace: settings.argocd.namespace,
    };
    // The same options Flux's HelmReleases are derived from (lib/components).
    const installs = componentInstalls(props.declaration);
    if (installs.vault) this.vault = new VaultApplication(this, 'Vault', { ...argo, ...installs.vault });
    if (installs.externalSecrets) this.externalSecrets = new ExternalSecretsApplication(this, 'ExternalSecrets', { ...argo, ...installs.externalSecrets });
    if (installs.reloader) this.reloader = new ReloaderApplication(this, 'Reloader', { ...argo, ...installs.reloader });
  }
}
