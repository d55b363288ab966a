// Kills: a synth replacing old outputs (declaration v1) with new ones (v2) gets SIGKILL at each step
// of its swap (strace makes the n-th link, rename, unlink or rmdir fail and delivers SIGKILL instead,
// so that call never happens), at random times, and while it recovers an interrupted swap; then a
// second synth runs. After the kill every output is wholly old or wholly new (a folder between its two
// renames: absent, with its whole old copy and the journal beside it); after the second synth every
// output is wholly new and nothing is left beside them. import --out is killed the same way.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Need, type SweepCase, type SweepContext } from '../case';
import type { Execution, Finding } from '../model';
import { type Project, codeCacheEnv, contentsOf, declarationModule } from '../project';

/** The old declaration: the fixture's two paths. */
export const V1_BODY = [
  "  const catalog = new SecretCatalog({ mount: 'kv' });",
  "  catalog.path('apps/db', ['user', 'password']).syncTo({ name: 'db-credentials', namespace: 'apps' });",
  "  catalog.path('apps/oidc', ['clientSecret']).syncTo({ name: 'portal-secret', namespace: 'portal', creationPolicy: 'Merge' });",
  '  return { catalog, settings: SETTINGS };',
].join('\n');

/** The new one: a namespace gone, another added, more paths, no KMS (one stack fewer). */
export const V2_BODY = [
  "  const catalog = new SecretCatalog({ mount: 'kv' });",
  "  catalog.path('apps/db', ['user', 'password', 'port']).syncTo({ name: 'db-credentials', namespace: 'apps' });",
  "  for (let i = 0; i < 5; i++) catalog.path('media/app' + i, ['api-key']).syncTo({ name: 'app' + i, namespace: 'media' });",
  "  return { catalog, settings: { vault: { storageClass: 'local-path', storageSize: '5Gi' } } };",
].join('\n');

/** The reference outputs the kill cases compare with, made once per sweep. */
export const REFERENCES = { v1: V1_BODY, v2: V2_BODY } as const;

/** The outputs, as each one is compared. */
const OUTPUTS = [
  { name: 'manifests', kind: 'dir' as const, files: (root: string) => contentsOf(join(root, 'manifests')) },
  { name: 'cdktf.out', kind: 'dir' as const, files: (root: string) => contentsOf(join(root, 'cdktf.out')) },
  {
    name: 'docs/secrets.md',
    kind: 'file' as const,
    files: (root: string) => Object.fromEntries(['secrets.md', '.secrets.md.homelab-secrets-synth']
      .filter((f) => existsSync(join(root, 'docs', f))).map((f) => [f, contentsOf(join(root, 'docs'), (rel) => rel !== f)[f]])),
  },
];

const same = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Where each output stands after a kill: old, new, or for a folder between its renames absent with its
 * old copy and a journal. Where there were no old outputs (`firstSynth`), old is absent.
 */
function afterKill(p: Project, ctx: SweepContext, firstSynth: boolean): Finding[] {
  const problems: Finding[] = [];
  const v1 = ctx.references.get('v1')!;
  const v2 = ctx.references.get('v2')!;
  for (const output of OUTPUTS) {
    const now = output.files(p.dir);
    const old = firstSynth ? {} : output.files(v1);
    if (same(now, old) || same(now, output.files(v2))) continue;
    if (output.kind === 'dir' && Object.keys(now).length === 0 && !p.exists(output.name)) {
      const old = readdirSync(p.dir).find((n) => n.startsWith(`.${output.name}.old-`));
      const whole = old !== undefined && same(contentsOf(p.path(old)), output.files(v1));
      if (whole && p.exists(`.${output.name}.synth-journal`)) continue;
      problems.push({ outcome: 'data loss', text: `after the kill ${output.name} is absent without its whole old copy and a journal beside it` });
      continue;
    }
    problems.push({ outcome: 'data loss', text: `after the kill ${output.name} is neither wholly old nor wholly new (${Object.keys(now).length} files)` });
  }
  return problems;
}

/** After the last synth: every output wholly `version`, and no staging, old copy or journal left beside them. */
function wholly(p: Project, ctx: SweepContext, version: 'v1' | 'v2'): Finding[] {
  const reference = ctx.references.get(version)!;
  const problems: Finding[] = OUTPUTS.filter((o) => !same(o.files(p.dir), o.files(reference)))
    .map((o) => ({ outcome: 'data loss' as const, text: `after the second synth ${o.name} is not wholly ${version === 'v2' ? 'new' : 'old'}` }));
  const leftovers = [...readdirSync(p.dir), ...(p.exists('docs') ? readdirSync(p.path('docs')).map((n) => `docs/${n}`) : [])]
    .filter((n) => /\.(staging|old)-\d+$|synth-journal/.test(n));
  if (leftovers.length > 0) problems.push({ outcome: 'data loss', text: `left beside the outputs: ${leftovers.join(', ')}` });
  return problems;
}

