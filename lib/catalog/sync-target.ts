import { UnreadValue, showText } from './errors';
import { type EsoIdentity, isEsoIdentity } from './identity';
import { InputProblem, PlainProblem, isLibraryObject, isOptionsObject, optionNames, optionProblems, plainInputProblems, readPlain } from './options';
import { goTemplateRef } from './rules';
import { SecretKeysOf, SyncSource, sourceSecretKeys } from './sources';

/**
 * How ESO writes the Kubernetes Secret. Owner: ESO creates it and owns it (deleting the ExternalSecret
 * deletes the Secret). Orphan: ESO creates or updates it without owning it. Merge: ESO only adds its
 * keys to a Secret someone else creates. None: ESO writes no Secret at all.
 */
export type CreationPolicy = 'Owner' | 'Orphan' | 'Merge' | 'None';

/** The creation policies, in ESO's documentation order. */
export const CREATION_POLICIES: readonly CreationPolicy[] = ['Owner', 'Orphan', 'Merge', 'None'];

/**
 * What ESO does with the Secret when the Vault path or its keys disappear. Retain: keep the Secret as
 * it is. Delete: delete it (only a Secret ESO owns). Merge: remove ESO's keys from it.
 */
export type DeletionPolicy = 'Retain' | 'Delete' | 'Merge';

/** The deletion policies. */
export const DELETION_POLICIES: readonly DeletionPolicy[] = ['Retain', 'Delete', 'Merge'];

/** Template expressions for each Secret key, typed so that only provided keys compile. */
export type TemplateRefs<SK extends string> = { readonly [P in SK]: string };

/**
 * The identities a target in namespace `NS` may name: those whose store serves `NS`. For a namespace
 * the compiler cannot know (a `string`), any identity: validate() checks it then.
 */
export type IdentityFor<NS extends string> = string extends NS ? EsoIdentity : EsoIdentity<NS>;

/** Options of one Kubernetes Secret that ESO writes (`syncTo()`, `addTarget()`). */
export interface SyncTargetOptions<SK extends string = string, NS extends string = string> {
  /** Name of the Kubernetes Secret. */
  readonly name: string;
  /** Namespace of the Secret and its ExternalSecret. */
  readonly namespace: NS;
  /**
   * The identity ESO reads the Secret's paths as (`catalog.identity()`); its store must serve
   * `namespace`. @default - the catalog's default identity for the namespace, from its `isolation`
   */
  readonly identity?: IdentityFor<NoInfer<NS>>;
  /** Name of the ExternalSecret that writes the Secret. @default - the Secret's name */
  readonly externalSecretName?: string;
  /** How ESO writes the Secret: Owner, Orphan, Merge or None (see CreationPolicy). @default 'Owner' */
  readonly creationPolicy?: CreationPolicy;
  /** What ESO does with the Secret when its source disappears: Retain, Delete or Merge. @default 'Retain' */
  readonly deletionPolicy?: DeletionPolicy;
  /** How often ESO re-reads Vault, as a Go duration. @default '1h' */
  readonly refreshInterval?: string;
  /** Allows a zero refreshInterval ("sync once"), with which ESO ignores forced syncs. @default false */
  readonly allowZeroRefreshInterval?: boolean;
  /** Marks the Secret for Reloader's search mode (`reloader.stakater.com/match: "true"`). @default false */
  readonly reloaderMatch?: boolean;
  /** Kubernetes Secret type, such as `kubernetes.io/dockerconfigjson`. @default - none: Kubernetes makes it `Opaque` */
  readonly type?: string;
  /** Extra labels on the Secret. @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations on the Secret. @default - no annotations */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Templated Secret values (ESO `target.template.data`): receives one Go template expression per
   * provided Secret key and returns the Secret's templated keys. @default - no templated values
   */
  readonly template?: (refs: TemplateRefs<SK>) => Readonly<Record<string, string>>;
  /** Replace: the Secret holds only the templated keys. Merge: the templated keys are added to the copied ones. @default 'Replace' */
  readonly templateMergePolicy?: 'Replace' | 'Merge';
}

