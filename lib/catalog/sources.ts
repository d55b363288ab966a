import type { ValueOrigin } from './value-origins';

/**
 * The path a source reads from, as a source sees it: its name inside the mount, its declared keys and
 * where their values come from.
 * `VaultPath` is one; declared here so that the sources need nothing else of it.
 */
export interface SourcePath {
  /** The path inside the mount, as ESO's `remoteRef.key` takes it. */
  readonly path: string;
  /** The declared key names, in declaration order. */
  readonly keys: readonly string[];
  /** Where the value of `key` comes from, or undefined when the key declares no origin. */
  originOf(key: string): ValueOrigin | undefined;
}

/**
 * Keys of one Vault path copied into a Secret one by one (ESO `data[]`), optionally renamed.
 * `SK` is the union of the Secret-side key names; it exists only for the type checker.
 */
export interface KeySource<SK extends string = string> {
  readonly kind: 'keys';
  /** The Vault path the keys are read from. */
  readonly path: SourcePath;
  /** The Vault keys to copy, in output order. */
  readonly keys: readonly string[];
  /** Vault key → Secret key, for keys whose name differs in the Secret. */
  readonly renames: Readonly<Record<string, string>>;
  /** Phantom, never set at run time; public so that the .d.ts keep it: the Secret keys this source yields. */
  readonly __secretKeys?: SK;
}

/** Every key of one Vault path, whatever is there at sync time (ESO `dataFrom[].extract`). */
export interface ExtractSource<SK extends string = string> {
  readonly kind: 'extract';
  /** The Vault path whose keys are all copied. */
  readonly path: SourcePath;
  /** Phantom, never set at run time; public so that the .d.ts keep it: the Secret keys this source yields (the path's declared keys). */
  readonly __secretKeys?: SK;
}

/** Where a sync target's keys come from. */
export type SyncSource<SK extends string = string> = KeySource<SK> | ExtractSource<SK>;

/** The Secret-side key names yielded by a list of sources. */
export type SecretKeysOf<T extends readonly SyncSource<string>[]> =
  T[number] extends infer U ? (U extends SyncSource<infer K> ? K : never) : never;

/** Vault key → Secret key renames over the selected keys `S`; any other property is a compile error. */
export type Renames<S extends string> = { readonly [P in S]?: string };

/** Secret keys after renaming: unrenamed selected keys plus the new names. */
export type RenamedKeys<S extends string, R> =
  | Exclude<S, keyof R>
  | { [P in keyof R & S]: R[P] extends string ? R[P] : never }[keyof R & S];

/** The Secret key a selected Vault key `key` of `source` becomes: its rename, or itself. Only own renames count (`constructor` is a key like any other). */
export function renamedKey(source: KeySource, key: string): string {
  return Object.prototype.hasOwnProperty.call(source.renames, key) && typeof source.renames[key] === 'string' ? source.renames[key] : key;
}

/** The Secret key names a source yields, in output order. */
export function sourceSecretKeys(source: SyncSource): string[] {
  if (source.kind === 'extract') return Array.isArray(source.path.keys) ? [...source.path.keys] : [];
  return source.keys.map((key) => renamedKey(source, key));
}
