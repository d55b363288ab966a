import { App } from 'cdk8s';
import type { ResolvedDeclaration } from '../catalog';
import { COMPONENTS_CHART_ID, ComponentsChart } from './components-chart';
import type { HelmApplication } from './helm-application';

/** The component table of the docs, rendered from the same Applications the synth writes. */
export function renderComponentTable(declaration: ResolvedDeclaration): string {
  const chart = new ComponentsChart(new App(), COMPONENTS_CHART_ID, { declaration });
  const all: [string, HelmApplication | undefined][] = [
    ['Vault', chart.vault],
    ['External Secrets Operator', chart.externalSecrets],
    ['Stakater Reloader', chart.reloader],
  ];
  const rows = all.filter((row): row is [string, HelmApplication] => row[1] !== undefined);
  return [
    '| Component | Application | Chart | Repository | Version | Namespace | Sync wave |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([title, app]) =>
      `| ${title} | \`${app.name}\` | \`${app.chart.chart}\` | ${app.chart.repoUrl} | ${app.chart.version} | \`${app.namespace}\` | ${app.syncWave} |`),
  ].join('\n') + '\n';
}
