import { types } from 'node:util';
// The one error type of a user's mistake, and how its issues read. Everything that refuses an input
// (the catalog's and the settings' validator, a construct's own prop checks, a construct validation
// of cdk8s or cdktf) raises a CatalogValidationError, so the synth prints every one of them the same
// way, without a stack trace; any other error is a bug and keeps its trace.

/** One broken rule: which row, which field, what was received, and the rule. */
export interface CatalogIssue {
  /** `apps/db → db-credentials in apps`, a path, `mount`, `identity <name>`, `settings.kms`, a construct, or a construct path. */
  readonly row: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** `row: field <value> rule`, one line. */
  readonly message: string;
}

/** What the issues of a declaration are about, in the first line of their message. */
export const DECLARATION_SUBJECT = 'the secret catalog and its settings';

/** What the issues a construct raises about its own props are about. */
export const CONSTRUCT_SUBJECT = 'the props of a construct';

/** A user's mistake: the declaration or a construct's props break rules. Lists every one of them. */
export class CatalogValidationError extends Error {
  /**
   * @param issues every broken rule, in the order found
   * @param subject what they are about, for the message's first line @default 'the secret catalog and its settings'
   */
  constructor(public readonly issues: readonly CatalogIssue[], subject: string = DECLARATION_SUBJECT) {
    super(formatIssues(issues, subject));
    this.name = 'CatalogValidationError';
  }
}

/** The issues as people read them: a count and what they are about, then one per line. */
export function formatIssues(issues: readonly CatalogIssue[], subject: string = DECLARATION_SUBJECT): string {
  const count = `${issues.length} error${issues.length === 1 ? '' : 's'} in ${subject}`;
  return [`${count}:`, ...issues.map((issue) => `  - ${issue.message}`)].join('\n');
}

/** The longest text a message shows whole; a longer one is cut, with an ellipsis and its length. */
export const MAX_SHOWN_TEXT = 256;
/** How many characters of a longer text a message shows. */
const SHOWN_PREFIX = 200;
/** How deep a message shows nested objects and arrays, and how many of their entries. */
const MAX_SHOWN_DEPTH = 3;
const MAX_SHOWN_ENTRIES = 20;

/**
 * A value the library did not read, because reading it would run the caller's code (a getter) or
 * could not be done: messages show its description (`a getter`) instead.
 */
export class UnreadValue {
  constructor(public readonly description: string) {}
}

// Characters that would break a message's one line, or hide or reorder its text: control characters
// (C0, DEL, C1), format characters (bidi overrides, zero widths, BOM), lone surrogates and the line
// and paragraph separators.
const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` on one line: every character that could break or disguise a message written as an escape (`\n`, `\u202e`). */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_TEXT, (ch) => {
    const code = ch.codePointAt(0)!;
    return SHORT_ESCAPES[ch] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** The first `SHOWN_PREFIX` characters of `text`, not splitting a surrogate pair. */
function prefixOf(text: string): string {
  const cut = text.slice(0, SHOWN_PREFIX);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A text quoted (quotes and backslashes escaped as in JSON) and on one line; a long one cut after 200 characters: `"aaa"… (300 characters)`. */
function quoteText(text: string): string {
  const quote = (t: string): string => `"${oneLine(t.replace(/["\\]/g, (ch) => `\\${ch}`))}"`;
  return text.length <= MAX_SHOWN_TEXT ? quote(text) : `${quote(prefixOf(text))}… (${text.length} characters)`;
}

/**
 * A value inside a row or a rule, such as a target's name in `apps/db → <name> in <namespace>`: a
 * string on one line but not quoted, a long one cut; anything else as `showValue` shows it. Never throws.
 */
export function showText(value: unknown): string {
  if (typeof value !== 'string') return showValue(value);
  return value.length <= MAX_SHOWN_TEXT ? oneLine(value) : `${oneLine(prefixOf(value))}… (${value.length} characters)`;
}

/**
 * A value as text for a lookup key or a derived name: a string as it is, anything else as showValue
 * shows it. Never runs the value's own code (String() would call its toString, or a Proxy's traps).
 */
export function keyText(value: unknown): string {
  return typeof value === 'string' ? value : showValue(value);
}

