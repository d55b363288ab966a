import { type PlatformSettings, SecretCatalog, external, generated, validateDeclaration } from '../../lib/catalog';
import { renderSecretsDoc } from '../../lib/docs';
import { manifestsPart } from '../../lib/k8s';
import { crdSchemaErrors } from '../support/crd-schema';
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { manifestObjects, synthPartToTree } from '../support/synth';

/** What a JavaScript caller can pass: no type checking at all. */
type Untyped = any;

function messages(declare: (catalog: Untyped) => void, props: Untyped = { mount: 'kv' }): string[] {
  const catalog = new SecretCatalog(props);
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

class TargetOptions {
  constructor(public readonly name: string, public readonly namespace: string) {}
}

const throwing = (): never => {
  throw new Error('the getter ran');
};

describe('JavaScript\'s oddities are catalog errors that show the value', () => {
  test('inherited options, a class instance, a getter that throws, a Proxy, a Symbol key: reported, nothing of the caller\'s runs', () => {
    const defaults = { namespace: 'apps', deletionPolicy: 'Delete' };
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo(Object.assign(Object.create(defaults), { name: 'inherits' }));
      a.syncTo(new TargetOptions('instance', 'apps'));
      a.syncTo({ namespace: 'apps', get name() { return throwing(); } });
      a.syncTo(new Proxy({ name: 'proxied', namespace: 'apps' }, { get: throwing, ownKeys: throwing }));
      a.syncTo({ name: 'symbol', namespace: 'apps', [Symbol('x')]: 1 });
    })).toStrictEqual([
      'apps/a → inherits in undefined: syncTo() options {"name":"inherits"} inheriting {"namespace":"apps","deletionPolicy":"Delete"} inherits "namespace", "deletionPolicy" from its prototype, and only an object\'s own properties are read: spread them in ({ ...defaults, ... })',
      'apps/a → instance in apps: syncTo() options TargetOptions {"name":"instance","namespace":"apps"} must be a plain object ({ ... }), not an instance of TargetOptions',
      'apps/a → a getter in apps: name a getter must be a plain value: the library reads data and runs no getter',
      'apps/a → undefined in undefined: syncTo() options a Proxy must be plain data: a Proxy is not read, its traps could run any code',
      'apps/a → symbol in apps: syncTo() options key Symbol(x) must be a string: option, key and label names are strings, never Symbols',
      'apps/a → inherits in undefined: namespace undefined must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
      'apps/a → undefined in undefined: name undefined must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'apps/a → undefined in undefined: namespace undefined must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
    ]);
  });

  test('NaN, Infinity, -0 and BigInt where a whole number belongs; arrays where objects belong and the reverse', () => {
    expect(messages((c) => {
      const nan = c.identity('nan', { store: { kind: 'SecretStore', namespaces: ['apps'] }, tokenTtlSeconds: NaN });
      c.path('apps/a', { 0: 'k' }).syncTo({ name: 'a', namespace: 'apps', labels: ['x'], annotations: new Map([['a', 'b']]) });
      c.path('apps/b', ['k'], { origins: { k: generated({ length: -0 }) } }).syncTo({ name: 'b', namespace: 'apps', identity: nan });
      c.path('apps/c', ['k'], { origins: { k: generated({ bytes: 10n as never, encoding: 'hex' }) } }).syncTo({ name: 'c', namespace: 'apps' });
      c.path('apps/d', ['k'], { origins: { k: generated({ length: Infinity }) } }).syncTo({ name: 'd', namespace: 'apps' });
    }, { mount: 'kv', vaultRole: { tokenTtlSeconds: -0 } })).toStrictEqual([
      'apps/a → a in apps: labels ["x"] must be an object of names to string values',
      'apps/a → a in apps: annotations Map {} must be a plain object ({ ... }), not an instance of Map',
      'vault role: tokenTtlSeconds -0 must be a whole number of seconds from 1 to 9223372036 (Vault keeps a duration in 64-bit nanoseconds)',
      'apps/a: keys {"0":"k"} must be an array of key names, such as ["user", "password"]',
      'apps/b: origins.k.length -0 must be a whole number from 1 to 4096',
      'apps/c: origins.k.bytes 10n must be a whole number from 1 to 4096',
      'apps/d: origins.k.length Infinity must be a whole number from 1 to 4096',
      'identity nan: tokenTtlSeconds NaN must be a whole number of seconds from 1 to 9223372036 (Vault keeps a duration in 64-bit nanoseconds)',
    ]);
  });

  test('a getter in generated() options, a Proxy of keys, a throwing getter in the settings: reported, never run', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/a', new Proxy(['k'], { get: throwing }) as Untyped).syncTo({ name: 'a', namespace: 'apps' });
    catalog.path('apps/b', ['k'], { origins: { k: generated({ get length() { return throwing(); } } as Untyped) } }).syncTo({ name: 'b', namespace: 'apps' });
    const settings: Untyped = { vault: { get storageSize() { return throwing(); } }, kms: new Proxy({}, { ownKeys: throwing }) };
    expect(validateDeclaration({ catalog, settings }).map((issue) => issue.message)).toStrictEqual([
      'apps/a: keys a Proxy must be plain data: a Proxy is not read, its traps could run any code',
      'apps/b: origins.k.length a getter must be a plain value: the library reads data and runs no getter',
      'settings.vault: storageSize a getter must be a plain value: the library reads data and runs no getter',
      'settings: kms a Proxy must be plain data: a Proxy is not read, its traps could run any code',
    ]);
  });

  test('names given as arguments, not options: an object whose toString throws, a Proxy; never converted by running them', () => {
    const hostile = { toString: throwing };
    expect(messages((c) => {
      const odd = c.identity(new Proxy({}, { get: throwing }), { store: { kind: 'SecretStore', namespaces: ['apps'] } });
      c.path(hostile, ['k']).syncTo({ name: 'a', namespace: 'apps', identity: odd });
    })).toStrictEqual([
      '(path #1): path {"toString":a function} must be a string: a path inside the mount, such as "apps/db"',
      'identity a Proxy: name a Proxy must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
    ]);
  });

  test('frozen and sealed objects are plain data: accepted, never changed', () => {
    const labels = Object.freeze({ app: 'db' });
    const options = Object.seal({ name: 'db', namespace: 'apps', labels });
    const settings: PlatformSettings = Object.freeze({ ...FIXTURE_SETTINGS, vault: Object.freeze({ storageSize: '1Gi' }) });
    const catalog = new SecretCatalog(Object.freeze({ mount: 'kv' }));
    catalog.path('apps/db', Object.freeze(['password'] as const)).syncTo(options);
    expect(validateDeclaration({ catalog, settings })).toStrictEqual([]);
  });
});

