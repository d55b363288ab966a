// Where a key's value comes from: made up by the homelab (`generated`), so a tool can make it again,
// or issued elsewhere (`external`), so a person has to fetch it. Plain data like the rest of the
// catalog: the functions below build it and never throw; the catalog's one validator checks it
// (valueOriginProblems) and reports every mistake at once. No value is ever part of it.
import { showText, showValue } from './errors';
import { type InputProblem, type PlainProblem, fieldAt, isOptionsObject, markLibraryObject, readPlain } from './options';
import { ONE_LINE_RULE, checkHttpsUrl, checkOneLine } from './rules';

/** The named character sets a generated value can be drawn from. */
export const CHARSETS = {
  /** A-Z, a-z and 0-9: 62 characters, safe in URLs, env files and shell words. */
  'alnum': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  /** a-z and 0-9: 36 characters, for places that fold case or refuse upper case. */
  'lower-alnum': 'abcdefghijklmnopqrstuvwxyz0123456789',
  /** 0-9: 10 characters, for PINs and numeric codes. */
  'digits': '0123456789',
} as const;

/** The name of one of {@link CHARSETS}. */
export type Charset = keyof typeof CHARSETS;

/** How random bytes are written as text: lowercase hex, base64 with padding, or base64url without padding (RFC 4648). */
export const BYTE_ENCODINGS = ['hex', 'base64', 'base64url'] as const;

/** One of {@link BYTE_ENCODINGS}. */
export type ByteEncoding = (typeof BYTE_ENCODINGS)[number];

/** The charset of a generated value that names neither a charset nor an alphabet. */
export const DEFAULT_CHARSET: Charset = 'alnum';

/** The most characters (or bytes) a generated value may have: more is a typo, not a secret. */
export const MAX_GENERATED_LENGTH = 4096;

/** `length` characters of a named charset. */
export interface GeneratedFromCharset {
  /** How many characters. */
  readonly length: number;
  /** The characters drawn from, by name. @default 'alnum' */
  readonly charset?: Charset;
  readonly alphabet?: never;
  readonly bytes?: never;
  readonly encoding?: never;
}

/** `length` characters of an alphabet of your own. */
export interface GeneratedFromAlphabet {
  /** How many characters. */
  readonly length: number;
  /** The characters drawn from, each once (at least two, no control characters). */
  readonly alphabet: string;
  readonly charset?: never;
  readonly bytes?: never;
  readonly encoding?: never;
}

/** `bytes` random bytes, written as text with `encoding`. */
export interface GeneratedBytes {
  /** How many random bytes, before encoding. */
  readonly bytes: number;
  /** How the bytes are written: `hex` (2 characters a byte), `base64` (padded) or `base64url` (unpadded). */
  readonly encoding: ByteEncoding;
  readonly length?: never;
  readonly charset?: never;
  readonly alphabet?: never;
}

/** What `generated()` takes: characters of a charset or an alphabet, or encoded bytes. */
export type GeneratedOptions = GeneratedFromCharset | GeneratedFromAlphabet | GeneratedBytes;

/** A value the homelab makes up: `homelab-secrets seed` generates it, with a CSPRNG, straight into Vault. */
export type GeneratedValue = GeneratedOptions & { readonly kind: 'generated' };

/** What `external()` takes. */
export interface ExternalOptions {
  /** Where to get the value, for the person entering it: `Authentik → Applications → Providers → Argo CD → Client Secret`. */
  readonly hint: string;
  /** An https:// page that issues or shows the value. @default - no link */
  readonly url?: string;
}

/** A value issued elsewhere (another app, a provider): a person fetches it, guided by the hint. */
export type ExternalValue = ExternalOptions & { readonly kind: 'external' };

/** Where one key's value comes from. */
export type ValueOrigin = GeneratedValue | ExternalValue;

/** Declared key → where its value comes from; a key without an entry has no declared origin. */
export type ValueOrigins<K extends string = string> = { readonly [P in K]?: ValueOrigin };

const GENERATED_OPTIONS = ['length', 'charset', 'alphabet', 'bytes', 'encoding'];
const EXTERNAL_OPTIONS = ['hint', 'url'];

/** What readPlain found wrong with the options an origin was made from, reported by the validator. */
const READ_PROBLEMS = new WeakMap<object, readonly PlainProblem[]>();