/** The outputs of `version`, copied in as a synth left them (records included). */
function outputsOf(p: Project, ctx: SweepContext, version: 'v1' | 'v2'): void {
  const from = ctx.references.get(version)!;
  for (const entry of ['manifests', 'cdktf.out', 'docs']) spawnSync('cp', ['-a', join(from, entry), p.dir]);
}

/** The synth under strace: the `n`-th call of `syscall` fails and SIGKILL is delivered, so that call never happens. */
function killedAt(p: Project, ctx: SweepContext, syscall: string, n: number, env: Record<string, string> = {}): Promise<Execution> {
  return ctx.exec(p, {
    argv: ['strace', '-qq', '-f', '-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:error=EINTR:signal=SIGKILL:when=${n}`, process.execPath, 'scripts/synth.mjs', 'apps/sweep'],
    env,
  });
}

/** The synth killed after `ms` milliseconds (if it still runs). */
function killedAfter(p: Project, ctx: SweepContext, ms: number): Promise<Execution> {
  void ctx;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/synth.mjs', 'apps/sweep'], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...codeCacheEnv(), PATH: p.pathWithStandIns() } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: '', stderr, timedOut: false });
    });
  });
}

const wasKilled = (run: Execution): boolean => run.signal === 'SIGKILL' || run.status === 137;

/**
 * A kill case: v1's outputs, a v2 declaration, the synth killed by `kill`; then (after the checks of
 * the killed state) a second synth of `then`, whose outcome is the case's.
 */
function killCase(name: string, what: string, kill: (p: Project, ctx: SweepContext) => Promise<Execution>, options: { then?: 'v1' | 'v2'; mustKill?: boolean; firstSynth?: boolean; needs?: readonly Need[] } = {}): SweepCase {
  const then = options.then ?? 'v2';
  const findings = new WeakMap<Project, Finding[]>();
  return {
    id: `kill/${name}`,
    kind: 'kill',
    what,
    expect: 'accepted',
    needs: options.needs ?? ['strace'],
    // (the case itself writes the declaration of the second synth)
    outputs: ['manifests/', 'cdktf.out/', 'docs/', ...(then === 'v1' ? ['decl.js'] : [])],
    checkOutputs: false,
    setup: (p, ctx) => {
      if (!options.firstSynth) outputsOf(p, ctx, 'v1');
      p.declaration(V2_BODY);
    },
    run: async (p, ctx) => {
      const killed = await kill(p, ctx);
      const found: Finding[] = [];
      if (options.mustKill !== false && !wasKilled(killed)) throw new Error(`the synth was not killed (exit ${killed.status}): the kill point is past its last step`);
      if (!wasKilled(killed) && killed.status !== 0) found.push({ outcome: 'crash', text: `the synth to be killed failed first: ${killed.stderr.slice(0, 300)}` });
      found.push(...afterKill(p, ctx, options.firstSynth === true));
      if (then === 'v1') p.declaration(V1_BODY);
      const second = await ctx.exec(p, p.synth());
      findings.set(p, found);
      // The second synth says what it recovered: a note, not an error.
      return { ...second, stderr: second.stderr.replace(/^homelab-secrets: a synth \(pid \d+\) was interrupted [^\n]*\n/gm, '') };
    },
    check: (p, _run, ctx) => [...(findings.get(p) ?? []), ...wholly(p, ctx, then)],
  };
}

/** The swap's steps, in order (3 outputs: manifests and cdktf.out folders, docs/secrets.md and its record). */
const SWAP_STEPS: readonly (readonly [string, number, string])[] = [
  ['link', 1, 'publishing the first journal'],
  ['unlink', 1, 'removing the first journal\'s temporary file'],
  ['link', 2, 'publishing the second journal'],
  ['link', 3, 'publishing the third journal'],
  ['rename', 1, 'setting manifests/ aside'],
  ['rename', 2, 'moving the new manifests/ in (old one aside)'],
  ['rename', 3, 'setting cdktf.out/ aside (manifests/ new)'],
  ['rename', 4, 'moving the new cdktf.out/ in (old one aside)'],
  ['link', 4, 'keeping the old docs/secrets.md as a hard link'],
  ['rename', 5, 'moving the new docs/secrets.md in'],
  ['link', 5, 'keeping the old record of docs/secrets.md'],
  ['rename', 6, 'moving the new record of docs/secrets.md in'],
  ['rename', 7, 'marking the first journal committed'],
  ['rename', 8, 'marking the second journal committed'],
  ['rename', 9, 'marking the third journal committed (all committed)'],
  ['rmdir', 1, 'removing the old manifests/ (committed)'],
  ['unlink', 5, 'removing the old files one by one'],
  ['unlink', 12, 'removing the old cdktf.out/'],
];

