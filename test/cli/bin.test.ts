import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DECLARATION_ENV, declarationOf, findDeclarationModule, loadDeclaration } from '../../lib/cli/bin';
import { CliError } from '../../lib/cli';
import { MissingPeerError } from '../../lib/synth';
import { fixtureDeclaration } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..');

/** Runs the package's bin over the TypeScript sources, as `npx homelab-secrets` runs the compiled one. */
function bin(args: string[], env: Record<string, string>, cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the package\'s bin', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-bin-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('finds the declaration module in the environment first, then in the nearest package.json', () => {
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lab', homelabSecrets: { declaration: 'dist/declaration.js' } }));
    expect(findDeclarationModule(join(dir, 'sub', 'deeper'), {})).toBe(join(dir, 'dist/declaration.js'));
    expect(findDeclarationModule(join(dir, 'sub'), { [DECLARATION_ENV]: 'other.js' })).toBe(join(dir, 'sub', 'other.js'));
    expect(findDeclarationModule(tmpdir(), {})).toBeUndefined();
  });

  test('takes the exported declaration, or calls the exported function', () => {
    const declaration = fixtureDeclaration();
    expect(declarationOf({ declaration })).toBe(declaration);
    expect(declarationOf({ default: () => declaration })).toBe(declaration);
    expect(declarationOf({ other: 1 })).toBeUndefined();
  });

  test('runs a command over the declaration the project names', () => {
    const result = bin(['table'], { [DECLARATION_ENV]: join(ROOT, 'test/support/fixture-declaration.ts') });
    expect([result.code, result.stderr]).toStrictEqual([0, '']);
    expect(result.stdout).toContain('| `apps/db` | `user`, `password` | `db-credentials` | `apps` | Owner |');
  });

  test('import runs without a declaration: it writes one', () => {
    // GIVEN a folder with no package.json and no HOMELAB_SECRETS_DECLARATION, and a store on stdin
    const store = 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a, namespace: n }\nspec:\n  secretStoreRef: { kind: ClusterSecretStore, name: vault-backend }\n'
      + '  data: [{ secretKey: k, remoteRef: { key: apps/a, property: k } }]\n';
    writeFileSync(join(dir, 'es.yaml'), store);

    // WHEN
    const result = bin(['import', 'es.yaml', '--mount', 'kv'], {}, dir);

    // THEN
    expect([result.code, result.stderr]).toStrictEqual([0, '']);
    expect(result.stdout).toContain("  catalog.path('apps/a', ['k'])\n    .syncTo({ name: 'a', namespace: 'n' });\n");
  });

  describe('the declaration module\'s own errors', () => {
    /** Writes `source` as decl.js (requiring the library's catalog) and runs `table` over it. */
    function over(source: string[], name = 'decl.js'): { code: number | null; stdout: string; stderr: string } {
      writeFileSync(join(dir, name), [`const { SecretCatalog } = require(${JSON.stringify(join(ROOT, 'lib/catalog/index.ts'))});`, ...source, ''].join('\n'));
      return bin(['table'], { [DECLARATION_ENV]: join(dir, name) }, dir);
    }

    test('an exception at its top level: the declaration\'s error, with its file and line, exit 1', () => {
      expect(over([
        'const catalog = new SecretCatalog({ mount: "kv" });',
        'const keys = undefined;',
        'catalog.path("apps/db", keys.slice());',
        'exports.declaration = { catalog, settings: {} };',
      ])).toStrictEqual({ code: 1, stdout: '', stderr: 'homelab-secrets: the declaration threw at decl.js:4:30: TypeError: Cannot read properties of undefined (reading \'slice\')\n' });
    });

    test('an exception in the exported function, or in a template function it declares: the same, exit 1', () => {
      expect(over([
        'exports.declaration = () => {',
        '  const catalog = new SecretCatalog({ mount: "kv" });',
        '  catalog.path("apps/db", ["url"]).syncTo({ name: "db", namespace: "apps", template: () => { throw new RangeError("no URL"); } });',
        '  return { catalog, settings: {} };',
        '};',
      ])).toStrictEqual({ code: 1, stdout: '', stderr: 'homelab-secrets: the declaration threw at decl.js:4:100: RangeError: no URL\n' });
    });

    test('a module that does not parse: exit 2, with the place and the fix', () => {
      const result = over(['exports.declaration = {;']);
      expect(result).toStrictEqual({ code: 2, stdout: '', stderr: `homelab-secrets: the declaration module ${join(dir, 'decl.js')} is not a module JavaScript can load (decl.js:2: Unexpected token ';'): fix it, and build the project again\n` });
    });

    test('a module that exports no declaration, or something else under its name: exit 2, with the fix', () => {
      expect(over(['exports.other = 1;']).stderr).toBe(`homelab-secrets: ${join(dir, 'decl.js')} exports no declaration: export \`declaration\` (a Declaration, or a function returning one)\n`);
      expect(over(['exports.declaration = () => ({ settings: {} });'])).toStrictEqual({
        code: 2, stdout: '', stderr: `homelab-secrets: ${join(dir, 'decl.js')} exports a \`declaration\` that is not one (it has no catalog): it must be { catalog, settings } with a SecretCatalog (or a function returning that)\n`,
      });
    });

    // Found by the sweep: a Proxy exported as the declaration was entered (its trap's stack printed by
    // Node), a plain object with a validate function passed for a catalog (table then failed with a
    // TypeError, exit 70), and a catalog's own validate replaced by the module ran (and threw, exit 70).
    test('a declaration that is a Proxy, or whose catalog is not a SecretCatalog: exit 2, naming what it is', () => {
      const notOne = (what: string): string => `homelab-secrets: ${join(dir, 'decl.js')} exports a \`declaration\` that is not one (${what}): it must be { catalog, settings } with a SecretCatalog (or a function returning that)\n`;
      expect(over(["exports.declaration = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });"]))
        .toStrictEqual({ code: 2, stdout: '', stderr: notOne('it is a Proxy') });
      expect(over(['exports.declaration = { catalog: { validate() { return []; } }, settings: {} };']))
        .toStrictEqual({ code: 2, stdout: '', stderr: notOne('its catalog is {"validate":a function}') });
      // (a class of that name, as another copy of the package has: instanceof tells them apart)
      expect(over(['exports.declaration = { catalog: new (class SecretCatalog { validate() { return []; } })(), settings: {} };']))
        .toStrictEqual({ code: 2, stdout: '', stderr: notOne('its catalog is a SecretCatalog of another copy of homelab-secrets (npm ls homelab-secrets)') });
    });

    test('a catalog whose validate the module replaced: the catalog\'s own validator runs, not the replacement', () => {
      const result = over([
        'const catalog = new SecretCatalog({ mount: "kv" });',
        'catalog.path("apps/db", ["a b"]).syncTo({ name: "db", namespace: "apps" });',
        'catalog.validate = () => { throw new Error("mine"); };',
        'exports.declaration = { catalog, settings: {} };',
      ]);
      expect(result).toStrictEqual({ code: 2, stdout: '', stderr: 'homelab-secrets: 1 error in the secret catalog and its settings:\n  - apps/db: key "a b" must match ^[-._a-zA-Z0-9]+$\n' });
    });

    test('a module the declaration imports that does not exist: exit 2, naming it and where it is imported', () => {
      expect(over(["require('./lib/missing-homelab');", 'exports.declaration = {};'])).toStrictEqual({
        code: 2, stdout: '', stderr: 'homelab-secrets: the module "./lib/missing-homelab" imported at decl.js:2:1 does not exist: build it, install it, or fix the import\n',
      });
    });

    // (in-process: Node itself reads the working folder's package.json to load this test's -r preload; the
    // installed bin's package scope is its own package, and the sweep runs it so)
    test('a package.json that is not JSON, or names the declaration with no path: exit 2, naming the file', () => {
      writeFileSync(join(dir, 'package.json'), '{ "homelabSecrets": { "declaration": "decl.js" }, }\n');
      expect(() => findDeclarationModule(dir, {})).toThrow(new CliError(`"${join(dir, 'package.json')}" cannot be read as JSON (Expected double-quoted property name in JSON at position 50): fix it, or name the declaration module with HOMELAB_SECRETS_DECLARATION`));
      writeFileSync(join(dir, 'package.json'), '{ "homelabSecrets": { "declaration": 42 } }\n');
      expect(() => findDeclarationModule(dir, {})).toThrow(new CliError(`"${join(dir, 'package.json')}" names the declaration module with 42: "homelabSecrets": { "declaration": "<compiled module>" } takes a path`));
    });

    test('a peer dependency the project did not install, when the module loads or its function runs: the one line, exit 2', () => {
      // GIVEN a module that imports homelab-secrets/tf where cdktf is not installed (test/optional-peers.test.ts runs that for real)
      writeFileSync(join(dir, 'decl.js'), '');
      const missing = new MissingPeerError('homelab-secrets/tf', [{ name: 'cdktf', range: '^0.21.0', neededFor: 'every Terraform stack' }]);
      const line = "homelab-secrets/tf needs cdktf (for every Terraform stack), which is not installed: npm install 'cdktf@^0.21.0'";

      // WHEN / THEN
      expect(loadDeclaration(join(dir, 'decl.js'), () => {
        throw missing;
      })).toStrictEqual({ exitCode: 2, message: line });
      expect(loadDeclaration(join(dir, 'decl.js'), () => ({
        declaration: () => {
          throw missing;
        },
      }))).toStrictEqual({ exitCode: 2, message: line });
    });

    test('a module that does not exist: exit 2, with the fix', () => {
      expect(bin(['table'], { [DECLARATION_ENV]: join(dir, 'dist/missing.js') }, dir)).toStrictEqual({
        code: 2, stdout: '', stderr: `homelab-secrets: the declaration module ${join(dir, 'dist/missing.js')} does not exist: build the project first\n`,
      });
    });
  });

  test('without a declaration, says how to name one and exits 2', () => {
    const result = bin(['table'], {}, dir);
    expect(result).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'homelab-secrets: no declaration to work from: set "homelabSecrets": { "declaration": "<compiled module>" } in package.json, or HOMELAB_SECRETS_DECLARATION\n',
    });
  });
});