/** Copies `options` (whatever a JavaScript caller passed) as plain data under `kind`; the validator reads the copy. */
function origin<T>(kind: string, options: unknown): T {
  const read = readPlain(options);
  const made = Object.freeze(markLibraryObject({ ...(isOptionsObject(read.value) ? read.value : {}), kind }));
  if (read.problems.length > 0) READ_PROBLEMS.set(made, read.problems);
  return made as T;
}

/**
 * A value the homelab makes up: `length` characters of a charset (`alnum` unless named) or of an
 * alphabet, or `bytes` random bytes written in an encoding.
 *
 * ```ts
 * generated({ length: 32 })                       // 32 characters of A-Z a-z 0-9
 * generated({ length: 6, charset: 'digits' })
 * generated({ bytes: 32, encoding: 'hex' })        // 64 characters of 0-9a-f
 * ```
 */
export function generated(options: GeneratedOptions): GeneratedValue {
  return origin<GeneratedValue>('generated', options);
}

/** A value issued elsewhere; `hint` says where to get it, `url` links to the page that shows it. */
export function external(options: ExternalOptions): ExternalValue {
  return origin<ExternalValue>('external', options);
}

/** What a generated value looks like: exactly `length` characters, each one of `alphabet`. */
export interface GeneratedShape {
  readonly length: number;
  /** Every character the value can hold (base64's `=` padding included). */
  readonly alphabet: string;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The shape of a valid generated value. */
export function generatedShape(value: GeneratedValue): GeneratedShape {
  if (value.bytes !== undefined) {
    const n = value.bytes;
    switch (value.encoding) {
      case 'hex': return { length: 2 * n, alphabet: '0123456789abcdef' };
      case 'base64': return { length: 4 * Math.ceil(n / 3), alphabet: `${BASE64_ALPHABET}+/=` };
      default: return { length: Math.ceil((4 * n) / 3), alphabet: `${BASE64_ALPHABET}-_` };
    }
  }
  return { length: value.length, alphabet: value.alphabet ?? CHARSETS[value.charset ?? DEFAULT_CHARSET] };
}

/** A generated value in a few words, for tables: `32, alnum`, `32 bytes, hex`, `24, own alphabet`. */
export function summarizeGenerated(value: GeneratedValue): string {
  if (value.bytes !== undefined) return `${value.bytes} bytes, ${value.encoding}`;
  return `${value.length}, ${value.alphabet !== undefined ? 'own alphabet' : value.charset ?? DEFAULT_CHARSET}`;
}

/**
 * A generated value in a sentence: `32 characters of A-Z, a-z, 0-9`, `32 random bytes as hex: 64
 * characters of 0-9a-f`. An alphabet of your own is quoted as JSON.
 */
export function describeGenerated(value: GeneratedValue): string {
  if (value.bytes !== undefined) {
    const shape = generatedShape(value);
    const text = value.encoding === 'hex' ? '0-9a-f' : value.encoding === 'base64' ? 'A-Z, a-z, 0-9, "+", "/", padded with "="' : 'A-Z, a-z, 0-9, "-", "_", unpadded';
    return `${value.bytes} random bytes as ${value.encoding}: ${shape.length} characters of ${text}`;
  }
  if (value.alphabet !== undefined) return `${value.length} characters of the alphabet ${JSON.stringify(value.alphabet)}`;
  const charset = value.charset ?? DEFAULT_CHARSET;
  const text = charset === 'alnum' ? 'A-Z, a-z, 0-9' : charset === 'lower-alnum' ? 'a-z, 0-9' : '0-9';
  return `${value.length} characters of ${text}`;
}

// ---- Validation ------------------------------------------------------------------------------------

const COUNT_RULE = `must be a whole number from 1 to ${MAX_GENERATED_LENGTH}`;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkCount(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_GENERATED_LENGTH ? undefined : COUNT_RULE;
}

function alphabetRule(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string of the characters to draw from';
  const chars = [...value];
  if (CONTROL.test(value)) return 'must not contain control characters';
  // The docs show the alphabet as written: nothing that reorders the line or hides in it.
  if (checkOneLine(value) !== undefined) return 'must not contain invisible characters (bidi overrides, zero widths, line separators)';
  const repeated = chars.find((ch, index) => chars.indexOf(ch) !== index);
  if (repeated !== undefined) return `must hold each character once (${showValue(repeated)} repeats): a repeated character would be drawn more often than the others`;
  if (chars.length < 2) return 'must hold at least 2 different characters';
  return undefined;
}

function generatedProblems(value: Record<string, unknown>, field: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const what = `generated() of ${field}`;
  for (const name of Object.keys(value).filter((n) => n !== 'kind' && !GENERATED_OPTIONS.includes(n))) {
    problems.push({ field: 'option', value: name, rule: `is not an option of ${what} (known: ${GENERATED_OPTIONS.join(', ')})` });
  }
  const given = (name: string): boolean => value[name] !== undefined;
  const add = (name: string, rule: string | undefined): void => {
    if (rule !== undefined) problems.push({ field: `${field}.${name}`, value: value[name], rule });
  };
  if (given('bytes') || given('encoding')) {
    const mixed = ['length', 'charset', 'alphabet'].filter(given);
    if (mixed.length > 0) {
      problems.push({ field, value: mixed[0], rule: 'mixes characters (length, charset, alphabet) with bytes (bytes, encoding): give one or the other' });
      return problems;
    }
    add('bytes', checkCount(value.bytes));
    add('encoding', (BYTE_ENCODINGS as readonly unknown[]).includes(value.encoding) ? undefined : `must be one of ${BYTE_ENCODINGS.map((e) => `"${e}"`).join(', ')}`);
    return problems;
  }
  if (!given('length')) {
    problems.push({ field: `${field}.length`, value: undefined, rule: `${COUNT_RULE}: generated() takes { length } (characters, with a charset or an alphabet) or { bytes, encoding }` });
    return problems;
  }
  add('length', checkCount(value.length));
  if (given('charset') && given('alphabet')) {
    problems.push({ field: `${field}.alphabet`, value: value.alphabet, rule: 'and charset exclude each other: give one of them' });
  } else if (given('charset')) {
    add('charset', Object.keys(CHARSETS).includes(value.charset as string) ? undefined
      : `must be one of ${Object.keys(CHARSETS).map((c) => `"${c}"`).join(', ')}, or give an alphabet instead`);
  } else if (given('alphabet')) {
    add('alphabet', alphabetRule(value.alphabet));
  }
  return problems;
}

function externalProblems(value: Record<string, unknown>, field: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const name of Object.keys(value).filter((n) => n !== 'kind' && !EXTERNAL_OPTIONS.includes(n))) {
    problems.push({ field: 'option', value: name, rule: `is not an option of external() of ${field} (known: ${EXTERNAL_OPTIONS.join(', ')})` });
  }
  const hint = value.hint;
  // The docs' table and seed's list show it as written: nothing may break the line or reorder it.
  if (typeof hint !== 'string' || hint.trim() === '' || checkOneLine(hint) !== undefined) {
    problems.push({ field: `${field}.hint`, value: hint, rule: `must say where to get the value, as ${ONE_LINE_RULE}` });
  }
  if (value.url !== undefined) {
    // The CLI prints the link at a terminal: no control character (an escape sequence) may ride along.
    const rule = checkHttpsUrl(value.url) ?? (CONTROL.test(value.url as string) ? 'must not contain control characters' : undefined);
    if (rule !== undefined) problems.push({ field: `${field}.url`, value: value.url, rule });
  }
  return problems;
}

