import { CatalogValidationError, SecretCatalog, SecretCatalogProps, formatIssues } from '../../lib/catalog';

/** Messages of a catalog built by `declare`; `any` stands in for a JavaScript caller. */
function messages(declare: (catalog: SecretCatalog) => void, props: Partial<SecretCatalogProps> = {}): string[] {
  const catalog = new SecretCatalog({ mount: 'homelab', ...props });
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

const SUBDOMAIN = 'must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters';
const DURATION = 'must be a Go duration such as "1h", "30m" or "1h0m0s", of at most 2562047h (Go\'s time.Duration overflows beyond)';
const LABEL = 'must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters';

describe('catalog validation', () => {
  test('1. the same Vault path declared twice', () => {
    expect(messages((c) => {
      c.path('apps/vpn', ['user']).syncTo({ name: 'vpn', namespace: 'arr' });
      c.path('apps/vpn', ['password']).syncTo({ name: 'vpn2', namespace: 'arr' });
    })).toStrictEqual([
      'apps/vpn: path "apps/vpn" is declared twice (first as path #1); declare it once and add every target to it',
    ]);
  });

  test('a description is one line of visible text: no line break, separator, bidi override or zero width (found by the sweep)', () => {
    const RULE = 'must be one line of visible text, without control characters, line separators, bidi overrides or zero-width characters';
    expect(messages((c) => {
      ['a\nb', 'a\u2028b', 'a\u0000b', 'safe \u202eexe.txt', 'a\u200bb', 'MinIO root | `user` <br> *é*'].forEach((description, i) => {
        c.path(`apps/p${i}`, ['k'], { description }).syncTo({ name: `p${i}`, namespace: 'arr' });
      });
    })).toStrictEqual([
      `apps/p0: description "a\\nb" ${RULE}`,
      `apps/p1: description "a\\u2028b" ${RULE}`,
      `apps/p2: description "a\\u0000b" ${RULE}`,
      `apps/p3: description "safe \\u202eexe.txt" ${RULE}`,
      `apps/p4: description "a\\u200bb" ${RULE}`,
    ]);
  });

  test('2. two targets writing one Secret, whatever their creation policies', () => {
    expect(messages((c) => {
      c.path('apps/a', ['k']).syncTo({ name: 'shared', namespace: 'arr' });
      c.path('apps/b', ['k2']).syncTo({ name: 'shared', namespace: 'arr' });
      c.path('apps/c', ['k3']).syncTo({ name: 'shared', namespace: 'arr', creationPolicy: 'Merge' });
      c.path('apps/d', ['k4']).syncTo({ name: 'shared', namespace: 'other' });
    })).toStrictEqual([
      'apps/b → shared in arr: name "shared" is already written in namespace "arr" by apps/a → shared in arr (Owner): a Secret has exactly one ExternalSecret, so give this one several sources instead',
      'apps/c → shared in arr: name "shared" is already written in namespace "arr" by apps/a → shared in arr (Owner): a Secret has exactly one ExternalSecret, so give this one several sources instead',
    ]);
  });

  test('3. invalid Secret names and namespaces', () => {
    const long = `a${'b'.repeat(253)}`;
    expect(messages((c) => {
      const path = c.path('apps/a', ['k']);
      path.syncTo({ name: 'Bad_Name', namespace: 'arr' });
      path.syncTo({ name: long, namespace: 'arr' });
      path.syncTo({ name: 'ok', namespace: 'my.ns' });
      path.syncTo({ name: 'ok2', namespace: 'n'.repeat(64) });
    })).toStrictEqual([
      `apps/a → Bad_Name in arr: name "Bad_Name" ${SUBDOMAIN}`,
      `apps/a → ${long} in arr: name "${long}" ${SUBDOMAIN}`,
      `apps/a → ok in my.ns: namespace "my.ns" ${LABEL}`,
      `apps/a → ok2 in ${'n'.repeat(64)}: namespace "${'n'.repeat(64)}" ${LABEL}`,
    ]);
  });

  test('4. invalid key names, a key declared twice, and renames onto one Secret key', () => {
    expect(messages((c) => {
      c.path('apps/a', ['good', 'bad key', 'good']).syncTo({ name: 'a', namespace: 'arr', keys: ['good'] });
      c.path('apps/b', ['user', 'login']).syncTo({ name: 'b', namespace: 'arr', renames: { user: 'USER', login: 'USER' } });
      c.path('apps/c', ['k']).syncTo({ name: 'c', namespace: 'arr', renames: { k: 'not/ok' } });
    })).toStrictEqual([
      'apps/a: key "bad key" must match ^[-._a-zA-Z0-9]+$',
      'apps/a: key "good" is declared twice in this path',
      'apps/b → b in arr: secretKey "USER" is provided by both apps/b#user and apps/b#login: a Secret key must come from exactly one Vault key',
      'apps/c → c in arr: renames.k "not/ok" must match ^[-._a-zA-Z0-9]+$',
    ]);
  });

  test('4. two sources providing one Secret key', () => {
    expect(messages((c) => {
      const a = c.path('apps/a', ['token']);
      const b = c.path('apps/b', ['token']);
      c.addTarget({ name: 'both', namespace: 'arr', sources: [a.select(), b.extractAll()] });
    })).toStrictEqual([
      'apps/a + apps/b → both in arr: secretKey "token" is provided by both apps/a#token and apps/b#token (all keys): a Secret key must come from exactly one Vault key',
    ]);
  });

  test('5. a target naming a key its path does not declare (JavaScript callers)', () => {
    expect(messages((c) => {
      const path: any = c.path('infrastructure/minio', ['rootUser', 'rootPassword']);
      path.syncTo({ name: 'minio-credentials', namespace: 'backups', keys: ['rootUser', 'secretKey'] });
    })).toStrictEqual([
      'infrastructure/minio → minio-credentials in backups: keys "secretKey" is not declared by path "infrastructure/minio" (declared: rootUser, rootPassword)',
    ]);
  });

  test.each([
    ['', '(path #1)', 'must not be empty: name a path inside the mount, such as "apps/db"'],
    ['/apps/a', '/apps/a', 'must not start or end with "/": paths are relative to the mount "homelab", write "apps/a"'],
    ['apps/a/', 'apps/a/', 'must not start or end with "/": paths are relative to the mount "homelab", write "apps/a"'],
    ['apps//a', 'apps//a', 'must not contain "//": separate segments with one "/", write "apps/a"'],
    ['apps/./a', 'apps/./a', 'must not contain a "." or ".." segment: Vault does not resolve them, write "apps/a"'],
    ['apps/../a', 'apps/../a', 'must not contain a "." or ".." segment: Vault does not resolve them, write "apps/a"'],
    ['data/apps/a', 'data/apps/a', 'must not contain a "data" segment: ESO and the policies add "data/" and "metadata/" themselves, write "apps/a"'],
    ['apps/metadata/a', 'apps/metadata/a', 'must not contain a "metadata" segment: ESO and the policies add "data/" and "metadata/" themselves, write "apps/a"'],
    ['homelab/apps/a', 'homelab/apps/a', 'must not start with the mount "homelab/": paths are relative to the mount, write "apps/a"'],
    ['apps/a b', 'apps/a b', 'must not contain whitespace, control or invisible characters: use "-" or "_" instead, write "apps/a-b"'],
    // The row shows the control character escaped, as the value does: a message stays one line.
    ['apps/a\u0007', 'apps/a\\u0007', 'must not contain whitespace, control or invisible characters: use "-" or "_" instead, write "apps/a"'],
    ['apps/café', 'apps/café', 'must not contain "é": path segments use only letters, digits, ".", "_", "-" and "@", which Vault, ESO, the policies, Terraform and a shell all take as they are, write "apps/cafe"'],
    ['apps/a%20b', 'apps/a%20b', 'must not contain "%": path segments use only letters, digits, ".", "_", "-" and "@", which Vault, ESO, the policies, Terraform and a shell all take as they are, write "apps/a-20b"'],
    ['apps/a?x#y', 'apps/a?x#y', 'must not contain "?", "#": path segments use only letters, digits, ".", "_", "-" and "@", which Vault, ESO, the policies, Terraform and a shell all take as they are, write "apps/a-x-y"'],
    ['apps/a:b,c', 'apps/a:b,c', 'must not contain ":", ",": path segments use only letters, digits, ".", "_", "-" and "@", which Vault, ESO, the policies, Terraform and a shell all take as they are, write "apps/a-b-c"'],
    ['apps/*', 'apps/*', 'must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own'],
    ['apps/+/a', 'apps/+/a', 'must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own'],
    ['apps/"a"', 'apps/"a"', 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax: rename the path without them, write "apps/a"'],
    ['apps/${var.x}', 'apps/${var.x}', 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax: rename the path without them, write "apps/var.x"'],
    ['apps/%{if}', 'apps/%{if}', 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax: rename the path without them, write "apps/if"'],
    ['apps\\a', 'apps\\a', 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax: rename the path without them, write "apps-a"'],
  ])('6. the bad Vault path %j', (path, row, rule) => {
    expect(messages((c) => {
      c.path(path, ['k']).syncTo({ name: 'x', namespace: 'arr' });
    })).toStrictEqual([`${row}: path ${JSON.stringify(path)} ${rule}`]);
  });

  test('6. a path breaking several rules reports each', () => {
    expect(messages((c) => {
      c.path('/homelab/data/*', ['k']).syncTo({ name: 'x', namespace: 'arr' });
    })).toStrictEqual([
      '/homelab/data/*: path "/homelab/data/*" must not start or end with "/": paths are relative to the mount "homelab"',
      '/homelab/data/*: path "/homelab/data/*" must not contain a "data" segment: ESO and the policies add "data/" and "metadata/" themselves',
      '/homelab/data/*: path "/homelab/data/*" must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own',
    ]);
  });

  test.each([
    ['', 'must be the name of the KV v2 mount, such as "secrets"'],
    ['homelab/data', 'must be a bare mount name without "/" (ESO adds "data/" itself)'],
    ['data', 'must not be "data", the segment KV v2 inserts itself'],
    ['sys', 'is reserved by Vault (sys, auth, identity, cubbyhole)'],
    ['auth', 'is reserved by Vault (sys, auth, identity, cubbyhole)'],
    ['identity', 'is reserved by Vault (sys, auth, identity, cubbyhole)'],
    ['cubbyhole', 'is reserved by Vault (sys, auth, identity, cubbyhole)'],
    ['home lab', 'must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax'],
    ['${mount}', 'must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax'],
  ])('7. the bad mount %j', (mount, rule) => {
    expect(messages((c) => {
      c.path('apps/a', ['k']).syncTo({ name: 'x', namespace: 'arr' });
    }, { mount })).toStrictEqual([`mount: mount ${JSON.stringify(mount)} ${rule}`]);
  });

  test('8. refreshInterval must be a Go duration, and zero only on request', () => {
    expect(messages((c) => {
      const path = c.path('apps/a', ['k']);
      path.syncTo({ name: 'hourly', namespace: 'arr', refreshInterval: 'hourly' });
      path.syncTo({ name: 'negative', namespace: 'arr', refreshInterval: '-1h' });
      path.syncTo({ name: 'zero', namespace: 'arr', refreshInterval: '0' });
      path.syncTo({ name: 'zero-s', namespace: 'arr', refreshInterval: '0s' });
      path.syncTo({ name: 'zero-ok', namespace: 'arr', refreshInterval: '0s', allowZeroRefreshInterval: true });
      path.syncTo({ name: 'mixed', namespace: 'arr', refreshInterval: '1h30m' });
      path.syncTo({ name: 'fraction', namespace: 'arr', refreshInterval: '1.5h' });
    })).toStrictEqual([
      `apps/a → hourly in arr: refreshInterval "hourly" ${DURATION}`,
      `apps/a → negative in arr: refreshInterval "-1h" ${DURATION}`,
      'apps/a → zero in arr: refreshInterval "0" means "sync once" and makes ESO ignore forced syncs; set allowZeroRefreshInterval: true if that is intended',
      'apps/a → zero-s in arr: refreshInterval "0s" means "sync once" and makes ESO ignore forced syncs; set allowZeroRefreshInterval: true if that is intended',
    ]);
  });

  test('9. a path with no keys and a path with no sync target', () => {
    expect(messages((c) => {
      c.path('apps/empty', []).syncTo({ name: 'empty', namespace: 'arr' });
      c.path('apps/orphan', ['k']);
    })).toStrictEqual([
      'apps/empty: keys [] must declare at least one key',
      'apps/orphan: targets [] must name at least one sync target: add one with syncTo(); or, if only operators and other tools read the path, declare it with { readBy: "operators" }; or remove the path',
    ]);
  });

  test('10. bad store settings', () => {
    expect(messages((c) => {
      c.path('apps/a', ['k']).syncTo({ name: 'x', namespace: 'arr' });
    }, { eso: { role: '' }, vaultRole: { audience: 'https://kubernetes.default.svc' } })).toStrictEqual([
      'store: role "" must be a Vault role name (^\\w([\\w.@-]*\\w)?$)',
      'vault role: audience "https://kubernetes.default.svc" must equal the store\'s audience "vault": Vault refuses tokens minted for another audience',
    ]);
  });

  test('every mistake is reported at once, and assertValid throws them as one readable list', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'sys' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'A', namespace: 'arr', refreshInterval: 'soon' });

    // WHEN
    const thrown = (() => {
      try {
        catalog.assertValid();
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    // THEN
    expect(thrown).toBeInstanceOf(CatalogValidationError);
    expect((thrown as CatalogValidationError).message).toBe([
      '3 errors in the secret catalog and its settings:',
      '  - mount: mount "sys" is reserved by Vault (sys, auth, identity, cubbyhole)',
      `  - apps/a → A in arr: name "A" ${SUBDOMAIN}`,
      `  - apps/a → A in arr: refreshInterval "soon" ${DURATION}`,
    ].join('\n'));
    expect((thrown as CatalogValidationError).issues[1]).toStrictEqual({
      row: 'apps/a → A in arr',
      field: 'name',
      value: 'A',
      rule: SUBDOMAIN,
      message: `apps/a → A in arr: name "A" ${SUBDOMAIN}`,
    });
  });

  test('one error reads in the singular', () => {
    expect(formatIssues([{ row: 'r', field: 'f', value: 1, rule: 'x', message: 'r: f 1 x' }])).toBe(
      '1 error in the secret catalog and its settings:\n  - r: f 1 x',
    );
  });
});
