import { ESO_DEFAULTS, EsoAccessSettings, Isolation, ResolvedEsoAccess, ResolvedVaultRole, VaultRoleSettings, namespaceIdentity } from './eso-access';
import { ClusterStoreOptions, EsoCluster, EsoIdentity, IdentityDefaults, IdentityOptions, NamespacedStoreOptions } from './identity';
import { keyText, showText } from './errors';
import { InputProblem, isOptionsObject, optionNames, optionProblems, plainInputProblems, readPlain, sortedUnique } from './options';
import { SecretKeysOf, SyncSource } from './sources';
import { SyncTarget, SyncTargetSpec } from './sync-target';
import { CatalogIssue, CatalogValidationError } from './errors';
import { RowProblem, validateCatalog } from './validation';
import type { ValueOrigins } from './value-origins';
import { IdentitiesRead, PathOwner, PathReaders, VaultPath } from './vault-path';

/** Properties for `SecretCatalog`: one KV v2 mount, its paths and the Secrets they feed. */
export interface SecretCatalogProps {
  /** KV v2 mount name, without slashes, such as `secrets`. */
  readonly mount: string;
  /** How ESO authenticates to Vault. @default - store `vault-backend`, Kubernetes auth at `kubernetes`, role `external-secrets`, ESO's chart's service account `external-secrets/external-secrets`, audience `vault` */
  readonly eso?: EsoAccessSettings;
  /** The Vault auth role ESO logs in with. @default - the store's audience, 900-second tokens */
  readonly vaultRole?: VaultRoleSettings;
  /**
   * The default identity of the targets that name none. `cluster`: one ClusterSecretStore, ESO logs in
   * as its own service account with one role that reads every path those targets read. `namespace`:
   * per namespace a ServiceAccount, a SecretStore, a Vault role bound to exactly that ServiceAccount,
   * and a policy that reads exactly the namespace's own paths. @default 'cluster'
   */
  readonly isolation?: Isolation;
}


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
  /**
   * What the identities that read the path read of it. Vault grants whole paths: an identity that
   * reads one key of a path can read every key of it. `same-keys`: every identity reads the same keys,
   * so no identity is granted a key it was not meant to read; `whole-path`: identities read different
   * keys, and each one's policy grants all of them, knowingly (docs/isolation.md). @default 'same-keys'
   */
  readonly identitiesRead?: IdentitiesRead;
}

const CATALOG_OPTIONS = optionNames<SecretCatalogProps>({ mount: true, eso: true, vaultRole: true, isolation: true });
const ESO_OPTIONS = optionNames<EsoAccessSettings>({
  storeName: true, authMountPath: true, role: true, audience: true, serviceAccountName: true, serviceAccountNamespace: true,
});
const VAULT_ROLE_OPTIONS = optionNames<VaultRoleSettings>({ audience: true, tokenTtlSeconds: true });
const PATH_OPTIONS = optionNames<PathOptions>({ description: true, readBy: true, origins: true, identitiesRead: true });
const IDENTITY_OPTIONS = optionNames<IdentityOptions>({ store: true, serviceAccount: true, role: true, audience: true, tokenTtlSeconds: true });
const STORE_OPTIONS = optionNames<NamespacedStoreOptions | ClusterStoreOptions>({ kind: true, name: true, namespaces: true, trust: true });
const SERVICE_ACCOUNT_OPTIONS = optionNames<NonNullable<IdentityOptions['serviceAccount']>>({ name: true, namespace: true, create: true });

/** The cluster of a catalog's identities: today one, logging in at the catalog's `eso.authMountPath`. */
const DEFAULT_CLUSTER = 'default';

/** Which identity each target reads through, worked out once per state of the catalog. */
interface IdentityIndex {
  /** Every identity in use: the isolation shorthand's (those some target takes), then the declared ones. */
  readonly identities: readonly EsoIdentity[];
  readonly byTarget: ReadonlyMap<SyncTarget, EsoIdentity>;
  readonly targets: ReadonlyMap<EsoIdentity, readonly SyncTarget[]>;
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
  /** The cluster whose ServiceAccounts log in, with its Kubernetes auth mount (`eso.authMountPath`). */
  public readonly cluster: EsoCluster;
  private readonly _paths: VaultPath[] = [];
  private readonly _targets: SyncTarget[] = [];
  private readonly _identities: EsoIdentity[] = [];
  private readonly identityDefaults: IdentityDefaults;
  /** Bumped by every declaration, so that the identity index is worked out again. */
  private version = 0;
  private index?: { readonly version: number; readonly value: IdentityIndex };
  private readonly _inputProblems: RowProblem[] = [];
  /** What each path may do with this catalog: record input problems and declare its targets. */
  private readonly owner: PathOwner = {
    reportInput: (row, problems) => this.reportInput(row, problems),
    declareTarget: (spec, origin, extraKnown) => this.declareTarget(spec, origin, extraKnown),
  };

