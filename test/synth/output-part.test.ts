import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { componentApplications } from '../../lib/argocd';
import { CatalogValidationError, Declaration, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { OUTPUT_RECORD, OutputPart, removeStaleStaging, runSynthMain, synthOutputs } from '../../lib/synth';
import { recoverInterruptedSwaps, swapSteps } from '../../lib/synth/swap-journal';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { readTree } from '../support/synth';
import { snapshot } from './support/snapshot';
import { ChildConfig, PartSpec, filesPart } from './support/synth-child';

function badCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  catalog.path('/apps/a', ['k']).syncTo({ name: 'Bad', namespace: 'apps' });
  return catalog;
}

const fixturePart = (target: string): OutputPart => manifestsPart(target, [componentApplications()]);

/** Runs `main` as an entry point would, and returns what it printed and its exit code. */
function runMain(main: () => void): { stderr: string; exitCode: number | string | undefined } {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const before = process.exitCode;
  try {
    runSynthMain(main);
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = before;
  return { stderr: written.join(''), exitCode };
}

/** A part that writes `files` into its folder, or `content` as its file. */
const folder = (name: string, target: string, files: Record<string, string>): OutputPart => filesPart({ name, target, kind: 'dir', files });
const file = (name: string, target: string, content: string): OutputPart => filesPart({ name, target, kind: 'file', content });

describe('synthOutputs', () => {
  let root: string;
  let manifests: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-out-'));
    manifests = join(root, 'manifests');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('a bad catalog writes nothing: existing output stays byte-identical and no staging is left', () => {
    // GIVEN
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);
    const before = snapshot(root);

    // WHEN
    expect(() => synthOutputs(fixtureDeclaration(badCatalog()), [fixturePart(manifests)])).toThrow(CatalogValidationError);

    // THEN
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('a crash in a later part leaves every earlier target untouched', () => {
    // GIVEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'old\n' })]);
    const before = snapshot(root);
    const crashing: OutputPart = { name: 'crash', target: join(root, 'other'), kind: 'dir', render() { throw new Error('renderer bug'); } };

    // WHEN
    expect(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'new\n' }), crashing])).toThrow('renderer bug');

    // THEN
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('writes a record of its files in each output, which Argo CD, Flux and kubeconform do not read', () => {
    // WHEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'b.yaml': 'b\n', 'sub/a.yaml': 'a\n' }), file('docs', join(root, 'docs', 'secrets.md'), '# doc\n')]);

    // THEN
    const header = [
      '# Written by the homelab-secrets synth: the files of this output it wrote, which the next synth replaces.',
      '# Any other file in the output stops the synth before anything changes. Do not edit.',
    ];
    expect(snapshot(root)).toStrictEqual({
      'docs/': '',
      'docs/.secrets.md.homelab-secrets-synth': [...header, 'secrets.md', ''].join('\n'),
      'docs/secrets.md': '# doc\n',
      'manifests/': '',
      'manifests/.homelab-secrets-synth': [...header, 'b.yaml', 'sub/a.yaml', ''].join('\n'),
      'manifests/b.yaml': 'b\n',
      'manifests/sub/': '',
      'manifests/sub/a.yaml': 'a\n',
    });
    expect(OUTPUT_RECORD).not.toMatch(/\.(ya?ml|json|jsonnet)$/);
  });

  test('replaces exactly what it wrote: files of removed rows disappear', () => {
    // GIVEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a\n', 'gone.yaml': 'gone\n' })]);

    // WHEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a2\n' })]);

    // THEN
    expect(readTree(manifests)).toStrictEqual({ 'a.yaml': 'a2\n' });
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });

  // Found by the sweep: the name was printed raw (a line break and a terminal escape reached the
  // terminal), and the refused synth left the docs output's folder it had made behind.
  test('a hand-written file named with a line break and an escape is named escaped; a refused synth leaves no folder it made', () => {
    // GIVEN a synthesized folder holding a file of such a name, and no docs folder yet
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a\n' })]);
    writeFileSync(join(manifests, 'x\ny\u001b[2J.yaml'), 'kind: Mine\n');
    const before = snapshot(root);
    const cwd = process.cwd();
    process.chdir(root);

    // WHEN
    let message = '';
    try {
      synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a2\n' }), file('docs', join(root, 'docs', 'deeper', 'secrets.md'), 'doc\n')]);
    } catch (error) {
      message = (error as Error).message;
    } finally {
      process.chdir(cwd);
    }

    // THEN
    expect(message).toBe('manifests/x\\ny\\u001b[2J.yaml was not written by the synth (manifests/.homelab-secrets-synth does not list it): move it out of manifests, or delete it if an earlier synth wrote it; the outputs are unchanged');
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('a hand-written file in an output folder stops the synth before anything changes, naming the file', () => {
    // GIVEN a synthesized folder, and a file someone added
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a\n' }), file('docs', join(root, 'secrets.md'), 'doc\n')]);
    writeFileSync(join(manifests, 'my-secret-store.yaml'), 'kind: Mine\n');
    const before = snapshot(root);

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'b.yaml': 'b\n' }), file('docs', join(root, 'secrets.md'), 'doc 2\n')]));

    // THEN
    expect([exitCode, stderr]).toStrictEqual([2,
      `homelab-secrets: ${manifests}/my-secret-store.yaml was not written by the synth (${manifests}/.homelab-secrets-synth does not list it): move it out of ${manifests}, or delete it if an earlier synth wrote it; the outputs are unchanged\n`]);
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('names up to five foreign files, and a symbolic link is foreign too', () => {
    // GIVEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a\n' })]);
    for (const name of ['1', '2', '3', '4', '5', '6']) writeFileSync(join(manifests, `${name}.yaml`), '');
    symlinkSync('/etc/hostname', join(manifests, 'link.yaml'));

    // WHEN
    const { stderr } = runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, {})]));

    // THEN
    expect(stderr).toBe(`homelab-secrets: ${manifests}/1.yaml, ${manifests}/2.yaml, ${manifests}/3.yaml, ${manifests}/4.yaml, ${manifests}/5.yaml and 2 more were not written by the synth (${manifests}/.homelab-secrets-synth does not list them): move them out of ${manifests}, or delete them if an earlier synth wrote them; the outputs are unchanged\n`);
  });

  test('an output written before records existed: files identical to the new ones are taken as its own, others refused', () => {
    // GIVEN a folder and a file as an older version wrote them, without records
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'a.yaml'), 'a\n');
    writeFileSync(join(root, 'secrets.md'), 'doc\n');

    // WHEN the synth writes the same files, THEN it takes them over and keeps records from now on
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a\n' }), file('docs', join(root, 'secrets.md'), 'doc\n')]);
    expect(Object.keys(snapshot(root))).toStrictEqual(['.secrets.md.homelab-secrets-synth', 'manifests/', 'manifests/.homelab-secrets-synth', 'manifests/a.yaml', 'secrets.md']);

    // GIVEN another such output whose file differs from what the synth writes
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'a.yaml'), 'hand-written\n');
    writeFileSync(join(root, 'notes.md'), 'mine\n');
    const before = snapshot(root);

    // WHEN / THEN
    expect(runMain(() => synthOutputs(fixtureDeclaration(), [folder('other', other, { 'a.yaml': 'a\n' })])).stderr)
      .toBe(`homelab-secrets: ${other}/a.yaml was not written by the synth (there is no record ${other}/.homelab-secrets-synth, and it differs from what the synth writes): move it out of ${other}, or delete it if an earlier synth wrote it; the outputs are unchanged\n`);
    expect(runMain(() => synthOutputs(fixtureDeclaration(), [file('docs', join(root, 'notes.md'), 'doc\n')])).stderr)
      .toBe(`homelab-secrets: ${root}/notes.md was not written by the synth (there is no record ${root}/.notes.md.homelab-secrets-synth, and it differs from what the synth writes): move it out of ${root}, or delete it if an earlier synth wrote it; the outputs are unchanged\n`);
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('adopt() and owns(): a part takes over files it did not write, only after every part rendered', () => {
    // GIVEN a part that keeps a cache file beside its output, and a synthesized output with the cache
    const adopted: string[] = [];
    const withCache = (target: string): OutputPart => ({
      ...folder('cached', target, { 'out.txt': 'new\n' }),
      owns: (rel) => rel === 'cache',
      adopt: (previous, staging) => {
        adopted.push(previous);
        writeFileSync(join(staging, 'cache'), readFileSync(join(previous, 'cache')));
      },
    });
    synthOutputs(fixtureDeclaration(), [withCache(manifests)]);
    writeFileSync(join(manifests, 'cache'), 'kept\n');
    const crashing: OutputPart = { name: 'crash', target: join(root, 'other'), kind: 'dir', render: () => { throw new Error('renderer bug'); } };

    // WHEN a later part fails, THEN adopt was never called and the target is as it was
    expect(() => synthOutputs(fixtureDeclaration(), [withCache(manifests), crashing])).toThrow('renderer bug');
    expect(adopted).toStrictEqual([]);
    expect(readTree(manifests)).toStrictEqual({ 'out.txt': 'new\n', cache: 'kept\n' });

    // WHEN every part succeeds, THEN the cache is carried into the new output
    synthOutputs(fixtureDeclaration(), [withCache(manifests)]);
    expect(adopted).toStrictEqual([manifests]);
    expect(readTree(manifests)).toStrictEqual({ 'out.txt': 'new\n', cache: 'kept\n' });
  });

  test.each([
    ['a file where the folder belongs', 'dir', (t: string) => writeFileSync(t, 'x'), (t: string) => `${t} is a file where the manifests folder belongs: move it away; the outputs are unchanged`],
    ['a folder where the file belongs', 'file', (t: string) => mkdirSync(t), (t: string) => `${t} is a folder where the manifests file belongs: move it away; the outputs are unchanged`],
    ['a symbolic link where the folder belongs', 'dir', (t: string) => symlinkSync(tmpdir(), t), (t: string) => `${t} is a symbolic link where the manifests folder belongs: the synth replaces the folder itself, which would replace the link; point the output at the real path; the outputs are unchanged`],
    ['a symbolic link where the file belongs', 'file', (t: string) => symlinkSync('/etc/hostname', t), (t: string) => `${t} is a symbolic link where the manifests file belongs: the synth replaces the file itself, which would replace the link; point the output at the real path; the outputs are unchanged`],
  ] as const)('refuses %s before anything is written, with exit code 2', (_case, kind, make, message) => {
    // GIVEN another output that would be written first, and the wrong kind at this target
    const first = join(root, 'first');
    synthOutputs(fixtureDeclaration(), [folder('first', first, { 'a.yaml': 'old\n' })]);
    make(manifests);
    const before = snapshot(root);
    const parts = [folder('first', first, { 'a.yaml': 'new\n' }), kind === 'dir' ? folder('manifests', manifests, { 'a.yaml': '' }) : file('manifests', manifests, '')];

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(), parts));

    // THEN
    expect([exitCode, stderr]).toStrictEqual([2, `homelab-secrets: ${message(manifests)}\n`]);
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('refuses a file where a folder of the path belongs, and outputs inside one another', () => {
    writeFileSync(join(root, 'out'), 'a file');
    expect(runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', join(root, 'out', 'manifests'), {})])).stderr)
      .toBe(`homelab-secrets: ${root}/out is a file where a folder belongs (the manifests output ${root}/out/manifests goes inside it): move it away; the outputs are unchanged\n`);
    expect(runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, {}), file('docs', join(manifests, 'README.md'), '')])).stderr)
      .toBe(`homelab-secrets: the outputs manifests (${manifests}) and docs (${manifests}/README.md) overlap: give each its own path; the outputs are unchanged\n`);
    expect(readdirSync(root)).toStrictEqual(['out']);
  });

  test('a rename that fails after the first outputs were swapped rolls them back: every output is as it was', () => {
    // GIVEN three outputs, and the docs file's staged copy vanishing just before it is moved in
    const docs = join(root, 'docs', 'secrets.md');
    const tf = join(root, 'cdktf.out');
    const parts = (v: string): OutputPart[] => [folder('manifests', manifests, { [`${v}.yaml`]: v }), folder('terraform', tf, { 'stacks/vault/cdk.tf.json': v }), file('docs', docs, v)];
    synthOutputs(fixtureDeclaration(), parts('old'));
    const before = snapshot(root);
    const steps: string[] = [];
    swapSteps.hook = (name) => {
      steps.push(name);
      if (name === `move in ${docs}`) rmSync(join(root, 'docs', `.secrets.md.staging-${process.pid}`));
    };

    // WHEN
    let result: ReturnType<typeof runMain>;
    try {
      result = runMain(() => synthOutputs(fixtureDeclaration(), parts('new')));
    } finally {
      swapSteps.hook = undefined;
    }

    // THEN manifests and terraform had been swapped, and are old again; no journal or copy is left
    expect(steps.slice(3, 8)).toStrictEqual([`set aside ${manifests}`, `move in ${manifests}`, `set aside ${tf}`, `move in ${tf}`, `set aside ${docs}`]);
    expect([result.exitCode, result.stderr]).toStrictEqual([2, `homelab-secrets: cannot replace ${docs}: no such file or folder (ENOENT); every output is as it was\n`]);
    expect(snapshot(root)).toStrictEqual(before);
  });

  test('a journal of a synth that still runs stops the next one', () => {
    // GIVEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': '' })]);
    writeFileSync(join(root, '.manifests.synth-journal'), JSON.stringify({ version: 1, pid: 1, state: 'swapping', outputs: [], journals: [], moves: [] }));

    // WHEN / THEN (pid 1 always runs)
    expect(runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'b.yaml': '' })])).stderr)
      .toBe(`homelab-secrets: another synth (pid 1) is replacing ${manifests} right now: wait for it, then run again\n`);
    expect(readTree(manifests)).toStrictEqual({ 'a.yaml': '' });
  });

  test('a synth that loses the race for the journal to another leaves nothing of its own behind', () => {
    // GIVEN outputs, and another synth that writes its journal just before this one does
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'old' })]);
    const before = snapshot(root);
    const journal = join(root, '.manifests.synth-journal');
    const theirs = JSON.stringify({ version: 1, pid: 1, state: 'swapping', outputs: [], journals: [], moves: [] });
    swapSteps.hook = (name) => {
      if (name === `write journal ${journal}`) writeFileSync(journal, theirs);
    };

    // WHEN
    let result: ReturnType<typeof runMain>;
    try {
      result = runMain(() => synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'new' })]));
    } finally {
      swapSteps.hook = undefined;
    }

    // THEN it is refused, and the tree is as it was but for the other synth's journal: no staging of its own
    expect([result.exitCode, result.stderr]).toStrictEqual([2, `homelab-secrets: another synth is replacing ${manifests} right now (its journal ${journal} exists): wait for it, then run again\n`]);
    const after = snapshot(root);
    expect(after).toStrictEqual({ ...before, '.manifests.synth-journal': theirs });
  });

  test('a file part is written in one rename', () => {
    // GIVEN
    const doc: OutputPart = { name: 'doc', target: join(root, 'doc.md'), kind: 'file', render: (_c, path) => writeFileSync(path, '# doc\n') };

    // WHEN
    synthOutputs(fixtureDeclaration(), [doc]);

    // THEN
    expect(readTree(root)['doc.md']).toBe('# doc\n');
    expect(existsSync(join(root, '.doc.md.staging-' + process.pid))).toBe(false);
  });
});

