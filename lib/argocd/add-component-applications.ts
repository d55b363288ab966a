import type { ChartContributor } from '../synth';
import { COMPONENTS_CHART_ID, ComponentSettings, ComponentsChart } from './components-chart';

/** The manifests part's contributor that writes `argocd-applications.yaml` next to the ESO charts. */
export function addComponentApplications(settings: ComponentSettings): ChartContributor {
  return (app, catalog) => {
    new ComponentsChart(app, COMPONENTS_CHART_ID, { ...settings, catalog });
  };
}
