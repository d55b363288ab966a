// The synth's guarantees (docs/library.md, "What a synth guarantees") for the Flux tree: under gitops
// 'flux' the manifests output is a nested tree (<repository>/clusters/my-cluster/secrets/<stage>/...),
// not the flat folder test/synth/output-part.test.ts mostly exercises. Its record lists every file of
// the tree, a file the synth did not write in a stage folder stops it, and a synth killed at any step
// of the swap leaves the tree wholly old or wholly new after the next one.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { homelabFluxManifestsPart } from '../../apps/flux-manifests';
import { OUTPUT_RECORD, OutputError, recordPathOf, removeStaleStaging, synthOutputs } from '../../lib/synth';
import { recoverInterruptedSwaps } from '../../lib/synth/swap-journal';
import { readTree } from '../support/synth';
import { FluxChildConfig, fluxDeclaration } from './support/flux-synth-child';
import { snapshot } from './support/snapshot';
import { PartSpec, filesPart } from './support/synth-child';

const CHILD = join(__dirname, 'support', 'flux-synth-child.ts');
const REGISTER = join(__dirname, '..', 'support', 'swc-register.js');

/** The Flux tree's folder in `repository`: flux bootstrap's cluster folder, then `secrets`. */
const treeOf = (repository: string): string => join(repository, 'clusters', 'my-cluster', 'secrets');

