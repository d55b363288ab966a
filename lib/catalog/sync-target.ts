import { goTemplateRef } from './rules';
import { SecretKeysOf, SyncSource, sourceSecretKeys } from './sources';

/** Who owns the Kubernetes Secret. */
export type CreationPolicy = 'Owner' | 'Merge';

/** Template expressions for each Secret key, typed so that only provided keys compile. */
export type TemplateRefs<SK extends string> = { readonly [P in SK]: string };

/** Settings of one Kubernetes Secret that ESO writes. */
export interface SyncTargetOptions<SK extends string = string> {
  /** Name of the Kubernetes Secret, also used for its ExternalSecret. */
  readonly name: string;
  /** Namespace of the Secret and its ExternalSecret. */
  readonly namespace: string;
  /** Owner: ESO creates and owns the Secret. Merge: ESO adds keys to a Secret someone else creates. @default 'Owner' */
  readonly creationPolicy?: CreationPolicy;
  /** How often ESO re-reads Vault, as a Go duration. @default '1h' */
  readonly refreshInterval?: string;
  /** Allows a zero refreshInterval ("sync once"), with which ESO ignores forced syncs. @default false */
  readonly allowZeroRefreshInterval?: boolean;
  /** Marks the Secret for Reloader's search mode (`reloader.stakater.com/match: "true"`). @default false */
  readonly reloaderMatch?: boolean;
  /** Kubernetes Secret type, such as `kubernetes.io/dockerconfigjson`. @default none (Opaque) */
  readonly type?: string;
  /** Extra labels on the Secret. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations on the Secret. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Templated Secret values (ESO `target.template.data`): receives one Go template expression per
   * provided Secret key and returns the Secret's templated keys. @default no templated values
   */
  readonly template?: (refs: TemplateRefs<SK>) => Readonly<Record<string, string>>;
  /** Replace: the Secret holds only the templated keys. Merge: the templated keys are added to the copied ones. @default 'Replace' */
  readonly templateMergePolicy?: 'Replace' | 'Merge';
}

/** A sync target with the sources its keys come from. */
export interface SyncTargetSpec<T extends readonly SyncSource[] = readonly SyncSource[]>
  extends SyncTargetOptions<SecretKeysOf<T>> {
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
  public readonly creationPolicy: CreationPolicy;
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

  /** @internal */
  constructor(spec: SyncTargetSpec) {
    this.name = spec.name;
    this.namespace = spec.namespace;
    this.creationPolicy = spec.creationPolicy ?? 'Owner';
    this.refreshInterval = spec.refreshInterval ?? '1h';
    this.allowZeroRefreshInterval = spec.allowZeroRefreshInterval ?? false;
    this.reloaderMatch = spec.reloaderMatch ?? false;
    this.type = spec.type;
    this.labels = { ...spec.labels };
    this.annotations = { ...spec.annotations };
    this.sources = [...(spec.sources ?? [])];
    this.templateMergePolicy = spec.templateMergePolicy ?? 'Replace';
    const unknown: string[] = [];
    if (spec.template) {
      this.templateData = { ...spec.template(templateRefs(this.secretKeys, unknown)) };
    }
    this.unknownTemplateRefs = unknown;
  }

  /** The Vault paths feeding this Secret, in source order, each once. */
  public get paths(): string[] {
    return [...new Set(this.sources.map((s) => s.path.path))];
  }

  /** The row label used in errors and tables: `infrastructure/minio → minio-credentials in backups`. */
  public get row(): string {
    return `${this.paths.join(' + ') || '(no source)'} → ${this.name} in ${this.namespace}`;
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
