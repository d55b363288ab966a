import { UnreadValue } from './errors';
import { InputProblem, isOptionsObject, markLibraryObject, optionNames, optionProblems, plainInputProblems, readPlain } from './options';
import type { ExtractSource, KeySource, RenamedKeys, Renames } from './sources';
import type { SyncTarget, SyncTargetOptions } from './sync-target';
import type { ValueOrigin, ValueOrigins } from './value-origins';

const SELECTION_OPTIONS = optionNames<KeySelection<string, {}>>({ keys: true, renames: true });

/** Who reads a path: `eso` (it feeds Kubernetes Secrets), or `operators` (people and other tools only). */
export type PathReaders = 'eso' | 'operators';

/**
 * What the identities reading a path read of it: the same keys, or, knowingly, different keys of a
 * path Vault grants whole (each identity can then read every key).
 */
export type IdentitiesRead = 'same-keys' | 'whole-path';

/** Which keys of a path go into a Secret, and under which names. */
export interface KeySelection<S extends string, R extends Renames<S>> {
  /** Vault keys to copy. @default - every declared key of the path */
  readonly keys?: readonly S[];
  /** Vault key → Secret key, where the Secret's key name differs. @default - no renames */
  readonly renames?: R & Record<Exclude<keyof R, S>, never>;
}

/** Options of a Secret fed from one path alone: a selection plus the target's own settings. */
export type PathTargetOptions<S extends string, R extends Renames<S>, SK extends string, NS extends string = string> =
  KeySelection<S, R> & SyncTargetOptions<SK, NS>;

/**
 * What a path needs from the catalog that declares it: somewhere to record what is wrong with its
 * inputs, and the declaration of the targets it feeds alone (`syncTo()`). The catalog hands each path
 * one; a path knows nothing else of the catalog.
 */
export interface PathOwner {
  /** Records problems with an input, reported by the catalog's validate() in declaration order. */
  reportInput(row: string, problems: readonly InputProblem[]): void;
  /** Declares a target; `extraKnown` names options beyond the target's own (`keys`, `renames`). */
  declareTarget(spec: unknown, origin: 'syncTo()', extraKnown: readonly string[]): SyncTarget;
}

/**
 * One path under the KV v2 mount and the keys it holds. `K` is the tuple of declared key names, so a
 * target that names an undeclared key does not compile.
 */
export class VaultPath<K extends string = string> {
  /** The path inside the mount, as ESO's `remoteRef.key` takes it (`infrastructure/minio`). */
  public readonly path: string;
  /** The declared key names, in declaration order (as given when that is not an array; validate() reports it). */
  public readonly keys: readonly K[];
  /** What the path holds, for people. */
  public readonly description?: string;
  /** Who reads the path: ESO (it feeds Secrets), or operators and other tools only (no ExternalSecret, no ESO grant). */
  public readonly readBy: PathReaders;
  /** Where each key's value comes from, for the keys that declare it (as given when that is not an object; validate() reports it). */
  public readonly origins: ValueOrigins;
  /** Whether identities may read different keys of the path, each granted the whole path (`whole-path`). */
  public readonly identitiesRead: IdentitiesRead;

  /** How messages name the path: the path, or `(path #<n>)` when it is not a usable string. */
  public readonly row: string;

  /** @internal `keys` and `origins` as readPlain copied them. */
  constructor(
    private readonly owner: PathOwner, row: string, path: string, keys: readonly K[], description?: string, readBy: PathReaders = 'eso', origins: ValueOrigins<K> = {},
    identitiesRead: IdentitiesRead = 'same-keys',
  ) {
    this.identitiesRead = identitiesRead;
    this.row = row;
    this.path = path;
    this.keys = Array.isArray(keys) ? [...keys] : keys;
    this.description = description;
    this.readBy = readBy;
    this.origins = isOptionsObject(origins) ? { ...origins } : origins;
  }

  /** Where the value of `key` comes from, or undefined when the key declares no origin. */
  public originOf(key: string): ValueOrigin | undefined {
    const origins = this.origins;
    return typeof origins === 'object' && origins !== null && Object.prototype.hasOwnProperty.call(origins, key) ? origins[key] : undefined;
  }

  /** Selects keys of this path for a Secret, optionally renamed. */
  public select<const S extends K = K, const R extends Renames<S> = {}>(
    selection?: KeySelection<S, R>,
  ): KeySource<RenamedKeys<S, R>> {
    const read = readPlain(selection);
    const problems: InputProblem[] = [...plainInputProblems(read.problems, 'select() options'), ...optionProblems(read.value, SELECTION_OPTIONS, 'select() options')];
    const given: Partial<KeySelection<S, R>> = isOptionsObject(read.value) ? read.value : {};
    if (given.keys !== undefined && !Array.isArray(given.keys) && !(given.keys instanceof UnreadValue)) {
      problems.push({ field: 'keys', value: given.keys, rule: `must be an array of keys of "${this.row}"` });
    }
    if (given.renames !== undefined && !isOptionsObject(given.renames) && !((given.renames as unknown) instanceof UnreadValue)) {
      problems.push({ field: 'renames', value: given.renames, rule: 'must be an object of Vault key to Secret key' });
    }
    this.owner.reportInput(this.row, problems);
    const keys = Array.isArray(given.keys) ? given.keys : Array.isArray(this.keys) ? this.keys : [];
    return markLibraryObject({
      kind: 'keys',
      path: this,
      keys: [...keys],
      renames: isOptionsObject(given.renames) ? given.renames as Record<string, string> : {},
    });
  }

  /** Takes every key of this path at sync time (ESO `dataFrom.extract`): "all keys". */
  public extractAll(): ExtractSource<K> {
    return markLibraryObject({ kind: 'extract', path: this });
  }

  /** Declares a Secret fed from this path alone; `keys` and `renames` select as in {@link select}. */
  public syncTo<const S extends K = K, const R extends Renames<S> = {}, const NS extends string = string>(
    options: PathTargetOptions<S, R, RenamedKeys<S, R>, NS>,
  ): SyncTarget<RenamedKeys<S, R>> {
    // Read once, as plain data: destructuring the caller's object would run its getters.
    const read = readPlain(options);
    const given = isOptionsObject(read.value) ? read.value : undefined;
    const { keys, renames, ...target } = (given ?? {}) as unknown as PathTargetOptions<S, R, RenamedKeys<S, R>, NS>;
    const source = this.select<S, R>({ keys, renames } as KeySelection<S, R>);
    const declared = this.owner.declareTarget({ ...target, sources: [source] }, 'syncTo()', SELECTION_OPTIONS);
    this.owner.reportInput(declared.row, plainInputProblems(read.problems, 'syncTo() options'));
    if (!isOptionsObject(options)) {
      this.owner.reportInput(declared.row, [{ field: 'syncTo() options', value: options, rule: 'must be an object' }]);
    } else if (given !== undefined && Object.prototype.hasOwnProperty.call(given, 'sources')) {
      this.owner.reportInput(declared.row, [{ field: 'option', value: 'sources', rule: 'is not an option of syncTo() options: to feed one Secret from several paths use catalog.addTarget({ sources })' }]);
    }
    return declared as SyncTarget<RenamedKeys<S, R>>;
  }
}
