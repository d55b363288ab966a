import type { ChartContributor } from '../k8s';
import { COMPONENTS_CHART_ID, ComponentsChart } from './components-chart';

/** The manifests part's contributor that writes `argocd-applications.yaml` next to the ESO charts. */
export function componentApplications(): ChartContributor {
  return (app, declaration) => {
    new ComponentsChart(app, COMPONENTS_CHART_ID, { declaration });
  };
}
