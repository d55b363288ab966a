// `homelab-secrets import` of a repository folder with a real kustomize: the one on PATH (`kustomize`, or
// the one kubectl embeds). The import reads kustomizations itself where none is installed; this proves
// that reading against the real one on the fixture repositories: the same module, the same exact round
// trip, only the origins of the notes differ (`kustomize build <folder> document n`).
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { SecretCatalog } from '../../lib/catalog';
import { type CliContext, nodeContext, runCli } from '../../lib/cli';
import { EXIT } from '../../lib/cli/exit-codes';
import { findKustomize } from '../../lib/cli/import';

const FIXTURES = 'test/cli/import/fixtures';
const EXPECTED = join(__dirname, '..', 'cli', 'import', 'expected');

/** Runs the CLI with the real environment and child processes, capturing its output. */
async function importWithRealTools(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const real = nodeContext({ catalog: new SecretCatalog({ mount: 'kv' }), settings: {} });
  const ctx: CliContext = { ...real, stdout: { write: (s: string) => void (stdout += s) }, stderr: { write: (s: string) => void (stderr += s) } } as CliContext;
  const code = await runCli(ctx, ['import', ...argv]);
  return { code, stdout, stderr };
}

/** Whether an executable `name` is on PATH: decided before the tests, so that they are skipped, not passed, without one. */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Under CI the kubectl `npm run engines` builds (the cluster's, v1.34.4) is first on PATH (.ci/run
 * sources scripts/engines-env.sh), and the import must find it: never skipped, never another one.
 */
const UNDER_CI = process.env.CI === 'true';
const ENGINES_KUBECTL = join(process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines'), 'bin', 'kubectl');

const available = onPath('kustomize') || onPath('kubectl');
if (!available && !UNDER_CI) process.stderr.write('no kustomize (nor kubectl) on PATH, so the import\'s reading of kustomizations is not checked against a real one: skipped\n');
const maybe = available || UNDER_CI ? describe : describe.skip;

maybe('import of a repository folder with a real kustomize', () => {
  let kustomize: NonNullable<Awaited<ReturnType<typeof findKustomize>>>;
  beforeAll(async () => {
    const found = await findKustomize(process.env, nodeContext({ catalog: new SecretCatalog({ mount: 'kv' }), settings: {} }).run);
    if (!found) throw new Error(available ? 'kustomize or kubectl is on PATH, but reports no kustomize version' : 'CI: no kustomize (nor kubectl) on PATH: source scripts/engines-env.sh after `npm run engines`');
    kustomize = found;
  });

  if (UNDER_CI) {
    test('CI: the kustomize is the one of the engines\' kubectl', () => {
      expect(kustomize.description).toMatch(new RegExp(`^kustomize v\\d+\\.\\d+\\.\\d+ \\(${ENGINES_KUBECTL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} kustomize\\)$`));
    });
  }

  test.each(['argocd-repo', 'flux-repo', 'homelab-repo'])('%s: the same module and the same exact round trip as reading the kustomizations', async (repo) => {
    // WHEN
    const { code, stdout, stderr } = await importWithRealTools(`${FIXTURES}/${repo}`, '--verify');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe(readFileSync(join(EXPECTED, `${repo}.module.ts`), 'utf8'));
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(`note: ${FIXTURES}/${repo}: namespaces resolved from the kustomizations and Flux Kustomizations with ${kustomize.description}`);
    const roundTrip = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('round trip:') || l.startsWith('  - '));
    expect(roundTrip(stderr)).toStrictEqual(roundTrip(readFileSync(join(EXPECTED, `${repo}.stderr.txt`), 'utf8')));
  });

  test('--no-kustomize reads the kustomization files even with a kustomize installed', async () => {
    const { code, stderr } = await importWithRealTools(`${FIXTURES}/flux-repo`, '--verify', '--no-kustomize');
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(readFileSync(join(EXPECTED, 'flux-repo.stderr.txt'), 'utf8'));
  });

  test('a kustomization folder named like an option, with a space and a line break, is built as that folder', async () => {
    // GIVEN a repository whose overlay folder is "-k dir\nx", imported from its own folder: kustomize gets a relative name
    const root = mkdtempSync(join(tmpdir(), 'import-hostile-kustomize-'));
    const overlay = join(root, '-k dir\nx');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(join(root, 'store.yaml'), [
      'apiVersion: external-secrets.io/v1', 'kind: ClusterSecretStore', 'metadata: { name: vault }', 'spec:', '  provider:', '    vault:',
      '      server: http://vault.vault.svc:8200', '      path: kv',
      '      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }',
      '  conditions: [{ namespaces: [apps] }]', '',
    ].join('\n'));
    writeFileSync(join(overlay, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources: [es.yaml]\n');
    writeFileSync(join(overlay, 'es.yaml'), [
      'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: db }', 'spec:', '  secretStoreRef: { kind: ClusterSecretStore, name: vault }',
      '  data: [{ secretKey: password, remoteRef: { key: apps/db, property: password } }]', '',
    ].join('\n'));
    const cwd = process.cwd();

    // WHEN
    process.chdir(root);
    let result: Awaited<ReturnType<typeof importWithRealTools>>;
    try {
      result = await importWithRealTools('.', '--verify');
    } finally {
      process.chdir(cwd);
    }

    // THEN kustomize placed the ExternalSecret in the overlay's namespace, and the round trip is exact
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain("  // --- apps ---");
    expect(result.stderr.split('\n')[0]).toBe(`note: .: namespaces resolved from the kustomizations and Flux Kustomizations with ${kustomize.description}`);
    expect(result.stderr).toContain('round trip: 1 of 1 ExternalSecret synthesize the same');
  });
});
