import type { ChartContributor } from '../k8s';
import { COMPONENTS_CHART_ID, ComponentsChart } from './components-chart';

/**
 * The manifests part's contributor that writes `argocd-applications.yaml` next to the ESO charts,
 * with the Applications of the components the settings install; no file when they install none, or
 * when the manifests are not for Argo CD (Flux gets HelmReleases instead, from the manifests part).
 */
export function componentApplications(): ChartContributor {
  return (app, declaration) => {
    const { components, gitops } = declaration.settings;
    if (gitops !== 'argocd') return;
    if (components.vault || components.externalSecrets || components.reloader) {
      new ComponentsChart(app, COMPONENTS_CHART_ID, { declaration });
    }
  };
}
