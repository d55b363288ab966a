import { type EsoIdentity, SecretCatalog, resolveDeclaration, validateDeclaration } from '../../lib/catalog';
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { IDENTITY_FIXTURE_EXPECTATIONS, identityFixtureCatalog } from '../support/identity-fixtures';

/** What a JavaScript caller can pass: no type checking at all. */
type Untyped = any;

function messages(declare: (catalog: SecretCatalog) => void, props: Untyped = { mount: 'kv' }): string[] {
  const catalog = new SecretCatalog(props);
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

describe('identities', () => {
  test('an identity brings its store, the ServiceAccount it logs in as, its role and a policy named after it', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'kv' });

    // WHEN
    const media = catalog.identity('media', { store: { kind: 'SecretStore', namespaces: ['media', 'downloads'] } });
    const metrics = catalog.identity('metrics', { store: { kind: 'ClusterSecretStore', name: 'vault-metrics', namespaces: ['monitoring'] }, role: 'metrics-reader', audience: 'openbao', tokenTtlSeconds: 60 });

    // THEN the documented defaults
    expect({ ...media }).toStrictEqual({
      name: 'media',
      origin: { kind: 'declared' },
      store: { kind: 'SecretStore', name: 'media', namespaces: ['downloads', 'media'] },
      serviceAccount: { name: 'media', create: true },
      role: 'media',
      policyName: 'kv-eso-read-media',
      audience: 'vault',
      tokenTtlSeconds: 900,
      cluster: { name: 'default', authMountPath: 'kubernetes' },
    });
    expect([media.boundNamespaces, metrics.boundNamespaces]).toStrictEqual([['downloads', 'media'], ['external-secrets']]);
    // A ClusterSecretStore logs in as ESO's own ServiceAccount unless told otherwise, and does not write it.
    expect([metrics.serviceAccount, metrics.role, metrics.audience, metrics.tokenTtlSeconds]).toStrictEqual([
      { name: 'external-secrets', namespace: 'external-secrets', create: false }, 'metrics-reader', 'openbao', 60,
    ]);
    expect(catalog.identity('legacy', { store: { kind: 'SecretStore', namespaces: ['x'] }, serviceAccount: { name: 'default' } }).serviceAccount).toStrictEqual({ name: 'default', create: false });
  });

  test('each target reads through the identity it names, or the catalog\'s default; each policy reads exactly its targets\' paths', () => {
    // GIVEN the fixture: four declared identities and the default one
    const catalog = identityFixtureCatalog();

    // WHEN / THEN
    expect(catalog.validate()).toStrictEqual([]);
    expect(catalog.identities.map((i) => i.name)).toStrictEqual(['external-secrets', 'sonarr', 'radarr', 'arr-shared', 'observability']);
    for (const identity of catalog.identities) {
      const expected = IDENTITY_FIXTURE_EXPECTATIONS[identity.name];
      expect([identity.name, identity.role, identity.policyName, catalog.pathsReadBy(identity).sort()])
        .toStrictEqual([identity.name, expected.role, expected.policy, [...expected.paths]]);
    }
    // The default (cluster) identity's store admits exactly the namespaces of the targets that take it.
    const fallback = catalog.identities[0];
    expect([fallback.origin, fallback.store]).toStrictEqual([{ kind: 'isolation', isolation: 'cluster' }, { kind: 'ClusterSecretStore', name: 'vault-backend', namespaces: ['apps'] }]);
    expect(catalog.targets.map((t) => `${t.namespace}/${t.name} → ${catalog.identityOf(t).name}`)).toStrictEqual([
      'media/sonarr → sonarr', 'media/radarr → radarr', 'media/indexer → arr-shared', 'downloads/indexer → arr-shared', 'downloads/sabnzbd → arr-shared',
      'monitoring/grafana-admin → observability', 'logging/loki-s3 → observability', 'monitoring/alertmanager-smtp → observability',
      'apps/app-smtp → external-secrets', 'apps/db → external-secrets',
    ]);
  });

  test('namespace isolation stays a shorthand: one identity per namespace, named after its role', () => {
    const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });
    catalog.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'web' });
    catalog.path('a/y', ['k']).syncTo({ name: 'y', namespace: 'jobs' });
    const declared = catalog.identity('special', { store: { kind: 'SecretStore', name: 'vault-special', namespaces: ['web'] } });
    catalog.path('a/z', ['k']).syncTo({ name: 'z', namespace: 'web', identity: declared });
    expect(catalog.validate()).toStrictEqual([]);
    expect(catalog.identities.map((i) => [i.name, i.origin, i.store.name, i.store.namespaces, i.serviceAccount.name, i.role, i.policyName])).toStrictEqual([
      ['external-secrets-jobs', { kind: 'isolation', isolation: 'namespace', namespace: 'jobs' }, 'vault-backend', ['jobs'], 'vault-backend', 'external-secrets-jobs', 'kv-eso-read-jobs'],
      ['external-secrets-web', { kind: 'isolation', isolation: 'namespace', namespace: 'web' }, 'vault-backend', ['web'], 'vault-backend', 'external-secrets-web', 'kv-eso-read-web'],
      ['special', { kind: 'declared' }, 'vault-special', ['web'], 'vault-special', 'special', 'kv-eso-read-special'],
    ]);
    expect(catalog.identities.map((i) => catalog.pathsReadBy(i))).toStrictEqual([['a/y'], ['a/x'], ['a/z']]);
  });

  test('the compiler refuses an identity whose store does not serve the target\'s namespace', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const media = catalog.identity('media', { store: { kind: 'SecretStore', namespaces: ['media', 'downloads'] } });
    const metrics = catalog.identity('metrics', { store: { kind: 'ClusterSecretStore', namespaces: ['monitoring'] } });
    const path = catalog.path('apps/x', ['k']);
    path.syncTo({ name: 'a', namespace: 'media', identity: media });
    path.syncTo({ name: 'b', namespace: 'downloads', identity: media });
    // @ts-expect-error the store of "media" is not in namespace "monitoring"
    path.syncTo({ name: 'c', namespace: 'monitoring', identity: media });
    // @ts-expect-error the ClusterSecretStore of "metrics" admits "monitoring" only
    catalog.addTarget({ name: 'd', namespace: 'media', identity: metrics, sources: [path.select()] });
    // A namespace the compiler cannot know is checked by validate().
    const computed: string = ['monit', 'oring'].join('');
    path.syncTo({ name: 'e', namespace: computed, identity: media });
    expect(catalog.validate().map((issue) => issue.message)).toStrictEqual([
      'apps/x → c in monitoring: identity "media" cannot serve namespace "monitoring": its SecretStore is in "downloads", "media" only; add the namespace to its store, or name another identity',
      'apps/x → d in media: identity "metrics" cannot serve namespace "media": its ClusterSecretStore\'s conditions admit "monitoring" only; add the namespace to its store, or name another identity',
      'apps/x → e in monitoring: identity "media" cannot serve namespace "monitoring": its SecretStore is in "downloads", "media" only; add the namespace to its store, or name another identity',
    ]);
  });

  test('every mistake in an identity is named with its row, field and value', () => {
    expect(messages((c) => {
      const odd = c.identity('Odd_Name', {
        store: { kind: 'Vault' as Untyped, name: 'Bad Store', namespaces: [] },
        serviceAccount: { name: 'default', create: true },
        role: 'a b',
        audience: '${x}',
        tokenTtlSeconds: 0,
      });
      c.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'n', identity: odd as Untyped });
      const cluster = c.identity('cluster-ca', {
        store: { kind: 'ClusterSecretStore', namespaces: ['n'], trust: { configMap: { name: 'ca' } } },
        serviceAccount: { name: 'external-secrets', namespace: 'external-secrets', create: true },
      });
      c.path('a/y', ['k']).syncTo({ name: 'y', namespace: 'n', identity: cluster });
      const namespaced = c.identity('ns-ca', {
        store: { kind: 'SecretStore', namespaces: ['n'], trust: { secret: { name: 'ca', namespace: 'vault', key: 'ca crt' } } },
        serviceAccount: { name: 'eso', namespace: 'elsewhere' },
      });
      c.path('a/z', ['k']).syncTo({ name: 'z', namespace: 'n', identity: namespaced });
      c.identity('unused', { store: { kind: 'SecretStore', namespaces: ['n'] } });
    })).toStrictEqual([
      'a/x → x in n: identity "Odd_Name" cannot serve namespace "n": its store serves no namespace; add the namespace to its store, or name another identity',
      'identity Odd_Name: name "Odd_Name" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
      'identity Odd_Name: store.kind "Vault" must be "SecretStore" (one in each of its namespaces) or "ClusterSecretStore" (limited to its namespaces)',
      'identity Odd_Name: store.name "Bad Store" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'identity Odd_Name: store.namespaces [] must name at least one namespace, such as ["media"]',
      'identity Odd_Name: serviceAccount.create true would write the namespace\'s own "default" ServiceAccount, which every pod without one runs as: set create: false to log in as the existing one',
      'identity Odd_Name: role "a b" must be a Vault role name (^\\w([\\w.@-]*\\w)?$)',
      'identity Odd_Name: audience "${x}" must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax',
      'identity Odd_Name: tokenTtlSeconds 0 must be a whole number of seconds from 1 to 9223372036 (Vault keeps a duration in 64-bit nanoseconds)',
      'identity cluster-ca: store.trust.configMap.namespace undefined must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters: a ClusterSecretStore must name the namespace of its CA',
      'identity cluster-ca: serviceAccount.create true would write ESO\'s own ServiceAccount external-secrets/external-secrets, which its chart creates: set create: false',
      'identity ns-ca: store.trust.secret.key "ca crt" must match ^[-._a-zA-Z0-9]+$',
      'identity ns-ca: store.trust.secret.namespace "vault" must not be set for a SecretStore: ESO reads the CA from the store\'s own namespace only',
      'identity ns-ca: serviceAccount.namespace "elsewhere" must not be set for a SecretStore: it logs in as the ServiceAccount of that name in each of its namespaces',
      'identity unused: targets [] must be named by at least one target: its policy would read nothing; name it in a target\'s identity, or remove it',
    ]);
  });

  test('identities must not share a name, a policy, a role, a store, or disagree about a ServiceAccount', () => {
    expect(messages((c) => {
      const a = c.identity('a', { store: { kind: 'SecretStore', name: 'vault', namespaces: ['n'] }, role: 'shared', serviceAccount: { name: 'eso' } });
      const b = c.identity('b', { store: { kind: 'SecretStore', name: 'vault', namespaces: ['n'] }, role: 'shared', serviceAccount: { name: 'eso', create: false } });
      const web = c.identity('web', { store: { kind: 'ClusterSecretStore', name: 'vault-backend', namespaces: ['n'] }, role: 'external-secrets' });
      c.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'n', identity: a });
      c.path('a/y', ['k']).syncTo({ name: 'y', namespace: 'n', identity: b });
      c.path('a/z', ['k']).syncTo({ name: 'z', namespace: 'n', identity: web });
      c.path('a/w', ['k']).syncTo({ name: 'w', namespace: 'web' });
    }, { mount: 'kv', isolation: 'namespace' })).toStrictEqual([
      'identity b: store "vault" is already the store of identity a: give one of them another',
      'identity b: serviceAccount.create false contradicts identity a, which says create: true for the same ServiceAccount n/eso: say the same in both',
      'identity b: role "shared" is already the role of identity a: give one of them another',
      'identity web: policy "kv-eso-read-web" is already the policy of identity external-secrets-web: give one of them another',
    ]);
  });

  test('a declared identity that says a ServiceAccount the shorthand writes exists is told so', () => {
    expect(messages((c) => {
      const special = c.identity('special', { store: { kind: 'SecretStore', namespaces: ['web'] }, serviceAccount: { name: 'vault-backend', create: false } });
      c.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'web' });
      c.path('a/y', ['k']).syncTo({ name: 'y', namespace: 'web', identity: special });
    }, { mount: 'kv', isolation: 'namespace' })).toStrictEqual([
      'identity special: serviceAccount.create false contradicts identity external-secrets-web, which says create: true for the same ServiceAccount web/vault-backend: say the same in both',
    ]);
  });

  test('a store names what it trusts, and the settings decide for the others: the CA of Vault\'s TLS Secret, or the system CAs', () => {
    // GIVEN one identity per kind of trust
    const catalog = new SecretCatalog({ mount: 'kv' });
    const declare = (name: string, kind: 'SecretStore' | 'ClusterSecretStore', trust?: Untyped): EsoIdentity => {
      const identity = catalog.identity(name, { store: { kind, namespaces: ['n'], ...(trust ? { trust } : {}) } });
      catalog.path(`a/${name}`, ['k']).syncTo({ name, namespace: 'n', identity });
      return identity;
    };
    declare('ns-default', 'SecretStore');
    declare('cluster-default', 'ClusterSecretStore');
    declare('ns-system', 'SecretStore', 'system');
    declare('ns-secret', 'SecretStore', { secret: { name: 'my-ca' } });
    declare('cluster-configmap', 'ClusterSecretStore', { configMap: { name: 'root-ca', key: 'root.pem', namespace: 'cert-manager' } });

    // WHEN
    const caOf = (settings: Untyped) => resolveDeclaration({ catalog, settings }).identities.map((r) => [r.identity.name, r.caProvider]);

    // THEN
    expect(caOf(FIXTURE_SETTINGS)).toStrictEqual([
      ['ns-default', { type: 'ConfigMap', name: 'vault-tls-ca', key: 'ca.crt' }],
      ['cluster-default', { type: 'Secret', name: 'vault-tls', namespace: 'vault', key: 'ca.crt' }],
      ['ns-system', undefined],
      ['ns-secret', { type: 'Secret', name: 'my-ca', key: 'ca.crt' }],
      ['cluster-configmap', { type: 'ConfigMap', name: 'root-ca', key: 'root.pem', namespace: 'cert-manager' }],
    ]);
    const outside = { ...FIXTURE_SETTINGS, components: { vault: false }, vault: { address: 'https://vault.example.com', tls: { storeTrust: 'system' } } };
    expect(caOf(outside).map(([, ca]) => ca)).toStrictEqual([
      undefined, undefined, undefined, { type: 'Secret', name: 'my-ca', key: 'ca.crt' }, { type: 'ConfigMap', name: 'root-ca', key: 'root.pem', namespace: 'cert-manager' },
    ]);
  });

  test('plain HTTP only on request, and a store\'s own trust means nothing then', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const pinned = catalog.identity('pinned', { store: { kind: 'SecretStore', namespaces: ['n'], trust: 'system' } });
    catalog.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'n', identity: pinned });
    const outside = (vault: Untyped) => validateDeclaration({ catalog, settings: { components: { vault: false }, vault } }).map((i) => i.message);
    expect(outside({ address: 'http://vault.lan:8200' })).toStrictEqual([
      'settings.vault: address "http://vault.lan:8200" is plain HTTP, where ESO\'s token and every secret value cross the network in clear text: use https://, or opt in with tls: { disabled: true } (docs/security.md)',
    ]);
    expect(outside({ address: 'http://vault.lan:8200', tls: { disabled: true } })).toStrictEqual([
      'identity pinned: store.trust "system" has no effect over plain HTTP (settings.vault.tls.disabled): remove it, or serve Vault over https://',
    ]);
    expect(outside({ address: 'https://vault.lan:8200', tls: { disabled: true, storeTrust: 'system' } })).toStrictEqual([
      'settings.vault.tls: storeTrust "system" has no effect over plain HTTP: remove it, or remove disabled: true',
      'settings.vault.tls: disabled true contradicts the https:// address "https://vault.lan:8200": remove it',
    ]);
  });

  test('a JavaScript caller\'s identity that is no identity, or another catalog\'s, is refused', () => {
    const other = new SecretCatalog({ mount: 'kv' }).identity('x', { store: { kind: 'SecretStore', namespaces: ['n'] } });
    expect(messages((c) => {
      c.path('a/x', ['k']).syncTo({ name: 'x', namespace: 'n', identity: 'x' as Untyped });
      c.path('a/y', ['k']).syncTo({ name: 'y', namespace: 'n', identity: other });
      c.identity('bad', { store: { kind: 'SecretStore', namespaces: ['n'], owner: 'me' } as Untyped, serviceAccount: { name: 'sa', automount: true } as Untyped, policy: 'p' } as Untyped);
    })).toStrictEqual([
      'a/x → x in n: identity "x" must be an identity made by catalog.identity()',
      'identity bad: option "policy" is not an option of identity() options (known: store, serviceAccount, role, audience, tokenTtlSeconds)',
      'identity bad: option "owner" is not an option of the store options (known: kind, name, namespaces, trust)',
      'identity bad: option "automount" is not an option of the serviceAccount options (known: name, namespace, create)',
      'a/y → y in n: identity "x" is not an identity of this catalog: declare it with this catalog\'s identity()',
      'identity bad: targets [] must be named by at least one target: its policy would read nothing; name it in a target\'s identity, or remove it',
    ]);
  });
});