describe('a synth killed at any instant', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-kill-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const CHILD = join(__dirname, 'support', 'synth-child.ts');
  const REGISTER = join(__dirname, '..', 'support', 'swc-register.js');

  /** Three outputs under `base` as version `v` writes them: two folders (files added, changed, removed between versions) and a file. */
  const specs = (v: 'old' | 'new', base = root): PartSpec[] => [
    { name: 'manifests', target: join(base, 'manifests'), kind: 'dir', files: v === 'old' ? { 'a.yaml': 'a old', 'gone.yaml': 'gone' } : { 'a.yaml': 'a new', 'added.yaml': 'added' } },
    { name: 'terraform', target: join(base, 'out', 'cdktf.out'), kind: 'dir', files: { 'manifest.json': v, [`stacks/${v}/cdk.tf.json`]: v } },
    { name: 'docs', target: join(base, 'docs', 'secrets.md'), kind: 'file', content: `# ${v}\n` },
  ];

  function child(config: ChildConfig, options: { killAfterMs?: number } = {}): ReturnType<typeof spawnSync> {
    return spawnSync(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(config)], { cwd: root, encoding: 'utf8', timeout: options.killAfterMs, killSignal: 'SIGKILL' });
  }

  /** The same, without blocking: several run side by side. */
  function childAsync(config: ChildConfig, cwd: string): Promise<{ signal: NodeJS.Signals | null; status: number | null }> {
    return new Promise((done) => {
      const proc = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(config)], { cwd, stdio: 'ignore' });
      proc.on('close', (status, signal) => done({ status, signal }));
    });
  }

  /** The old outputs under `base`, written in this process (as the child would: the same parts and declaration). */
  function writeOld(base = root): void {
    synthOutputs(fixtureDeclaration(), specs('old', base).map(filesPart));
  }

  /** The state the next synth finds: it finishes or rolls back what the killed one left. */
  function recover(base = root): void {
    const targets = specs('new', base).map((s) => s.target);
    recoverInterruptedSwaps(targets);
    for (const target of targets) removeStaleStaging(target);
    removeStaleStaging(join(base, 'docs', '.secrets.md.homelab-secrets-synth'));
  }

  /** Each output is wholly `old` or wholly `new`, or (a folder between its two renames) absent with its journal and old copy beside it. */
  function outputStates(base = root): string[] {
    return specs('new', base).map((spec) => {
      const parent = dirname(spec.target);
      const seen = spec.kind === 'dir'
        ? (existsSync(spec.target) ? JSON.stringify(readTree(spec.target)) : undefined)
        : (existsSync(spec.target) ? readFileSync(spec.target, 'utf8') : undefined);
      const want = (v: 'old' | 'new'): string => {
        const s = specs(v, base).find((x) => x.name === spec.name)!;
        return s.kind === 'dir' ? JSON.stringify(s.files) : s.content!;
      };
      if (seen === want('old')) return 'old';
      if (seen === want('new')) return 'new';
      if (seen === undefined && readdirSync(parent).some((n) => n.endsWith('.synth-journal'))) return 'aside';
      return `mixed: ${seen}`;
    });
  }

  let steps: string[];
  let oldState: Record<string, string>;
  let newState: Record<string, string>;

  beforeAll(() => {
    // The steps of one swap, and the snapshots of the old and the new outputs, from real runs.
    const scratch = mkdtempSync(join(tmpdir(), 'homelab-secrets-kill-steps-'));
    const saved = root;
    root = scratch;
    expect(child({ parts: specs('old') }).status).toBe(0);
    oldState = snapshot(root);
    const stepsFile = join(scratch, '..', `steps-${process.pid}.txt`);
    expect(child({ parts: specs('new'), steps: stepsFile }).status).toBe(0);
    newState = snapshot(root);
    steps = readFileSync(stepsFile, 'utf8').trim().split('\n').map((s) => s.replace(scratch, '<root>'));
    rmSync(stepsFile);
    rmSync(scratch, { recursive: true, force: true });
    root = saved;
  });

  test('the swap has these steps', () => {
    expect(steps).toStrictEqual([
      'write journal <root>/.manifests.synth-journal',
      'write journal <root>/out/.cdktf.out.synth-journal',
      'write journal <root>/docs/.secrets.md.synth-journal',
      'set aside <root>/manifests',
      'move in <root>/manifests',
      'set aside <root>/out/cdktf.out',
      'move in <root>/out/cdktf.out',
      'set aside <root>/docs/secrets.md',
      'move in <root>/docs/secrets.md',
      'set aside <root>/docs/.secrets.md.homelab-secrets-synth',
      'move in <root>/docs/.secrets.md.homelab-secrets-synth',
      'commit <root>/.manifests.synth-journal',
      'commit <root>/out/.cdktf.out.synth-journal',
      'commit <root>/docs/.secrets.md.synth-journal',
      'remove old <root>/manifests',
      'remove old <root>/out/cdktf.out',
      'remove old <root>/docs/secrets.md',
      'remove old <root>/docs/.secrets.md.homelab-secrets-synth',
      'remove journal <root>/.manifests.synth-journal',
      'remove journal <root>/out/.cdktf.out.synth-journal',
      'remove journal <root>/docs/.secrets.md.synth-journal',
    ]);
  });

  test('SIGKILL before each step: each output is old, new or set aside with its journal; the next synth makes them all old (before the commit) or all new', async () => {
    const firstCommit = steps.findIndex((s) => s.startsWith('commit '));
    const seen: string[] = [];
    /** Kills a synth before step k, three at a time, each in a folder of its own. */
    const killedAt = async (k: number): Promise<void> => {
      // GIVEN the old outputs
      const base = join(root, `k${k}`);
      mkdirSync(base);
      writeOld(base);

      // WHEN a synth of the new ones is killed before step k
      const killed = await childAsync({ parts: specs('new', base), killAt: k }, base);
      expect([k, killed.signal]).toStrictEqual([k, 'SIGKILL']);
      const states = outputStates(base);
      expect([k, states.filter((s) => s.startsWith('mixed'))]).toStrictEqual([k, []]);

      // THEN the next synth's recovery leaves every output old (killed before the commit) or new, and nothing else
      recover(base);
      const expected = k <= firstCommit ? oldState : newState;
      expect([k, steps[k], snapshot(base)]).toStrictEqual([k, steps[k], expected]);
      seen[k] = states.join(',');
    };
    for (let k = 0; k < steps.length; k += 3) await Promise.all([k, k + 1, k + 2].filter((n) => n < steps.length).map(killedAt));
    // the kills did land between the renames: outputs set aside, and old and new side by side
    expect(seen).toContain('aside,old,old');
    expect(seen).toContain('new,new,new');
    // 42 node processes (a killed synth and a recovering one per step): about 5 s on an idle 2-core
    // machine, more when others share it; jest's default 5 s is no limit for that.
  }, 120_000);

  test('killed while writing its journals, then a synth of one output, then one of another: nothing is lost', () => {
    // GIVEN the old outputs, and a synth of the new ones killed after the first of its three journals
    writeOld();
    const killed = child({ parts: specs('new'), killAt: 1 });
    expect(killed.signal).toBe('SIGKILL');

    // WHEN a synth of the Terraform output alone runs (it finds no journal beside it, and removes the
    // dead synth's staging folder there), then one of the manifests (it finds the journal)
    const terraform = { ...specs('new')[1], files: { 'manifest.json': 'newer' } };
    expect([child({ parts: [terraform] }).status, child({ parts: [terraform] }).stderr]).toStrictEqual([0, '']);
    const manifests = child({ parts: [specs('old')[0]] });

    // THEN the journal is rolled back without touching the Terraform output written since
    expect([manifests.status, manifests.stderr]).toStrictEqual([0,
      `homelab-secrets: a synth (pid ${killed.pid}) was interrupted while replacing its outputs; rolled back: manifests, out/cdktf.out, docs/secrets.md are as before it\n`]);
    expect(readTree(join(root, 'out', 'cdktf.out'))).toStrictEqual({ 'manifest.json': 'newer' });
    expect(readTree(join(root, 'manifests'))).toStrictEqual(specs('old')[0].files);
    expect(snapshot(join(root, 'docs'))).toStrictEqual(Object.fromEntries(Object.entries(oldState).filter(([k]) => k.startsWith('docs/') && k !== 'docs/').map(([k, v]) => [k.slice('docs/'.length), v])));
    expect([readdirSync(root), readdirSync(join(root, 'out'))]).toStrictEqual([['docs', 'manifests', 'out'], ['cdktf.out']]);
  });

  test('SIGKILL at random times, with every step slowed down: always all old or all new after the next synth', () => {
    const signals: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root);
      writeOld();
      // the child starts in about 100-250 ms and each of its 21 steps takes 15 ms
      signals.push(child({ parts: specs('new'), stepDelayMs: 15 }, { killAfterMs: 150 + Math.floor(Math.random() * 400) }).signal);
      recover();
      expect([oldState, newState]).toContainEqual(snapshot(root));
    }
    expect(signals).toContain('SIGKILL');
  });
});

