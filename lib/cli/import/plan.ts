import { ESO_DEFAULTS, SETTINGS_DEFAULTS, type StoreTrust, VAULT_TLS_DEFAULTS, checkLabel } from '../../catalog';
import type { DocumentOrigin, ImportNote, ImportRefusal, ImportedExternalSecret, ImportedInput, ImportedStore } from './model';
import { objectLabel } from './model';

/** One path of the catalog: the union of the properties read from it, in the order first read. */
export interface PlannedPath {
  readonly path: string;
  readonly keys: readonly string[];
  /** Only extracted and never read key by key: the keys are placeholders the user must replace. */
  readonly keysUnknown: boolean;
}

/** Keys of one path copied one by one, in the input's order; `renames` where the Secret's name differs. */
export interface PlannedKeySource {
  readonly kind: 'keys';
  readonly path: string;
  readonly keys: readonly string[];
  readonly renames: Readonly<Record<string, string>>;
}

/** Every key of one path (`dataFrom.extract`). */
export interface PlannedExtractSource {
  readonly kind: 'extract';
  readonly path: string;
}

export type PlannedSource = PlannedKeySource | PlannedExtractSource;

/** One target: the options of `syncTo()`/`addTarget()` that differ from the library's defaults. */
export interface PlannedTarget {
  readonly from: ImportedExternalSecret;
  readonly name: string;
  readonly namespace: string;
  /** The declared identity it reads through; undefined: the catalog's default. */
  readonly identity?: string;
  /** The store of the input it reads through, where the input has one: what the round trip's roles and policies come from. */
  readonly store?: ImportedStore;
  readonly externalSecretName?: string;
  readonly creationPolicy?: string;
  readonly deletionPolicy?: string;
  readonly refreshInterval?: string;
  readonly allowZeroRefreshInterval?: boolean;
  readonly type?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly reloaderMatch?: boolean;
  readonly templateData?: Readonly<Record<string, string>>;
  readonly templateMergePolicy?: 'Merge';
  /** `data[]` as key sources (consecutive rows of one path together), then `dataFrom` as extracts. */
  readonly sources: readonly PlannedSource[];
}

/** One declared identity: the options of `catalog.identity()` that differ from the library's defaults. */
export interface PlannedIdentity {
  /** Its name: the role's, made a DNS label where it is not one. */
  readonly name: string;
  readonly store: {
    readonly kind: 'SecretStore' | 'ClusterSecretStore';
    /** Undefined: the identity's name. */
    readonly name?: string;
    readonly namespaces: readonly string[];
    /** Undefined: the settings' default trust. */
    readonly trust?: StoreTrust;
  };
  /** Undefined: the default ServiceAccount (a SecretStore's named like it, a ClusterSecretStore's ESO's own). */
  readonly serviceAccount?: { readonly name: string; readonly namespace?: string; readonly create?: boolean };
  /** Undefined: the identity's name. */
  readonly role?: string;
  /** Undefined: the catalog's audience. */
  readonly audience?: string;
  /** The stores of the input it stands for. */
  readonly stores: readonly ImportedStore[];
}

/** The catalog's constructor options that differ from the defaults, and its declared identities. */
export interface PlannedCatalog {
  readonly mount: string;
  readonly eso: Readonly<Record<string, string>>;
  /** `namespace` when the input has a SecretStore per namespace, alike as the shorthand writes them. @default - cluster isolation */
  readonly isolation?: 'namespace';
  /** The identities declared with `catalog.identity()`, in the order their stores appear. */
  readonly identities: readonly PlannedIdentity[];
}

/** The settings skeleton: where Vault is and how the manifests are applied. */
export interface PlannedSettings {
  readonly gitops?: 'flux' | 'plain';
  readonly components?: { readonly vault: false };
  readonly vault: Readonly<Record<string, unknown>>;
}

/** What the generator writes and the builder declares. */
export interface ImportPlan {
  readonly catalog: PlannedCatalog;
  readonly settings: PlannedSettings;
  readonly paths: readonly PlannedPath[];
  readonly targets: readonly PlannedTarget[];
  /** The first store's document, which settings and catalog-wide problems are tied to. */
  readonly storeOrigin?: DocumentOrigin & { readonly object: string };
  /** The stores the catalog writes, the ExternalSecrets each serves, and the ServiceAccounts they log in as: what the round trip compares. */
  readonly stores: readonly PlannedStoreUse[];
}

/** A store of the input the catalog writes again, with the namespaces of the ExternalSecrets that read through it. */
export interface PlannedStoreUse {
  readonly store: ImportedStore;
  readonly usedBy: readonly string[];
}

/** Options of {@link planImport}. */
export interface PlanOptions {
  /** For ExternalSecrets without a namespace. @default - none: they are refused */
  readonly namespace?: string;
  /** The KV v2 mount when no store is in the input. @default - none: then a store is required */
  readonly mount?: string;
  /** The GitOps tools whose own objects (Argo CD Applications, Flux objects) the input holds. @default - none */
  readonly gitopsObjects?: { readonly argocd: boolean; readonly flux: boolean };
}