describe('one path read by several identities', () => {
  /** Two declared identities, `media` and `tools`, each a SecretStore in its own namespace. */
  function two(c: SecretCatalog): { media: EsoIdentity<'media'>; tools: EsoIdentity<'tools'> } {
    return {
      media: c.identity('media', { store: { kind: 'SecretStore', namespaces: ['media'] } }),
      tools: c.identity('tools', { store: { kind: 'SecretStore', namespaces: ['tools'] } }),
    };
  }

  test('different keys are refused, naming both identities, their targets and the keys; a whole-path extract counts as every key', () => {
    expect(messages((c) => {
      const { media, tools } = two(c);
      const api = c.path('apps/api', ['token', 'admin']);
      c.addTarget({ name: 'all', namespace: 'media', identity: media, sources: [api.extractAll()] });
      api.syncTo({ name: 'token', namespace: 'tools', identity: tools, keys: ['token'], renames: { token: 'TOKEN' } });
      api.syncTo({ name: 'token-too', namespace: 'tools', identity: tools, keys: ['token'] });
    })).toStrictEqual([
      'apps/api: identitiesRead "same-keys" is broken: identity media (apps/api → all in media) reads "token", "admin", but identity tools (apps/api → token in tools; apps/api → token-too in tools) reads "token"; ' +
      'Vault grants whole paths, so each of them can read every key of the path ("token", "admin"). ' +
      'Split the path so that each identity reads a path of its own, or declare it with { identitiesRead: "whole-path" } to grant the whole path knowingly (docs/isolation.md)',
    ]);
  });

  test('the same keys, one identity, or identitiesRead: whole-path are fine; another value is refused', () => {
    expect(messages((c) => {
      const { media, tools } = two(c);
      const same = c.path('apps/same', ['token', 'admin']);
      same.syncTo({ name: 'a', namespace: 'media', identity: media, keys: ['admin', 'token'] });
      c.addTarget({ name: 'b', namespace: 'tools', identity: tools, sources: [same.extractAll()] });
      const split = c.path('apps/split', ['token', 'admin'], { identitiesRead: 'whole-path' });
      split.syncTo({ name: 'c', namespace: 'media', identity: media, keys: ['admin'] });
      split.syncTo({ name: 'd', namespace: 'tools', identity: tools, keys: ['token'] });
      const one = c.path('apps/one', ['token', 'admin']);
      one.syncTo({ name: 'e', namespace: 'media', identity: media, keys: ['admin'] });
      one.syncTo({ name: 'f', namespace: 'media', identity: media, keys: ['token'] });
      c.path('apps/typo', ['k'], { identitiesRead: 'all' as never }).syncTo({ name: 'g', namespace: 'media', identity: media });
    })).toStrictEqual([
      'apps/typo: identitiesRead "all" must be "same-keys" (every identity reads the same keys of the path) or "whole-path" (identities read different keys, and each is granted all of them)',
    ]);
  });
});