describe('stale staging folders', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-stale-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A pid that runs no process: the highest pid Linux hands out is 4194304. */
  const DEAD_PID = 4194303;

  test('the next synth removes what a killed synth left, and keeps a running synth\'s folders', () => {
    // GIVEN what `kill -9` during a render leaves (a staging folder and a half-written journal of a
    // dead pid), and the staging folder of a synth that runs right now (pid 1 always runs)
    const manifests = join(root, 'manifests');
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'a.yaml': 'a' })]);
    for (const name of [`.manifests.staging-${DEAD_PID}`, '.manifests.staging-1', `.other.staging-${DEAD_PID}`]) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'half.yaml'), 'kind: Half\n');
    }
    writeFileSync(join(root, `.manifests.synth-journal.tmp-${DEAD_PID}`), '{"vers');

    // WHEN
    synthOutputs(fixtureDeclaration(), [folder('manifests', manifests, { 'b.yaml': 'b' })]);

    // THEN only the dead synth's entries of this target are gone
    expect(readdirSync(root).sort()).toStrictEqual([`.manifests.staging-1`, `.other.staging-${DEAD_PID}`, 'manifests']);
    expect(readTree(manifests)).toStrictEqual({ 'b.yaml': 'b' });
  });

  test('an old copy that no journal accounts for (a version without journals) is put back when the output is missing, else removed', () => {
    const manifests = join(root, 'manifests');
    mkdirSync(join(root, `.manifests.old-${DEAD_PID}`));
    writeFileSync(join(root, `.manifests.old-${DEAD_PID}`, 'a.yaml'), 'a');
    expect(removeStaleStaging(manifests)).toStrictEqual([join(root, `.manifests.old-${DEAD_PID}`)]);
    expect(readTree(manifests)).toStrictEqual({ 'a.yaml': 'a' });
    mkdirSync(join(root, `.manifests.old-${DEAD_PID}`));
    expect(removeStaleStaging(manifests)).toStrictEqual([join(root, `.manifests.old-${DEAD_PID}`)]);
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });

  test('removeStaleStaging says what it removed', () => {
    writeFileSync(join(root, `.secrets.md.staging-${DEAD_PID}`), 'half');
    expect(removeStaleStaging(join(root, 'secrets.md'))).toStrictEqual([join(root, `.secrets.md.staging-${DEAD_PID}`)]);
    expect(readdirSync(root)).toStrictEqual([]);
  });
});