/** The names of SyncTargetOptions, for the run-time check of JavaScript callers' options. */
export const SYNC_TARGET_OPTIONS: readonly string[] = optionNames<SyncTargetOptions>({
  name: true, namespace: true, identity: true, externalSecretName: true, creationPolicy: true, deletionPolicy: true, refreshInterval: true,
  allowZeroRefreshInterval: true, reloaderMatch: true, type: true, labels: true, annotations: true, template: true, templateMergePolicy: true,
});

/** Options of `addTarget()`: a sync target with the sources its keys come from. */
export interface SyncTargetSpec<T extends readonly SyncSource[] = readonly SyncSource[], NS extends string = string>
  extends SyncTargetOptions<SecretKeysOf<T>, NS> {
  /** Vault paths (and keys) that feed the Secret, in order. */
  readonly sources: T;
}

/**
 * A Kubernetes Secret fed from one or more Vault paths, with defaults resolved. `SK` is the union of
 * the Secret's key names, so helpers that consume the Secret (env vars, volumes) only accept those.
 */
export class SyncTarget<SK extends string = string> {
  public readonly name: string;
  public readonly namespace: string;
  /** The identity the target chose; undefined: the catalog's default for its namespace (`catalog.identityOf(target)`). */
  public readonly identity?: EsoIdentity;
  /** The ExternalSecret's name: `externalSecretName`, else the Secret's. */
  public readonly externalSecretName: string;
  public readonly creationPolicy: CreationPolicy;
  public readonly deletionPolicy: DeletionPolicy;
  public readonly refreshInterval: string;
  public readonly allowZeroRefreshInterval: boolean;
  public readonly reloaderMatch: boolean;
  public readonly type?: string;
  public readonly labels: Readonly<Record<string, string>>;
  public readonly annotations: Readonly<Record<string, string>>;
  public readonly sources: readonly SyncSource[];
  /** The rendered `target.template.data`, or undefined without a template. */
  public readonly templateData?: Readonly<Record<string, string>>;
  public readonly templateMergePolicy: 'Replace' | 'Merge';
  /** Keys the template asked for that no source provides (only reachable from JavaScript). */
  public readonly unknownTemplateRefs: readonly string[];
  /** Phantom, never set at run time; public so that the .d.ts keep it: the Secret's key names, for the type checker only. */
  public readonly __secretKeys?: SK;

  /** The options as readPlain copied them, and what it could not read. */
  private readonly input: unknown;
  private readonly readProblems: readonly PlainProblem[];
  private readonly templateProblems: InputProblem[] = [];

  /** @internal */
  constructor(input: unknown) {
    // JavaScript callers can pass anything: read it once as plain data (no getter runs), keep what is
    // usable, and let validate() report the rest.
    const read = readPlain(input);
    this.input = read.value;
    this.readProblems = read.problems;
    const spec = (isOptionsObject(read.value) ? read.value : {}) as Partial<SyncTargetSpec>;
    this.name = spec.name as string;
    this.namespace = spec.namespace as string;
    if (isEsoIdentity(spec.identity)) this.identity = spec.identity;
    this.externalSecretName = spec.externalSecretName ?? this.name;
    this.creationPolicy = spec.creationPolicy ?? 'Owner';
    this.deletionPolicy = spec.deletionPolicy ?? 'Retain';
    this.refreshInterval = spec.refreshInterval ?? '1h';
    this.allowZeroRefreshInterval = spec.allowZeroRefreshInterval ?? false;
    this.reloaderMatch = spec.reloaderMatch ?? false;
    this.type = spec.type;
    this.labels = isOptionsObject(spec.labels) ? spec.labels as Record<string, string> : {};
    this.annotations = isOptionsObject(spec.annotations) ? spec.annotations as Record<string, string> : {};
    this.sources = Array.isArray(spec.sources) ? spec.sources.filter(isSource) : [];
    this.templateMergePolicy = spec.templateMergePolicy ?? 'Replace';
    const unknown: string[] = [];
    if (typeof spec.template === 'function') {
      // The caller's own function: what it throws is the declaration's error, as anywhere in it.
      const returned = readPlain(spec.template(templateRefs(this.secretKeys, unknown) as TemplateRefs<string>));
      this.templateProblems.push(...plainInputProblems(returned.problems, 'template'));
      if (isOptionsObject(returned.value)) this.templateData = returned.value as Record<string, string>;
      else if (!(returned.value instanceof UnreadValue)) this.templateProblems.push({ field: 'template', value: returned.value, rule: 'must return an object of Secret key to template text' });
    } else if (spec.template !== undefined && !((spec.template as unknown) instanceof UnreadValue)) {
      this.templateProblems.push({ field: 'template', value: spec.template, rule: 'must be a function from key references to templated values' });
    }
    this.unknownTemplateRefs = unknown;
  }

