import { SecretCatalog } from '../../lib/catalog';

/** What a JavaScript caller can pass. */
type Untyped = any;

function messages(declare: (catalog: Untyped) => void): string[] {
  const catalog = new SecretCatalog({ mount: 'kv' });
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

const SUBDOMAIN = 'must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters';

describe('ExternalSecret names', () => {
  test('default to the Secret name, and can differ from it', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const db = catalog.path('apps/db', ['user']);
    const plain = db.syncTo({ name: 'db-secret', namespace: 'apps' });
    const renamed = db.syncTo({ name: 'db-secret', namespace: 'other', externalSecretName: 'db-externalsecret' });
    expect([plain.externalSecretName, plain.renamesExternalSecret, renamed.externalSecretName, renamed.renamesExternalSecret])
      .toStrictEqual(['db-secret', false, 'db-externalsecret', true]);
    expect(catalog.validate()).toStrictEqual([]);
  });

  test('are validated like any object name, and are unique per namespace among ExternalSecrets', () => {
    expect(messages((c) => {
      const db = c.path('apps/db', ['user', 'password']);
      db.syncTo({ name: 'a', namespace: 'apps', externalSecretName: 'DB_ES' });
      db.syncTo({ name: 'b', namespace: 'apps', externalSecretName: 'shared-es' });
      db.syncTo({ name: 'c', namespace: 'apps', externalSecretName: 'shared-es' });
      // The default name of this one is the ExternalSecret name of b's.
      db.syncTo({ name: 'shared-es', namespace: 'apps' });
      // Another namespace may reuse it.
      db.syncTo({ name: 'd', namespace: 'web', externalSecretName: 'shared-es' });
    })).toStrictEqual([
      `apps/db → a in apps: externalSecretName "DB_ES" ${SUBDOMAIN}`,
      'apps/db → c in apps: externalSecretName "shared-es" is already the name of the ExternalSecret of apps/db → b in apps: ExternalSecret names are unique per namespace, so set another externalSecretName',
      'apps/db → shared-es in apps: externalSecretName "shared-es" is already the name of the ExternalSecret of apps/db → b in apps: ExternalSecret names are unique per namespace, so set another externalSecretName',
    ]);
  });
});

describe('creation and deletion policies', () => {
  test.each([
    ['Owner', 'Retain'], ['Owner', 'Delete'], ['Owner', 'Merge'],
    ['Orphan', 'Retain'], ['Orphan', 'Delete'], ['Orphan', 'Merge'],
    ['Merge', 'Retain'], ['Merge', 'Merge'],
    ['None', 'Retain'],
  ])('%s with deletion %s is accepted, as ESO accepts it', (creationPolicy, deletionPolicy) => {
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps', creationPolicy, deletionPolicy });
    })).toStrictEqual([]);
  });

  test('the combinations ESO v2.9\'s webhook refuses are refused with its reasons', () => {
    expect(messages((c) => {
      const db = c.path('apps/db', ['user']);
      db.syncTo({ name: 'a', namespace: 'apps', creationPolicy: 'Merge', deletionPolicy: 'Delete' });
      db.syncTo({ name: 'b', namespace: 'apps', creationPolicy: 'None', deletionPolicy: 'Delete' });
      db.syncTo({ name: 'c', namespace: 'apps', creationPolicy: 'None', deletionPolicy: 'Merge' });
    })).toStrictEqual([
      'apps/db → a in apps: deletionPolicy "Delete" is refused by ESO with creationPolicy "Merge": "deletionPolicy=Delete must not be used when the controller doesn\'t own the secret. Please set creationPolicy=Owner"',
      'apps/db → b in apps: deletionPolicy "Delete" is refused by ESO with creationPolicy "None": "deletionPolicy=Delete must not be used when the controller doesn\'t own the secret. Please set creationPolicy=Owner"',
      'apps/db → c in apps: deletionPolicy "Merge" is refused by ESO with creationPolicy "None": "deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with"',
    ]);
  });

  test('unknown policies are named with the known ones', () => {
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({ name: 'a', namespace: 'apps', creationPolicy: 'CreateOrMerge', deletionPolicy: 'Keep' });
    })).toStrictEqual([
      'apps/db → a in apps: creationPolicy "CreateOrMerge" must be one of "Owner", "Orphan", "Merge", "None"',
      'apps/db → a in apps: deletionPolicy "Keep" must be one of "Retain", "Delete", "Merge"',
    ]);
  });

  test('with None ESO writes no Secret, so what would shape one is refused', () => {
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({
        name: 'a', namespace: 'apps', creationPolicy: 'None',
        template: (v: Untyped) => ({ URL: `db://${v.user}` }), templateMergePolicy: 'Merge',
        type: 'Opaque', labels: { app: 'db' }, annotations: { note: 'x' }, reloaderMatch: true,
      });
    })).toStrictEqual([
      'apps/db → a in apps: template {"URL":"db://{{ .user }}"} has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
      'apps/db → a in apps: templateMergePolicy "Merge" has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
      'apps/db → a in apps: type "Opaque" has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
      'apps/db → a in apps: labels {"app":"db"} has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
      'apps/db → a in apps: annotations {"note":"x"} has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
      'apps/db → a in apps: reloaderMatch true has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy',
    ]);
  });
});

