import { SecretCatalog, external, generated } from '../../lib/catalog';
import { renderOriginTable, renderPathFlowchart, renderPathTable, renderSecretsDoc } from '../../lib/docs';

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

describe('the Origin column and the table of where values come from', () => {
  /** One path of each origin shape, a composed Secret, an extract and a path only operators read. */
  function originCatalog(): SecretCatalog {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const db = catalog.path('apps/db', ['user', 'password'], {
      origins: { user: external({ hint: 'DBA → Users → `app` | or ask *them*' }), password: generated({ length: 24 }) },
    });
    const api = catalog.path('apps/api', ['token', 'pin', 'legacy'], {
      origins: { token: generated({ bytes: 32, encoding: 'base64url' }), pin: generated({ length: 6, charset: 'digits' }) },
    });
    const all = catalog.path('apps/all', ['a', 'b'], { origins: { a: external({ hint: 'x', url: 'https://example.org/a_(b)|c' }), b: external({ hint: 'y' }) } });
    db.syncTo({ name: 'db', namespace: 'apps' });
    catalog.addTarget({ name: 'env', namespace: 'apps', sources: [db.select({ keys: ['password'] }), api.select({ keys: ['token'] })] });
    catalog.addTarget({ name: 'same', namespace: 'apps', sources: [db.select({ keys: ['password'] }), api.select({ keys: ['pin'], renames: { pin: 'PIN' } })] });
    api.syncTo({ name: 'api', namespace: 'apps' });
    catalog.addTarget({ name: 'extract', namespace: 'apps', sources: [all.extractAll()] });
    catalog.path('infra/key', ['key'], { readBy: 'operators', origins: { key: generated({ length: 40, alphabet: 'ab|`' }) } });
    expect(catalog.validate()).toStrictEqual([]);
    return catalog;
  }

  test('each row says, in key order, where its keys\' values come from; once when they all agree', () => {
    // WHEN
    const table = renderPathTable(originCatalog());

    // THEN
    expect(table.split('\n')).toStrictEqual([
      '| Vault path | Keys | Origin | Secret | Namespace | Creation policy |',
      '|---|---|---|---|---|---|',
      '| `apps/db` | `user`, `password` | external, generated (24, alnum) | `db` | `apps` | Owner |',
      '| `apps/db` + `apps/api` | apps/db: `password`; apps/api: `token` | apps/db: generated (24, alnum); apps/api: generated (32 bytes, base64url) | `env` | `apps` | Owner |',
      '| `apps/db` + `apps/api` | apps/db: `password`; apps/api: `pin` → `PIN` | apps/db: generated (24, alnum); apps/api: generated (6, digits) | `same` | `apps` | Owner |',
      '| `apps/api` | `token`, `pin`, `legacy` | generated (32 bytes, base64url), generated (6, digits), — | `api` | `apps` | Owner |',
      '| `apps/all` | all keys | external | `extract` | `apps` | Owner |',
      '| `infra/key` | `key` | generated (40, own alphabet) | — | — | read by operators and other tools only |',
      '',
    ]);
  });

  test('the table of every key in full: the generated value\'s shape, the hint and its link, quoted for Markdown', () => {
    // WHEN
    const table = renderOriginTable(originCatalog());

    // THEN
    expect(table.split('\n')).toStrictEqual([
      '| Vault path | Key | Where the value comes from |',
      '|---|---|---|',
      '| `apps/db` | `user` | external: DBA → Users → \\`app\\` \\| or ask \\*them\\* |',
      '| `apps/db` | `password` | generated: 24 characters of A-Z, a-z, 0-9 |',
      '| `apps/api` | `token` | generated: 32 random bytes as base64url: 43 characters of A-Z, a-z, 0-9, "-", "\\_", unpadded |',
      '| `apps/api` | `pin` | generated: 6 characters of 0-9 |',
      '| `apps/api` | `legacy` | not declared: `seed` asks for it at a terminal, without a hint |',
      '| `apps/all` | `a` | external: x ([https://example.org/a\\_(b)\\|c](https://example.org/a_%28b%29%7Cc)) |',
      '| `apps/all` | `b` | external: y |',
      '| `infra/key` | `key` | generated: 40 characters of the alphabet "ab\\|\\`" |',
      '',
    ]);
  });

  test('a catalog that declares no origin keeps its columns, and has no table of origins', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });
    expect(renderPathTable(catalog).split('\n')[0]).toBe('| Vault path | Keys | Secret | Namespace | Creation policy |');
    expect(renderOriginTable(catalog)).toBe('');
    expect(renderSecretsDoc(catalog)).not.toContain('Where the values come from');
  });

  test('in namespace isolation the store column stays last', () => {
    const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });
    catalog.path('apps/db', ['user'], { origins: { user: external({ hint: 'x' }) } }).syncTo({ name: 'db', namespace: 'apps' });
    expect(renderPathTable(catalog).split('\n').slice(0, 3)).toStrictEqual([
      '| Vault path | Keys | Origin | Secret | Namespace | Creation policy | Store and Vault role |',
      '|---|---|---|---|---|---|---|',
      '| `apps/db` | `user` | external | `db` | `apps` | Owner | SecretStore `vault-backend`, role `external-secrets-apps` |',
    ]);
  });
});