const RELOADER_MATCH = 'reloader.stakater.com/match';
const ZERO_DURATION = /^(0+(\.0*)?(ns|us|µs|ms|s|m|h)?)+$/;

/** The placeholder key of a path that is only extracted: unique per path, so two extracts never collide. */
export function placeholderKey(path: string): string {
  return `TODO-keys-of-${path.replace(/[^-._a-zA-Z0-9]/g, '-')}`;
}

function inClusterServer(server: string): { scheme: string; release: string; namespace: string } | undefined {
  const m = /^(https?):\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc:8200$/.exec(server);
  return m ? { scheme: m[1], release: m[2], namespace: m[4] } : undefined;
}

type Origin = DocumentOrigin & { readonly object: string };

function storeOrigin(store: ImportedStore): Origin {
  return { file: store.file, document: store.document, ...(store.via ? { via: store.via } : {}), object: objectLabel(store.kind, store.name, store.namespace) };
}

function esOrigin(es: ImportedExternalSecret): Origin {
  return { file: es.file, document: es.document, ...(es.via ? { via: es.via } : {}), object: objectLabel('ExternalSecret', es.name, es.namespace) };
}

/** `media/vault` or `vault`: a store as messages name it. */
function storeId(store: { kind: string; name: string; namespace?: string }): string {
  return store.kind === 'SecretStore' ? `SecretStore ${store.namespace ?? '(no namespace)'}/${store.name}` : `ClusterSecretStore ${store.name}`;
}

/** The CA a store trusts, as the catalog says it: undefined for none (the system CAs), `{ secret }` or `{ configMap }`. */
function trustOf(store: ImportedStore): StoreTrust {
  const ca = store.caProvider;
  if (!ca) return 'system';
  const ref = { name: ca.name, ...(ca.key !== VAULT_TLS_DEFAULTS.caKey ? { key: ca.key } : {}), ...(ca.namespace !== undefined ? { namespace: ca.namespace } : {}) };
  return ca.type === 'ConfigMap' ? { configMap: ref } : { secret: ref };
}

/** The trust the settings give a store of `kind` by default, with Vault's TLS Secret `secretName` in `vaultNamespace`. */
function defaultTrust(kind: ImportedStore['kind'], secretName: string, vaultNamespace: string): StoreTrust {
  return kind === 'ClusterSecretStore'
    ? { secret: { name: secretName, namespace: vaultNamespace } }
    : { configMap: { name: `${secretName}-ca` } };
}

/** The TLS Secret a store's CA names, if it is named the way the library writes it. */
function tlsSecretOf(store: ImportedStore, vaultNamespace: string): string | undefined {
  const ca = store.caProvider;
  if (!ca || ca.key !== VAULT_TLS_DEFAULTS.caKey) return undefined;
  if (store.kind === 'ClusterSecretStore') return ca.type === 'Secret' && ca.namespace === vaultNamespace ? ca.name : undefined;
  return ca.type === 'ConfigMap' && ca.name.endsWith('-ca') && ca.name !== '-ca' ? ca.name.slice(0, -'-ca'.length) : undefined;
}

const sameTrust = (a: StoreTrust, b: StoreTrust): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The mount of a store without `provider.vault.path`: ESO then reads each key's first segment as the
 * mount, so every key of the store's ExternalSecrets must name the same one.
 */
function mountFromKeys(externalSecrets: readonly ImportedExternalSecret[], store: ImportedStore, refusals: ImportRefusal[], notes: ImportNote[]): string {
  const keys = externalSecrets.flatMap((es) => [...es.data.map((d) => d.key), ...es.extract]);
  const mounts = [...new Set(keys.map((key) => key.split('/')[0]))];
  const origin = storeOrigin(store);
  if (mounts.length === 1 && keys.every((key) => key.includes('/'))) {
    notes.push({ ...origin, text: `spec.provider.vault.path is not set: the mount is "${mounts[0]}", the first segment of every key, and the catalog writes it as the store's path` });
    return mounts[0];
  }
  refusals.push({ ...origin, field: 'spec.provider.vault.path', rule: mounts.length > 1
    ? `is not set, so ESO reads the mount from each key's first segment, and the keys name several (${mounts.join(', ')}): the catalog has one mount; import each mount's ExternalSecrets with a store of their own`
    : 'is required: it is the KV v2 mount, and no key names one' });
  return '';
}

/**
 * The ExternalSecret with its keys relative to the mount, as ESO reads them: a key that starts with
 * the mount (`secret/apps/db`, `secret/data/apps/db`) is the same path as `apps/db`, with a note.
 */
function keysInsideMount<E extends ImportedExternalSecret>(es: E, mount: string, notes: ImportNote[]): E {
  const origin = esOrigin(es);
  const inside = (key: string, field: string): string => {
    if (!key.startsWith(`${mount}/`)) return key;
    let path = key.slice(mount.length + 1);
    if (path.startsWith('data/')) path = path.slice('data/'.length);
    notes.push({ ...origin, text: `${field} ${JSON.stringify(key)} is read as ${JSON.stringify(path)}: ESO removes the mount "${mount}"${key.length - path.length > mount.length + 1 ? ' and "data/"' : ''} itself, and the catalog writes paths inside the mount` });
    return path;
  };
  return {
    ...es,
    data: es.data.map((d, i) => ({ ...d, key: inside(d.key, `spec.data[${i}].remoteRef.key`) })),
    extract: es.extract.map((key, i) => inside(key, `spec.dataFrom[${i}].extract.key`)),
  };
}

