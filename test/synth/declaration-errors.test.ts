// The user's own errors at a synth entry point: an exception the declaration or a template function
// throws is the declaration's error, with the file and line in the user's TypeScript (exit 1, no
// library stack); an entry that is missing or does not compile is exit 2 with the fix; a bug of the
// library is exit 70 with its stack. Run through scripts/synth.mjs as `npm run synth` runs it, in a
// copy of the repository's sources with the entry points written by each test.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssues } from '../../lib/catalog';
import { SYNTH_EXIT, runSynthMain, synthFailure } from '../../lib/synth';

const ROOT = join(__dirname, '..', '..');

describe('a synth entry point reports the user\'s own errors as theirs', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'homelab-secrets-entry-'));
    for (const dir of ['lib', 'imports']) cpSync(join(ROOT, dir), join(repo, dir), { recursive: true });
    mkdirSync(join(repo, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'synth.mjs'), join(repo, 'scripts', 'synth.mjs'));
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
    mkdirSync(join(repo, 'apps'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  /** Writes apps/<name>.ts and runs `node scripts/synth.mjs apps/<name>` in the copy. */
  function synth(name: string, source: string): { status: number | null; stdout: string; stderr: string } {
    writeFileSync(join(repo, 'apps', `${name}.ts`), source);
    return spawnSync(process.execPath, ['scripts/synth.mjs', `apps/${name}`], { cwd: repo, encoding: 'utf8' });
  }

  const PRELUDE = [
    "import { SecretCatalog } from '../lib/catalog';",
    "import { manifestsPart } from '../lib/k8s';",
    "import { runSynthMain, synthOutputs } from '../lib/synth';",
  ].join('\n');

  test('the declaration module throws at its top level: its file and line, exit 1', () => {
    const result = synth('top-level', [
      PRELUDE,
      'const catalog = new SecretCatalog({ mount: "kv" });',
      'const paths: Record<string, string[]> = {};',
      'catalog.path("apps/db", paths.db.slice());', // line 6: paths.db is undefined
      'runSynthMain(() => synthOutputs({ catalog, settings: {} }, [manifestsPart("out")]));',
    ].join('\n'));
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.declaration,
      '',
      'homelab-secrets: the declaration threw at apps/top-level.ts:6:34: TypeError: Cannot read properties of undefined (reading \'slice\')\nNothing was written.\n',
    ]);
  });

  test('a template function throws: its file and line, exit 1', () => {
    const result = synth('template', [
      PRELUDE,
      'function declaration() {',
      '  const catalog = new SecretCatalog({ mount: "kv" });',
      '  catalog.path("apps/db", ["user", "password"]).syncTo({ name: "db", namespace: "apps", template: (v) => {',
      '    if (v.user) throw new Error(`no template for ${v.user}`);', // line 7
      '    return { URL: v.user };',
      '  } });',
      '  return { catalog, settings: {} };',
      '}',
      'runSynthMain(() => synthOutputs(declaration(), [manifestsPart("out")]));',
    ].join('\n'));
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.declaration,
      '',
      'homelab-secrets: the declaration threw at apps/template.ts:7:23: Error: no template for {{ .user }}\nNothing was written.\n',
    ]);
  });

  test('a value that is not an Error is still the declaration\'s', () => {
    const result = synth('not-an-error', `${PRELUDE}\nrunSynthMain(() => { throw 'no catalog yet'; });\n`);
    expect([result.status, result.stderr]).toStrictEqual([SYNTH_EXIT.declaration, 'homelab-secrets: the declaration threw "no catalog yet" (thrown, not an Error)\nNothing was written.\n']);
  });

  test('an entry that does not compile: exit 2, with the place and the fix', () => {
    const result = synth('broken', `${PRELUDE}\nconst catalog = new SecretCatalog({ mount: "kv" };\n`);
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.output,
      '',
      'homelab-secrets: cannot compile apps/broken.ts:4:1: Expected \',\', got \';\': fix the syntax, then run the synth again\n',
    ]);
    rmSync(join(repo, 'apps', 'broken.ts'));
  });

  // Found by the sweep: both were "the declaration threw at apps/<entry>.ts" (exit 1), naming the line of
  // the import, not the module, and the second printed Node's require stack over several lines.
  test('a JavaScript module the entry imports does not parse: exit 2, naming its file and line', () => {
    writeFileSync(join(repo, 'broken-module.js'), "'use strict';\nexports.declaration = () => {;\n");
    const result = synth('imports-broken', `${PRELUDE}\nrequire('../../../broken-module.js');\n`);
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.output,
      '',
      'homelab-secrets: broken-module.js:3: Unexpected end of input: the module is not JavaScript that loads; fix it, then run again\nNothing was written.\n',
    ]);
  });

  test('a module the entry imports does not exist: exit 2, naming it and the import', () => {
    const result = synth('imports-missing', `${PRELUDE}\nconst { homelab } = require('./no-such-declaration');\nrunSynthMain(() => synthOutputs(homelab(), [manifestsPart("out")]));\n`);
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.output,
      '',
      'homelab-secrets: the module "./no-such-declaration" imported at apps/imports-missing.ts:4:21 does not exist: build it, install it, or fix the import\nNothing was written.\n',
    ]);
  });

  test('an entry that does not exist: exit 2, with the fix', () => {
    const result = spawnSync(process.execPath, ['scripts/synth.mjs', 'apps/missing'], { cwd: repo, encoding: 'utf8' });
    expect([result.status, result.stdout, result.stderr]).toStrictEqual([
      SYNTH_EXIT.output,
      '',
      'homelab-secrets: the entry point apps/missing.ts does not exist: name a module under lib/, apps/, imports/, e.g. apps/synth\n',
    ]);
  });
});

