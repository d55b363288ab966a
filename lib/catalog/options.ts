// JavaScript callers get no type checking, so every input is read at run time as plain data, and
// checked for names the library does not know: a misspelt or unsupported option would otherwise be
// ignored silently (`deletionPolicy: 'Delete'` synthesizing as the default). Reading runs none of the
// caller's code (no getter, no Proxy trap), so a hostile or odd input is a catalog error that names
// it, never an exception thrown from inside the library.
import { UnreadValue, classNameOf, isProxy, keyText, showText } from './errors';

/** One problem with an input, before it is tied to a row. */
export interface InputProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** Found while the input was read (readPlain): reported even about a value it could not read. */
  readonly read?: true;
}

/** Whether `value` is an object of names to values (not null, not an array, not a function, not what readPlain could not read). */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof UnreadValue);
}

/**
 * `values` each once, sorted as Array.prototype.sort sorts strings; a value that is not a string
 * (reported elsewhere) sorts by its keyText() instead of throwing, as sort() does for a Symbol.
 */
export function sortedUnique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort((a, b) => {
    const x = keyText(a);
    const y = keyText(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The most elements the library reads of an array: more is a mistake, and reading them would hang. */
export const MAX_ARRAY_LENGTH = 10_000;

/** Whether `value` is a map of data: an object (not an array) whose prototype is Object.prototype or null. */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether an object's prototype is Object.prototype (of any realm) or null: an object literal. */
function hasPlainPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return true;
  // An object literal of another realm (a vm context): its prototype is that realm's Object.prototype.
  return Object.getPrototypeOf(proto) === null && classNameOf(value) === 'Object';
}

/** The enumerable string-keyed names an object inherits from prototypes other than Object.prototype. */
function inheritedNames(value: object): string[] {
  const names: string[] = [];
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (isProxy(proto) || hasPlainPrototype(proto as object) && Object.getPrototypeOf(proto) === null) break;
    for (const key of Object.keys(proto as object)) if (!names.includes(key)) names.push(key);
  }
  return names;
}

/** Objects the library made (identities, sources, origins): inputs carry them as they are, never copied. */
const LIBRARY_OBJECTS = new WeakSet<object>();

/** Marks `value` as made by the library: readPlain keeps it as it is. */
export function markLibraryObject<T extends object>(value: T): T {
  LIBRARY_OBJECTS.add(value);
  return value;
}

/** Whether the library made `value` (a Proxy of one is not). */
export function isLibraryObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !isProxy(value) && LIBRARY_OBJECTS.has(value);
}

/** A problem found while reading an input as plain data; `at` is where in it, empty for the input itself. */
export interface PlainProblem {
  readonly at: readonly string[];
  readonly value: unknown;
  readonly rule: string;
}

/** The last segment of a problem about a key itself (a Symbol key) rather than its value. */
export const KEY_OF = '\u0000key';

/** `at` as a field: `labels.app`, `keys[2]`, `labels key` for a key itself; `root` for the input itself. */
export function fieldAt(at: readonly string[], root: string): string {
  if (at[at.length - 1] === KEY_OF) return `${fieldAt(at.slice(0, -1), root)} key`;
  if (at.length === 0) return root;
  return at.reduce((field, segment, index) => (index === 0 || segment.startsWith('[') ? `${field}${segment}` : `${field}.${segment}`), '');
}

/** How deep plain data may nest: deeper is a mistake (or a structure that is not data). */
export const MAX_PLAIN_DEPTH = 16;

const GETTER_RULE = 'must be a plain value: the library reads data and runs no getter';

/**
 * Reads an input as plain data, running none of its code: a copy of it in which every object is a
 * fresh object literal of its own enumerable string-keyed data properties, and every array a fresh
 * array. What the library would not read is a problem, and reads as an UnreadValue (which the rules
 * then leave alone, as it is reported already): a getter (it would run the caller's code), a Proxy (its
 * traps could), a cycle, nesting deeper than 16, an array of more than 10,000 elements. A Symbol key,
 * a non-enumerable property, and an object that is not an object literal (a class instance, or one
 * that inherits properties from a prototype of its own) are problems too; their own data properties
 * are still read. Primitives, functions and the library's own objects are kept as they are.
 */