/** The key sources of `data[]`: consecutive rows of one path form one source, unless a key repeats. */
function keySources(es: ImportedExternalSecret): PlannedKeySource[] {
  const sources: { path: string; keys: string[]; renames: Record<string, string> }[] = [];
  for (const row of es.data) {
    let last = sources[sources.length - 1];
    if (!last || last.path !== row.key || last.keys.includes(row.property)) {
      last = { path: row.key, keys: [], renames: {} };
      sources.push(last);
    }
    last.keys.push(row.property);
    // defineProperty: an assignment to `__proto__` would set the prototype, not a key of that name.
    if (row.secretKey !== row.property) Object.defineProperty(last.renames, row.property, { value: row.secretKey, enumerable: true, writable: true, configurable: true });
  }
  return sources.map((s) => ({ kind: 'keys', ...s }));
}

/** A DNS label made from a role name, for an identity's name: lowercase, other characters as "-". */
function labelOf(role: string): string {
  const label = role.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return label === '' ? 'identity' : label;
}

/** The stores that log in with one role in one auth mount: one identity. */
interface StoreGroup {
  readonly role: string;
  readonly stores: ImportedStore[];
  readonly users: ImportedExternalSecret[];
}

/**
 * Groups what was read into the catalog: one path per Vault path (keys: the union of the properties
 * read), one target per ExternalSecret, one identity per Vault role (its stores in every namespace
 * they are in). The shorthands are kept where the input is shaped like them: one ClusterSecretStore
 * becomes the catalog's default identity, a SecretStore per namespace named alike becomes namespace
 * isolation. Refuses what spans documents: a missing namespace, a store that is not in the input,
 * stores of one role that are not alike, a second Vault or mount.
 */
