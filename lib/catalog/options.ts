// JavaScript callers get no type checking, so every options object is checked at run time for names
// the library does not know: a misspelt or unsupported option would otherwise be ignored silently
// (`deletionPolicy: 'Delete'` synthesizing as the default).

/** One problem with an input, before it is tied to a row. */
export interface InputProblem {
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
}

/** Whether `value` is a plain options object (not null, not an array). */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The problems of an options object: not an object at all, or names outside `known`, each listed
 * with the known names. `what` names the object in the message (`syncTo() options`).
 */
export function optionProblems(value: unknown, known: readonly string[], what: string, optional = true): InputProblem[] {
  if (value === undefined && optional) return [];
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
