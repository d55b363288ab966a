import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Declaration } from '../../../lib/catalog';
import {
  type ImportResult, type TypeScriptCompiler, formatRoundTrip, generateModule, importTexts, loadGeneratedModule, projectTypeScript, roundTripPassed,
} from '../../../lib/cli/import';

const STORE = [
  'apiVersion: external-secrets.io/v1', 'kind: ClusterSecretStore', 'metadata: { name: vault }', 'spec:', '  provider:', '    vault:',
  '      server: http://vault.vault.svc:8200', '      path: kv',
  '      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }', '',
].join('\n');

/** An ExternalSecret of `name` in namespace `n` reading `rows` ([path, property, secretKey]); `extra` is more of its spec, as YAML lines. */
function externalSecret(name: string, rows: readonly (readonly [string, string, string])[], extra: readonly string[] = []): string {
  return [
    'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', `metadata: { name: ${name}, namespace: n }`, 'spec:',
    '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', ...extra.map((line) => `  ${line}`), '  data:',
    ...rows.map(([key, property, secretKey]) => `    - { secretKey: ${JSON.stringify(secretKey)}, remoteRef: { key: ${JSON.stringify(key)}, property: ${JSON.stringify(property)} } }`), '',
  ].join('\n');
}

/**
 * Paths whose last segments are reserved or strict-mode-forbidden words, read by Secrets of two paths
 * each (so every path needs a variable), two of them ending in the same word; Secret keys
 * `constructor` and `__proto__`; a template whose bodies hold a comment end, line terminators, a
 * carriage return and a bidirectional override; and a file name that would end the header comment
 * and start code. (Vault keys named `constructor` or `__proto__` are refused by the catalog of main
 * today, which reads `renames[key]` through the prototype: the catalog's branch of issue 21 fixes that.)
 */
const HOSTILE_FILE = 'repo/a\n*/ require("child_process").execSync("id") /*\u2028.yaml';
const HOSTILE_TEXT = [
  STORE,
  externalSecret('a', [['apps/eval', 'user', 'constructor'], ['other/eval', 'password', '__proto__']]),
  externalSecret('b', [['x/arguments', 'k', 'k'], ['y/let', 'k', 'k2']]),
  externalSecret('c', [['z/static', 'k', 'k'], ['implements', 'k', 'k2'], ['await', 'k', 'k3'], ['yield', 'k', 'k4'], ['catalog', 'k', 'k5'], ['v', 'k', 'k6']]),
  externalSecret('d', [['apps/eval', 'user', 'constructor'], ['x/arguments', 'k', 'k']], [
    'target:',
    '  template:',
    '    data:',
    '      toString: "*/ {{ .constructor }} // \\u2028 \\r\\n \\u202e end"',
    '      config: "line one */\\nuser = {{ .k }}\\n`${HOME}`\\n"',
  ]),
].join('---\n');

const HOSTILE_MODULE = 'hostile-names.module.ts';

async function importHostile(typescript?: TypeScriptCompiler): Promise<ImportResult> {
  return importTexts([{ file: HOSTILE_FILE, text: HOSTILE_TEXT }], { verify: true, ...(typescript ? { typescript } : {}) });
}

describe('a module imported from hostile names', () => {
  test('is written exactly, with every name quoted and no reserved variable; the committed copy is type-checked by npm test', async () => {
    // WHEN
    const result = await importHostile();

    // THEN
    expect(result.refusals).toStrictEqual([]);
    expect(result.module).toBe(readFileSync(join(__dirname, 'expected', HOSTILE_MODULE), 'utf8'));
  });

  test.each([
    ['its JavaScript twin', undefined],
    ['the project\'s TypeScript compiler', projectTypeScript(process.cwd())],
  ])('--verify loads it through %s, and everything round-trips', async (_how, typescript) => {
    // WHEN
    const result = await importHostile(typescript);

    // THEN
    expect(result.roundTrip!.failure).toBeUndefined();
    expect(result.roundTrip!.differences).toStrictEqual([]);
    expect([result.roundTrip!.compared, result.roundTrip!.equal]).toStrictEqual([4, 4]);
    expect(roundTripPassed(result.roundTrip!)).toBe(true);
  });

  test('the compiled copy declares what --verify loaded: the same Secret keys, template bodies byte for byte', async () => {
    // GIVEN the committed module, compiled by jest, and the twin --verify loads
    const compiled = (require(join(__dirname, 'expected', HOSTILE_MODULE)) as { importedDeclaration(): Declaration }).importedDeclaration();
    const result = await importHostile();
    const twin = await loadGeneratedModule({ javascript: generateModule(result.plan!, { sources: [HOSTILE_FILE], flavour: 'javascript' }) }, 'm.ts');

    // THEN
    const view = (d: Declaration): unknown => d.catalog.targets.map((t) => [t.name, t.secretKeys, t.templateData]);
    expect(view(compiled)).toStrictEqual(view((twin as { declaration: Declaration }).declaration));
    expect(compiled.catalog.targets[3].templateData).toStrictEqual({
      toString: '*/ {{ .constructor }} // \u2028 \r\n \u202e end',
      config: 'line one */\nuser = {{ .k }}\n`${HOME}`\n',
    });
  });

  test('the twin is the module line for line, differing only in the import, export and type lines', async () => {
    // GIVEN
    const result = await importHostile();
    const ts = result.module!.split('\n');
    const js = generateModule(result.plan!, { sources: [HOSTILE_FILE], flavour: 'javascript' }).split('\n');

    // THEN
    expect(js.length).toBe(ts.length);
    const differing = ts.map((line, i) => [line, js[i]]).filter(([a, b]) => a !== b);
    expect(differing).toStrictEqual([
      [ts[0], `'use strict'; ${ts[0]}`],
      ['import type { Declaration, PlatformSettings } from \'homelab-secrets\';', ''],
      ['import { SecretCatalog } from \'homelab-secrets\';', 'const { SecretCatalog } = require(\'homelab-secrets\');'],
      ['export function importedCatalog(): SecretCatalog {', 'exports.importedCatalog = importedCatalog; function importedCatalog() {'],
      ['export const IMPORTED_SETTINGS: PlatformSettings = {', 'const IMPORTED_SETTINGS = exports.IMPORTED_SETTINGS = {'],
      ['export function importedDeclaration(): Declaration {', 'exports.importedDeclaration = importedDeclaration; function importedDeclaration() {'],
    ]);
  });
});

