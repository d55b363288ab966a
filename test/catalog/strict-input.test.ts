import { SecretCatalog, resolveDeclaration, validateDeclaration } from '../../lib/catalog';
import { optionNames } from '../../lib/catalog/options';
import { FIXTURE_SETTINGS } from '../support/fixtures';

/** What a JavaScript caller can pass: no type checking at all. */
type Untyped = any;

function messages(declare: (catalog: Untyped) => void, props: Untyped = { mount: 'kv' }): string[] {
  const catalog = new SecretCatalog(props);
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

const TARGET_OPTIONS = 'name, namespace, identity, externalSecretName, creationPolicy, deletionPolicy, refreshInterval, allowZeroRefreshInterval, reloaderMatch, type, labels, annotations, template, templateMergePolicy';

describe('strict input for JavaScript callers', () => {
  test('each list of known option names is checked against its interface by the compiler', () => {
    interface Demo { readonly a?: string; readonly b: number }
    expect(optionNames<Demo>({ a: true, b: true })).toStrictEqual(['a', 'b']);
    // @ts-expect-error b, an option of Demo, is missing from the list
    optionNames<Demo>({ a: true });
    // @ts-expect-error c is not an option of Demo
    optionNames<Demo>({ a: true, b: true, c: true });
  });

  test('an unknown option of syncTo() is named, with the known ones, instead of being ignored', () => {
    expect(messages((c) => {
      c.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps', immutable: true, refreshIntervall: '5m' });
    })).toStrictEqual([
      `apps/db → db in apps: option "immutable" is not an option of syncTo() options (known: ${TARGET_OPTIONS}, keys, renames)`,
      `apps/db → db in apps: option "refreshIntervall" is not an option of syncTo() options (known: ${TARGET_OPTIONS}, keys, renames)`,
    ]);
  });

  test('unknown options of addTarget(), select(), path() and the catalog itself are named too', () => {
    expect(messages((c) => {
      const db = c.path('apps/db', ['user'], { descripton: 'typo' });
      c.addTarget({ name: 'db', namespace: 'apps', sources: [db.select({ key: ['user'] })], owner: 'me' });
    }, { mount: 'kv', eso: { server: 'http://vault:8200' }, vaultRole: { ttl: 60 }, isolate: 'namespace' })).toStrictEqual([
      'catalog: option "isolate" is not an option of new SecretCatalog() (known: mount, eso, vaultRole, isolation)',
      'store: option "server" is not an option of the eso settings (known: storeName, authMountPath, role, audience, serviceAccountName, serviceAccountNamespace)',
      'vault role: option "ttl" is not an option of the vaultRole settings (known: audience, tokenTtlSeconds)',
      'apps/db: option "descripton" is not an option of path() options (known: description, readBy, origins, identitiesRead)',
      'apps/db: option "key" is not an option of select() options (known: keys, renames)',
      `apps/db → db in apps: option "owner" is not an option of addTarget() options (known: ${TARGET_OPTIONS}, sources)`,
    ]);
  });

  test('syncTo() refuses sources, and says how to feed a Secret from several paths', () => {
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo({ name: 'a', namespace: 'apps', sources: [] });
    })).toStrictEqual([
      'apps/a → a in apps: option "sources" is not an option of syncTo() options: to feed one Secret from several paths use catalog.addTarget({ sources })',
    ]);
  });

  test('null keys, a number as a path, and a missing mount are catalog errors, not TypeErrors', () => {
    expect(messages((c) => {
      c.path('apps/a', null).syncTo({ name: 'a', namespace: 'apps' });
      c.path(42, ['k']).syncTo({ name: 'b', namespace: 'apps' });
    }, {})).toStrictEqual([
      'mount: mount undefined must be the name of the KV v2 mount, such as "secrets"',
      'apps/a: keys null must be an array of key names, such as ["user", "password"]',
      '(path #2): path 42 must be a string: a path inside the mount, such as "apps/db"',
    ]);
  });

  test('a wrongly typed target is reported, not thrown', () => {
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo(null);
      a.syncTo({ name: 7, namespace: 'apps', labels: 'x', template: 'not a function' });
      c.addTarget({ name: 'c', namespace: 'apps', sources: 'apps/a' });
      c.addTarget({ name: 'd', namespace: 'apps', sources: [{ path: 'apps/a' }] });
      a.select({ keys: 'k', renames: 3 });
    })).toStrictEqual([
      'apps/a → undefined in undefined: syncTo() options null must be an object',
      'apps/a → 7 in apps: labels "x" must be an object of names to string values',
      'apps/a → 7 in apps: template "not a function" must be a function from key references to templated values',
      '(no source) → c in apps: sources "apps/a" must be an array of path.select() or path.extractAll() sources',
      '(no source) → d in apps: sources[0] {"path":"apps/a"} must come from path.select() or path.extractAll()',
      'apps/a: keys "k" must be an array of keys of "apps/a"',
      'apps/a: renames 3 must be an object of Vault key to Secret key',
      'apps/a → undefined in undefined: name undefined must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'apps/a → undefined in undefined: namespace undefined must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
      'apps/a → 7 in apps: name 7 must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      '(no source) → c in apps: sources [] must name at least one Vault path',
      '(no source) → d in apps: sources [] must name at least one Vault path',
    ]);
  });

  test('settings: unknown names and wrong types are listed with the catalog\'s issues', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
    const settings: Untyped = {
      kms: { region: 'us-east-1', keyAlias: 'alias/x' },
      vault: { storageClass: 'Fast SSD', storageSize: 10, ingress: { hostname: 'vault.lan' } },
      argocd: { namespace: 'Argo' },
      terraform: { stateBackend: { kind: 'gcs' } },
      fluxcd: true,
    };

    // WHEN
    const issues = validateDeclaration({ catalog, settings }).map((issue) => issue.message);

    // THEN
    expect(issues).toStrictEqual([
      'settings: option "fluxcd" is not an option of the settings (known: kms, gitops, components, vault, argocd, flux, terraform)',
      'settings.kms: option "keyAlias" is not an option of settings.kms (known: region, alias, iamUserName, secretName)',
      'settings.vault: storageClass "Fast SSD" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'settings.vault: storageSize 10 must be a Kubernetes quantity such as "5Gi" or "500Mi"',
      'settings.vault.ingress: option "hostname" is not an option of settings.vault.ingress (known: host, className, tlsSecretName, annotations)',
      'settings.vault.ingress: host undefined must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'settings.argocd: namespace "Argo" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
      'settings.terraform.stateBackend: kind "gcs" must be "local" or "s3"',
    ]);
  });

  test('missing settings are one issue, and a valid declaration resolves with the store address derived from the Vault install', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
    expect(validateDeclaration({ catalog, settings: undefined as Untyped }).map((i) => i.message)).toStrictEqual([
      'settings: the settings undefined must be an object',
    ]);
    const resolved = resolveDeclaration({ catalog, settings: { ...FIXTURE_SETTINGS, vault: { namespace: 'secrets', releaseName: 'bao' } } });
    expect(resolved.identities.map((i) => i.server)).toStrictEqual(['https://bao.secrets.svc:8200']);
    expect(resolved.settings.kms).toStrictEqual({
      region: 'us-east-1', alias: 'alias/vault-unseal', iamUserName: 'vault-unseal', secretName: 'vault-aws-kms', secretNamespace: 'secrets',
    });
  });
});
