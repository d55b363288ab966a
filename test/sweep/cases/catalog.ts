// Catalogs: every field with the strings that are syntax somewhere, JavaScript's oddities where a
// string or an object belongs, and the key names JavaScript knows. Each is refused with its row, field
// and value (exit 1, nothing written), or accepted with outputs its consumers take.
import { showValue } from '../../../lib/catalog';
import { type SweepCase, onePath, synthCase } from '../case';
import type { Finding } from '../model';

/** Strings that are syntax in a shell, HCL, Terraform, YAML, a terminal or a Markdown table. */
export const HOSTILE: readonly (readonly [string, string])[] = [
  ['quote', 'a"b'],
  ['single-quote', "a'b"],
  ['dollar-brace', '${x}'],
  ['percent-brace', '%{x}'],
  ['command', '$(id)'],
  ['backtick', '`id`'],
  ['newline', 'a\nb'],
  ['u2028', 'a\u2028b'],
  ['nul', 'a\u0000b'],
  ['rtl', 'a\u202eb'],
  ['long', 'a'.repeat(10_000)],
  ['empty', ''],
];

/** A JavaScript literal of `value` (JSON's string syntax is JavaScript's). */
export const lit = (value: string): string => JSON.stringify(value);

/** Strings refused everywhere a name or key belongs: all of HOSTILE. */
const NAME_FIELDS: readonly { field: string; names: (value: string) => string[]; body: (value: string) => string; accepts?: readonly string[] }[] = [
  // A path of 10,000 letters is a path: Vault, ESO, the policies and Terraform take it (surprising, not wrong).
  { field: 'path', names: (v) => ['path', showValue(v)], body: (v) => onePath(undefined, undefined, undefined, lit(v)), accepts: ['long'] },
  { field: 'key', names: (v) => ['apps/db', 'key', showValue(v)], body: (v) => onePath(`['user', ${lit(v)}]`, "{ keys: ['user'] }") },
];

/** One target per hostile string, each with `field` set to it; every one must be refused, named by its value. */
function everyStringIn(field: string, options: (value: string) => string, names: (value: string, index: number) => string[], accepts: readonly string[] = []): SweepCase {
  const lines = HOSTILE.map(([, value], i) => `  catalog.path('apps/p${i}', ['user']).syncTo({ name: 'n${i}', namespace: 'apps', ${options(value).slice(1).trim()});`);
  const refusedStrings = HOSTILE.filter(([name]) => !accepts.includes(name));
  return synthCase('catalog', `${field}-every-hostile-string`, `${field}: each of ${refusedStrings.map(([n]) => n).join(', ')}`,
    ["  const catalog = new SecretCatalog({ mount: 'kv' });", ...lines, '  return { catalog, settings: SETTINGS };'].join('\n'),
    [1, `${refusedStrings.length} errors`, ...refusedStrings.flatMap(([, value], i) => names(value, i))]);
}

const perString: SweepCase[] = NAME_FIELDS.flatMap(({ field, names, body, accepts = [] }) =>
  HOSTILE.map(([name, value]) => synthCase('catalog', `${field}-${name}`, `a ${field} of ${name}`, body(value), accepts.includes(name) ? 'accepted' : [1, ...names(value)])));