export function planImport(input: ImportedInput, options: PlanOptions = {}): { plan: ImportPlan; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  const refuse = (origin: Origin, field: string, rule: string): void => void refusals.push({ ...origin, field, rule });
  const note = (origin: Origin, text: string): void => void notes.push({ ...origin, text });

  // Namespaces first: everything below is per namespace.
  const placed: (ImportedExternalSecret & { namespace: string })[] = [];
  for (const es of input.externalSecrets) {
    const namespace = es.namespace ?? options.namespace;
    if (namespace === undefined) {
      refuse(esOrigin(es), 'metadata.namespace', 'is not set, and no overlay set it: give the namespace with --namespace, or import the repository\'s folder (its kustomizations and Flux Kustomizations set it), or the output of kustomize build or flux build');
      continue;
    }
    placed.push({ ...es, namespace });
  }
  const stores = input.stores.map((s) => (s.kind === 'SecretStore' && s.namespace === undefined && options.namespace !== undefined ? { ...s, namespace: options.namespace } : s));
  const secretStore = (namespace: string, name: string): ImportedStore | undefined => stores.find((s) => s.kind === 'SecretStore' && s.namespace === namespace && s.name === name);
  const clusterStore = (name: string): ImportedStore | undefined => stores.find((s) => s.kind === 'ClusterSecretStore' && s.name === name);
  for (const s of stores) {
    if (s.kind === 'SecretStore' && s.namespace === undefined) refuse(storeOrigin(s), 'metadata.namespace', 'is not set, and no overlay set it: give the namespace with --namespace, or import the repository\'s folder');
  }

  // Which store each ExternalSecret reads through. An omitted kind is a SecretStore to ESO; an input
  // with only a ClusterSecretStore of that name is read as meaning that one, with a note.
  const anySecretStore = stores.some((s) => s.kind === 'SecretStore') || placed.some((es) => es.storeKind === 'SecretStore');
  const resolved: { es: ImportedExternalSecret & { namespace: string; storeKind: string }; store?: ImportedStore }[] = placed.map((es) => {
    let kind = es.storeKind;
    if (kind === undefined) {
      if (secretStore(es.namespace, es.storeName) || (anySecretStore && !clusterStore(es.storeName))) kind = 'SecretStore';
      else {
        kind = 'ClusterSecretStore';
        note(esOrigin(es), `spec.secretStoreRef.kind is not set, which ESO reads as a namespaced SecretStore; imported as the ClusterSecretStore "${es.storeName}"`);
      }
    }
    const store = kind === 'SecretStore' ? secretStore(es.namespace, es.storeName) : clusterStore(es.storeName);
    return { es: { ...es, storeKind: kind }, store };
  });

  // Without any store YAML: the mount from --mount, one store name, the shorthand's defaults.
  if (stores.length === 0) return planWithoutStores(resolved.map((r) => r.es), options, refusals, notes);

  for (const { es, store } of resolved) {
    if (store) continue;
    const kindText = es.storeKind === 'SecretStore' ? `the SecretStore "${es.storeName}" of namespace "${es.namespace}"` : `the ClusterSecretStore "${es.storeName}"`;
    refuse(esOrigin(es), `spec.secretStoreRef.name ${JSON.stringify(es.storeName)}`, `names ${kindText}, which is not in the input: add its YAML (it holds the server, the mount and the Kubernetes auth)`);
  }
  const used = stores.filter((s) => resolved.some((r) => r.store === s));
  for (const s of stores.filter((x) => !used.includes(x))) note(storeOrigin(s), 'is not imported: no ExternalSecret reads through it');
  const usersOf = (store: ImportedStore): (ImportedExternalSecret & { namespace: string })[] => resolved.filter((r) => r.store === store).map((r) => r.es);

  // One Vault, one mount, one Kubernetes auth mount (one cluster).
  const model = used[0];
  if (model === undefined) {
    return { plan: emptyPlan(options.mount ?? ''), refusals, notes };
  }
  for (const s of used.slice(1)) {
    for (const [field, label, what] of [['server', 'spec.provider.vault.server', 'the catalog reads one Vault: import each Vault\'s stores and ExternalSecrets on their own'],
      ['authMountPath', 'spec.provider.vault.auth.kubernetes.mountPath', 'the catalog\'s identities log in at one Kubernetes auth mount, its cluster\'s: import each cluster\'s stores on their own']] as const) {
      if (s[field] !== model[field]) refuse(storeOrigin(s), `${label} ${JSON.stringify(s[field])}`, `differs from ${JSON.stringify(model[field])} of ${storeId(model)} (${model.file} document ${model.document}): ${what}`);
    }
  }
  const mounts = used.map((s) => s.mount || mountFromKeys(usersOf(s), s, refusals, notes));
  const mount = mounts[0];
  used.forEach((s, i) => {
    if (mounts[i] !== '' && mount !== '' && mounts[i] !== mount) {
      refuse(storeOrigin(s), `spec.provider.vault.path ${JSON.stringify(mounts[i])}`, `differs from the mount "${mount}" of ${storeId(model)}: the catalog has one mount; import each mount's stores and ExternalSecrets on their own`);
    }
  });

  // Settings: where Vault is, TLS, and what the stores trust unless they say otherwise.
  const vault: Record<string, unknown> = {};
  let components: PlannedSettings['components'];
  const gitops = gitopsOf(placed, options.gitopsObjects);
  const inCluster = inClusterServer(model.server);
  const https = model.server.startsWith('https://');
  const vaultNamespace = inCluster?.namespace ?? SETTINGS_DEFAULTS.vault.namespace;
  if (inCluster) {
    if (inCluster.namespace !== SETTINGS_DEFAULTS.vault.namespace) vault.namespace = inCluster.namespace;
    if (inCluster.release !== SETTINGS_DEFAULTS.vault.releaseName) vault.releaseName = inCluster.release;
  } else {
    vault.address = model.server;
    // Argo CD and Flux install the Vault component by default, which an address outside the cluster rules out.
    if (gitops !== 'plain') components = { vault: false };
  }
  let tlsSecret = VAULT_TLS_DEFAULTS.secretName as string;
  let systemByDefault = false;
  if (!https) {
    vault.tls = { disabled: true };
    for (const s of used.filter((x) => x.caProvider)) refuse(storeOrigin(s), 'spec.provider.vault.caProvider', 'is set for a plain http:// server: the library writes a caProvider only for https://');
  } else if (used.every((s) => !s.caProvider)) {
    systemByDefault = true;
    vault.tls = { storeTrust: 'system' };
    note(storeOrigin(model), 'spec.provider.vault.caProvider is not set on any store, so ESO trusts the system CAs: the settings say so (vault.tls.storeTrust "system")');
  } else {
    // The TLS Secret most stores name (as the library writes it) is the settings'; the others say their own.
    const counts = new Map<string, number>();
    for (const s of used) {
      const name = tlsSecretOf(s, vaultNamespace);
      if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) tlsSecret = best[0];
    if (tlsSecret !== VAULT_TLS_DEFAULTS.secretName) vault.tls = { secretName: tlsSecret };
  }
  const defaultTrustOf = (s: ImportedStore): StoreTrust | undefined => (!https ? undefined : systemByDefault ? 'system' : defaultTrust(s.kind, tlsSecret, vaultNamespace));
  const ownTrust = (s: ImportedStore): StoreTrust | undefined => {
    if (!https) return undefined;
    const own = trustOf(s);
    const given = defaultTrustOf(s);
    return given !== undefined && sameTrust(own, given) ? undefined : own;
  };

  // One identity per role: its stores must be alike but for their namespaces.
  const groups: StoreGroup[] = [];
  for (const s of used) {
    const group = groups.find((g) => g.role === s.role);
    if (group) group.stores.push(s);
    else groups.push({ role: s.role, stores: [s], users: [] });
  }
  for (const group of groups) group.users.push(...group.stores.flatMap(usersOf));
  const alike = (group: StoreGroup): boolean => {
    const [first, ...rest] = group.stores;
    let ok = true;
    const differ = (s: ImportedStore, field: string, value: unknown, what: string): void => {
      ok = false;
      refuse(storeOrigin(s), `${field} ${JSON.stringify(value)}`, `differs from ${storeId(first)} (${first.file} document ${first.document}), which logs in with the same role "${group.role}": ${what}`);
    };
    for (const s of rest) {
      if (s.kind !== first.kind) differ(s, 'kind', s.kind, 'a role is one identity, with one kind of store; give one of them a role of its own');
      else if (s.kind === 'ClusterSecretStore') differ(s, 'metadata.name', s.name, 'a role is one identity, with one ClusterSecretStore; give one of them a role of its own');
      else if (s.name !== first.name) differ(s, 'metadata.name', s.name, 'a role is one identity, whose SecretStore has one name in all its namespaces; rename one, or give it a role of its own');
      else if (group.stores.some((o) => o !== s && o.namespace === s.namespace && group.stores.indexOf(o) < group.stores.indexOf(s))) differ(s, 'metadata.namespace', s.namespace, 'is a second store of the role in one namespace');
      if (s.serviceAccountName !== first.serviceAccountName) {
        differ(s, 'spec.provider.vault.auth.kubernetes.serviceAccountRef.name', s.serviceAccountName,
          'Vault binds a role to every listed name in every listed namespace, so one role for both would also admit the other ServiceAccount in each namespace; use one name, or give it a role of its own');
      }
      if (s.audience !== first.audience) differ(s, 'spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences', s.audience ? [s.audience] : undefined, 'a role requires one audience');
      if (JSON.stringify(s.caProvider) !== JSON.stringify(first.caProvider)) differ(s, 'spec.provider.vault.caProvider', s.caProvider, 'an identity\'s stores trust one CA');
    }
    return ok;
  };
  for (const group of groups) alike(group);
  for (const store of used) {
    if (store.kind === 'SecretStore' && store.serviceAccountName === undefined) {
      refuse(storeOrigin(store), 'spec.provider.vault.auth.kubernetes.serviceAccountRef.name', 'is required: a SecretStore logs in as a ServiceAccount of its namespace');
    }
    if (store.kind === 'SecretStore' && store.serviceAccountNamespace !== undefined && store.serviceAccountNamespace !== store.namespace) {
      refuse(storeOrigin(store), `spec.provider.vault.auth.kubernetes.serviceAccountRef.namespace ${JSON.stringify(store.serviceAccountNamespace)}`,
        'must be the store\'s own namespace, or not set: a SecretStore logs in as a ServiceAccount of its namespace');
    }
    if (store.audience === undefined) note(storeOrigin(store), `spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences is not set: the library requests the audience "${ESO_DEFAULTS.audience}", which the Vault role it writes requires`);
  }
  // A ClusterSecretStore must admit the namespaces of its ExternalSecrets, or ESO refuses them.
  for (const { es, store } of resolved) {
    const c = store?.kind === 'ClusterSecretStore' ? store.conditions : undefined;
    if (c && !c.selectors && !c.namespaces.includes(es.namespace)) {
      refuse(esOrigin(es), `metadata.namespace ${JSON.stringify(es.namespace)}`, `is not among the namespaces the conditions of ${storeId(store!)} admit (${c.namespaces.join(', ')}), so ESO refuses it: add the namespace to the conditions, or read through another store`);
    }
  }

  // Keep the shorthands where the input is shaped like them.
  const esNamespaces = (group: StoreGroup): string[] => [...new Set(group.users.map((u) => u.namespace!))].sort();
  const clusterGroups = groups.filter((g) => g.stores[0].kind === 'ClusterSecretStore');
  const fitsClusterShorthand = (g: StoreGroup): boolean => {
    const s = g.stores[0];
    const c = s.conditions;
    return g.stores.length === 1 && ownTrust(s) === undefined
      && (c === undefined || c.selectors || JSON.stringify(c.namespaces) === JSON.stringify(esNamespaces(g)));
  };
  // The catalog's default identity logs in as ESO's own ServiceAccount, which ESO's chart creates: a
  // store whose ServiceAccount the repository writes itself is an identity of its own. Among the
  // others, ESO's chart's default name first, then the one most ExternalSecrets read through.
  const writesAccount = (s: ImportedStore): boolean => input.serviceAccounts.some((sa) => sa.name === s.serviceAccountName
    && (sa.namespace ?? options.namespace) === (s.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace));
  const esoChartDefault = (g: StoreGroup): number => (g.stores[0].serviceAccountName ?? ESO_DEFAULTS.serviceAccountName) === ESO_DEFAULTS.serviceAccountName
    && (g.stores[0].serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace) === ESO_DEFAULTS.serviceAccountNamespace ? 1 : 0;
  const defaultGroup = clusterGroups.filter((g) => fitsClusterShorthand(g) && !writesAccount(g.stores[0]))
    .sort((a, b) => esoChartDefault(b) - esoChartDefault(a) || b.users.length - a.users.length)[0];
  const secretGroups = groups.filter((g) => g.stores[0].kind === 'SecretStore');
  const namespacePrefix = secretGroups.length > 0 && clusterGroups.length === 0 ? namespaceShorthandPrefix(secretGroups, ownTrust) : undefined;

  const eso: Record<string, string> = {};
  const set = (field: keyof typeof ESO_DEFAULTS, value: string | undefined): void => {
    if (value !== undefined && value !== ESO_DEFAULTS[field]) eso[field] = value;
  };
  set('authMountPath', model.authMountPath);
  let isolation: 'namespace' | undefined;
  if (defaultGroup) {
    const s = defaultGroup.stores[0];
    set('storeName', s.name);
    set('role', s.role);
    set('serviceAccountName', s.serviceAccountName);
    set('serviceAccountNamespace', s.serviceAccountNamespace);
    set('audience', s.audience);
    if (s.serviceAccountName === undefined || s.serviceAccountNamespace === undefined) {
      note(storeOrigin(s), `spec.provider.vault.auth.kubernetes.serviceAccountRef has no ${s.serviceAccountName === undefined ? 'name' : 'namespace'}: the library names ESO's service account ${s.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace}/${s.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName} explicitly`);
    }
    if (s.conditions === undefined || s.conditions.selectors) {
      note(storeOrigin(s), `spec.conditions ${s.conditions === undefined ? 'is not set, so every namespace may read through the store' : 'selects namespaces by label or pattern'}: the library limits it to the namespaces of its ExternalSecrets (${esNamespaces(defaultGroup).join(', ')})`);
    }
  } else if (namespacePrefix !== undefined) {
    isolation = 'namespace';
    const s = secretGroups[0].stores[0];
    set('storeName', s.name);
    set('role', namespacePrefix);
    set('audience', s.audience);
  } else {
    // The declared identities' audience: the catalog's, where they all agree.
    const audiences = [...new Set(used.map((s) => s.audience ?? ESO_DEFAULTS.audience))];
    if (audiences.length === 1) set('audience', audiences[0]);
  }
  const catalogAudience = eso.audience ?? ESO_DEFAULTS.audience;
  const esoAccount = { name: eso.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName, namespace: eso.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace };

  // Declared identities: every group the shorthand does not cover.
  const declaredGroups = isolation === 'namespace' ? [] : groups.filter((g) => g !== defaultGroup);
  const taken = new Set<string>(defaultGroup ? [defaultGroup.role] : []);
  const identities: PlannedIdentity[] = [];
  const identityOfGroup = new Map<StoreGroup, string>();
  const accountInInput = (namespace: string | undefined, name: string | undefined): boolean =>
    input.serviceAccounts.some((sa) => sa.name === name && (sa.namespace ?? options.namespace) === namespace);
  const storeUses: PlannedStoreUse[] = groups.flatMap((group) => group.stores.map((store) => ({ store, usedBy: [...new Set(usersOf(store).map((u) => u.namespace))].sort() })));
  for (const group of declaredGroups) {
    const first = group.stores[0];
    let name = checkLabel(group.role) === undefined ? group.role : labelOf(group.role);
    for (let i = 2; taken.has(name); i++) name = `${labelOf(group.role).slice(0, 58)}-${i}`;
    taken.add(name);
    identityOfGroup.set(group, name);
    const cluster = first.kind === 'ClusterSecretStore';
    const c = first.conditions;
    const namespaces = cluster
      ? (c && !c.selectors ? [...c.namespaces] : esNamespaces(group))
      : [...new Set(group.stores.map((s) => s.namespace!))].sort();
    if (cluster && (c === undefined || c.selectors)) {
      note(storeOrigin(first), `spec.conditions ${c === undefined ? 'is not set, so every namespace may read through the store' : 'selects namespaces by label or pattern'}: the library limits it to the namespaces of its ExternalSecrets (${namespaces.join(', ')})`);
    }
    // The ServiceAccount: written by the library where the input holds it, logged in as where it does not.
    const saName = first.serviceAccountName ?? (cluster ? esoAccount.name : first.name);
    const saNamespace = cluster ? first.serviceAccountNamespace ?? esoAccount.namespace : undefined;
    const present = cluster ? [accountInInput(saNamespace, saName)] : group.stores.map((s) => accountInInput(s.namespace, saName));
    if (!cluster && present.some(Boolean) && !present.every(Boolean)) {
      const missing = group.stores.filter((_s, i) => !present[i]).map((s) => s.namespace);
      refuse(storeOrigin(first), `spec.provider.vault.auth.kubernetes.serviceAccountRef.name ${JSON.stringify(saName)}`,
        `names a ServiceAccount the input holds in some of the role's namespaces but not in ${missing.join(', ')}: the library writes it in all of them or in none; add the missing ones, or remove the others`);
    }
    const create = present.every(Boolean);
    const libraryDefault = saName !== 'default' && !(cluster && saName === esoAccount.name && saNamespace === esoAccount.namespace);
    const defaultSaName = cluster ? esoAccount.name : first.name;
    const saOptions = saName !== defaultSaName || (cluster && saNamespace !== esoAccount.namespace) || create !== libraryDefault
      ? { name: saName, ...(cluster && saNamespace !== esoAccount.namespace ? { namespace: saNamespace } : {}), ...(create !== libraryDefault ? { create } : {}) }
      : undefined;
    const trust = ownTrust(first);
    identities.push({
      name,
      store: { kind: first.kind, ...(first.name !== name ? { name: first.name } : {}), namespaces, ...(trust !== undefined ? { trust } : {}) },
      ...(saOptions ? { serviceAccount: saOptions } : {}),
      ...(group.role !== name ? { role: group.role } : {}),
      ...((first.audience ?? ESO_DEFAULTS.audience) !== catalogAudience ? { audience: first.audience ?? ESO_DEFAULTS.audience } : {}),
      stores: group.stores,
    });
  }
  // Namespace isolation writes each namespace's ServiceAccount, whether the input holds it or not.
  if (isolation === 'namespace') {
    for (const { store } of storeUses.filter((u) => !accountInInput(u.store.namespace, u.store.serviceAccountName))) {
      note(storeOrigin(store), `logs in as the ServiceAccount "${store.serviceAccountName}", which the input does not hold: namespace isolation writes each namespace's own, so the round trip shows it as added`);
    }
  }

  // Paths and targets.
  const externalSecrets = resolved.filter((r) => r.store !== undefined).map((r) => ({ es: mount === '' ? r.es : keysInsideMount(r.es, mount, notes), store: r.store! }));
  const { paths, targets } = planTargets(externalSecrets.map(({ es, store }) => {
    const group = groups.find((g) => g.stores.includes(store))!;
    return { es, store, identity: identityOfGroup.get(group) };
  }), notes, refusals);
  const flavour = gitops === 'argocd' ? {} : { gitops };
  return {
    plan: {
      // The eso settings in the order the library documents them.
      catalog: { mount, eso: Object.fromEntries(Object.keys(ESO_DEFAULTS).filter((k) => k in eso).map((k) => [k, eso[k]])), ...(isolation ? { isolation } : {}), identities },
      settings: { ...flavour, ...(components ? { components } : {}), vault },
      paths,
      targets,
      storeOrigin: storeOrigin(model),
      stores: storeUses,
    },
    refusals,
    notes,
  };
}

