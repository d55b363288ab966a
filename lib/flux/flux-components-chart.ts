import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedDeclaration } from '../catalog';
import { type ComponentRelease, componentReleases } from '../components';
import { FluxHelmRelease } from './flux-helm-release';
import { FluxHelmRepository } from './flux-helm-repository';

/** The chart id, and so the output file `flux-components.yaml` of the components stage. */
export const FLUX_COMPONENTS_CHART_ID = 'flux-components';

/** Properties for `FluxComponentsChart`. */
export interface FluxComponentsChartProps {
  /** The validated declaration: the components the settings install, their values, and Flux's namespace. */
  readonly declaration: ResolvedDeclaration;
}

/**
 * The chart (one output file) with a HelmRepository and a HelmRelease for each component the settings
 * install (Vault, ESO, Reloader), all in Flux's namespace. The releases are the ones Argo CD's
 * Applications install (`componentReleases`): the same names, namespaces, charts and values.
 */
export class FluxComponentsChart extends Chart {
  public readonly repositories: FluxHelmRepository[] = [];
  public readonly vault?: FluxHelmRelease;
  public readonly externalSecrets?: FluxHelmRelease;
  public readonly reloader?: FluxHelmRelease;

  constructor(scope: Construct, id: string, props: FluxComponentsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { namespace } = props.declaration.settings.flux;
    const releases = componentReleases(props.declaration, 'HelmRelease');
    const add = (idPrefix: string, release: ComponentRelease, wait: boolean): FluxHelmRelease => {
      const repository = new FluxHelmRepository(this, `${idPrefix}Repository`, { name: release.name, namespace, url: release.chart.repoUrl });
      this.repositories.push(repository);
      return new FluxHelmRelease(this, idPrefix, { release, namespace, repository, wait });
    };
    // Vault's pod is Ready only once Vault is initialized and unsealed, a step the operator takes after
    // the install: waiting for it would fail the first install of every cluster.
    if (releases.vault) this.vault = add('Vault', releases.vault, false);
    if (releases.externalSecrets) this.externalSecrets = add('ExternalSecrets', releases.externalSecrets, true);
    if (releases.reloader) this.reloader = add('Reloader', releases.reloader, true);
  }
}