  constructor(props: SecretCatalogProps) {
    // Read once, as plain data: no getter of the caller's runs, and what is not data is reported.
    const read = readPlain(props);
    this.reportInput('catalog', plainInputProblems(read.problems, 'new SecretCatalog()'));
    this.reportInput('catalog', optionProblems(read.value, CATALOG_OPTIONS, 'new SecretCatalog()', false));
    const given: Partial<SecretCatalogProps> = isOptionsObject(read.value) ? read.value : {};
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
    this.cluster = { name: DEFAULT_CLUSTER, authMountPath: this.eso.authMountPath };
    this.identityDefaults = {
      mount: this.mount,
      cluster: this.cluster,
      audience: this.eso.audience,
      tokenTtlSeconds: this.vaultRole.tokenTtlSeconds,
      esoServiceAccount: { name: this.eso.serviceAccountName, namespace: this.eso.serviceAccountNamespace },
    };
  }

  /**
   * Declares an identity: a store (a SecretStore in each of its namespaces, or a ClusterSecretStore
   * limited to them), the ServiceAccount it logs in as and its Vault role. Its policy reads exactly the
   * paths of the targets that name it. `NS`, the store's namespaces, is what a target's namespace must
   * be to name it.
   */
  public identity<const NS extends string>(name: string, options: IdentityOptions<NS>): EsoIdentity<NS> {
    const row = `identity ${typeof name === 'string' && name !== '' ? showText(name) : `#${this._identities.length + 1}`}`;
    const read = readPlain(options);
    this.reportInput(row, plainInputProblems(read.problems, 'identity() options'));
    this.reportInput(row, optionProblems(read.value, IDENTITY_OPTIONS, 'identity() options', false));
    const given = (isOptionsObject(read.value) ? read.value : {}) as unknown as IdentityOptions<NS>;
    this.reportInput(row, optionProblems(given.store, STORE_OPTIONS, 'the store options', false));
    this.reportInput(row, optionProblems(given.serviceAccount, SERVICE_ACCOUNT_OPTIONS, 'the serviceAccount options'));
    const identity = new EsoIdentity<NS>(name, { kind: 'declared' }, given, this.identityDefaults);
    this._identities.push(identity);
    this.version++;
    return identity;
  }

  /** Every identity in use: the isolation shorthand's that some target takes, then every declared one. */
  public get identities(): readonly EsoIdentity[] {
    return this.identityIndex().identities;
  }

  /** The identity `target` reads through: the one it names, or the catalog's default for its namespace. */
  public identityOf(target: SyncTarget): EsoIdentity {
    return this.identityIndex().byTarget.get(target) ?? target.identity ?? this.defaultIdentity(target.namespace, [target.namespace]);
  }

  /** The targets that read through `identity`, in declaration order. */
  public targetsOfIdentity(identity: EsoIdentity): readonly SyncTarget[] {
    return this.identityIndex().targets.get(identity) ?? [];
  }

  /** The paths `identity`'s targets read, in declaration order: exactly what its policy grants. */
  public pathsReadBy(identity: EsoIdentity): string[] {
    const fed = new Set(this.targetsOfIdentity(identity).flatMap((t) => t.sources.map((s) => s.path.path)));
    return this.pathNames.filter((path) => fed.has(path));
  }

  /** Declares a path under the mount and its keys; `keys` becomes the path's key type (`origins` may only name them). */
  public path<const K extends string>(path: string, keys: readonly K[], options?: PathOptions<NoInfer<K>>): VaultPath<K> {
    const row = typeof path === 'string' && path !== '' ? path : `(path #${this._paths.length + 1})`;
    // Read once, as plain data: no getter of the caller's runs, and what is not data is reported.
    const readKeys = readPlain(keys);
    const read = readPlain(options);
    const given = isOptionsObject(read.value) ? read.value : {};
    const declared = new VaultPath<K>(this.owner, row, path, readKeys.value as K[], given.description as string | undefined,
      (given.readBy ?? 'eso') as PathReaders, given.origins as ValueOrigins<K> | undefined, (given.identitiesRead ?? 'same-keys') as IdentitiesRead);
    this._paths.push(declared);
    this.version++;
    this.reportInput(row, plainInputProblems(readKeys.problems, 'keys'));
    this.reportInput(row, plainInputProblems(read.problems, 'path() options'));
    this.reportInput(row, optionProblems(read.value, PATH_OPTIONS, 'path() options'));
    return declared;
  }