/**
 * The common prefix of the roles when the SecretStores are shaped like namespace isolation: one per
 * namespace, all of one name, each logging in as a ServiceAccount of that name with the role
 * `<prefix>-<namespace>`, trusting what the settings give them. Undefined otherwise.
 */
function namespaceShorthandPrefix(groups: readonly StoreGroup[], ownTrust: (s: ImportedStore) => StoreTrust | undefined): string | undefined {
  const stores = groups.flatMap((g) => g.stores);
  const first = stores[0];
  const prefixOf = (s: ImportedStore): string | undefined => (s.role.endsWith(`-${s.namespace}`) ? s.role.slice(0, -(`-${s.namespace}`).length) : undefined);
  const prefix = prefixOf(first);
  if (prefix === undefined || prefix === '') return undefined;
  const fits = groups.every((g) => g.stores.length === 1) && stores.every((s) => s.name === first.name && s.serviceAccountName === s.name
    && prefixOf(s) === prefix && s.audience === first.audience && ownTrust(s) === undefined
    && (s.serviceAccountNamespace === undefined || s.serviceAccountNamespace === s.namespace));
  return fits ? prefix : undefined;
}

/** The GitOps tool the input shows: its own objects first, then the ExternalSecrets' metadata. */
function gitopsOf(externalSecrets: readonly ImportedExternalSecret[], objects: PlanOptions['gitopsObjects']): 'argocd' | 'flux' | 'plain' {
  if (objects?.argocd) return 'argocd';
  if (objects?.flux) return 'flux';
  const votes = externalSecrets.map((es) => es.gitops);
  return votes.includes('argocd') ? 'argocd' : votes.includes('flux') ? 'flux' : 'plain';
}