export const KILL_CASES: readonly SweepCase[] = [
  ...SWAP_STEPS.map(([syscall, n, step]) => killCase(`before-${syscall}-${n}`, `SIGKILL before ${syscall} #${n}: ${step}`, (p, ctx) => killedAt(p, ctx, syscall, n))),
  killCase('before-rename-3-then-old', 'SIGKILL between the outputs\' swaps, then a synth of the old declaration', (p, ctx) => killedAt(p, ctx, 'rename', 3), { then: 'v1' }),
  killCase('before-rename-8-then-old', 'SIGKILL after one journal was committed, then a synth of the old declaration', (p, ctx) => killedAt(p, ctx, 'rename', 8), { then: 'v1' }),
  killCase('recovery-killed', 'SIGKILL between two renames, then the recovering synth killed at its first rename, then a third synth', async (p, ctx) => {
    const first = await killedAt(p, ctx, 'rename', 2);
    if (!wasKilled(first)) return first;
    return killedAt(p, ctx, 'rename', 1);
  }),
  killCase('recovery-killed-twice', 'SIGKILL in the swap, then the recovering synth killed while removing the journals', async (p, ctx) => {
    const first = await killedAt(p, ctx, 'rename', 4);
    if (!wasKilled(first)) return first;
    return killedAt(p, ctx, 'unlink', 1);
  }),
  ...[150, 250, 350, 450, 550, 650, 800, 1000].map((ms) => killCase(`after-${ms}ms`, `SIGKILL ${ms} ms after the synth started`, (p, ctx) => killedAfter(p, ctx, ms), { mustKill: false, needs: [] })),
  killCase('first-synth-killed', 'SIGKILL of the first synth ever (no old outputs) while moving the folders in', (p, ctx) => killedAt(p, ctx, 'rename', 2), { firstSynth: true }),
  killCase('first-synth-killed-file', 'SIGKILL of the first synth ever before its docs file is moved in', (p, ctx) => killedAt(p, ctx, 'rename', 3), { firstSynth: true }),
];

/** import --out killed before its module is linked or renamed into place: the old file, or none, never half a module. */
function importKilled(name: string, what: string, syscall: string, force: boolean): SweepCase {
  return {
    id: `kill/${name}`,
    kind: 'kill',
    what,
    expect: 'accepted',
    needs: ['strace'],
    checkOutputs: false,
    outputs: ['catalog.ts'],
    setup: (p) => {
      p.remove('decl.js');
      p.write('es.yaml', IMPORT_INPUT);
      if (force) p.write('catalog.ts', 'my own work\n');
    },
    run: async (p, ctx) => {
      const args = ['import', 'es.yaml', '--out', 'catalog.ts', ...(force ? ['--force'] : [])];
      const killed = await ctx.exec(p, {
        argv: ['strace', '-qq', '-f', '-o', '/dev/null', '-e', `trace=${syscall}`, '-e', `inject=${syscall}:error=EINTR:signal=SIGKILL:when=1`, process.execPath, p.path('dist/swc/lib/cli/bin.js'), ...args],
      });
      if (!wasKilled(killed)) throw new Error(`import was not killed (exit ${killed.status})`);
      const kept = force ? p.read('catalog.ts') === 'my own work\n' : !p.exists('catalog.ts');
      const second = await ctx.exec(p, p.cli([...args.filter((a) => a !== '--force'), '--force']));
      return kept ? second : { ...second, status: 99, stderr: 'sweep: after the kill catalog.ts was neither the old file nor absent' };
    },
    check: (p) => {
      const problems: Finding[] = p.read('catalog.ts').includes("catalog.path('apps/db'") ? [] : [{ outcome: 'data loss', text: 'catalog.ts is not the whole module' }];
      const litter = readdirSync(p.dir).filter((n) => n.endsWith('.tmp'));
      // A killed import leaves its temporary file (its name has the pid): litter, never the module.
      return litter.length > 1 ? [...problems, { outcome: 'data loss', text: `temporary files left: ${litter.join(', ')}` }] : problems;
    },
  };
}

const IMPORT_INPUT = [
  'apiVersion: external-secrets.io/v1', 'kind: ClusterSecretStore', 'metadata: { name: vault }', 'spec:', '  provider:', '    vault:',
  '      server: https://vault.vault.svc:8200', '      path: kv',
  '      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }',
  '  conditions: [{ namespaces: [apps] }]', '---',
  'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: db, namespace: apps }', 'spec:',
  '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', '  data: [{ secretKey: password, remoteRef: { key: apps/db, property: password } }]', '',
].join('\n');

export const IMPORT_KILL_CASES: readonly SweepCase[] = [
  importKilled('import-out-before-link', 'import --out (a new file) killed before the module is linked into place', 'link', false),
  importKilled('import-out-force-before-rename', 'import --out --force killed before the module replaces the old file', 'rename', true),
];

/** A declaration module for the reference synths. */
export function referenceModule(version: keyof typeof REFERENCES): string {
  return declarationModule(REFERENCES[version]);
}
