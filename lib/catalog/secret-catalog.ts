import { ESO_DEFAULTS, EsoAccessSettings, ResolvedEsoAccess, ResolvedVaultRole, VaultRoleSettings } from './eso-access';
import { InputProblem, isOptionsObject, optionProblems } from './options';
import { SecretKeysOf, SyncSource } from './sources';
import { SyncTarget, SyncTargetSpec } from './sync-target';
import { CatalogIssue, CatalogValidationError, validateCatalog } from './validation';
import type { ValueOrigins } from './value-origins';
import { PathReaders, VaultPath } from './vault-path';

/** Properties for `SecretCatalog`: one KV v2 mount, its paths and the Secrets they feed. */
export interface SecretCatalogProps {
  /** KV v2 mount name, without slashes, such as `secrets`. */
  readonly mount: string;
  /** How ESO authenticates to Vault. @default - store `vault-backend`, Kubernetes auth at `kubernetes`, role `external-secrets`, ESO's chart's service account `external-secrets/external-secrets`, audience `vault` */
  readonly eso?: EsoAccessSettings;
  /** The Vault auth role ESO logs in with. @default - the store's audience, 900-second tokens */
  readonly vaultRole?: VaultRoleSettings;
  /**
   * `cluster`: one ClusterSecretStore, ESO logs in as its own service account with one role that reads
   * every path. `namespace`: per namespace a ServiceAccount, a SecretStore, a Vault role bound to
   * exactly that ServiceAccount, and a policy that reads exactly the namespace's own paths. @default 'cluster'
   */
  readonly isolation?: Isolation;
}

/** How ESO's access to Vault is cut: one identity for the cluster, or one per namespace. */
export type Isolation = 'cluster' | 'namespace';

/** Options of `SecretCatalog.path()`; `K` is the path's declared keys. */
export interface PathOptions<K extends string = string> {
  /** What the path holds, for people. @default - no description */
  readonly description?: string;
  /**
   * Who reads the path. `operators`: people and other tools only, so it feeds no Secret, gets no
   * ExternalSecret and no ESO read grant; the operator policy covers it. @default 'eso': it must feed a Secret
   */
  readonly readBy?: PathReaders;
  /**
   * Where each key's value comes from: `generated({ length: 32 })` for a value the homelab makes up
   * (`homelab-secrets seed` generates it into Vault), `external({ hint })` for one issued elsewhere.
   * Naming an undeclared key does not compile. @default - no key declares where its value comes from
   */
  readonly origins?: ValueOrigins<K>;
}

const CATALOG_OPTIONS = ['mount', 'eso', 'vaultRole', 'isolation'];
const ESO_OPTIONS = ['storeName', 'authMountPath', 'role', 'audience', 'serviceAccountName', 'serviceAccountNamespace'];
const VAULT_ROLE_OPTIONS = ['audience', 'tokenTtlSeconds'];
const PATH_OPTIONS = ['description', 'readBy', 'origins'];

/** An input problem tied to its row. @internal */
export interface RowProblem extends InputProblem {
  readonly row: string;
}

/**
 * The single declaration both synths render. It holds names and keys only, never values, and has
 * no cdk8s or cdktf types so that either renderer can be replaced.
 */
export class SecretCatalog {
  public readonly mount: string;
  public readonly eso: ResolvedEsoAccess;
  public readonly vaultRole: ResolvedVaultRole;
  /** One identity for the cluster, or one per namespace. */
  public readonly isolation: Isolation;
  private readonly _paths: VaultPath[] = [];
  private readonly _targets: SyncTarget[] = [];
  private readonly _inputProblems: RowProblem[] = [];

