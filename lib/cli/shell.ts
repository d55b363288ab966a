// The one place where values become shell text. Every command the CLI prints (new, rebuild,
// kms-secret, rotate and force-sync --dry-run, the hints and help examples) puts each value through
// `shellQuote`, and every comment or prose line through `printable`, so that a catalog or settings
// value (from an untrusted repository, say) is always one argument with exactly its own text, never
// shell syntax, and never starts a new line. This module imports nothing: lib/tf quotes through it too.

/**
 * Characters that need no quoting anywhere in a word (after its first character): POSIX shells and
 * zsh give none of them a meaning. The first character may not be `=` (zsh's `=cmd` expansion) nor
 * `~` (tilde expansion), and `~` is left out here altogether.
 */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** C0 controls and DEL: a line break, a carriage return or a terminal escape inside a printed line. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A value that no argument can carry: argv strings end at NUL. */
export class UnquotableError extends Error {
  constructor(public readonly value: string) {
    super(`${JSON.stringify(value)} cannot be an argument of a command: it contains a NUL character`);
    this.name = 'UnquotableError';
  }
}

/** `\n`, `\t`, `\r`, else `\xHH`: how `$'...'` and `printable` spell a control character. */
function escapeControl(ch: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  return named[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * `value` as one shell word that bash, zsh and any POSIX shell read back as exactly `value`. A value of
 * plain characters is left as it is (`apps/vpn`, `-mount=homelab`), so ordinary output reads as
 * before; anything else is single-quoted (`'apps/$(id)'`, a `'` as `'\''`). A value with a control
 * character (a line break, an escape) is written with `$'...'` escapes instead, so a printed command
 * stays on one line and shows no terminal escape; that form is bash's and zsh's (and POSIX.1-2024's).
 * Throws UnquotableError for a NUL, which no argument can hold.
 */
export function shellQuote(value: string): string {
  if (value.includes('\u0000')) throw new UnquotableError(value);
  if (PLAIN.test(value) && !value.startsWith('=')) return value;
  if (CONTROL.test(value)) {
    // `'` and `!` as hex escapes too: interactive bash's history expansion does not know `\'` inside `$'...'`.
    return `$'${value.replace(/\\/g, '\\\\').replace(/['!]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16)}`).replace(new RegExp(CONTROL.source, 'g'), escapeControl)}'`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command line from its argv: every word quoted by {@link shellQuote}. The program's name is quoted
 * as well when it holds a `=` (`A=b` first on a line is an assignment, not a command).
 */
export function shellCommand(argv: readonly string[]): string {
  return argv.map((word, index) => (index === 0 && word.includes('=') && PLAIN.test(word) ? `'${word}'` : shellQuote(word))).join(' ');
}

/** `NAME=value` for `export`: the name is ours, the value is quoted. */
export function shellAssignment(name: string, value: string): string {
  return `${name}=${shellQuote(value)}`;
}

/**
 * The operands of a command, after `--` when one begins with `-`, so that vault, npx and the CLI
 * itself read a path such as `-tls-skip-verify` as a path and never as an option. Without such an
 * operand the words are unchanged (`-` alone, stdin, is an operand already).
 */
export function operands(...values: readonly string[]): string[] {
  return values.some((value) => value.startsWith('-') && value !== '-') ? ['--', ...values] : [...values];
}

/**
 * What a line must not show raw: C0 and C1 controls and DEL, format characters (bidi overrides and
 * isolates, zero widths, a BOM), lone surrogates, the line and paragraph separators. The same set as
 * the catalog's messages escape (`oneLine`).
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/** `\n`, `\x1b`, and above U+00FF `\u202e` (`\u{e0001}` beyond the BMP). */
function escapeUnprintable(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code <= 0xff) return escapeControl(ch);
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for a comment, a prose line or a message around printed commands: every character that could
 * end the line or disguise it is shown as an escape (`\n`, `\x1b`, `\u202e`), so no value can end
 * the comment and start a command on the next line, send an escape sequence to the terminal, or
 * reorder what the line shows (a bidi override).
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeUnprintable);
}

/** A message of several lines, each made {@link printable}: its own line breaks are kept, nothing else. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