const grouped: SweepCase[] = [
  everyStringIn('name', (v) => `{ name: ${lit(v)} }`, (v) => ['name', showValue(v)]),
  everyStringIn('namespace', (v) => `{ namespace: ${lit(v)} }`, (v) => ['namespace', showValue(v)]),
  everyStringIn('externalSecretName', (v) => `{ externalSecretName: ${lit(v)} }`, (v) => ['externalSecretName', showValue(v)]),
  everyStringIn('label-key', (v) => `{ labels: { [${lit(v)}]: 'x' } }`, (v) => ['labels key', showValue(v)]),
  // An empty label value is one Kubernetes takes.
  everyStringIn('label-value', (v) => `{ labels: { app: ${lit(v)} } }`, (v) => ['labels.app', showValue(v)], ['empty']),
  everyStringIn('annotation-key', (v) => `{ annotations: { [${lit(v)}]: 'x' } }`, (v) => ['annotations key', showValue(v)]),
  everyStringIn('rename', (v) => `{ renames: { user: ${lit(v)} } }`, (v) => ['renames.user', showValue(v)]),
  everyStringIn('refreshInterval', (v) => `{ refreshInterval: ${lit(v)} }`, (v) => ['refreshInterval', showValue(v)]),
  everyStringIn('template-key', (v) => `{ template: (k) => ({ [${lit(v)}]: 'u=' + k.user }) }`, (v) => ['template key', showValue(v)]),
  // Values Kubernetes takes as they are (an annotation's value, a template's text): reach the manifests exactly.
  synthCase('catalog', 'annotation-value-every-hostile-string', 'annotation values of every hostile string but the empty one: text, accepted as is',
    [
      "  const catalog = new SecretCatalog({ mount: 'kv' });",
      ...HOSTILE.map(([, value], i) => `  catalog.path('apps/p${i}', ['user']).syncTo({ name: 'n${i}', namespace: 'apps', annotations: { note: ${lit(value)} } });`),
      '  return { catalog, settings: SETTINGS };',
    ].join('\n'), 'accepted', { check: (p) => manifestsHold(p.read('manifests/externalsecrets-apps.yaml'), HOSTILE.map(([, v]) => v)) }),
  synthCase('catalog', 'template-value-every-hostile-string', 'template values of every hostile string: Go template text, accepted as is',
    [
      "  const catalog = new SecretCatalog({ mount: 'kv' });",
      ...HOSTILE.map(([, value], i) => `  catalog.path('apps/p${i}', ['user']).syncTo({ name: 'n${i}', namespace: 'apps', template: (k) => ({ out: ${lit(value)} + k.user }) });`),
      '  return { catalog, settings: SETTINGS };',
    ].join('\n'), 'accepted'),
  synthCase('catalog', 'description-hostile', 'a description of several lines, of U+2028, of NUL and of a bidi override: one line of visible text only',
    [
      "  const catalog = new SecretCatalog({ mount: 'kv' });",
      ...['a\nb', 'a\u2028b', 'a\u0000b', 'a\u202eb'].map((value, i) => `  catalog.path('apps/p${i}', ['user'], { description: ${lit(value)} }).syncTo({ name: 'n${i}', namespace: 'apps' });`),
      '  return { catalog, settings: SETTINGS };',
    ].join('\n'), [1, 'description', showValue('a\nb'), showValue('a\u2028b'), showValue('a\u0000b'), showValue('a\u202eb')]),
  synthCase('catalog', 'description-markdown', 'a description of a table\'s syntax ("|", backticks, "<br>"): the docs\' table stays whole',
    onePath(undefined, undefined, undefined, "'apps/db'").replace("catalog.path('apps/db', ['user', 'password'])", "catalog.path('apps/db', ['user', 'password'], { description: 'a | b ` c <br> *d* [x](y) \\\\| e' })"), 'accepted'),
  synthCase('catalog', 'type-hostile', 'a Secret type of a newline, NUL, a bidi override, 10,000 characters, or empty',
    [
      "  const catalog = new SecretCatalog({ mount: 'kv' });",
      ...['a\nb', 'a\u0000b', 'a\u202eb', 'a'.repeat(10_000), ''].map((value, i) => `  catalog.path('apps/p${i}', ['user']).syncTo({ name: 'n${i}', namespace: 'apps', type: ${lit(value)} });`),
      '  return { catalog, settings: SETTINGS };',
    ].join('\n'), [1, 'type', showValue('a\nb'), showValue('a\u0000b'), showValue('a\u202eb'), showValue('a'.repeat(10_000)), showValue('')]),
];

/** Problems when the manifests do not hold every `value` as written (YAML read back). */
function manifestsHold(text: string, values: readonly string[]): Finding[] {
  const YAML = require('yaml') as typeof import('yaml');
  const found = new Set<string>();
  for (const document of YAML.parseAllDocuments(text)) {
    const object = document.toJS();
    const note = object?.spec?.target?.template?.metadata?.annotations?.note;
    if (typeof note === 'string') found.add(note);
  }
  return values.filter((v) => !found.has(v)).map((v) => ({ outcome: 'wrongly accepted', text: `the annotation ${showValue(v)} does not reach the manifest as written` }));
}

const mount: SweepCase[] = [
  ['upper', 'Kv', 'write "kv"'], ['reserved', 'sys', 'reserved by Vault'], ['data', 'data', '"data"'], ['slash', 'kv/x', 'without "/"'],
  ['glob', 'k*', 'glob'], ['quote', 'k"v', 'quote'], ['dollar-brace', '${x}', '"${"'], ['empty', '', 'KV v2 mount'], ['newline', 'k\nv', 'whitespace'],
  ['symbol', Symbol('m'), 'KV v2 mount'],
].map(([name, value, rule]) => synthCase('catalog', `mount-${String(name)}`, `the mount ${String(name)}`,
  [
    `  const catalog = new SecretCatalog({ mount: ${typeof value === 'symbol' ? "Symbol('m')" : lit(value as string)} });`,
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'mount', showValue(value), rule as string]));