  constructor(props: SecretCatalogProps) {
    this.reportInput('catalog', optionProblems(props, CATALOG_OPTIONS, 'new SecretCatalog()', false));
    const given: Partial<SecretCatalogProps> = isOptionsObject(props) ? props : {};
    this.mount = given.mount as string;
    this.isolation = (given.isolation ?? 'cluster') as Isolation;
    this.reportInput('store', optionProblems(given.eso, ESO_OPTIONS, 'the eso settings'));
    this.reportInput('vault role', optionProblems(given.vaultRole, VAULT_ROLE_OPTIONS, 'the vaultRole settings'));
    const eso: EsoAccessSettings = isOptionsObject(given.eso) ? given.eso : {};
    const vaultRole: VaultRoleSettings = isOptionsObject(given.vaultRole) ? given.vaultRole : {};
    this.eso = {
      storeName: eso.storeName ?? ESO_DEFAULTS.storeName,
      authMountPath: eso.authMountPath ?? ESO_DEFAULTS.authMountPath,
      role: eso.role ?? ESO_DEFAULTS.role,
      audience: eso.audience ?? ESO_DEFAULTS.audience,
      serviceAccountName: eso.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName,
      serviceAccountNamespace: eso.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace,
    };
    this.vaultRole = {
      audience: vaultRole.audience ?? this.eso.audience,
      tokenTtlSeconds: vaultRole.tokenTtlSeconds ?? ESO_DEFAULTS.tokenTtlSeconds,
    };
  }

  /** Declares a path under the mount and its keys; `keys` becomes the path's key type (`origins` may only name them). */
  public path<const K extends string>(path: string, keys: readonly K[], options?: PathOptions<NoInfer<K>>): VaultPath<K> {
    const description = isOptionsObject(options) ? options.description : undefined;
    const readBy = isOptionsObject(options) ? options.readBy : undefined;
    const origins = isOptionsObject(options) ? options.origins : undefined;
    const declared = new VaultPath<K>(this, path, keys, description as string | undefined, (readBy ?? 'eso') as PathReaders, origins as ValueOrigins<K> | undefined);
    this._paths.push(declared);
    const row = typeof path === 'string' && path !== '' ? path : `(path #${this._paths.length})`;
    this.reportInput(row, optionProblems(options, PATH_OPTIONS, 'path() options'));
    return declared;
  }

  /** Declares a Secret fed from one or more sources (`path.select()`, `path.extractAll()`). */
  public addTarget<const T extends readonly SyncSource[]>(spec: SyncTargetSpec<T>): SyncTarget<SecretKeysOf<T>> {
    return this.declareTarget(spec, 'addTarget()') as SyncTarget<SecretKeysOf<T>>;
  }

  /** @internal Declares a target; `origin` names the method in messages about unknown options. */
  public declareTarget(spec: unknown, origin: 'addTarget()' | 'syncTo()', extraKnown: readonly string[] = []): SyncTarget {
    const target = new SyncTarget(spec);
    this._targets.push(target);
    this.reportInput(target.row, [...target.inputProblems(origin, extraKnown)]);
    return target;
  }

  /** @internal Records problems with an input, reported by validate() in declaration order. */
  public reportInput(row: string, problems: readonly InputProblem[]): void {
    for (const problem of problems) this._inputProblems.push({ row, ...problem });
  }

  /** @internal The input problems recorded while the catalog was declared. */
  public get inputProblems(): readonly RowProblem[] {
    return this._inputProblems;
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

  /** The paths ESO reads (those that feed a Secret), in declaration order: exactly what ESO's policy grants. */
  public get esoPathNames(): string[] {
    const fed = new Set(this._targets.flatMap((t) => t.sources.map((s) => s.path.path)));
    return this.pathNames.filter((path) => fed.has(path));
  }

  /** The paths the ExternalSecrets of `namespace` read, in declaration order: exactly what its policy grants in namespace isolation. */
  public esoPathNamesOf(namespace: string): string[] {
    const fed = new Set(this._targets.filter((t) => t.namespace === namespace).flatMap((t) => t.sources.map((s) => s.path.path)));
    return this.pathNames.filter((path) => fed.has(path));
  }

  /** The paths only operators and other tools read, in declaration order. */
  public get operatorPaths(): readonly VaultPath[] {
    return this._paths.filter((p) => p.readBy === 'operators');
  }

  /** Every rule the catalog breaks, in declaration order; empty when it is valid. Settings are checked by `validateDeclaration`. */
  public validate(): CatalogIssue[] {
    return validateCatalog(this);
  }

  /** Throws a CatalogValidationError listing every broken rule. */
  public assertValid(): void {
    const issues = this.validate();
    if (issues.length > 0) throw new CatalogValidationError(issues);
  }
}