function emptyPlan(mount: string): ImportPlan {
  return { catalog: { mount, eso: {}, identities: [] }, settings: { vault: {} }, paths: [], targets: [], stores: [] };
}

/** Without store YAML (`--mount`): one store name, the shorthand of its kind, its defaults. */
function planWithoutStores(
  externalSecrets: readonly (ImportedExternalSecret & { namespace: string; storeKind: string })[],
  options: PlanOptions, refusals: ImportRefusal[], notes: ImportNote[],
): { plan: ImportPlan; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const isolation = externalSecrets.some((es) => es.storeKind === 'SecretStore') ? 'namespace' : 'cluster';
  const storeName = externalSecrets[0]?.storeName;
  for (const es of externalSecrets) {
    if (es.storeKind !== externalSecrets[0].storeKind || es.storeName !== storeName) {
      refusals.push({ ...esOrigin(es), field: `spec.secretStoreRef.name ${JSON.stringify(es.storeName)}`,
        rule: `is a second store ("${storeName}" is the first): without the stores' YAML the catalog reads through one; add the stores' YAML, or import each store's ExternalSecrets on their own` });
    }
  }
  if (options.mount === undefined && externalSecrets.length > 0) {
    const first = externalSecrets[0];
    refusals.push({ ...esOrigin(first), field: `spec.secretStoreRef.name ${JSON.stringify(storeName)}`,
      rule: `names a ${isolation === 'namespace' ? 'SecretStore' : 'ClusterSecretStore'} that is not in the input: add its YAML (it holds the mount, the server and the Kubernetes auth), or give the mount with --mount` });
  }
  const mount = options.mount ?? '';
  const eso: Record<string, string> = storeName !== undefined && storeName !== ESO_DEFAULTS.storeName ? { storeName } : {};
  const gitops = gitopsOf(externalSecrets, options.gitopsObjects);
  const { paths, targets } = planTargets(externalSecrets.map((es) => ({ es: mount === '' ? es : keysInsideMount(es, mount, notes) })), notes, refusals);
  return {
    plan: {
      catalog: { mount, eso, ...(isolation === 'namespace' ? { isolation } : {}), identities: [] },
      settings: { ...(gitops === 'argocd' ? {} : { gitops }), vault: {} },
      paths,
      targets,
      stores: [],
    },
    refusals,
    notes,
  };
}