/** JavaScript's oddities where a string, an array or an options object belongs. */
const oddities: SweepCase[] = [
  synthCase('catalog', 'symbol-path', 'a Symbol as the path', onePath(undefined, undefined, undefined, "Symbol('p')"), [1, 'path', 'Symbol(p)']),
  synthCase('catalog', 'symbol-key', 'a Symbol among the keys', onePath("['user', Symbol('k')]", "{ keys: ['user'] }"), [1, 'key', 'Symbol(k)']),
  synthCase('catalog', 'nan-name', 'NaN as the Secret\'s name', onePath(undefined, '{ name: NaN }'), [1, 'name', 'NaN']),
  synthCase('catalog', 'bigint-namespace', 'a BigInt as the namespace', onePath(undefined, '{ namespace: 10n }'), [1, 'namespace', '10n']),
  synthCase('catalog', 'negative-zero-interval', '-0 as the refresh interval', onePath(undefined, '{ refreshInterval: -0 }'), [1, 'refreshInterval', '-0']),
  synthCase('catalog', 'getter-throws', 'options with a getter that throws', onePath(undefined, "Object.defineProperty({ name: 'db', namespace: 'apps' }, 'labels', { get() { throw new Error('boom'); }, enumerable: true })"), [1, 'labels', 'a getter']),
  synthCase('catalog', 'proxy-options', 'a Proxy whose traps throw as the options',
    onePath(undefined, "new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } })"), [1, 'a Proxy']),
  synthCase('catalog', 'proxy-keys', 'a Proxy as the keys array', onePath("new Proxy(['user'], { get() { throw new Error('trap'); } })", "{ keys: ['user'] }"), [1, 'keys', 'a Proxy']),
  synthCase('catalog', 'inherited-options', 'options inherited from a prototype (Object.create)', onePath(undefined, "Object.assign(Object.create({ creationPolicy: 'Merge' }), { name: 'db', namespace: 'apps' })"), [1, 'creationPolicy', 'inherit']),
  synthCase('catalog', 'class-instance-options', 'a class instance as the options', [
    "  class Opts { constructor() { this.name = 'db'; this.namespace = 'apps'; } }",
    onePath(undefined, 'new Opts()'),
  ].join('\n'), [1, 'Opts']),
  synthCase('catalog', 'map-labels', 'a Map as the labels', onePath(undefined, "{ labels: new Map([['app', 'x']]) }"), [1, 'labels', 'Map']),
  synthCase('catalog', 'cycle-annotations', 'annotations that hold themselves', [
    '  const annotations = { a: \'x\' }; annotations.self = annotations;',
    onePath(undefined, '{ annotations }'),
  ].join('\n'), [1, 'annotations', 'cycle']),
  synthCase('catalog', 'deep-nesting', 'labels nested 10,000 deep', [
    '  let deep = {}; for (let i = 0; i < 10000; i++) deep = { d: deep };',
    onePath(undefined, '{ labels: deep }'),
  ].join('\n'), [1, 'labels']),
  synthCase('catalog', 'huge-array', 'a keys array of a million holes', onePath('new Array(1000000)', '{}'), [1, 'keys']),
  synthCase('catalog', 'symbol-key-in-options', 'a Symbol-keyed option', onePath(undefined, "{ [Symbol('x')]: 1 }"), [1, 'Symbol(x)']),
  synthCase('catalog', 'function-as-name', 'a function as the name', onePath(undefined, '{ name: () => "db" }'), [1, 'name', 'a function']),
  synthCase('catalog', 'date-as-namespace', 'a Date as the namespace', onePath(undefined, '{ namespace: new Date(0) }'), [1, 'namespace', 'Date 1970-01-01T00:00:00.000Z']),
  synthCase('catalog', 'string-object-key', 'a String object among the keys', onePath("['user', new String('password')]", "{ keys: ['user'] }"), [1, 'key', 'String']),
  synthCase('catalog', 'unknown-option', 'a misspelt option (creationPolicyy)', onePath(undefined, "{ creationPolicyy: 'Merge' }"), [1, 'creationPolicyy']),
  synthCase('catalog', 'null-options', 'null as the options', onePath(undefined, 'null'), [1, 'null']),
  synthCase('catalog', 'frozen-options', 'frozen and sealed options: plain data, welcome', onePath(undefined, "Object.freeze({ name: 'db', namespace: 'apps', labels: Object.seal({ app: 'x' }) })"), 'accepted'),
  synthCase('catalog', 'null-prototype-options', 'options of a null prototype: plain data', onePath(undefined, "Object.assign(Object.create(null), { name: 'db', namespace: 'apps', labels: { app: 'x' } })"), 'accepted'),
  synthCase('catalog', 'template-returns-number', 'a template function returning a number', onePath(undefined, '{ template: () => ({ port: 5432 }) }'), [1, 'template.port', '5432']),
  synthCase('catalog', 'template-returns-null', 'a template function returning null for a key', onePath(undefined, '{ template: () => ({ url: null }) }'), [1, 'template.url', 'null']),
  synthCase('catalog', 'template-returns-garbage', 'a template function returning a string, not an object', onePath(undefined, "{ template: () => 'x' }"), [1, 'template', '"x"']),
  synthCase('catalog', 'template-lone-surrogate', 'a template value holding a lone surrogate', onePath(undefined, "{ template: (k) => ({ url: '\\ud800' + k.user }) }"), [1, 'template.url', 'lone surrogate']),
  synthCase('catalog', 'template-unknown-key', 'a template naming an undeclared key', onePath(undefined, '{ template: (k) => ({ url: k.nope }) }'), [1, 'template', 'nope']),
];