describe('runSynthMain', () => {
  test('prints catalog errors one per line with a count and sets exit code 1, without a stack trace', () => {
    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(badCatalog()), []));

    // THEN
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - /apps/a: path "/apps/a" must not start or end with "/": paths are relative to the mount "kv", write "apps/a"',
      '  - /apps/a → Bad in apps: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('lists a settings mistake and a catalog mistake in one message, writes nothing, and leaves the output byte-identical', () => {
    // GIVEN an existing output, and a declaration with a bad path and a KMS region without its number
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-settings-'));
    const manifests = join(dir, 'manifests');
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);
    const before = readTree(manifests);
    const declaration: Declaration = fixtureDeclaration(badCatalog(), { ...FIXTURE_SETTINGS, kms: { region: 'eu-central' } });

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(declaration, [fixturePart(manifests)]));
    const after = readTree(manifests);
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 3 errors in the secret catalog and its settings:',
      '  - /apps/a: path "/apps/a" must not start or end with "/": paths are relative to the mount "kv", write "apps/a"',
      '  - /apps/a → Bad in apps: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      '  - settings.kms: region "eu-central" must be an AWS region such as "eu-central-1"',
      'Nothing was written.',
      '',
    ].join('\n'));
    expect(after).toStrictEqual(before);
    expect(left).toStrictEqual(['manifests']);
  });

  test('refuses a KMS alias that the KMS stack could not create once, before any part renders', () => {
    // GIVEN a key id where an alias belongs: Vault's seal would take it, AWS cannot create it as an alias
    let rendered = false;
    const part: OutputPart = { name: 'spy', target: join(tmpdir(), 'never-written'), kind: 'dir', render: () => { rendered = true; } };
    const declaration = fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, kms: { region: 'us-east-1', alias: '1234abcd-12ab-34cd-56ef-1234567890ab' } });

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(declaration, [part]));

    // THEN
    expect(rendered).toBe(false);
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 1 error in the secret catalog and its settings:',
      '  - settings.kms: alias "1234abcd-12ab-34cd-56ef-1234567890ab" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('prints a construct\'s failed validation like a catalog mistake, and writes nothing', () => {
    // GIVEN a contributor whose construct fails cdk8s validation
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-construct-'));
    const failing = manifestsPart(join(dir, 'manifests'), [(app) => {
      const chart = new Chart(app, 'extra');
      new Construct(chart, 'Broken').node.addValidation({ validate: () => ['needs a name', 'needs a namespace'] });
    }]);

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(), [failing]));
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(exitCode).toBe(1);
    expect(left).toStrictEqual([]);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - extra/Broken: needs a name',
      '  - extra/Broken: needs a namespace',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('prints the validation failure cdk8s\'s own synth throws in the same format', () => {
    const { stderr, exitCode } = runMain(() => {
      throw new Error('Validation failed with the following errors:\n  [chart/a] first\n  [chart/b] second');
    });
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - chart/a: first',
      '  - chart/b: second',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('an exception thrown by the caller\'s own code is the declaration\'s: its place, exit 1, no stack', () => {
    const { stderr, exitCode } = runMain(() => {
      throw new Error('not a catalog');
    });
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^homelab-secrets: the declaration threw at test\/synth\/output-part\.test\.ts:\d+:\d+: Error: not a catalog\nNothing was written\.\n$/);
  });

  test('thrown CatalogValidationError carries every issue', () => {
    expect(() => synthOutputs(fixtureDeclaration(badCatalog()), [])).toThrow(CatalogValidationError);
  });
});
