// An identity is the unit of ESO's access to Vault: one store, the ServiceAccount that store logs in
// as, the Vault role bound to exactly that ServiceAccount in exactly the store's namespaces, and the
// policy that reads exactly the paths its targets read. Plain data: the catalog declares and resolves
// identities, the renderers read them.
import { isProxy, keyText, showText } from './errors';
import { isOptionsObject, markLibraryObject, sortedUnique } from './options';

/** How a store verifies Vault's certificate: the system CAs of ESO's image, or a CA in a Secret or ConfigMap. */
export type StoreTrust = 'system' | { readonly secret: CaReference } | { readonly configMap: CaReference };

/** A CA certificate in a Secret or ConfigMap. */
export interface CaReference {
  /** Name of the Secret or ConfigMap. */
  readonly name: string;
  /** The key holding the PEM CA. @default 'ca.crt' */
  readonly key?: string;
  /**
   * Its namespace: required for a ClusterSecretStore; a SecretStore reads only its own namespace's,
   * so it takes none. @default - none
   */
  readonly namespace?: string;
}

/** A SecretStore of the same name in each of `namespaces`; the ExternalSecrets of those namespaces read through it. */
export interface NamespacedStoreOptions<NS extends string = string> {
  readonly kind: 'SecretStore';
  /** Name of the SecretStore in each namespace. @default - the identity's name */
  readonly name?: string;
  /** The namespaces it is written to; the Vault role is bound to exactly these. */
  readonly namespaces: readonly NS[];
  /** How the store verifies Vault's certificate. @default - the settings' `vault.tls.storeTrust`: a ConfigMap `<Vault's TLS Secret>-ca` in its namespace */
  readonly trust?: StoreTrust;
}

/** A ClusterSecretStore that only `namespaces` may use (its `conditions`). */
export interface ClusterStoreOptions<NS extends string = string> {
  readonly kind: 'ClusterSecretStore';
  /** Name of the ClusterSecretStore. @default - the identity's name */
  readonly name?: string;
  /** The namespaces allowed to read through it; ESO refuses every other. */
  readonly namespaces: readonly NS[];
  /** How the store verifies Vault's certificate. @default - the settings' `vault.tls.storeTrust`: Vault's TLS Secret in Vault's namespace */
  readonly trust?: StoreTrust;
}

/** The ServiceAccount a store logs in as: ESO requests its tokens (TokenRequest) and presents them to Vault. */
export interface ServiceAccountOptions {
  /** Name of the ServiceAccount (`default` included). */
  readonly name: string;
  /**
   * Namespace of a ClusterSecretStore's ServiceAccount. A SecretStore's is the one of that name in
   * each of its namespaces, so it takes none. @default - ESO's namespace (`eso.serviceAccountNamespace`)
   */
  readonly namespace?: string;
  /**
   * Whether the library writes the ServiceAccount. @default - true, except for `default` (every
   * namespace has one) and ESO's own ServiceAccount (its chart creates it)
   */
  readonly create?: boolean;
}

/** Options of `SecretCatalog.identity()`: the store, the ServiceAccount it logs in as, and the Vault role. */
export interface IdentityOptions<NS extends string = string> {
  /** The identity's store: a SecretStore in each of its namespaces, or a ClusterSecretStore limited to them. */
  readonly store: NamespacedStoreOptions<NS> | ClusterStoreOptions<NS>;
  /**
   * The ServiceAccount the store logs in as. @default - a SecretStore's: one named like the store,
   * written in each namespace; a ClusterSecretStore's: ESO's own (`eso.serviceAccountName`)
   */
  readonly serviceAccount?: ServiceAccountOptions;
  /** The Vault role's name in the cluster's Kubernetes auth mount. @default - the identity's name */
  readonly role?: string;
  /** Audience of the token the store requests and the role requires. @default - the catalog's (`eso.audience`) */
  readonly audience?: string;
  /** TTL of the tokens the role issues, in seconds. @default - the catalog's (`vaultRole.tokenTtlSeconds`) */
  readonly tokenTtlSeconds?: number;
}

/**
 * A Kubernetes cluster whose ServiceAccounts log in to Vault, through its own Kubernetes auth mount
 * (Vault's advice for several clusters). Today a catalog has one, `default`; an identity belongs to a
 * cluster, so that one catalog can serve several without renaming anything.
 */
export interface EsoCluster {
  /** The cluster's name in the catalog. */
  readonly name: string;
  /** Path of its Kubernetes auth backend in Vault. */
  readonly authMountPath: string;
}

/**
 * Where an identity comes from: declared with `catalog.identity()`, or made by the catalog's
 * `isolation` shorthand for the targets that name none (one for the cluster, or one per namespace).
 */
export type IdentityOrigin =
  | { readonly kind: 'declared' }
  | { readonly kind: 'isolation'; readonly isolation: 'cluster' }
  | { readonly kind: 'isolation'; readonly isolation: 'namespace'; readonly namespace: string };

/** The store of an identity, with its defaults resolved. */
export interface IdentityStore {
  readonly kind: 'SecretStore' | 'ClusterSecretStore';
  readonly name: string;
  /** Sorted, each once. */
  readonly namespaces: readonly string[];
  /** Undefined: the settings decide. */
  readonly trust?: StoreTrust;
}