describe('whatever the declaration throws is reported on one line, and the report itself never throws (found by the sweep)', () => {
  const hostile = (): object => ({ toJSON() { throw new Error('toJSON'); }, toString() { throw new Error('toString'); } });
  const trap = (): never => { throw new Error('trap'); };
  test.each([
    ['a Symbol', () => Symbol('s'), 'the declaration threw Symbol(s) (thrown, not an Error)'],
    ['undefined', () => undefined, 'the declaration threw undefined (thrown, not an Error)'],
    ['an object whose toJSON and toString throw', hostile, 'the declaration threw {"toJSON":a function,"toString":a function} (thrown, not an Error)'],
    ['a Proxy whose traps throw', () => new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap }), 'the declaration threw a Proxy (thrown, not an Error)'],
    // (jest's source maps format the stack through the message getter, which throws; plain Node formats it at construction)
    ['an Error whose message is a getter that throws', () => Object.defineProperty(new Error('x'), 'message', { get: trap }),
      /^the declaration threw (at test\/synth\/declaration-errors\.test\.ts:\d+:\d+: Error: a getter|Error: a getter \(it has no stack, so no place is known\))$/],
    ['an Error whose stack was removed', () => Object.assign(new Error('stackless'), { stack: undefined }),
      'the declaration threw Error: stackless (it has no stack, so no place is known)'],
    ['an Error of a terminal escape and two lines', () => new Error('bad\u001b[31m red\nsecond line'),
      /^the declaration threw at test\/synth\/declaration-errors\.test\.ts:\d+:\d+: Error: bad\\u001b\[31m red\\nsecond line$/],
    ['an Error of 10,000 characters', () => new Error('e'.repeat(10_000)),
      new RegExp(`^the declaration threw at test/synth/declaration-errors\\.test\\.ts:\\d+:\\d+: Error: ${'e'.repeat(200)}… \\(10000 characters\\)$`)],
  ])('%s: exit 1, one line', (_what, make, expected) => {
    let thrown: unknown;
    try {
      throw make();
    } catch (error) {
      thrown = error;
    }
    const { exitCode, text } = synthFailure(thrown);
    const [line, ...rest] = text.split('\n');
    expect([exitCode, rest]).toStrictEqual([SYNTH_EXIT.declaration, ['Nothing was written.', '']]);
    expect(line.replace(/^homelab-secrets: /, '')).toMatch(typeof expected === 'string' ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : expected);
  });
});

describe('runSynthMain and a bug of the library', () => {
  test('an exception from the library\'s own code is a bug: its stack, exit 70', () => {
    // GIVEN
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const before = process.exitCode;

    // WHEN a library function fails inside (here given what its types forbid)
    try {
      runSynthMain(() => {
        formatIssues(undefined as never);
      });
    } finally {
      spy.mockRestore();
    }
    const exitCode = process.exitCode;
    process.exitCode = before;

    // THEN
    expect(exitCode).toBe(SYNTH_EXIT.internal);
    expect(written.join('')).toMatch(/^homelab-secrets: internal error \(a bug in homelab-secrets\): TypeError: Cannot read properties of undefined \(reading 'length'\)\n {4}at \S+ \(.*lib\/catalog\/errors\.ts:\d+:\d+\)\n[\s\S]*\nNothing was written\.\n$/);
  });
});
