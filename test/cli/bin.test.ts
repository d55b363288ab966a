import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DECLARATION_ENV, declarationOf, findDeclarationModule } from '../../lib/cli/bin';
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

  test('without a declaration, says how to name one and exits 2', () => {
    const result = bin(['table'], {}, dir);
    expect(result).toStrictEqual({
      code: 2,
      stdout: '',
      stderr: 'homelab-secrets: no declaration to work from: set "homelabSecrets": { "declaration": "<compiled module>" } in package.json, or HOMELAB_SECRETS_DECLARATION\n',
    });
  });
});
