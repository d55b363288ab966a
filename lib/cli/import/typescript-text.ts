// The one place where text becomes TypeScript source, as lib/cli/shell.ts is for the shell: every
// string literal, property key, comment and variable name of the module `import` writes goes
// through here. What the YAML holds (names, keys, template bodies, file names) is hostile: it must
// stay one literal with exactly its own text, never end a comment, never start a line of code, and
// never name a variable that makes the module fail to load.

/**
 * Characters written as escapes in a literal or a comment: controls (C0, DEL, C1), line and paragraph
 * separators (they end a `//` comment), format characters (bidirectional overrides, zero-width
 * characters, the BOM: text that reads otherwise than it runs) and lone surrogates (a UTF-8 file cannot
 * hold them, so they would be written as U+FFFD).
 */
const ESCAPED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** An identifier of ASCII letters, digits, `_` and `$`: a property name that needs no quotes. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Words no variable of the module may have: the reserved words of JavaScript in strict mode (a module
 * is strict), `eval` and `arguments` (which strict mode forbids as names), TypeScript's own keywords,
 * the globals the module relies on, and the names the module declares itself.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  // ECMAScript reserved words, strict-mode reserved words and literals
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw',
  'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private',
  'protected', 'public', 'await', 'eval', 'arguments',
  // TypeScript's keywords, contextual ones included: valid names in most places, confusing in all
  'abstract', 'accessor', 'any', 'as', 'asserts', 'assert', 'async', 'bigint', 'boolean', 'constructor', 'declare', 'from', 'get', 'global', 'infer',
  'intrinsic', 'is', 'keyof', 'module', 'namespace', 'never', 'number', 'object', 'of', 'out', 'override', 'readonly', 'require', 'satisfies',
  'set', 'string', 'symbol', 'type', 'undefined', 'unique', 'unknown', 'using',
  // globals, and the CommonJS wrapper's names
  'NaN', 'Infinity', 'globalThis', 'exports', 'Object', 'String', 'Array', 'JSON', 'Symbol', 'Proxy', 'Reflect', 'Function', 'Promise',
  // the module's own names
  'catalog', 'v', 'SecretCatalog', 'Declaration', 'PlatformSettings', 'importedCatalog', 'importedDeclaration', 'IMPORTED_SETTINGS',
]);

function escapeChar(ch: string): string {
  switch (ch) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: {
      // A lone surrogate is one code unit; a format character above U+FFFF (a language tag) two.
      const code = ch.codePointAt(0)!;
      return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/** Whether `text` holds a character {@link tsString} writes as an escape. */
export function needsEscape(text: string): boolean {
  return new RegExp(ESCAPED.source, 'u').test(text);
}

/** A single-quoted string literal whose value is exactly `text`, on one line, showing no control or format character. */
export function tsString(text: string): string {
  return `'${text.replace(/[\\']/g, (ch) => `\\${ch}`).replace(ESCAPED, escapeChar)}'`;
}

/**
 * A property key of an object literal: bare where it is an ASCII identifier, else a string literal.
 * `__proto__` is a computed key, `['__proto__']`: written bare or quoted, an object literal sets its
 * prototype instead of a property of that name.
 */
export function tsPropertyKey(name: string): string {
  if (name === '__proto__') return `[${tsString(name)}]`;
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** `v.user`, or `v['db-name']` where the key is no identifier: a property read that no key can escape. */
export function tsPropertyAccess(object: string, name: string): string {
  return IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${tsString(name)}]`;
}

/**
 * Text for inside a comment: escaped as in a string literal (without the quotes), so that no line
 * terminator ends a `//` comment and starts code, and with `*\/` broken up, so that none ends a block
 * comment.
 */
export function tsComment(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(ESCAPED, escapeChar).replace(/\*\//g, '*\\/');
}

/**
 * The body of a template literal whose value is `text`, or undefined when `text` holds a character a
 * template literal cannot show as it is (a carriage return, which JavaScript reads as a line feed;
 * any other control or format character). `` ` ``, `\` and `${` are escaped.
 */
export function tsTemplateText(text: string): string | undefined {
  if (needsEscape(text.replace(/\n/g, ''))) return undefined;
  return text.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${');
}

/**
 * A variable name made of `words` in camelCase: ASCII letters and digits only; `fallback` leads when
 * that is empty or starts with a digit, and follows when it is one of {@link RESERVED_NAMES}.
 */
export function tsVariableName(words: readonly string[], fallback: string): string {
  const parts = words.join('-').split(/[^A-Za-z0-9]+/).filter(Boolean);
  let name = parts.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (name === '' || /^[0-9]/.test(name)) name = `${fallback}${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  return RESERVED_NAMES.has(name) ? `${name}${fallback.charAt(0).toUpperCase()}${fallback.slice(1)}` : name;
}

/**
 * The first of `candidates` (from {@link tsVariableName}) that is neither reserved nor in `taken`,
 * else the last one numbered (`name2`, `name3`, ...); recorded in `taken`.
 */
export function tsUniqueVariable(candidates: readonly string[], taken: Set<string>): string {
  const free = (name: string): boolean => name !== '' && !RESERVED_NAMES.has(name) && !taken.has(name);
  let chosen = candidates.find(free);
  const base = candidates[candidates.length - 1];
  for (let i = 2; chosen === undefined; i++) if (free(`${base}${i}`)) chosen = `${base}${i}`;
  taken.add(chosen);
  return chosen;
}