  /** @internal What is wrong with the options as given, before any rule: not plain data, not an object, unknown names, bad sources. */
  public inputProblems(origin: string, extraKnown: readonly string[] = []): InputProblem[] {
    const known = [...SYNC_TARGET_OPTIONS, ...(origin === 'addTarget()' ? ['sources'] : []), ...extraKnown];
    // syncTo() passes its one source as `sources` itself; a caller's own `sources` is reported by syncTo().
    const problems = [...plainInputProblems(this.readProblems, `${origin} options`), ...optionProblems(this.input, known, `${origin} options`, false)]
      .filter((p) => !(origin === 'syncTo()' && p.field === 'option' && p.value === 'sources'));
    if (!isOptionsObject(this.input)) return problems;
    const sources = this.input.sources;
    if (origin === 'addTarget()' && !Array.isArray(sources) && !(sources instanceof UnreadValue)) {
      problems.push({ field: 'sources', value: sources, rule: 'must be an array of path.select() or path.extractAll() sources' });
    } else if (Array.isArray(sources)) {
      sources.forEach((source, index) => {
        if (!isSource(source) && !(source instanceof UnreadValue)) problems.push({ field: `sources[${index}]`, value: source, rule: 'must come from path.select() or path.extractAll()' });
      });
    }
    if (this.input.identity !== undefined && !isEsoIdentity(this.input.identity) && !(this.input.identity instanceof UnreadValue)) {
      problems.push({ field: 'identity', value: this.input.identity, rule: 'must be an identity made by catalog.identity()' });
    }
    for (const field of ['labels', 'annotations'] as const) {
      const value = this.input[field];
      if (value !== undefined && !isOptionsObject(value) && !(value instanceof UnreadValue)) problems.push({ field, value, rule: 'must be an object of names to string values' });
    }
    problems.push(...this.templateProblems);
    return problems;
  }

  /** The Vault paths feeding this Secret, in source order, each once. */
  public get paths(): string[] {
    return [...new Set(this.sources.map((s) => s.path.path))];
  }

  /** The row label used in errors and tables: `infrastructure/minio → minio-credentials in backups`. */
  public get row(): string {
    return `${this.paths.map(showText).join(' + ') || '(no source)'} → ${showText(this.name)} in ${showText(this.namespace)}`;
  }

  /** Whether the ExternalSecret's name differs from the Secret's. */
  public get renamesExternalSecret(): boolean {
    return this.externalSecretName !== this.name;
  }

  /** Whether ESO writes a Secret at all (every creation policy but None). */
  public get writesSecret(): boolean {
    return this.creationPolicy !== 'None';
  }

  /** Secret keys provided by the sources (before templating), in order, duplicates kept. */
  public get secretKeys(): string[] {
    return this.sources.flatMap(sourceSecretKeys);
  }

  /** Whether any source takes a whole path without listing keys. */
  public get hasExtract(): boolean {
    return this.sources.some((s) => s.kind === 'extract');
  }
}

/** Whether `value` is a source made by `path.select()` or `path.extractAll()`. */
function isSource(value: unknown): value is SyncSource {
  return isLibraryObject(value) && isOptionsObject(value) && (value.kind === 'keys' || value.kind === 'extract');
}

function templateRefs(keys: readonly string[], unknown: string[]): Record<string, string> {
  const known = new Set(keys);
  return new Proxy({} as Record<string, string>, {
    get(_target, property) {
      if (typeof property !== 'string') return undefined;
      if (!known.has(property)) unknown.push(property);
      return goTemplateRef(property);
    },
  });
}