describe('a module that does not load fails --verify', () => {
  test('a syntax error, an exception while it runs, a missing export: each named, with its line', async () => {
    // WHEN
    const syntax = await loadGeneratedModule({ javascript: '\'use strict\';\nfunction importedCatalog() {\n  const eval = 1;\n}\n' }, 'catalog.ts');
    const throws = await loadGeneratedModule({ javascript: '\'use strict\';\nexports.importedDeclaration = () => {\n  throw new TypeError(\'boom\');\n};\n' }, 'catalog.ts');
    const missing = await loadGeneratedModule({ javascript: 'exports.other = 1;\n' }, 'catalog.ts');
    const imports = await loadGeneratedModule({ javascript: 'require(\'child_process\');\n' }, 'catalog.ts');

    // THEN
    const twin = 'as its JavaScript twin (no TypeScript compiler in this project)';
    expect(syntax).toStrictEqual({ loadedWith: twin, error: 'SyntaxError: Unexpected eval or arguments in strict mode (line 3)' });
    expect(throws).toStrictEqual({ loadedWith: twin, error: 'importedDeclaration() throws: TypeError: boom (line 3)' });
    expect(missing).toStrictEqual({ loadedWith: twin, error: 'it does not export importedDeclaration()' });
    expect(imports).toStrictEqual({ loadedWith: twin, error: 'Error: the module requires "child_process": a generated module imports only from homelab-secrets (line 1)' });
  });

  test('TypeScript\'s diagnostics are the error where the project has a compiler', async () => {
    // GIVEN
    const typescript = projectTypeScript(process.cwd())!;

    // WHEN
    const loaded = await loadGeneratedModule({ typescript: 'export const x = 1;\nexport const y: = 2;\n', compiler: typescript }, 'catalog.ts');

    // THEN
    expect(loaded).toStrictEqual({ loadedWith: `compiled with TypeScript ${typescript.version}`, error: 'line 2: Type expected.' });
  });

  test('the round trip then reports it, compares nothing and fails', async () => {
    // GIVEN a compiler that breaks what it compiles
    const real = projectTypeScript(process.cwd())!;
    const breaking: TypeScriptCompiler = { ...real, version: 'broken', transpileModule: (input, options) => ({ outputText: `${real.transpileModule(input, options).outputText}\nconst let = 1;\n` }) };

    // WHEN
    const result = await importHostile(breaking);

    // THEN
    expect(result.module).toBe(readFileSync(join(__dirname, 'expected', HOSTILE_MODULE), 'utf8'));
    expect(roundTripPassed(result.roundTrip!)).toBe(false);
    expect(formatRoundTrip(result.roundTrip!)).toMatch(/^round trip: the generated module does not load, so nothing was compared: SyntaxError: (let is disallowed as a lexically bound name|Unexpected strict mode reserved word) \(line \d+\) \(compiled with TypeScript broken\)$/);
  });
});

describe('a module the library cannot synthesize fails --verify', () => {
  test('the library\'s error is the round trip\'s one line, never a stack trace', async () => {
    // GIVEN a compiler whose module declares settings the library refuses
    const real = projectTypeScript(process.cwd())!;
    const wrong: TypeScriptCompiler = {
      ...real,
      transpileModule: (input, options) => ({
        outputText: `${real.transpileModule(input, options).outputText}\nexports.importedDeclaration = () => ({ catalog: importedCatalog(), settings: { vault: { namespace: 'Not A Label' } } });\n`,
      }),
    };

    // WHEN
    const result = await importHostile(wrong);

    // THEN
    expect(roundTripPassed(result.roundTrip!)).toBe(false);
    const line = formatRoundTrip(result.roundTrip!);
    expect(line).toMatch(/^round trip: the library cannot synthesize what the module declares, so nothing was compared: .*settings\.vault: namespace \"Not A Label\"/);
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