/** The paths and targets of the ExternalSecrets, each with the identity it reads through. */
function planTargets(
  entries: readonly { es: ImportedExternalSecret & { namespace: string; storeKind?: string }; store?: ImportedStore; identity?: string }[],
  notes: ImportNote[], refusals: ImportRefusal[],
): { paths: PlannedPath[]; targets: PlannedTarget[] } {
  // Each path's keys start with the longest selection read from it (usually the Secret that takes the
  // whole path), so that target needs no `keys`; keys only others read follow in the order first read.
  const longest = new Map<string, readonly string[]>();
  for (const { es } of entries) {
    for (const source of keySources(es)) {
      if (source.keys.length > (longest.get(source.path)?.length ?? 0)) longest.set(source.path, source.keys);
    }
  }
  const paths = new Map<string, { keys: string[]; extracted: boolean }>();
  const pathOf = (path: string) => {
    let entry = paths.get(path);
    if (!entry) paths.set(path, (entry = { keys: [...longest.get(path) ?? []], extracted: false }));
    return entry;
  };
  const targets: PlannedTarget[] = [];
  const seen = new Map<string, ImportedExternalSecret>();
  for (const { es, store, identity } of entries) {
    const id = `${es.namespace}/${es.name}`;
    const earlier = seen.get(id);
    if (earlier) {
      refusals.push({ ...esOrigin(es), field: 'metadata.name', rule: `is already the name of the ExternalSecret in ${earlier.file} document ${earlier.document}: ExternalSecret names are unique per namespace (for a base and its overlays, import the repository's folder, or the output of kustomize build)` });
      continue;
    }
    seen.set(id, es);
    const sources: PlannedSource[] = [...keySources(es), ...es.extract.map((path) => ({ kind: 'extract' as const, path }))];
    for (const source of sources) {
      const entry = pathOf(source.path);
      if (source.kind === 'extract') entry.extracted = true;
      else for (const key of source.keys) if (!entry.keys.includes(key)) entry.keys.push(key);
    }
    const t = es.template;
    const annotations = { ...(t?.annotations ?? {}) };
    const reloaderMatch = annotations[RELOADER_MATCH] === 'true';
    if (reloaderMatch) delete annotations[RELOADER_MATCH];
    targets.push({
      from: es,
      name: es.secretName,
      namespace: es.namespace,
      ...(identity !== undefined ? { identity } : {}),
      ...(store !== undefined ? { store } : {}),
      ...(es.secretName !== es.name ? { externalSecretName: es.name } : {}),
      ...(es.creationPolicy !== 'Owner' ? { creationPolicy: es.creationPolicy } : {}),
      ...(es.deletionPolicy !== 'Retain' ? { deletionPolicy: es.deletionPolicy } : {}),
      ...(es.refreshInterval !== '1h' ? { refreshInterval: es.refreshInterval } : {}),
      ...(ZERO_DURATION.test(es.refreshInterval) ? { allowZeroRefreshInterval: true } : {}),
      ...(t?.type !== undefined ? { type: t.type } : {}),
      ...(t && Object.keys(t.labels).length > 0 ? { labels: t.labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(reloaderMatch ? { reloaderMatch } : {}),
      // An empty template.data is no templated value at all.
      ...(t?.data !== undefined && Object.keys(t.data).length > 0 ? { templateData: t.data } : {}),
      ...(t?.mergePolicy === 'Merge' ? { templateMergePolicy: 'Merge' as const } : {}),
      sources,
    });
  }
  const planned: PlannedPath[] = [...paths].map(([path, entry]) => {
    if (entry.keys.length > 0) return { path, keys: entry.keys, keysUnknown: false };
    return { path, keys: [placeholderKey(path)], keysUnknown: true };
  });
  for (const p of planned.filter((x) => x.keysUnknown)) {
    const user = targets.find((t) => t.sources.some((s) => s.path === p.path))!.from;
    notes.push({ ...esOrigin(user), text: `path "${p.path}" is only extracted, so its keys are unknown: the module declares the placeholder key "${p.keys[0]}"; replace it with the path's keys (homelab-secrets check lists them)` });
  }
  return { paths: planned, targets };
}