/** Whether `value` is a Proxy; the catalog reads no Proxy, whose traps could run any code. */
export function isProxy(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && types.isProxy(value);
}

/** The name of an object's class (`Date`, `Foo`), or undefined for a plain or null-prototype object. */
export function classNameOf(value: object): string | undefined {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype || Array.isArray(value)) return undefined;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const name = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function showObject(value: object, depth: number, seen: Set<object>): string {
  if (isProxy(value)) return 'a Proxy';
  if (value instanceof UnreadValue) return value.description;
  if (seen.has(value)) return '(a cycle)';
  if (value instanceof Date) {
    const time = Date.prototype.getTime.call(value);
    return `Date ${Number.isNaN(time) ? 'Invalid Date' : Date.prototype.toISOString.call(value)}`;
  }
  if (value instanceof RegExp) return `RegExp ${quoteText(RegExp.prototype.toString.call(value))}`;
  const isArray = Array.isArray(value);
  if (depth >= MAX_SHOWN_DEPTH) return isArray ? '[…]' : '{…}';
  seen.add(value);
  try {
    const entries: string[] = [];
    const keys = isArray ? Array.from({ length: Math.min(value.length, MAX_SHOWN_ENTRIES + 1) }, (_, i) => String(i)) : Reflect.ownKeys(value);
    for (const key of keys) {
      if (entries.length === MAX_SHOWN_ENTRIES) {
        entries.push('…');
        break;
      }
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!isArray && descriptor?.enumerable !== true) continue;
      const shown = descriptor === undefined ? 'empty'
        : 'value' in descriptor ? show(descriptor.value, depth + 1, seen) : 'a getter';
      entries.push(isArray ? shown : `${typeof key === 'symbol' ? `[${show(key, depth, seen)}]` : quoteText(key)}:${shown}`);
    }
    const body = isArray ? `[${entries.join(',')}]` : `{${entries.join(',')}}`;
    const className = classNameOf(value);
    if (className !== undefined) return `${className} ${body}`;
    const proto: unknown = Object.getPrototypeOf(value);
    if (isArray || proto === null || proto === Object.prototype) return body;
    return `${body} inheriting ${typeof proto === 'object' ? showObject(proto as object, depth + 1, seen) : 'a prototype'}`;
  } finally {
    seen.delete(value);
  }
}

function show(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return quoteText(value);
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'boolean': return String(value);
    case 'symbol': return value.description === undefined ? 'Symbol()' : `Symbol(${showText(value.description)})`;
    case 'function': return 'a function';
    default: return value === null ? 'null' : showObject(value as object, depth, seen);
  }
}

/**
 * How every message shows the value it is about, faithfully and on one line: strings quoted with
 * control and format characters escaped, numbers as JavaScript writes them (`NaN`, `-0`, `12n`),
 * Symbols, objects and arrays as data, a class instance with its class's name; a long text cut with
 * an ellipsis. It runs no getter, enters no Proxy, and never throws.
 */
export function showValue(value: unknown): string {
  try {
    const shown = show(value, 0, new Set());
    return shown.length <= 4 * MAX_SHOWN_TEXT ? shown : `${shown.slice(0, 4 * MAX_SHOWN_TEXT)}…`;
  } catch {
    return 'a value that cannot be shown';
  }
}

/** One issue as people read it: `row: field <value> rule` (`row: rule` without a field). */
export function catalogIssue(row: string, field: string, value: unknown, rule: string): CatalogIssue {
  const head = field === '' ? `${oneLine(String(row))}:` : `${oneLine(String(row))}: ${oneLine(String(field))} ${showValue(value)}`;
  return { row, field, value, rule, message: `${head} ${oneLine(String(rule))}` };
}

/**
 * Throws a CatalogValidationError with one issue about a construct's own prop: `<owner>: <field>
 * <value> <rule>`. The synth validates every declaration before any construct is made, so in a synth
 * this fires only for constructs used directly.
 */
export function invalidProp(owner: string, field: string, value: unknown, rule: string): never {
  throw new CatalogValidationError([catalogIssue(owner, field, value, rule)], CONSTRUCT_SUBJECT);
}
