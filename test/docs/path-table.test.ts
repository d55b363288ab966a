import { SecretCatalog } from '../../lib/catalog';
import { renderPathFlowchart, renderPathTable } from '../../lib/docs';

describe('renderPathTable', () => {
  test('says "all keys" for a whole-path extract and lists each source of a composed Secret', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const db = catalog.path('apps/db', ['user', 'password']);
    const api = catalog.path('apps/api', ['token', 'unused']);
    const registry = catalog.path('apps/registry', ['.dockerconfigjson']);
    catalog.addTarget({ name: 'app-env', namespace: 'apps', sources: [db.select(), api.select({ keys: ['token'], renames: { token: 'API_TOKEN' } })] });
    catalog.addTarget({ name: 'pull', namespace: 'apps', creationPolicy: 'Merge', sources: [registry.extractAll()] });

    // WHEN
    const table = renderPathTable(catalog);

    // THEN
    expect(table).toBe([
      '| Vault path | Keys | Secret | Namespace | Creation policy |',
      '|---|---|---|---|---|',
      '| `apps/db` + `apps/api` | apps/db: `user`, `password`; apps/api: `token` → `API_TOKEN` | `app-env` | `apps` | Owner |',
      '| `apps/registry` | all keys | `pull` | `apps` | Merge |',
      '',
    ].join('\n'));
  });
});

describe('renderPathFlowchart', () => {
  test('draws path → Secret → namespace, with an edge from every source path', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const db = catalog.path('apps/db', ['user']);
    const api = catalog.path('apps/api', ['token']);
    catalog.addTarget({ name: 'app-env', namespace: 'apps', sources: [db.select(), api.select()] });
    api.syncTo({ name: 'argocd-secret', namespace: 'argocd', creationPolicy: 'Merge' });

    // WHEN
    const chart = renderPathFlowchart(catalog);

    // THEN
    expect(chart).toBe([
      'flowchart LR',
      '  p0["homelab/apps/db"]',
      '  p1["homelab/apps/api"]',
      '  n0(["namespace apps"])',
      '  n1(["namespace argocd"])',
      '  s0["Secret app-env"]',
      '  p0 --> s0',
      '  p1 --> s0',
      '  s0 --> n0',
      '  s1["Secret argocd-secret (merge)"]',
      '  p1 --> s1',
      '  s1 --> n1',
      '',
    ].join('\n'));
  });
});

describe('the path table of issue 12\'s shapes', () => {
  test('names a renamed ExternalSecret, a deletion policy other than Retain, None, and the paths only operators read', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const db = catalog.path('apps/db', ['password']);
    db.syncTo({ name: 'db-secret', namespace: 'apps', externalSecretName: 'db-es', creationPolicy: 'Orphan', deletionPolicy: 'Delete' });
    db.syncTo({ name: 'db-check', namespace: 'apps', creationPolicy: 'None' });
    catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
    expect(renderPathTable(catalog).split('\n').slice(2)).toStrictEqual([
      '| `apps/db` | `password` | `db-secret` (ExternalSecret `db-es`) | `apps` | Orphan, deletion Delete |',
      '| `apps/db` | `password` | `db-check` (not written: creation policy None) | `apps` | None |',
      '| `infra/backup-key` | `key` | — | — | read by operators and other tools only |',
      '',
    ]);
    expect(renderPathFlowchart(catalog).split('\n')).toStrictEqual([
      'flowchart LR',
      '  p0["kv/apps/db"]',
      '  p1["kv/infra/backup-key"]',
      '  n0(["namespace apps"])',
      '  s0["Secret db-secret (orphan)"]',
      '  p0 --> s0',
      '  s0 --> n0',
      '  s1["Secret db-check (none)"]',
      '  p0 --> s1',
      '  s1 --> n0',
      '  ops(["operators and other tools"])',
      '  p1 --> ops',
      '',
    ]);
  });
});
