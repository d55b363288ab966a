import { ESO_DEFAULTS, EsoAccessSettings, ResolvedEsoAccess, ResolvedVaultRole, VaultRoleSettings } from './eso-access';
import { SecretKeysOf, SyncSource } from './sources';
import { SyncTarget, SyncTargetSpec } from './sync-target';
import { CatalogIssue, CatalogValidationError, validateCatalog } from './validation';
import { VaultPath } from './vault-path';

/** The homelab's secret catalog: one KV v2 mount, its paths and the Secrets they feed. */
export interface SecretCatalogProps {
  /** KV v2 mount name, without slashes. @default 'homelab' */
  readonly mount?: string;
  /** How ESO reaches Vault. @default ESO_DEFAULTS */
  readonly eso?: EsoAccessSettings;
  /** The Vault auth role ESO logs in with. @default audience of the store, 900 s tokens */
  readonly vaultRole?: VaultRoleSettings;
}

/** Options of a declared path. */
export interface PathOptions {
  /** What the path holds, for people. @default none */
  readonly description?: string;
}

/**
 * The single declaration both synths render. It holds names and keys only, never values, and has
 * no cdk8s or cdktf types so that either renderer can be replaced.
 */
export class SecretCatalog {
  public readonly mount: string;
  public readonly eso: ResolvedEsoAccess;
  public readonly vaultRole: ResolvedVaultRole;
  private readonly _paths: VaultPath[] = [];
  private readonly _targets: SyncTarget[] = [];

  constructor(props: SecretCatalogProps = {}) {
    this.mount = props.mount ?? 'homelab';
    const eso = props.eso ?? {};
    this.eso = {
      storeName: eso.storeName ?? ESO_DEFAULTS.storeName,
      server: eso.server ?? ESO_DEFAULTS.server,
      authMountPath: eso.authMountPath ?? ESO_DEFAULTS.authMountPath,
      role: eso.role ?? ESO_DEFAULTS.role,
      audience: eso.audience ?? ESO_DEFAULTS.audience,
      serviceAccountName: eso.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName,
      serviceAccountNamespace: eso.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace,
      caSecretName: eso.caSecretName ?? ESO_DEFAULTS.caSecretName,
      caSecretNamespace: eso.caSecretNamespace ?? ESO_DEFAULTS.caSecretNamespace,
      caSecretKey: eso.caSecretKey ?? ESO_DEFAULTS.caSecretKey,
    };
    this.vaultRole = {
      audience: props.vaultRole?.audience ?? this.eso.audience,
      tokenTtlSeconds: props.vaultRole?.tokenTtlSeconds ?? ESO_DEFAULTS.tokenTtlSeconds,
    };
  }

  /** Declares a path under the mount and its keys; `keys` becomes the path's key type. */
  public path<const K extends string>(path: string, keys: readonly K[], options: PathOptions = {}): VaultPath<K> {
    const declared = new VaultPath<K>(this, path, keys, options.description);
    this._paths.push(declared);
    return declared;
  }

  /** Declares a Secret fed from one or more sources (`path.select()`, `path.extractAll()`). */
  public addTarget<const T extends readonly SyncSource[]>(spec: SyncTargetSpec<T>): SyncTarget<SecretKeysOf<T>> {
    const target = new SyncTarget<SecretKeysOf<T>>(spec);
    this._targets.push(target);
    return target;
  }

  /** Declared paths, in declaration order. */
  public get paths(): readonly VaultPath[] {
    return this._paths;
  }

  /** Declared sync targets, in declaration order. */
  public get targets(): readonly SyncTarget[] {
    return this._targets;
  }

  /** Targets fed (in whole or in part) by `path`. */
  public targetsOf(path: VaultPath | string): SyncTarget[] {
    const name = typeof path === 'string' ? path : path.path;
    return this._targets.filter((t) => t.sources.some((s) => s.path.path === name));
  }

  /** Every namespace a target writes to, sorted. */
  public get namespaces(): string[] {
    return [...new Set(this._targets.map((t) => t.namespace))].sort();
  }

  /** Distinct declared path names, in declaration order. */
  public get pathNames(): string[] {
    return [...new Set(this._paths.map((p) => p.path))];
  }

  /** Every rule the catalog breaks, in declaration order; empty when it is valid. */
  public validate(): CatalogIssue[] {
    return validateCatalog(this);
  }

  /** Throws a CatalogValidationError listing every broken rule. */
  public assertValid(): void {
    const issues = this.validate();
    if (issues.length > 0) throw new CatalogValidationError(issues);
  }
}
