// Property tests over import's input (issue 21 §8): every input is either imported, with a module
// that loads and round-trips (--verify passes, exit 0), or refused with its file and document and
// nothing written (exit 2); never exit 1, never a TypeError, a stack trace or "internal error" (70).
// Bounded runs in `npm test`; HOMELAB_PROPERTY_RUNS=<n> runs each property n times.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { EXIT } from '../../../lib/cli/exit-codes';
import { printable } from '../../../lib/cli';
import { harness } from '../support/cli-harness';

/** How many inputs each property tries: a few in `npm test`, as many as asked for with HOMELAB_PROPERTY_RUNS. */
const RUNS = Number(process.env.HOMELAB_PROPERTY_RUNS ?? 0) || undefined;
const runs = (bounded: number): number => RUNS ?? bounded;

/** Strings that break naive quoting, comments, names and terminals. */
const HOSTILE_STRINGS = [
  '', ' ', '-', '--', '-rf', '.', '..', '/', '//', 'a/../b', 'data/x', 'x/data', '*/', '/*', '// x', '\'', '"', '\\', '`', '${x}', '%{x}', '{{ .x }}',
  '\n', '\r\n', '\u2028', '\u2029', '\u0085', '\u0000', '\u001b[2J', '\u007f', '\u202e', '\u200b', '\ufeff', '\ud800', 'eval', 'arguments', 'let',
  'await', 'yield', 'static', 'implements', 'catalog', 'v', 'default', 'null', 'true', '1e400', '0x1F', '010', 'NaN', 'Infinity', 'é', '🎉',
  'a'.repeat(300), 'UPPER', 'under_score', 'dot.ted', 'x y', '$(id)', '; rm -rf /', '<<', '&a', '*a', '!tag', '? x', ': x', '# x', '@x', '|', '>',
];

/** File names the walk and the messages must survive (no "/" nor NUL: those cannot be in a name). */
const HOSTILE_FILE_NAMES = ['-x.yaml', '--.yaml', 'a b.yaml', 'new\nline.yaml', 'cr\r.yaml', 'rtl\u202e.yaml', 'esc\u001b[2J.yaml', '$(id).yaml', 'it\'s.yaml', '*\\.yaml', 'é.yml'];

/**
 * Names the library itself does not handle yet, left out of the generated keys: on main the catalog
 * reads `renames[key]` through the prototype (a Vault key `constructor` is refused as "a function"),
 * and cdk8s drops a `__proto__` template key and cannot render a `constructor` one. The catalog's
 * branch of issue 21 makes them valid; then they belong in the keys below.
 */
const PROTOTYPE_NAMES = new Set(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 }), fc.fullUnicodeString({ maxLength: 8 }));
const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,8}[a-z0-9])?$/);
const secretKey = fc.stringMatching(/^[-._a-zA-Z0-9]{1,12}$/).filter((k) => !PROTOTYPE_NAMES.has(k) && k !== '.' && !k.startsWith('..')); // Kubernetes refuses '.', '..' and a key starting with '..'
/** Path segments, reserved words among them: a path is a variable of the module, named after its segments. */
const segment = fc.oneof(fc.constantFrom('eval', 'arguments', 'let', 'await', 'yield', 'static', 'default', 'catalog', 'v', 'SecretCatalog', '9lives'),
  fc.stringMatching(/^[a-z0-9][-a-z0-9_]{0,6}$/));
const vaultPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'))
  .filter((p) => !p.split('/').some((s) => s === 'data' || s === 'metadata'));

type Json = Record<string, unknown>;

/** A ClusterSecretStore the library writes back exactly. */
function store(namespaces: readonly string[]): Json {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'vault' },
    spec: {
      provider: { vault: { server: 'http://vault.vault.svc:8200', path: 'kv', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'eso', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault'] } } } } },
      conditions: [{ namespaces: [...new Set(namespaces)].sort() }],
    },
  };
}