/** Key names JavaScript knows: names like any other, kept exactly in the manifests, nothing reaches Object.prototype. */
const knownKeys: SweepCase[] = [
  synthCase('catalog', 'keys-javascript-knows', 'keys constructor, __proto__, toString, hasOwnProperty, valueOf',
    onePath("['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']"), 'accepted', {
      check: (p) => {
        const text = p.read('manifests/externalsecrets-apps.yaml');
        return ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].filter((k) => !text.includes(`secretKey: ${k}`))
          .map((k) => ({ outcome: 'wrongly accepted' as const, text: `the key ${k} is not in the manifest` }));
      },
    }),
  synthCase('catalog', 'renames-and-labels-javascript-knows', 'renames, labels, annotations and template keys named constructor and __proto__', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const renames = {}; Object.defineProperty(renames, '__proto__', { value: 'proto', enumerable: true });",
    "  renames.constructor = 'ctor';",
    // (a label key must start with a letter or digit, so "__proto__" is no label key Kubernetes takes; "constructor" is one)
    "  const labels = { constructor: 'ok' };",
    "  catalog.path('apps/db', ['__proto__', 'constructor']).syncTo({ name: 'db', namespace: 'apps', renames, labels, annotations: { toString: 'z' } });",
    "  catalog.path('apps/t', ['constructor']).syncTo({ name: 't', namespace: 'apps', template: (k) => { const t = {}; Object.defineProperty(t, '__proto__', { value: 'v=' + k.constructor, enumerable: true }); return t; } });",
    '  if (Object.prototype.proto !== undefined || Object.prototype.y !== undefined) throw new Error("Object.prototype was written");',
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'accepted', {
    check: (p) => {
      const text = p.read('manifests/externalsecrets-apps.yaml');
      return ['secretKey: proto', 'secretKey: ctor', 'constructor: ok', 'toString: z', '__proto__: v='].filter((s) => !text.includes(s))
        .map((s) => ({ outcome: 'wrongly accepted' as const, text: `${JSON.stringify(s)} is not in the manifest` }));
    },
  }),
  synthCase('catalog', 'origins-javascript-knows', 'origins of keys named constructor and __proto__', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const origins = {}; Object.defineProperty(origins, '__proto__', { value: generated({ length: 8 }), enumerable: true }); origins.constructor = external({ hint: 'h' });",
    "  catalog.path('apps/db', ['__proto__', 'constructor'], { origins }).syncTo({ name: 'db', namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'accepted'),
];

