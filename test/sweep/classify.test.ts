// The sweep's classifier (npm run sweep) reaches every class: a sweep that cannot report a finding
// proves nothing. Exact outcomes over small made-up runs.
import { type Expectation, classify } from './classify';
import type { Execution } from './model';
import type { TreeDiff } from './project';

const NOTHING: TreeDiff = { changed: [], gone: [], added: [] };
const REFUSED: Expectation = { expect: 'refused', exit: 1, names: ['apps/db', 'path'], secrets: [], allowed: [], outputs: ['manifests/'] };
const ACCEPTED: Expectation = { ...REFUSED, expect: 'accepted', exit: 0, names: [] };
const run = (status: number | null, stderr = '', extra: Partial<Execution> = {}): Execution => ({ status, signal: null, stdout: '', stderr, timedOut: false, ...extra });
const CLEAR = 'homelab-secrets: 1 error in the secret catalog and its settings:\n  - apps/db: path "a b" must not contain whitespace\nNothing was written.\n';

describe('the sweep classifies an outcome', () => {
  test('a clear refusal that wrote nothing, and an acceptance that changed only its outputs: ok', () => {
    expect(classify(REFUSED, run(1, CLEAR), NOTHING)).toStrictEqual({ outcome: 'ok', reasons: [] });
    expect(classify(ACCEPTED, run(0), { changed: ['manifests/a.yaml'], gone: [], added: ['manifests/b.yaml'] })).toStrictEqual({ outcome: 'ok', reasons: [] });
  });

  test('a file changed by a refused run, or one that is no output changed by an accepted one: data loss', () => {
    expect(classify(REFUSED, run(1, CLEAR), { changed: [], gone: ['manifests/mine.yaml'], added: [] })).toStrictEqual({ outcome: 'data loss', reasons: ['removed manifests/mine.yaml although it failed'] });
    expect(classify(ACCEPTED, run(0), { changed: ['state/vault.tfstate'], gone: [], added: [] }).outcome).toBe('data loss');
  });

  test('exit 70, a stack frame, a TypeError, a signal or a hang: crash, unless it is the user\'s own error the case allows', () => {
    expect(classify(REFUSED, run(70, 'homelab-secrets: internal error (a bug in homelab-secrets): x'), NOTHING).outcome).toBe('crash');
    expect(classify(REFUSED, run(1, `${CLEAR}    at f (/lib/x.js:1:2)\n`), NOTHING).outcome).toBe('crash');
    expect(classify(REFUSED, run(1, `${CLEAR}TypeError: x is not a function\n`), NOTHING).outcome).toBe('crash');
    expect(classify(ACCEPTED, run(null, '', { signal: 'SIGSEGV' }), NOTHING).outcome).toBe('crash');
    expect(classify(ACCEPTED, run(null, '', { signal: 'SIGKILL', timedOut: true }), NOTHING).outcome).toBe('crash');
    const threw = `homelab-secrets: the declaration threw at decl.js:3:1: TypeError: apps/db path\nNothing was written.\n`;
    expect(classify({ ...REFUSED, allowed: [/the declaration threw [^\n]*/] }, run(1, threw), NOTHING).outcome).toBe('ok');
  });

  test('a value fed on stdin printed back: leak', () => {
    expect(classify({ ...REFUSED, secrets: ['hunter2'] }, run(1, `${CLEAR}hunter2\n`), NOTHING)).toStrictEqual({ outcome: 'leak', reasons: ['prints the value "hunter2"'] });
  });

  test('a refusal that exits 0, or an acceptance whose output prints a raw escape: wrongly accepted', () => {
    expect(classify(REFUSED, run(0), NOTHING)).toStrictEqual({ outcome: 'wrongly accepted', reasons: ['exit 0'] });
    expect(classify(ACCEPTED, run(0, '', { stdout: 'a\u001b[2J' }), NOTHING).outcome).toBe('wrongly accepted');
  });

  test('a valid input refused: wrongly refused', () => {
    expect(classify(ACCEPTED, run(1, CLEAR), NOTHING).outcome).toBe('wrongly refused');
  });

  test('another exit code than documented, no name, a raw control or bidi character, a line past 2000 characters: unclear refusal', () => {
    expect(classify(REFUSED, run(2, CLEAR), NOTHING)).toStrictEqual({ outcome: 'unclear refusal', reasons: ['exit 2, where the documented code is 1'] });
    expect(classify(REFUSED, run(1, 'homelab-secrets: something is wrong\n'), NOTHING).outcome).toBe('unclear refusal');
    expect(classify(REFUSED, run(1, `${CLEAR}apps/db path "a\u202eb"\n`), NOTHING).reasons).toStrictEqual(['prints U+202e raw at "db path \\"a\\u202eb\\"\\n\\n"']);
    expect(classify(REFUSED, run(1, `${CLEAR}${'x'.repeat(2001)}\n`), NOTHING).reasons).toStrictEqual(['prints a line of 2001 characters']);
  });
});