/** A valid ExternalSecret: rows of keys read from paths, sometimes renamed, a template, labels. */
const externalSecret = fc.record({
  name: dnsLabel,
  namespace: dnsLabel,
  // Secret keys unique in the Secret: ESO refuses a repeated one.
  rows: fc.uniqueArray(fc.record({ path: vaultPath, key: secretKey, rename: fc.option(secretKey, { nil: undefined }) }), { minLength: 1, maxLength: 3, selector: (r) => r.rename ?? r.key }),
  refreshInterval: fc.constantFrom(undefined, '1h', '15m', '1h0m0s'),
  template: fc.option(fc.dictionary(secretKey, fc.oneof(fc.constantFrom('{{ .a }}', 'x\ny', 'a\r\nb', 'it\'s */ `${x}`'), fc.string({ maxLength: 10 })), { maxKeys: 2 }), { nil: undefined }),
  labels: fc.option(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,6}$/), { maxKeys: 2 }), { nil: undefined }),
}).map((e) => {
  const data = e.rows.map((r) => ({ secretKey: r.rename ?? r.key, remoteRef: { key: r.path, property: r.key } }));
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: e.name, namespace: e.namespace },
    spec: {
      ...(e.refreshInterval ? { refreshInterval: e.refreshInterval } : {}),
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: e.name, ...(e.template || e.labels ? { template: { ...(e.template ? { data: e.template } : {}), ...(e.labels ? { metadata: { labels: e.labels } } : {}) } } : {}) },
      data,
    },
  } as Json;
});

/** Every path to a value inside `value`, as keys. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** `value` with the field at `path` replaced (or removed, for undefined). */
function mutate(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: Json | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Json) };
  const [head, ...rest] = path;
  const next = mutate((copy as Json)[head as string], rest, replacement);
  if (next === undefined && !Array.isArray(copy)) delete (copy as Json)[head as string];
  else (copy as Json)[head as string] = next;
  return copy;
}

const replacement = fc.oneof(
  hostileString, fc.constant(undefined), fc.constant(null), fc.integer(), fc.double(), fc.boolean(), fc.constant(12345678901234567890),
  fc.constant([]), fc.constant({}), fc.array(hostileString, { maxLength: 2 }), fc.dictionary(hostileString, hostileString, { maxKeys: 2 }),
);

/** One file of the repository: its name and its bytes. */
interface InputFile { readonly name: string; readonly bytes: Uint8Array }

/** A store and valid ExternalSecrets, one field of one document mutated (or none), as YAML files of hostile names. */
function repository(mutations: fc.Arbitrary<{ document: number; field: number; value: unknown } | undefined>): fc.Arbitrary<InputFile[]> {
  return fc.record({
  // One ExternalSecret of a name per namespace, as Kubernetes has them.
  externalSecrets: fc.uniqueArray(externalSecret, { minLength: 1, maxLength: 3, selector: (e) => `${(e.metadata as Json).namespace}/${(e.metadata as Json).name}` }),
  mutation: mutations,
  names: fc.tuple(fc.constantFrom('store.yaml', ...HOSTILE_FILE_NAMES), fc.constantFrom('es.yaml', ...HOSTILE_FILE_NAMES)),
}).map(({ externalSecrets, mutation, names }): InputFile[] => {
  let documents: unknown[] = [store(externalSecrets.map((e) => (e.metadata as Json).namespace as string)), ...externalSecrets];
  if (mutation) {
    const index = mutation.document % documents.length;
    const fields = paths(documents[index]).filter((p) => p.length > 0);
    documents = documents.map((d, i) => (i === index ? mutate(d, fields[mutation.field % fields.length], mutation.value) : d));
  }
  const text = (docs: unknown[]): Uint8Array => Buffer.from(docs.map((d) => YAML.stringify(d ?? null)).join('---\n'));
  const [storeName, esName] = names[0] === names[1] ? ['store.yaml', names[1]] : names;
  return [{ name: storeName, bytes: text(documents.slice(0, 1)) }, { name: esName, bytes: text(documents.slice(1)) }];
  });
}

/** Valid input: imported, always. */
const validRepository = repository(fc.constant(undefined));
/** One field of one document replaced by a hostile value, or removed. */
const mutatedRepository = repository(fc.record({ document: fc.nat(), field: fc.nat(), value: replacement }));

