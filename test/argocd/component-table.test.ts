import { renderComponentTable } from '../../lib/argocd';
import { FIXTURE_SETTINGS, resolvedFixture } from '../support/fixtures';

describe('renderComponentTable', () => {
  test('lists the components as the synth writes them, with the declared Vault namespace and release', () => {
    // GIVEN settings that move Vault to its own namespace and release name
    const declaration = resolvedFixture(undefined, { ...FIXTURE_SETTINGS, vault: { namespace: 'secrets', releaseName: 'bao' } });

    // WHEN the table is rendered
    const table = renderComponentTable(declaration);

    // THEN it names the pinned charts, their namespaces and the components wave
    expect(table).toStrictEqual([
      '| Component | Application | Chart | Repository | Version | Namespace | Sync wave |',
      '|---|---|---|---|---|---|---|',
      '| Vault | `bao` | `vault` | https://helm.releases.hashicorp.com | 0.34.1 | `secrets` | -2 |',
      '| External Secrets Operator | `external-secrets` | `external-secrets` | https://charts.external-secrets.io | 2.9.0 | `external-secrets` | -2 |',
      '| Stakater Reloader | `reloader` | `reloader` | https://stakater.github.io/stakater-charts | 2.2.16 | `reloader` | -2 |',
      '',
    ].join('\n'));
  });
});