describe('paths read by operators only', () => {
  test('need no target, and are not among the paths ESO reads', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });
    catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
    expect(catalog.validate()).toStrictEqual([]);
    expect([catalog.pathNames, catalog.esoPathNames, catalog.operatorPaths.map((p) => p.path)]).toStrictEqual([
      ['apps/db', 'infra/backup-key'], ['apps/db'], ['infra/backup-key'],
    ]);
  });

  test('a path read by operators that feeds a Secret, a path that feeds none, and an unknown reader are each refused with their fixes', () => {
    expect(messages((c) => {
      c.path('infra/a', ['k'], { readBy: 'operators' }).syncTo({ name: 'a', namespace: 'apps' });
      c.path('infra/b', ['k']);
      c.path('infra/c', ['k'], { readBy: 'people' });
    })).toStrictEqual([
      'infra/a: readBy "operators" says only operators read the path, but it feeds infra/a → a in apps: remove readBy, or the targets',
      'infra/b: targets [] must name at least one sync target: add one with syncTo(); or, if only operators and other tools read the path, declare it with { readBy: "operators" }; or remove the path',
      'infra/c: readBy "people" must be "eso" (the path feeds Secrets) or "operators" (people and other tools only)',
    ]);
  });
});

describe('label and annotation rules of Kubernetes', () => {
  const NAME = 'must be a Kubernetes qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and "/", then a name of at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';
  const VALUE = 'must be a Kubernetes label value: empty, or at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';

  test('accepts prefixed and plain keys, long annotation values and empty label values', () => {
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({
        name: 'db', namespace: 'apps',
        labels: { 'app.kubernetes.io/name': 'db', tier: '', 'a_b.c-d': 'x.y_z' },
        annotations: { 'example.com/note': 'any text, even: "quotes" and spaces', [`${'a'.repeat(63)}`]: 'x'.repeat(500) },
      });
    })).toStrictEqual([]);
  });

  test('refuses a name part over 63 characters, a bad prefix, a bad name and bad label values', () => {
    const long = 'n'.repeat(64);
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({
        name: 'db', namespace: 'apps',
        labels: { [long]: 'x', 'Example.com/x': 'y', '-bad': 'z', ok: 'has space', ok2: 'v'.repeat(64), ok3: 7 },
        annotations: { 'example.com/': 'x', 'a/b/c': 'x' },
      });
    })).toStrictEqual([
      `apps/db → db in apps: labels key "${long}" ${NAME}`,
      `apps/db → db in apps: labels key "Example.com/x" ${NAME}`,
      `apps/db → db in apps: labels key "-bad" ${NAME}`,
      `apps/db → db in apps: labels.ok "has space" ${VALUE}`,
      `apps/db → db in apps: labels.ok2 "${'v'.repeat(64)}" ${VALUE}`,
      'apps/db → db in apps: labels.ok3 7 must be a string',
      `apps/db → db in apps: annotations key "example.com/" ${NAME}`,
      `apps/db → db in apps: annotations key "a/b/c" ${NAME}`,
    ]);
  });
});