/**
 * The problems of a path's `origins` option: not an object, a key the path does not declare, or an
 * origin that is not a valid generated() or external(). `keys` are the path's declared keys.
 */
export function valueOriginProblems(origins: unknown, keys: readonly string[]): InputProblem[] {
  if (origins === undefined) return [];
  if (!isOptionsObject(origins)) {
    return [{ field: 'origins', value: origins, rule: 'must be an object of declared key to generated() or external()' }];
  }
  const problems: InputProblem[] = [];
  for (const [key, value] of Object.entries(origins)) {
    const field = `origins.${key}`;
    if (!keys.includes(key)) {
      problems.push({ field: 'origins', value: key, rule: `names a key the path does not declare (declared: ${keys.map(showText).join(', ')})` });
      continue;
    }
    if (value === undefined) continue;
    const unread = isOptionsObject(value) ? READ_PROBLEMS.get(value) : undefined;
    for (const problem of unread ?? []) problems.push({ field: fieldAt([field, ...problem.at], field), value: problem.value, rule: problem.rule, read: true });
    const kind = isOptionsObject(value) ? value.kind : undefined;
    if (kind === 'generated') problems.push(...generatedProblems(value as Record<string, unknown>, field));
    else if (kind === 'external') problems.push(...externalProblems(value as Record<string, unknown>, field));
    else problems.push({ field, value, rule: 'must be generated({ ... }) or external({ hint })' });
  }
  return problems;
}