/** The ServiceAccount of an identity, with its defaults resolved. */
export interface IdentityServiceAccount {
  readonly name: string;
  /** A ClusterSecretStore's ServiceAccount's namespace; undefined for a SecretStore's (its own namespaces). */
  readonly namespace?: string;
  readonly create: boolean;
}

/** The values every identity's defaults come from: the catalog's `eso` and `vaultRole` settings. */
export interface IdentityDefaults {
  readonly mount: string;
  readonly cluster: EsoCluster;
  readonly audience: string;
  readonly tokenTtlSeconds: number;
  /** ESO's own ServiceAccount, which its chart creates. */
  readonly esoServiceAccount: { readonly name: string; readonly namespace: string };
}

/**
 * One identity ESO logs in to Vault as. `NS` is the union of the namespaces its store serves, so a
 * target in another namespace cannot name it (a compile error where the namespace is a literal).
 * `EsoIdentity` without `NS` is any identity: `NS` only types a parameter, so `never` is the widest.
 */
export class EsoIdentity<NS extends string = never> {
  /** The identity's name: a DNS-1123 label for a declared one; the role's name for one of the isolation shorthand. */
  public readonly name: string;
  public readonly origin: IdentityOrigin;
  public readonly store: IdentityStore;
  public readonly serviceAccount: IdentityServiceAccount;
  /** The Vault role's name. */
  public readonly role: string;
  /** The Vault policy's name: `<mount>-eso-read-<name>` (`<mount>-eso-read` for the cluster shorthand). */
  public readonly policyName: string;
  public readonly audience: string;
  public readonly tokenTtlSeconds: number;
  /** The cluster whose ServiceAccounts log in as this identity, with its auth mount. */
  public readonly cluster: EsoCluster;
  /** Phantom, never set at run time; public so that the .d.ts keep it: the namespaces that may name this identity. */
  declare public readonly __namespaces?: (namespace: NS) => void;

  /** @internal Made by `SecretCatalog.identity()` and by the isolation shorthand. */
  constructor(name: string, origin: IdentityOrigin, options: IdentityOptions<NS>, defaults: IdentityDefaults, policyName?: string) {
    // JavaScript callers can pass anything: keep what is usable, and let validate() report the rest.
    const store = (isOptionsObject(options.store) ? options.store : {}) as Partial<NamespacedStoreOptions>;
    const account = (isOptionsObject(options.serviceAccount) ? options.serviceAccount : undefined) as Partial<ServiceAccountOptions> | undefined;
    this.name = name;
    this.origin = origin;
    const kind = store.kind as IdentityStore['kind'];
    const storeName = (store.name ?? name) as string;
    this.store = {
      kind,
      name: storeName,
      namespaces: Array.isArray(store.namespaces) ? sortedUnique(store.namespaces as string[]) : (store.namespaces as unknown as string[]),
      ...(store.trust !== undefined ? { trust: store.trust } : {}),
    };
    const cluster = kind === 'ClusterSecretStore';
    const saName = (account?.name ?? (cluster ? defaults.esoServiceAccount.name : storeName)) as string;
    const saNamespace = cluster ? (account?.namespace ?? defaults.esoServiceAccount.namespace) as string : (account?.namespace as string | undefined);
    const esoOwn = cluster && saName === defaults.esoServiceAccount.name && saNamespace === defaults.esoServiceAccount.namespace;
    this.serviceAccount = {
      name: saName,
      ...(saNamespace !== undefined ? { namespace: saNamespace } : {}),
      create: (account?.create ?? (saName !== 'default' && !esoOwn)) as boolean,
    };
    this.role = (options.role ?? name) as string;
    this.policyName = policyName ?? `${keyText(defaults.mount)}-eso-read-${keyText(name)}`;
    this.audience = (options.audience ?? defaults.audience) as string;
    this.tokenTtlSeconds = (options.tokenTtlSeconds ?? defaults.tokenTtlSeconds) as number;
    this.cluster = defaults.cluster;
    markLibraryObject(this);
  }

  /** The namespaces whose ServiceAccount the role binds: the SecretStore's namespaces, or the ClusterSecretStore's ServiceAccount's. */
  public get boundNamespaces(): readonly string[] {
    if (this.store.kind === 'ClusterSecretStore') return this.serviceAccount.namespace === undefined ? [] : [this.serviceAccount.namespace];
    return Array.isArray(this.store.namespaces) ? this.store.namespaces : [];
  }

  /** Whether a target in `namespace` may read through this identity's store. */
  public serves(namespace: string): boolean {
    return Array.isArray(this.store.namespaces) && this.store.namespaces.includes(namespace);
  }

  /** `identity <name>`: the row of its problems, and how messages name it. */
  public get row(): string {
    return `identity ${showText(this.name)}`;
  }
}

/** Whether `value` is an identity (of any catalog). */
export function isEsoIdentity(value: unknown): value is EsoIdentity {
  return !isProxy(value) && value instanceof EsoIdentity;
}