export function readPlain(value: unknown): { readonly value: unknown; readonly problems: readonly PlainProblem[] } {
  const problems: PlainProblem[] = [];
  const seen = new Set<object>();
  const unread = (at: readonly string[], description: string, rule: string, shown: unknown = new UnreadValue(description)): UnreadValue => {
    problems.push({ at, value: shown, rule });
    return new UnreadValue(description);
  };
  const read = (input: unknown, at: readonly string[]): unknown => {
    if (typeof input !== 'object' || input === null || isLibraryObject(input) || input instanceof UnreadValue) return input;
    if (isProxy(input)) return unread(at, 'a Proxy', 'must be plain data: a Proxy is not read, its traps could run any code');
    if (seen.has(input)) return unread(at, 'a cycle', 'refers to an object that contains it: plain data has no cycles');
    if (at.length >= MAX_PLAIN_DEPTH) return unread(at, 'an object nested too deep', `nests deeper than ${MAX_PLAIN_DEPTH} levels`);
    seen.add(input);
    try {
      if (Array.isArray(input)) {
        if (input.length > MAX_ARRAY_LENGTH) {
          return unread(at, `an array of ${input.length} elements`, `must have at most ${MAX_ARRAY_LENGTH} elements`);
        }
        const items: unknown[] = [];
        for (let index = 0; index < input.length; index++) {
          const descriptor = Object.getOwnPropertyDescriptor(input, index);
          const where = [...at, `[${index}]`];
          items.push(descriptor === undefined ? undefined : 'value' in descriptor ? read(descriptor.value, where) : unread(where, 'a getter', GETTER_RULE));
        }
        return items;
      }
      if (!hasPlainPrototype(input)) {
        const inherited = inheritedNames(input);
        const className = classNameOf(input);
        problems.push({
          at, value: input, rule: inherited.length > 0
            ? `inherits ${inherited.map((n) => `"${showText(n)}"`).join(', ')} from its prototype, and only an object's own properties are read: spread them in ({ ...defaults, ... })`
            : `must be a plain object ({ ... })${className === undefined ? '' : `, not an instance of ${showText(className)}`}`,
        });
      }
      const copy: Record<string, unknown> = {};
      for (const key of Reflect.ownKeys(input)) {
        const descriptor = Object.getOwnPropertyDescriptor(input, key)!;
        if (typeof key === 'symbol') {
          if (descriptor.enumerable) problems.push({ at: [...at, KEY_OF], value: key, rule: 'must be a string: option, key and label names are strings, never Symbols' });
          continue;
        }
        const where = [...at, key];
        if (!('value' in descriptor)) {
          // defineProperty: an own "__proto__" stays a plain name, never the prototype.
          Object.defineProperty(copy, key, { value: unread(where, 'a getter', GETTER_RULE), enumerable: true, writable: true, configurable: true });
        } else if (!descriptor.enumerable) {
          problems.push({ at: where, value: descriptor.value, rule: 'is not enumerable: the library reads an object\'s own enumerable properties only' });
        } else {
          Object.defineProperty(copy, key, { value: read(descriptor.value, where), enumerable: true, writable: true, configurable: true });
        }
      }
      return copy;
    } finally {
      seen.delete(input);
    }
  };
  return { value: read(value, []), problems };
}

/** The problems of readPlain as input problems, `root` naming the input itself. */
export function plainInputProblems(problems: readonly PlainProblem[], root: string): InputProblem[] {
  return problems.map(({ at, value, rule }) => ({ field: fieldAt(at, root), value, rule, read: true }));
}

/**
 * The problems of an options object (read with readPlain): not an object at all, or names outside
 * `known`, each listed with the known names. `what` names the object in the message (`syncTo() options`).
 */
export function optionProblems(value: unknown, known: readonly string[], what: string, optional = true): InputProblem[] {
  if ((value === undefined && optional) || value instanceof UnreadValue) return [];
  if (!isOptionsObject(value)) return [{ field: what, value, rule: 'must be an object' }];
  return Object.keys(value)
    .filter((name) => !known.includes(name))
    .map((name) => ({ field: 'option', value: name, rule: `is not an option of ${what} (known: ${known.join(', ')})` }));
}

/**
 * The option names of the options interface `T`, written as `{ name: true, ... }`: the compiler then
 * checks that the list holds exactly `T`'s keys, so a new option cannot be forgotten in the run-time
 * check of JavaScript callers' options, and a removed one cannot linger there.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(names);
}