/** The record's paths: every line after its two comment lines. */
const recorded = (tree: string): string[] => readFileSync(join(tree, OUTPUT_RECORD), 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('the Flux tree, written by the synth', () => {
  let repository: string;
  beforeEach(() => {
    repository = mkdtempSync(join(tmpdir(), 'homelab-secrets-flux-out-'));
  });
  afterEach(() => rmSync(repository, { recursive: true, force: true }));

  const synth = (version: 'old' | 'new'): void => synthOutputs(fluxDeclaration(version), [homelabFluxManifestsPart(repository)]);

  test('carries a record of every file of its nested tree, which no kustomization.yaml lists', () => {
    // WHEN
    synth('new');

    // THEN the record lists exactly the files written, stage folders included
    const tree = treeOf(repository);
    const files = Object.keys(readTree(tree)).sort();
    expect(recorded(tree)).toStrictEqual(files);
    expect(files.filter((file) => file.includes('/')).map((file) => file.split('/')[0])).toEqual(expect.arrayContaining(['components', 'store', 'externalsecrets']));
    expect(files).toContain('externalsecrets/kustomization.yaml');
    // kustomize and Flux read only what the kustomization.yaml files list
    const listed = Object.entries(readTree(tree)).filter(([file]) => file.endsWith('kustomization.yaml')).map(([, content]) => content);
    expect(listed.filter((content) => content.includes(OUTPUT_RECORD))).toStrictEqual([]);
    expect(readdirSync(repository)).toStrictEqual(['clusters']);
    expect(readdirSync(join(repository, 'clusters', 'my-cluster'))).toStrictEqual(['secrets']);
  });

  test('replaces exactly what it wrote: the files of a namespace no longer declared leave their stage folder', () => {
    // GIVEN the homelab's tree
    synth('new');
    const before = Object.keys(readTree(treeOf(repository)));

    // WHEN the fixture's catalog (other namespaces) is synthesized over it
    synth('old');

    // THEN the tree is the fixture's alone
    const after = Object.keys(readTree(treeOf(repository)));
    expect(before.filter((file) => !after.includes(file)).length).toBeGreaterThan(0);
    expect(recorded(treeOf(repository))).toStrictEqual(after.sort());
    const fresh = mkdtempSync(join(tmpdir(), 'homelab-secrets-flux-fresh-'));
    try {
      synthOutputs(fluxDeclaration('old'), [homelabFluxManifestsPart(fresh)]);
      expect(readTree(treeOf(repository), true)).toStrictEqual(readTree(treeOf(fresh), true));
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('a file someone added to a stage folder stops the synth before anything changes, naming it', () => {
    // GIVEN a synthesized tree, and a hand-written manifest in its store stage
    synth('old');
    const tree = treeOf(repository);
    writeFileSync(join(tree, 'store', 'my-secret-store.yaml'), 'kind: Mine\n');
    const before = snapshot(repository);

    // WHEN
    const attempt = (): void => synth('new');

    // THEN
    expect(attempt).toThrow(OutputError);
    expect(attempt).toThrow(`${tree}/store/my-secret-store.yaml was not written by the synth (${tree}/${OUTPUT_RECORD} does not list it): move it out of ${tree}, or delete it if an earlier synth wrote it; the outputs are unchanged`);
    expect(snapshot(repository)).toStrictEqual(before);
  });
});

describe('the Flux tree, when a synth is killed', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-flux-kill-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Beside the tree, a file output (the docs), so that the two must change together. */
  const docs = (base: string, version: 'old' | 'new'): PartSpec => ({ name: 'docs', target: join(base, 'docs', 'secrets.md'), kind: 'file', content: `# ${version}\n` });
  const config = (base: string, version: 'old' | 'new', extra: Partial<FluxChildConfig> = {}): FluxChildConfig => ({ repository: base, version, parts: [docs(base, version)], ...extra });

  function child(settings: FluxChildConfig, cwd: string): Promise<{ signal: NodeJS.Signals | null; status: number | null }> {
    return new Promise((done) => {
      const proc = spawn(process.execPath, ['-r', REGISTER, CHILD, JSON.stringify(settings)], { cwd, stdio: 'ignore' });
      proc.on('close', (status, signal) => done({ status, signal }));
    });
  }

  /** A synth in this process, as the child runs it (the same declaration and parts): to write the old version, or the next one. */
  const synthHere = (base: string, version: 'old' | 'new'): void => {
    synthOutputs(fluxDeclaration(version), [homelabFluxManifestsPart(base), filesPart(docs(base, version))]);
  };

  /** What the next synth does first: finish or roll back the interrupted swap, remove what the dead synth staged. */
  function recover(base: string): void {
    const targets = [treeOf(base), docs(base, 'new').target];
    recoverInterruptedSwaps(targets);
    for (const target of targets) removeStaleStaging(target);
    removeStaleStaging(recordPathOf('file', docs(base, 'new').target));
  }

  /** The tree, as the killed synth left it: old, new, or (between its two renames) absent with its journal beside it. */
  function treeState(base: string, old: Record<string, string>, next: Record<string, string>): string {
    const tree = treeOf(base);
    if (!existsSync(tree)) return readdirSync(dirname(tree)).some((name) => name.endsWith('.synth-journal')) ? 'aside' : 'missing';
    const seen = JSON.stringify(readTree(tree, true));
    return seen === JSON.stringify(old) ? 'old' : seen === JSON.stringify(next) ? 'new' : 'mixed';
  }

  test('at every step of the swap: the tree is never mixed, and after the next synth it and the docs are both old (before the commit) or both new', async () => {
    // GIVEN the steps of one swap, and the old and new repositories, from real runs
    const scratch = join(root, 'scratch');
    mkdirSync(scratch);
    synthHere(scratch, 'old');
    const oldRepository = snapshot(scratch);
    const oldTree = readTree(treeOf(scratch), true);
    const stepsFile = join(root, 'steps.txt');
    expect(await child(config(scratch, 'new', { steps: stepsFile }), scratch)).toStrictEqual({ status: 0, signal: null });
    const newRepository = snapshot(scratch);
    const newTree = readTree(treeOf(scratch), true);
    const steps = readFileSync(stepsFile, 'utf8').trim().split('\n').map((step) => step.replace(scratch, '<repository>'));
    expect(steps.slice(0, 5)).toStrictEqual([
      'write journal <repository>/clusters/my-cluster/.secrets.synth-journal',
      'write journal <repository>/docs/.secrets.md.synth-journal',
      'set aside <repository>/clusters/my-cluster/secrets',
      'move in <repository>/clusters/my-cluster/secrets',
      'set aside <repository>/docs/secrets.md',
    ]);
    const firstCommit = steps.findIndex((step) => step.startsWith('commit '));
    const seen: string[] = [];

    /** Kills a synth of the new version before step k, in a repository of its own that holds the old one. */
    const killedAt = async (k: number): Promise<void> => {
      const base = join(root, `k${k}`);
      mkdirSync(base);
      synthHere(base, 'old');

      // WHEN
      const killed = await child(config(base, 'new', { killAt: k }), base);

      // THEN
      expect([k, killed.signal]).toStrictEqual([k, 'SIGKILL']);
      const state = treeState(base, oldTree, newTree);
      expect([k, steps[k], state]).toStrictEqual([k, steps[k], expect.stringMatching(/^(old|new|aside)$/)]);
      seen[k] = state;
      recover(base);
      expect([k, steps[k], snapshot(base)]).toStrictEqual([k, steps[k], k <= firstCommit ? oldRepository : newRepository]);

      // and the next synth writes over the recovered tree: nothing in it counts as foreign
      synthHere(base, 'new');
      expect([k, snapshot(base)]).toStrictEqual([k, newRepository]);
    };
    for (let k = 0; k < steps.length; k += 3) await Promise.all([k, k + 1, k + 2].filter((n) => n < steps.length).map(killedAt));
    // the kills landed between the tree's two renames, and after it was moved in
    expect(seen).toContain('aside');
    expect(seen).toContain('new');
    // One child process per step, about a second each on an idle 2-core machine, more on a shared one.
  }, 180_000);
});
