import { App } from 'cdk8s';
import type { SecretCatalog } from '../catalog';
import { COMPONENTS_CHART_ID, ComponentSettings, ComponentsChart } from './components-chart';
import type { HelmApplication } from './helm-application';

/** The README's component table, rendered from the same Applications the synth writes. */
export function renderComponentTable(settings: ComponentSettings, catalog: SecretCatalog): string {
  const chart = new ComponentsChart(new App(), COMPONENTS_CHART_ID, { ...settings, catalog });
  const rows: [string, HelmApplication][] = [
    ['Vault', chart.vault],
    ['External Secrets Operator', chart.externalSecrets],
    ['Stakater Reloader', chart.reloader],
  ];
  return [
    '| Component | Application | Chart | Repository | Version | Namespace | Sync wave |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([title, app]) =>
      `| ${title} | \`${app.name}\` | \`${app.chart.chart}\` | ${app.chart.repoUrl} | ${app.chart.version} | \`${app.namespace}\` | ${app.syncWave} |`),
  ].join('\n') + '\n';
}