/** The rest of the catalog's fields: origins, identities, policies, duplicates. */
const fields: SweepCase[] = [
  synthCase('catalog', 'origin-length-zero', 'generated({ length: 0 })', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: 0 }) } })"), [1, 'origins.user.length', '0']),
  synthCase('catalog', 'origin-length-nan', 'generated({ length: NaN })', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: NaN }) } })"), [1, 'origins.user.length', 'NaN']),
  synthCase('catalog', 'origin-length-huge', 'generated({ length: 1e9 })', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: 1e9 }) } })"), [1, 'origins.user.length', '1000000000']),
  synthCase('catalog', 'origin-alphabet-repeats', 'an alphabet with a repeated character', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: 8, alphabet: 'aab' }) } })"), [1, 'origins.user.alphabet', '"aab"']),
  synthCase('catalog', 'origin-alphabet-control', 'an alphabet with a control character', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: 8, alphabet: 'ab\\u001b' }) } })"), [1, 'origins.user.alphabet', '\\u001b']),
  synthCase('catalog', 'origin-hint-newline', 'an external hint of two lines', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: external({ hint: 'a\\nb' }) } })"), [1, 'origins.user.hint', '"a\\nb"']),
  synthCase('catalog', 'origin-hint-rtl', 'an external hint with a bidi override', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: external({ hint: 'a\\u202eb' }) } })"), [1, 'origins.user.hint', '\\u202e']),
  synthCase('catalog', 'origin-url-javascript', 'an external url javascript:alert(1)', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: external({ hint: 'h', url: 'javascript:alert(1)' }) } })"), [1, 'origins.user.url', 'javascript:alert(1)']),
  synthCase('catalog', 'origin-alphabet-bidi', 'an alphabet with a bidi override', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { user: generated({ length: 8, alphabet: 'ab\\u202e' }) } })"), [1, 'origins.user.alphabet', '\\u202e']),
  synthCase('catalog', 'origin-undeclared-key', 'an origin of an undeclared key', onePath("['user']", '{}').replace("['user'])", "['user'], { origins: { nope: generated({ length: 8 }) } })"), [1, 'origins', 'nope']),
  synthCase('catalog', 'duplicate-path', 'the same path declared twice', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'a', namespace: 'apps' });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'b', namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'apps/db', 'declared twice']),
  synthCase('catalog', 'duplicate-secret', 'two targets writing one Secret', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  catalog.path('apps/a', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    "  catalog.path('apps/b', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'name', '"db"', 'already written']),
  synthCase('catalog', 'key-from-two-sources', 'one Secret key from two Vault keys', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const a = catalog.path('apps/a', ['user']); const b = catalog.path('apps/b', ['user']);",
    "  catalog.addTarget({ name: 'db', namespace: 'apps', sources: [a.select(), b.select()] });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'secretKey', '"user"']),
  synthCase('catalog', 'undeclared-key-selected', 'a target selecting an undeclared key', onePath("['user']", "{ keys: ['nope'] }"), [1, 'keys', '"nope"']),
  synthCase('catalog', 'isolation-junk', 'isolation "per-pod"', onePath().replace("new SecretCatalog({ mount: 'kv' })", "new SecretCatalog({ mount: 'kv', isolation: 'per-pod' })"), [1, 'isolation', '"per-pod"']),
  synthCase('catalog', 'readby-junk', 'readBy "everyone"', onePath().replace("['user', 'password'])", "['user', 'password'], { readBy: 'everyone' })"), [1, 'readBy', '"everyone"']),
  synthCase('catalog', 'audience-shell', 'an identity\'s audience of "$(id)\'x": no syntax in the policy or Terraform, accepted and written as is', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const media = catalog.identity('media', { store: { kind: 'SecretStore', namespaces: ['apps'] }, audience: \"$(id)'x\" });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps', identity: media });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'accepted'),
  synthCase('catalog', 'identity-hostile', 'an identity named "$(id)" with a store of no namespace and a role of spaces', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const media = catalog.identity('$(id)', { store: { kind: 'SecretStore', namespaces: [] }, role: 'a role' });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps', identity: media });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'identity', '"$(id)"', 'store.namespaces', 'role', '"a role"']),
  synthCase('catalog', 'key-split-across-identities', 'two namespaces reading different keys of one path under namespace isolation', [
    "  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });",
    "  const db = catalog.path('apps/db', ['user', 'password']);",
    "  db.syncTo({ name: 'a', namespace: 'one', keys: ['user'] });",
    "  db.syncTo({ name: 'b', namespace: 'two', keys: ['password'] });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), [1, 'apps/db', 'identitiesRead', 'whole paths']),
  synthCase('catalog', 'policy-combination', 'deletionPolicy Delete with creationPolicy Merge', onePath(undefined, "{ creationPolicy: 'Merge', deletionPolicy: 'Delete' }"), [1, 'deletionPolicy', '"Delete"', 'Merge']),
  synthCase('catalog', 'creation-policy-junk', 'creationPolicy "Always"', onePath(undefined, "{ creationPolicy: 'Always' }"), [1, 'creationPolicy', '"Always"']),
  synthCase('catalog', 'many-paths', '2,000 paths of 5 keys each: accepted, every one written', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  for (let i = 0; i < 2000; i++) catalog.path('apps/p' + i, ['a', 'b', 'c', 'd', 'e']).syncTo({ name: 's' + i, namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'accepted'),
];

export const CATALOG_CASES: readonly SweepCase[] = [...perString, ...grouped, ...mount, ...oddities, ...knownKeys, ...fields];
