import type { SecretCatalog } from './secret-catalog';
import type { ExtractSource, KeySource, RenamedKeys, Renames } from './sources';
import type { SyncTarget, SyncTargetOptions } from './sync-target';

/** Which keys of a path go into a Secret, and under which names. */
export interface KeySelection<S extends string, R extends Renames<S>> {
  /** Vault keys to copy. @default every declared key of the path */
  readonly keys?: readonly S[];
  /** Vault key → Secret key, where the Secret's key name differs. @default no renames */
  readonly renames?: R & Record<Exclude<keyof R, S>, never>;
}

/** Options of a Secret fed from one path alone: a selection plus the target's own settings. */
export type PathTargetOptions<S extends string, R extends Renames<S>, SK extends string> =
  KeySelection<S, R> & SyncTargetOptions<SK>;

/**
 * One path under the KV v2 mount and the keys it holds. `K` is the tuple of declared key names, so a
 * target that names an undeclared key does not compile.
 */
export class VaultPath<K extends string = string> {
  /** The path inside the mount, as ESO's `remoteRef.key` takes it (`infrastructure/minio`). */
  public readonly path: string;
  /** The declared key names, in declaration order. */
  public readonly keys: readonly K[];
  /** What the path holds, for people. */
  public readonly description?: string;

  /** @internal */
  constructor(private readonly catalog: SecretCatalog, path: string, keys: readonly K[], description?: string) {
    this.path = path;
    this.keys = [...keys];
    this.description = description;
  }

  /** Selects keys of this path for a Secret, optionally renamed. */
  public select<const S extends K = K, const R extends Renames<S> = {}>(
    selection: KeySelection<S, R> = {},
  ): KeySource<RenamedKeys<S, R>> {
    return {
      kind: 'keys',
      path: this,
      keys: [...(selection.keys ?? this.keys)],
      renames: { ...(selection.renames as Record<string, string> | undefined) },
    };
  }

  /** Takes every key of this path at sync time (ESO `dataFrom.extract`): "all keys". */
  public extractAll(): ExtractSource<K> {
    return { kind: 'extract', path: this };
  }

  /** Declares a Secret fed from this path alone; `keys` and `renames` select as in {@link select}. */
  public syncTo<const S extends K = K, const R extends Renames<S> = {}>(
    options: PathTargetOptions<S, R, RenamedKeys<S, R>>,
  ): SyncTarget<RenamedKeys<S, R>> {
    const { keys, renames, ...target } = options;
    const source = this.select<S, R>({ keys, renames });
    return this.catalog.addTarget({ ...target, sources: [source] });
  }
}
