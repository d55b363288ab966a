// The synth loop (scripts/synth.mjs) transpiles only what changed, and replaces an output by a rename:
// a synth running beside another (cdk8s synth beside npm run synth) never loads a half-written module.
// Found by the sweep (npm run sweep): the outputs' times, set through a double of seconds, read back a
// fraction of a microsecond early, so whole-millisecond comparison found a third of them stale on
// every run, and two synths rewrote the same files in place while the other loaded them:
// "TypeError: (0 , _lib.manifestsPart) is not a function".
import { spawnSync } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('the synth loop', () => {
  let repo: string;
  const synth = (): void => {
    const result = spawnSync(process.execPath, ['scripts/synth.mjs', 'apps/noop'], { cwd: repo, encoding: 'utf8' });
    expect([result.status, result.stderr]).toStrictEqual([0, '']);
  };
  /** Each output's change time: a file written again, in place or by a rename, has a new one. */
  const changeTimes = (): Record<string, number> =>
    Object.fromEntries(filesUnder(join(repo, 'dist', 'swc')).map((file) => [relative(repo, file), statSync(file).ctimeMs]));

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'homelab-secrets-synth-loop-'));
    for (const dir of ['lib', 'imports']) cpSync(join(ROOT, dir), join(repo, dir), { recursive: true });
    mkdirSync(join(repo, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'synth.mjs'), join(repo, 'scripts', 'synth.mjs'));
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
    mkdirSync(join(repo, 'apps'));
    writeFileSync(join(repo, 'apps', 'noop.ts'), 'export {};\n');
    // Times of a finer grain than milliseconds, as file systems keep them: each used to read back as stale.
    filesUnder(join(repo, 'lib')).forEach((file, i) => utimesSync(file, new Date(), 1796584208.8 + i * 0.0001234567));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('a second run writes nothing when no source changed', () => {
    // GIVEN everything transpiled once
    synth();
    const before = changeTimes();

    // WHEN
    synth();

    // THEN no output was written again
    expect(changeTimes()).toStrictEqual(before);
  });

  test('a changed source\'s output is replaced by a rename: a reader of the old file keeps it whole, and no temporary file is left', () => {
    // GIVEN a transpiled output, and a second name for its file (a reader holding it)
    synth();
    const out = join(repo, 'dist', 'swc', 'lib', 'catalog', 'errors.js');
    const held = join(repo, 'held.js');
    linkSync(out, held);
    const old = readFileSync(out, 'utf8');

    // WHEN its source changes
    writeFileSync(join(repo, 'lib', 'catalog', 'errors.ts'), `${readFileSync(join(repo, 'lib', 'catalog', 'errors.ts'), 'utf8')}\n// changed\n`);
    synth();

    // THEN the output is a new file, the held one is the old one whole
    expect(statSync(out).ino).not.toBe(statSync(held).ino);
    expect(readFileSync(held, 'utf8')).toBe(old);
    expect(readFileSync(out, 'utf8')).toContain('// changed');
    expect(filesUnder(join(repo, 'dist')).filter((file) => file.endsWith('.tmp'))).toStrictEqual([]);
  });
});