  /** Declares a Secret fed from one or more sources (`path.select()`, `path.extractAll()`). */
  public addTarget<const T extends readonly SyncSource[], const NS extends string = string>(spec: SyncTargetSpec<T, NS>): SyncTarget<SecretKeysOf<T>> {
    return this.declareTarget(spec, 'addTarget()') as SyncTarget<SecretKeysOf<T>>;
  }

  /** Declares a target; `origin` names the method in messages about unknown options. */
  private declareTarget(spec: unknown, origin: 'addTarget()' | 'syncTo()', extraKnown: readonly string[] = []): SyncTarget {
    // SyncTarget reads the options once, as plain data.
    const target = new SyncTarget(spec);
    this._targets.push(target);
    this.version++;
    this.reportInput(target.row, [...target.inputProblems(origin, extraKnown)]);
    return target;
  }

  /** Records problems with an input, reported by validate() in declaration order. */
  private reportInput(row: string, problems: readonly InputProblem[]): void {
    for (const problem of problems) this._inputProblems.push({ row, ...problem });
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
    return sortedUnique(this._targets.map((t) => t.namespace));
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

  /** The paths only operators and other tools read, in declaration order. */
  public get operatorPaths(): readonly VaultPath[] {
    return this._paths.filter((p) => p.readBy === 'operators');
  }

  /** The isolation shorthand's identity for targets without one: the cluster's, or `namespace`'s own. */
  private defaultIdentity(namespace: string, namespaces: readonly string[]): EsoIdentity {
    const eso = this.eso;
    if (this.isolation === 'namespace') {
      const names = namespaceIdentity(eso, namespace);
      return new EsoIdentity(names.role, { kind: 'isolation', isolation: 'namespace', namespace }, {
        store: { kind: 'SecretStore', name: names.storeName, namespaces: [namespace] },
        serviceAccount: { name: names.serviceAccountName },
        role: names.role,
      }, this.identityDefaults, `${keyText(this.mount)}-eso-read-${keyText(namespace)}`);
    }
    return new EsoIdentity(eso.role, { kind: 'isolation', isolation: 'cluster' }, {
      store: { kind: 'ClusterSecretStore', name: eso.storeName, namespaces },
      serviceAccount: { name: eso.serviceAccountName, namespace: eso.serviceAccountNamespace },
      role: eso.role,
    }, this.identityDefaults, `${keyText(this.mount)}-eso-read`);
  }

  private identityIndex(): IdentityIndex {
    if (this.index?.version === this.version) return this.index.value;
    const byTarget = new Map<SyncTarget, EsoIdentity>();
    const targets = new Map<EsoIdentity, SyncTarget[]>();
    const add = (target: SyncTarget, identity: EsoIdentity): void => {
      byTarget.set(target, identity);
      const list = targets.get(identity);
      if (list) list.push(target);
      else targets.set(identity, [target]);
    };
    const shorthand: EsoIdentity[] = [];
    const undeclared = this._targets.filter((t) => t.identity === undefined);
    if (this.isolation === 'namespace') {
      for (const namespace of sortedUnique(undeclared.map((t) => t.namespace))) {
        const identity = this.defaultIdentity(namespace, [namespace]);
        shorthand.push(identity);
        for (const target of undeclared.filter((t) => t.namespace === namespace)) add(target, identity);
      }
    } else if (undeclared.length > 0) {
      const identity = this.defaultIdentity('', sortedUnique(undeclared.map((t) => t.namespace)));
      shorthand.push(identity);
      for (const target of undeclared) add(target, identity);
    }
    for (const target of this._targets) if (target.identity !== undefined) add(target, target.identity);
    const value: IdentityIndex = { identities: [...shorthand, ...this._identities], byTarget, targets };
    this.index = { version: this.version, value };
    return value;
  }

  /** Every rule the catalog breaks, in declaration order; empty when it is valid. Settings are checked by `validateDeclaration`. */
  public validate(): CatalogIssue[] {
    return validateCatalog(this, this._inputProblems);
  }

  /** Throws a CatalogValidationError listing every broken rule. */
  public assertValid(): void {
    const issues = this.validate();
    if (issues.length > 0) throw new CatalogValidationError(issues);
  }
}
