// How the sweep classes one case's outcome, from what the process printed and did to the files.
// Pure, so that test/sweep/classify.test.ts shows each class can be reached.
import type { Execution, Finding, Outcome } from './model';
import type { TreeDiff } from './project';

/** What a case declared, as the classifier needs it. */
export interface Expectation {
  readonly expect: 'accepted' | 'refused';
  /** The exit code the documentation gives. */
  readonly exit: number;
  /** Texts the message must contain: the row, the field, the value as shown, or the file. */
  readonly names: readonly string[];
  /** Values fed on stdin (or set in the environment) that no output may show. */
  readonly secrets: readonly string[];
  /** Text a user's own error legitimately prints (`the declaration threw at decl.js:3:9: TypeError: ...`). */
  readonly allowed: readonly RegExp[];
  /** Project paths (exact, or a prefix ending in "/") that an accepted run may change, add or remove. */
  readonly outputs: readonly string[];
}

export interface Classification {
  readonly outcome: Outcome;
  readonly reasons: readonly string[];
}

/** Signs of a bug: the library's internal error, a stack frame, a JavaScript error the library did not turn into a message. */
const CRASH_TEXT: readonly RegExp[] = [
  // the library's own words for a bug ("internal error (a bug in homelab-secrets): ...", "internal error: ..."), not the help's exit-code table
  /internal error( \(a bug|:)/i,
  /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError|AggregateError)\b/,
  /\bUnhandled\b|\bunhandled rejection\b/i,
  /\bnode:internal\b/,
  /Maximum call stack size exceeded/,
  /JavaScript heap out of memory/,
];

/**
 * Characters a message must never print raw: control characters other than the line feed, C1 controls,
 * line and paragraph separators, bidi overrides and isolates, zero-width characters, a BOM, and
 * U+FFFD (bytes that were not text, shown as another character).
 */
// eslint-disable-next-line no-control-regex
const GARBLED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\ufffd]/u;

/** The longest line a message may print: a value is cut at 256 characters, a row names a few. */
export const MAX_LINE = 2000;

/** `text` quoted with everything outside printable ASCII escaped: the sweep's own report prints nothing raw. */
export function visible(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/gu, (ch) => {
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function describeGarbled(text: string): string {
  const match = GARBLED.exec(text)!;
  const code = match[0].codePointAt(0)!.toString(16).padStart(4, '0');
  return `prints U+${code} raw at ${visible(text.slice(Math.max(0, match.index - 10), match.index + 10))}`;
}

function matchesOutput(path: string, outputs: readonly string[]): boolean {
  return outputs.some((output) => (output.endsWith('/') ? path.startsWith(output) || `${path}/` === output : path === output || path.startsWith(`${output}/`)));
}

/**
 * The class of one outcome. In order: data loss (a file changed that should not have), crash, leak,
 * then the expectation: an accepted run must exit 0 with consumer-valid outputs, a refused one must
 * exit with the documented code, name what is wrong, print it escaped, and write nothing.
 */
export function classify(expectation: Expectation, run: Execution, diff: TreeDiff, findings: readonly Finding[] = []): Classification {
  const found = new Map<Outcome, string[]>();
  const add = (outcome: Outcome, reason: string): void => void found.set(outcome, [...(found.get(outcome) ?? []), reason]);
  for (const finding of findings) add(finding.outcome, finding.text);

  // What changed on disk.
  const touched = [...diff.changed.map((p) => ['changed', p]), ...diff.gone.map((p) => ['removed', p]), ...diff.added.map((p) => ['added', p])];
  for (const [what, path] of touched) {
    // A failed run writes nothing; an accepted one (rightly or not: a wrong acceptance is classed below) only its outputs.
    if (run.status !== 0) add('data loss', `${what} ${path} although it failed`);
    else if (!matchesOutput(path, expectation.outputs)) add('data loss', `${what} ${path}, which is no output`);
  }

  // A bug.
  const printed = `${run.stderr}\n${run.stdout}`;
  let scrubbed = printed;
  for (const allowed of expectation.allowed) scrubbed = scrubbed.replace(new RegExp(allowed.source, allowed.flags.includes('g') ? allowed.flags : `${allowed.flags}g`), '');
  if (run.timedOut) add('crash', 'did not finish (killed at the timeout)');
  else if (run.signal !== null && !run.killedOnPurpose) add('crash', `ended by ${run.signal}`);
  if (run.status === 70) add('crash', 'exit 70 (a bug)');
  for (const sign of CRASH_TEXT) if (sign.test(scrubbed)) add('crash', `prints ${visible(sign.exec(scrubbed)![0].trim().slice(0, 120))}`);

  // A value shown.
  for (const secret of expectation.secrets) if (secret !== '' && printed.includes(secret)) add('leak', `prints the value ${visible(secret.slice(0, 40))}`);

  // The expectation.
  const garbled = GARBLED.test(printed) ? describeGarbled(printed) : undefined;
  const longest = Math.max(...printed.split('\n').map((line) => line.length));
  if (expectation.expect === 'accepted') {
    if (run.status !== 0 && !run.killedOnPurpose) add('wrongly refused', `exit ${run.status}: ${firstLines(run.stderr)}`);
    if (garbled) add('wrongly accepted', `its output ${garbled}`);
  } else if (run.status === 0) {
    add('wrongly accepted', `exit 0${run.stderr ? `: ${firstLines(run.stderr)}` : ''}`);
  } else {
    if (run.status !== expectation.exit && run.status !== 70 && !run.killedOnPurpose) add('unclear refusal', `exit ${run.status}, where the documented code is ${expectation.exit}`);
    const message = run.stderr + run.stdout;
    if (message.trim() === '') add('unclear refusal', 'refused without a word');
    const missing = expectation.names.filter((name) => !message.includes(name));
    if (missing.length > 0) add('unclear refusal', `does not name ${missing.map(visible).join(', ')}: ${firstLines(message)}`);
    if (garbled) add('unclear refusal', garbled);
    if (longest > MAX_LINE) add('unclear refusal', `prints a line of ${longest} characters`);
  }

  for (const outcome of ['data loss', 'crash', 'leak', 'wrongly accepted', 'wrongly refused', 'unclear refusal'] as const) {
    const reasons = found.get(outcome);
    if (reasons) return { outcome, reasons: [...found.values()].flat() };
  }
  return { outcome: 'ok', reasons: [] };
}

function firstLines(text: string): string {
  const lines = text.trim().split('\n');
  return visible(lines.slice(0, 3).join(' / ').slice(0, 400));
}
