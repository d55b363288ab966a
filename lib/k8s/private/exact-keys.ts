// Keys are data: a Secret key, a label or a Helm value may be named `constructor` or `__proto__`.
// cdk8s renders an object's maps through its resolver and sanitizeValue, which take a map with an own
// `constructor` key for a class instance (and throw) and assign every key (so `__proto__` is dropped,
// or worse). The constructs hand cdk8s such keys escaped, and unescape them in the JSON it returns,
// with defineProperty, so every key comes out exactly as it went in.
import type { ApiObject } from 'cdk8s';
import { isPlainMap } from '../../catalog';

/** A prefix no key the validator accepts can start with. */
const ESCAPE = '\u0000homelab-secrets-key:';
const ESCAPED: readonly string[] = ['constructor', '__proto__'];

/** `value` with every map key cdk8s cannot render escaped, at any depth. */
export function escapeKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(escapeKeys) as T;
  if (!isPlainMap(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const name = ESCAPED.includes(key) ? `${ESCAPE}${key}` : key;
    Object.defineProperty(copy, name, { value: escapeKeys(value[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}

/** `json` with the keys escapeKeys escaped restored, each map that held one sorted again as cdk8s sorts. */
export function unescapeKeys<T>(json: T): T {
  if (Array.isArray(json)) return json.map(unescapeKeys) as T;
  if (typeof json !== 'object' || json === null) return json;
  const record = json as Record<string, unknown>;
  const keys = Object.keys(record);
  const escaped = keys.some((key) => key.startsWith(ESCAPE));
  const names = keys.map((key) => [key, key.startsWith(ESCAPE) ? key.slice(ESCAPE.length) : key] as const);
  if (escaped) names.sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const copy: Record<string, unknown> = {};
  for (const [key, name] of names) Object.defineProperty(copy, name, { value: unescapeKeys(record[key]), enumerable: true, writable: true, configurable: true });
  return copy as T;
}

/** Makes `object` render the keys escapeKeys escaped in its props exactly. */
export function renderKeysExactly(object: ApiObject): void {
  const render = Object.getPrototypeOf(object).toJson as () => unknown;
  Object.defineProperty(object, 'toJson', { value: () => unescapeKeys(render.call(object)), configurable: true });
}