describe('the catalog of a declaration is a SecretCatalog, checked by its own validator (found by the sweep)', () => {
  const issuesOf = (catalog: unknown): string[] => validateDeclaration({ catalog: catalog as SecretCatalog, settings: FIXTURE_SETTINGS }).map((i) => i.message);

  test('a plain object with a validate function is no catalog: its validate is not run, and its answer not trusted', () => {
    let ran = false;
    expect(issuesOf({ validate: () => { ran = true; return 'junk'; } })).toStrictEqual([
      'declaration: catalog {"validate":a function} must be a SecretCatalog: new SecretCatalog({ mount })',
    ]);
    expect(issuesOf(new Proxy({}, { get: throwing, getPrototypeOf: throwing }))).toStrictEqual(['declaration: catalog a Proxy must be a SecretCatalog: new SecretCatalog({ mount })']);
    expect(issuesOf(new (class SecretCatalog {})())).toStrictEqual([
      'declaration: catalog SecretCatalog {} is a SecretCatalog of another copy of homelab-secrets: make the declaration and run it with one (npm ls homelab-secrets)',
    ]);
    expect(ran).toBe(false);
  });

  test('a SecretCatalog whose validate was replaced is checked by the catalog\'s own validator', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/db', ['a b']).syncTo({ name: 'db', namespace: 'apps' });
    Object.assign(catalog, { validate: throwing });
    expect(issuesOf(catalog)).toStrictEqual(['apps/db: key "a b" must match ^[-._a-zA-Z0-9]+$']);
  });
});

describe('constructor, __proto__, toString and hasOwnProperty are key names like any other', () => {
  const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;
  /** An object with each name as an own key, `__proto__` included. */
  const own = (value: (name: string) => unknown): Record<string, unknown> =>
    Object.fromEntries(NAMES.map((name) => [name, value(name)]));

  function declared(): SecretCatalog {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const path = catalog.path('apps/js', [...NAMES, 'plain'], { origins: own(() => external({ hint: 'anywhere' })) as Untyped });
    path.syncTo({ name: 'as-declared', namespace: 'apps', keys: [...NAMES] });
    path.syncTo({ name: 'renamed', namespace: 'apps', keys: ['plain', 'toString'], renames: { plain: 'constructor', toString: '__proto__' } as Untyped });
    path.syncTo({
      name: 'templated', namespace: 'apps', keys: ['plain'],
      labels: { constructor: 'a', toString: 'b', hasOwnProperty: 'c' }, annotations: { constructor: 'x', hasOwnProperty: 'y' },
      template: () => own((name) => `{{ .plain }}-${name}`) as Untyped,
    });
    return catalog;
  }

  test('no message about them, and nothing reaches Object.prototype', () => {
    expect(declared().validate()).toStrictEqual([]);
    expect([({} as Untyped).plain, Object.prototype.hasOwnProperty.call(Object.prototype, 'plain'), typeof ({} as Untyped).constructor]).toStrictEqual([undefined, false, 'function']);
  });

  test('each round-trips exactly through the manifests and the docs', () => {
    // WHEN
    const objects = manifestObjects(synthPartToTree({ catalog: declared(), settings: FIXTURE_SETTINGS }, (target) => manifestsPart(target)));
    const byName = new Map(objects.filter((o) => o.kind === 'ExternalSecret').map((o) => [o.metadata.name, o]));

    // THEN
    expect(byName.get('as-declared').spec.data.map((d: Untyped) => [d.secretKey, d.remoteRef.property])).toStrictEqual(NAMES.map((n) => [n, n]));
    expect(byName.get('renamed').spec.data.map((d: Untyped) => [d.secretKey, d.remoteRef.property])).toStrictEqual([['constructor', 'plain'], ['__proto__', 'toString']]);
    const template = byName.get('templated').spec.target.template;
    expect(Object.getOwnPropertyNames(template.data).sort()).toStrictEqual([...NAMES].sort());
    expect(NAMES.map((name) => Object.getOwnPropertyDescriptor(template.data, name)?.value)).toStrictEqual(NAMES.map((name) => `{{ .plain }}-${name}`));
    expect([Object.getPrototypeOf(template.data), template.metadata.labels, template.metadata.annotations]).toStrictEqual([
      Object.prototype, { constructor: 'a', hasOwnProperty: 'c', toString: 'b' }, { constructor: 'x', hasOwnProperty: 'y' } as Untyped,
    ]);
    expect(objects.flatMap((o) => (o.apiVersion.startsWith('external-secrets.io') ? crdSchemaErrors(o) : []))).toStrictEqual([]);
    expect(renderSecretsDoc(declared())).toContain('`toString` → `__proto__`');
  });
});