/** Bytes that are YAML only by chance: random text with YAML's syntax, and ESO's words, or random bytes. */
const randomYaml = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom('apiVersion: external-secrets.io/v1\n', 'kind: ExternalSecret\n', 'kind: ClusterSecretStore\n', 'metadata:\n', '  name: x\n',
    '  namespace: n\n', 'spec:\n', '  data:\n', '  - secretKey: k\n', '    remoteRef: {key: p, property: k}\n', '---\n', '&a ', '*a', '<<: ', '!!binary ', '? ', '- ', '{', '}', '[', ']',
    '"', '\'', '\t', '\ufeff', '\r\n', '#'), hostileString), { maxLength: 30 }).map((parts) => Buffer.from(parts.join(''))),
  fc.uint8Array({ maxLength: 64 }),
  fc.jsonValue().map((v) => Buffer.from(YAML.stringify(v))),
).map((bytes): InputFile[] => [{ name: 'random.yaml', bytes }]);

/** The first line of stderr the CLI may print: a refusal list, or one input error of its own. */
const ONE_LINE_ERRORS = [/^homelab-secrets: \d+ refusals?: the library cannot express (this|these), so nothing was written:$/, /^homelab-secrets: no ExternalSecret in .*: nothing to import$/];

/** Runs `import <folder> --verify --out <file>` over `files` and checks the property; returns the exit code. */
async function importChecked(files: readonly InputFile[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'import-property-'));
  try {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    for (const f of files) writeFileSync(join(repo, f.name), f.bytes);
    const out = join(dir, 'catalog.ts');
    const h = harness();

    const code = await h.cli('import', repo, '--verify', '--out', out);

    const stderr = h.stderr();
    const context = `exit ${code}\n${stderr}`;
    expect([context, stderr]).not.toContainEqual(expect.stringMatching(/internal error|TypeError|ReferenceError|RangeError|\n\s+at .*:\d+:\d+/));
    expect(h.stdout()).toBe('');
    if (code === EXIT.ok) {
      // Imported: the module was written and --verify loaded it and found every object the same.
      expect([context, existsSync(out)]).toStrictEqual([context, true]);
      expect([context, stderr]).toStrictEqual([context, expect.stringMatching(/^round trip: (\d+) of \1 ExternalSecrets? synthesize the same/m)]);
    } else {
      // Refused: exit 2, nothing written, and each refusal names a file of the input and its document.
      expect([context, code]).toStrictEqual([context, EXIT.usage]);
      expect([context, readdirSync(dir)]).toStrictEqual([context, ['repo']]);
      const lines = stderr.split('\n').filter((line) => !line.startsWith('note: ') && !line.startsWith('warning: ') && line !== '');
      const shownFiles = files.map((f) => printable(join(repo, f.name)));
      const [head, ...items] = lines;
      if (ONE_LINE_ERRORS[0].test(head)) {
        for (const item of items) {
          expect([context, shownFiles.some((f) => item.startsWith(`  - ${f}: `) || item.startsWith(`  - ${f} document `))]).toStrictEqual([context, true]);
        }
        expect([context, items.length]).toStrictEqual([context, Number(/(\d+) refusal/.exec(head)![1])]);
      } else {
        expect([context, ONE_LINE_ERRORS.some((re) => re.test(head)) && items.length === 0]).toStrictEqual([context, true]);
      }
    }
    outcomes.push(code);
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outcomes: number[] = [];
afterAll(() => {
  if (process.env.HOMELAB_PROPERTY_RUNS) console.log(`exit codes: ${JSON.stringify(outcomes.reduce<Record<number, number>>((c, x) => ({ ...c, [x]: (c[x] ?? 0) + 1 }), {}))}`);
});

describe('import over generated YAML (property)', () => {
  jest.setTimeout(RUNS ? 3_600_000 : 60_000);

  test('valid ExternalSecrets and their store, in files of hostile names: imported, and --verify passes', async () => {
    await fc.assert(fc.asyncProperty(validRepository, async (files) => {
      expect(await importChecked(files)).toBe(EXIT.ok);
    }), { numRuns: runs(6) });
  });

  test('one field of one document mutated: imported exactly, or refused with file and document, nothing written', async () => {
    await fc.assert(fc.asyncProperty(mutatedRepository, async (files) => {
      await importChecked(files);
    }), { numRuns: runs(15) });
  });

  test('random YAML and random bytes: refused or skipped, never a crash', async () => {
    await fc.assert(fc.asyncProperty(randomYaml, async (files) => {
      await importChecked(files);
    }), { numRuns: runs(25) });
  });
});
