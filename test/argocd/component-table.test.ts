import { HOMELAB_COMPONENTS } from '../../apps/components';
import { homelabCatalog } from '../../apps/homelab';
import { renderComponentTable } from '../../lib/argocd';

describe('renderComponentTable', () => {
  test('lists the homelab components as the synth writes them', () => {
    // GIVEN the homelab settings and catalog
    // WHEN the table is rendered
    const table = renderComponentTable(HOMELAB_COMPONENTS, homelabCatalog());

    // THEN it names the pinned charts, their namespaces and the components wave
    expect(table).toStrictEqual([
      '| Component | Application | Chart | Repository | Version | Namespace | Sync wave |',
      '|---|---|---|---|---|---|---|',
      '| Vault | `vault` | `vault` | https://helm.releases.hashicorp.com | 0.34.1 | `vault` | -2 |',
      '| External Secrets Operator | `external-secrets` | `external-secrets` | https://charts.external-secrets.io | 2.9.0 | `external-secrets` | -2 |',
      '| Stakater Reloader | `reloader` | `reloader` | https://stakater.github.io/stakater-charts | 2.2.16 | `reloader` | -2 |',
      '',
    ].join('\n'));
  });
});
