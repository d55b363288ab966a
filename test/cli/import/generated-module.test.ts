import { readFileSync, readdirSync } from 'node:fs';
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

/** Imports a folder as the CLI does, naming it as the CLI's header names its inputs (`stdin` for a stream). */
async function importFolder(input: string, options: { namespace?: string; source?: string } = {}): Promise<ImportResult> {
  const files = listInputFiles([input], ROOT);
  const { source, ...rest } = options;
  // A folder is read as the CLI reads it: its kustomizations and Flux Kustomizations place the objects.
  const folders = source === 'stdin' ? [] : [input];
  return importTexts(files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') })), { ...rest, sources: [source ?? input], folders });
}

/** Each input and the committed module its import must print (test/cli/import/expected/). */
const INPUTS = {
  seed: { input: 'manifests', module: 'seed.module.ts' },
  homelabRepo: { input: `${FIXTURES}/homelab-repo`, module: 'homelab-repo.module.ts' },
  externalVault: { input: `${FIXTURES}/external-vault`, namespace: 'monitoring', source: 'stdin', module: 'external-vault.module.ts' },
  mountInKeys: { input: `${FIXTURES}/mount-in-keys`, module: 'mount-in-keys.module.ts' },
  namespaceIsolation: { input: `${FIXTURES}/namespace-isolation`, module: 'namespace-isolation.module.ts' },
  argocdRepo: { input: `${FIXTURES}/argocd-repo`, module: 'argocd-repo.module.ts' },
  fluxRepo: { input: `${FIXTURES}/flux-repo`, module: 'flux-repo.module.ts' },
} as const;
type InputName = keyof typeof INPUTS;

/**
 * The generated modules are committed as .ts files under expected/, so that `npm test`'s own
 * `tsc --noEmit` type-checks them under the repository's strict tsconfig (`homelab-secrets` maps to
 * lib/index.ts through `paths`, and jest's moduleNameMapper does the same when they are loaded).
 * Each import must print its committed module exactly, so a module that does not compile fails.
 */
describe('the generated module', () => {
  const results = {} as Record<InputName, ImportResult>;
  const modules = {} as Record<InputName, GeneratedModule>;

  beforeAll(async () => {
    for (const [name, { input, module, ...options }] of Object.entries(INPUTS) as [InputName, { input: string; module: string; namespace?: string; source?: string }][]) {
      results[name] = await importFolder(input, options);
      modules[name] = require(join(__dirname, 'expected', module)) as GeneratedModule;
    }
  });

  test.each(Object.keys(INPUTS) as InputName[])('%s: the import prints its committed module exactly, importing only the package name', (name) => {
    expect(results[name].module).toBe(readFileSync(join(__dirname, 'expected', INPUTS[name].module), 'utf8'));
    const imports = [...results[name].module!.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toStrictEqual(['homelab-secrets', 'homelab-secrets']);
  });

  test('the committed modules are type-checked by npm test: the strict tsconfig includes them', () => {
    const tsconfig = readFileSync(join(ROOT, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toContain('"test/**/*.ts"');
    expect(tsconfig).toContain('"homelab-secrets": ["./lib/index.ts"]');
    expect(Object.values(INPUTS).every((i) => i.module.endsWith('.ts'))).toBe(true);
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

  test('the seed homelab\'s Argo CD Applications are skipped with a note; its store\'s conditions are exactly its ExternalSecrets\' namespaces', () => {
    expect(results.seed.notes.map((n) => `${n.file} ${n.document} ${n.object}: ${n.text}`)).toStrictEqual([
      'manifests/argocd-applications.yaml 1 Application argocd/vault: is not an External Secrets Operator object: skipped',
      'manifests/argocd-applications.yaml 2 Application argocd/external-secrets: is not an External Secrets Operator object: skipped',
      'manifests/argocd-applications.yaml 3 Application argocd/reloader: is not an External Secrets Operator object: skipped',
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
