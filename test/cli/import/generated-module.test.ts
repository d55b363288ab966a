import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOMELAB_SETTINGS } from '../../../apps/homelab';
import type { Declaration, PlatformSettings, SecretCatalog } from '../../../lib/catalog';
import { buildDeclaration, compareRoundTrip, importTexts, listInputFiles, readDocuments, synthesizeEsoDocuments } from '../../../lib/cli/import';
import type { ImportResult } from '../../../lib/cli/import';
import { manifestsPart } from '../../../lib/k8s';
import { synthPartToTree } from '../../support/synth';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = 'test/cli/import/fixtures';

/** The shape every generated module has. */
interface GeneratedModule {
  importedCatalog(): SecretCatalog;
  readonly IMPORTED_SETTINGS: PlatformSettings;
  importedDeclaration(): Declaration;
}

async function importFolder(input: string, options: { namespace?: string } = {}): Promise<ImportResult> {
  const files = listInputFiles([input], ROOT);
  return importTexts(files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') })), options);
}

const INPUTS = {
  seed: { input: 'manifests' },
  homelabRepo: { input: `${FIXTURES}/homelab-repo` },
  externalVault: { input: `${FIXTURES}/external-vault`, namespace: 'monitoring' },
  mountInKeys: { input: `${FIXTURES}/mount-in-keys` },
  namespaceIsolation: { input: `${FIXTURES}/namespace-isolation` },
} as const;
type InputName = keyof typeof INPUTS;

/**
 * The generated modules, compiled with the repository's strict tsconfig against lib/ (the package
 * name mapped to lib/index.ts by `paths`), then loaded: a folder inside the repository, so that
 * `homelab-secrets` resolves through a node_modules shim to the same lib/ the test imports.
 */
describe('the generated module', () => {
  let dir: string;
  const results = {} as Record<InputName, ImportResult>;
  const modules = {} as Record<InputName, GeneratedModule>;
  let tsc: { status: number | null; output: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(ROOT, '.import-compile-'));
    for (const [name, { input, ...options }] of Object.entries(INPUTS) as [InputName, { input: string; namespace?: string }][]) {
      results[name] = await importFolder(input, options);
      writeFileSync(join(dir, `${name}.ts`), results[name].module!);
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, incremental: false, baseUrl: '..', paths: { 'homelab-secrets': ['lib/index.ts'] } },
      include: ['*.ts'],
    }));
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    tsc = { status: run.status, output: run.stdout + run.stderr };
    const shim = join(dir, 'node_modules', 'homelab-secrets');
    mkdirSync(shim, { recursive: true });
    writeFileSync(join(shim, 'index.js'), `module.exports = require(${JSON.stringify(join(ROOT, 'lib', 'index.ts'))});\n`);
    for (const name of Object.keys(INPUTS) as InputName[]) modules[name] = require(join(dir, `${name}.ts`)) as GeneratedModule;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('compiles under the repository\'s strict tsconfig, importing only the package name', () => {
    expect(tsc).toStrictEqual({ status: 0, output: '' });
    for (const name of Object.keys(INPUTS) as InputName[]) {
      const imports = [...results[name].module!.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports).toStrictEqual(['homelab-secrets', 'homelab-secrets']);
    }
  });

  test('the seed homelab\'s committed manifests, imported back, synthesize byte-identical ESO manifests', () => {
    // GIVEN the module imported from manifests/, with the homelab's settings
    const declaration = { catalog: modules.seed.importedCatalog(), settings: HOMELAB_SETTINGS };

    // WHEN
    const tree = synthPartToTree(declaration, (target) => manifestsPart(target));

    // THEN the store and every namespace's ExternalSecrets, byte for byte
    const committed = readdirSync(join(ROOT, 'manifests')).filter((f) => f === 'cluster-secret-store.yaml' || f.startsWith('externalsecrets-')).sort();
    expect(Object.keys(tree).sort()).toStrictEqual(committed);
    for (const file of committed) expect([file, tree[file]]).toStrictEqual([file, readFileSync(join(ROOT, 'manifests', file), 'utf8')]);
  });

  test('the seed homelab\'s Argo CD Applications are skipped with a note, and the store\'s conditions noted', () => {
    expect(results.seed.notes.map((n) => `${n.file} ${n.document} ${n.object}: ${n.text}`)).toStrictEqual([
      'manifests/argocd-applications.yaml 1 Application argocd/vault: is not an External Secrets Operator object: skipped',
      'manifests/argocd-applications.yaml 2 Application argocd/external-secrets: is not an External Secrets Operator object: skipped',
      'manifests/argocd-applications.yaml 3 Application argocd/reloader: is not an External Secrets Operator object: skipped',
      'manifests/cluster-secret-store.yaml 1 ClusterSecretStore vault-backend: spec.conditions is not imported: the library limits the store to the namespaces the catalog writes to',
    ]);
  });

  test('the seed homelab\'s own settings come back as the defaults they are', () => {
    expect(modules.seed.IMPORTED_SETTINGS).toStrictEqual({});
    expect(synthPartToTree(modules.seed.importedDeclaration(), (target) => manifestsPart(target))['cluster-secret-store.yaml'])
      .toBe(readFileSync(join(ROOT, 'manifests', 'cluster-secret-store.yaml'), 'utf8'));
  });

  test.each(Object.keys(INPUTS) as InputName[])('%s: the compiled module round-trips exactly, and synthesizes what --verify synthesizes', async (name) => {
    // GIVEN the input's ExternalSecrets as the import read them
    const result = results[name];
    const input = result.plan!.targets.map((t) => ({ ...t.from, namespace: t.namespace }));

    // WHEN the compiled module and the in-memory declaration of --verify are synthesized
    const compiled = await synthesizeEsoDocuments(modules[name].importedDeclaration());
    const interpreted = await synthesizeEsoDocuments(buildDeclaration(result.plan!));

    // THEN
    expect(compareRoundTrip(input, readDocuments(compiled).externalSecrets)).toStrictEqual({ compared: input.length, equal: input.length, differences: [] });
    expect(compiled).toStrictEqual(interpreted);
  });
});
