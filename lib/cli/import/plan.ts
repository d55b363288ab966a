import { ESO_DEFAULTS, SETTINGS_DEFAULTS, VAULT_TLS_DEFAULTS } from '../../catalog';
import type { ImportNote, ImportRefusal, ImportedExternalSecret, ImportedInput, ImportedStore } from './model';
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

/** The catalog's constructor options that differ from the defaults. */
export interface PlannedCatalog {
  readonly mount: string;
  readonly eso: Readonly<Record<string, string>>;
  /** `namespace` when the input has a SecretStore per namespace. @default - cluster isolation */
  readonly isolation?: 'namespace';
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
  /** The ClusterSecretStore's document, which settings and store problems are tied to. */
  readonly storeOrigin?: { readonly file: string; readonly document: number; readonly object: string };
}

/** Options of {@link planImport}. */
export interface PlanOptions {
  /** For ExternalSecrets without a namespace. @default - none: they are refused */
  readonly namespace?: string;
  /** The KV v2 mount when no ClusterSecretStore is in the input. @default - none: then a store is required */
  readonly mount?: string;
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

function planStore(
  store: ImportedStore | undefined,
  storeName: string | undefined,
  isolation: 'cluster' | 'namespace',
  notes: ImportNote[],
  refusals: ImportRefusal[],
  gitops: 'argocd' | 'flux' | 'plain',
): { catalog: Omit<PlannedCatalog, 'mount'>; settings: PlannedSettings } {
  const eso: Record<string, string> = {};
  const vault: Record<string, unknown> = {};
  let components: PlannedSettings['components'];
  const flavour = gitops === 'argocd' ? {} : { gitops };
  if (!store) {
    // Without the store's YAML (--mount), the ExternalSecrets still name it.
    if (storeName !== undefined && storeName !== ESO_DEFAULTS.storeName) eso.storeName = storeName;
    return { catalog: { eso, ...(isolation === 'namespace' ? { isolation } : {}) }, settings: { ...flavour, vault } };
  }
  const origin = storeOrigin(store);
  const note = (text: string): void => void notes.push({ ...origin, text });
  const set = (field: keyof typeof ESO_DEFAULTS, value: string | undefined): void => {
    if (value !== undefined && value !== ESO_DEFAULTS[field]) eso[field] = value;
  };
  set('storeName', store.name);
  set('authMountPath', store.authMountPath);
  // In namespace isolation each namespace's role is "<role>-<namespace>" and its ServiceAccount is named after the store.
  set('role', isolation === 'namespace' ? store.role.slice(0, store.role.length - (store.namespace ?? '').length - 1) : store.role);
  if (isolation === 'cluster') {
    set('serviceAccountName', store.serviceAccountName);
    set('serviceAccountNamespace', store.serviceAccountNamespace);
  }
  set('audience', store.audience);
  if (isolation === 'cluster' && (store.serviceAccountName === undefined || store.serviceAccountNamespace === undefined)) {
    note(`spec.provider.vault.auth.kubernetes.serviceAccountRef has no ${store.serviceAccountName === undefined ? 'name' : 'namespace'}: the library names ESO's service account ${store.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace}/${store.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName} explicitly`);
  }
  if (store.audience === undefined) note(`spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences is not set: the library requests the audience "${ESO_DEFAULTS.audience}", which the Vault role it writes requires`);

  const inCluster = inClusterServer(store.server);
  const https = store.server.startsWith('https://');
  if (inCluster) {
    if (inCluster.namespace !== SETTINGS_DEFAULTS.vault.namespace) vault.namespace = inCluster.namespace;
    if (inCluster.release !== SETTINGS_DEFAULTS.vault.releaseName) vault.releaseName = inCluster.release;
  } else {
    vault.address = store.server;
    // Argo CD and Flux install the Vault component by default, which an address outside the cluster rules out.
    if (gitops !== 'plain') components = { vault: false };
  }
  if (!https) {
    if (inCluster) vault.tls = { disabled: true };
    if (store.caProvider) refusals.push({ ...origin, field: 'spec.provider.vault.caProvider', rule: 'is set for a plain http:// server: the library writes a caProvider only for https://' });
  } else if (isolation === 'namespace') {
    // Each namespace's SecretStore trusts the ConfigMap "<Vault's TLS Secret>-ca" of its own namespace.
    const ca = store.caProvider;
    if (!ca) {
      note(`spec.provider.vault.caProvider is not set, so ESO trusts the system's CAs; the library cannot write that yet: its SecretStores trust the ca.crt of the ConfigMap "${VAULT_TLS_DEFAULTS.secretName}-ca" in their namespace (from settings.vault.tls.secretName), so create those ConfigMaps with Vault's CA`);
    } else if (!ca.name.endsWith('-ca') || ca.name === '-ca' || ca.key !== VAULT_TLS_DEFAULTS.caKey) {
      refusals.push({ ...origin, field: 'spec.provider.vault.caProvider', rule: `must name the key "${VAULT_TLS_DEFAULTS.caKey}" of a ConfigMap named "<Vault's TLS Secret>-ca", as the library writes it (got key "${ca.key}" of "${ca.name}")` });
    } else if (ca.name !== `${VAULT_TLS_DEFAULTS.secretName}-ca`) {
      vault.tls = { secretName: ca.name.slice(0, -'-ca'.length) };
    }
  } else {
    const caNamespace = (vault.namespace as string | undefined) ?? SETTINGS_DEFAULTS.vault.namespace;
    const ca = store.caProvider;
    if (!ca) {
      note(`spec.provider.vault.caProvider is not set, so ESO trusts the system's CAs; the library cannot write that yet: its store trusts only the ca.crt of the Secret "${VAULT_TLS_DEFAULTS.secretName}" in namespace "${caNamespace}" (settings.vault.tls.secretName names another), so create that Secret with Vault's CA`);
    } else if ((ca.namespace ?? '') !== caNamespace || ca.key !== VAULT_TLS_DEFAULTS.caKey) {
      refusals.push({ ...origin, field: 'spec.provider.vault.caProvider', rule: `must name the key "${VAULT_TLS_DEFAULTS.caKey}" of a Secret in Vault's namespace "${caNamespace}": the library trusts the CA of Vault's own TLS Secret (got key "${ca.key}" in namespace "${ca.namespace ?? ''}")` });
    } else if (ca.name !== VAULT_TLS_DEFAULTS.secretName) {
      vault.tls = { secretName: ca.name };
    }
  }
  return { catalog: { eso, ...(isolation === 'namespace' ? { isolation } : {}) }, settings: { ...flavour, ...(components ? { components } : {}), vault } };
}

function storeOrigin(store: ImportedStore): { file: string; document: number; object: string } {
  return { file: store.file, document: store.document, object: objectLabel(store.kind, store.name, store.namespace) };
}

type EsOrigin = (es: ImportedExternalSecret) => { file: string; document: number; object: string };

/**
 * The store the catalog reads through. Cluster isolation: the one ClusterSecretStore the
 * ExternalSecrets name. Namespace isolation (any SecretStore in the input): one SecretStore per
 * namespace, all alike but for the namespace, as the library writes them; the first is the model.
 */
function chooseStore(input: ImportedInput, options: PlanOptions, notes: ImportNote[], refusals: ImportRefusal[], esOrigin: EsOrigin):
  { store?: ImportedStore; storeName?: string; isolation: 'cluster' | 'namespace' } {
  const isolation = input.stores.some((s) => s.kind === 'SecretStore') || input.externalSecrets.some((es) => es.storeKind === 'SecretStore') ? 'namespace' : 'cluster';
  const kind = isolation === 'namespace' ? 'SecretStore' : 'ClusterSecretStore';
  const users: ImportedExternalSecret[] = [];
  for (const es of input.externalSecrets) {
    if (es.storeKind === undefined && isolation === 'cluster') {
      notes.push({ ...esOrigin(es), text: `spec.secretStoreRef.kind is not set, which ESO reads as a namespaced SecretStore; imported as the ClusterSecretStore "${es.storeName}"` });
    }
    if ((es.storeKind ?? kind) === kind) users.push(es);
    else refusals.push({ ...esOrigin(es), field: `spec.secretStoreRef.kind ${JSON.stringify(es.storeKind)}`, rule: 'reads through the ClusterSecretStore, but the input has a SecretStore per namespace (namespace isolation): the catalog reads through one or the other; import them on their own' });
  }
  const storeName = users[0]?.storeName ?? input.stores.find((s) => s.kind === kind)?.name;
  for (const es of users) {
    if (es.storeName === storeName) continue;
    refusals.push({ ...esOrigin(es), field: `spec.secretStoreRef.name ${JSON.stringify(es.storeName)}`, rule: isolation === 'cluster'
      ? `is a second store: the catalog reads through one ClusterSecretStore ("${storeName}"); import each store's ExternalSecrets on their own`
      : `is not the name of the other namespaces' SecretStores ("${storeName}"): in namespace isolation every namespace's store has the same name` });
  }
  const candidates = input.stores.filter((s) => s.kind === kind && s.name === storeName);
  const unused = input.stores.filter((s) => !candidates.includes(s));
  if (isolation === 'cluster') {
    for (const other of unused) notes.push({ ...storeOrigin(other), text: `is not imported: the catalog has one store, "${storeName}"` });
    return { store: candidates[0], storeName, isolation };
  }
  const namespaceOf = (x: { namespace?: string }): string | undefined => x.namespace ?? options.namespace;
  const used = new Set(users.map(namespaceOf));
  for (const other of unused) notes.push({ ...storeOrigin(other), text: other.kind === 'ClusterSecretStore' ? 'is not imported: in namespace isolation every namespace reads through its own SecretStore' : `is not imported: the ExternalSecrets read through the SecretStores "${storeName}"` });
  for (const s of candidates.filter((c) => !used.has(namespaceOf(c)))) notes.push({ ...storeOrigin(s), text: 'is not imported: no ExternalSecret of its namespace reads through it' });
  const stores = candidates.filter((c) => used.has(namespaceOf(c)));
  if (stores.length > 0) {
    const served = new Set(stores.map(namespaceOf));
    for (const es of users.filter((u) => u.storeName === storeName && namespaceOf(u) !== undefined && !served.has(namespaceOf(u)))) {
      refusals.push({ ...esOrigin(es), field: `spec.secretStoreRef.name ${JSON.stringify(es.storeName)}`, rule: `names the SecretStore of namespace "${namespaceOf(es)}", which is not in the input: add its YAML` });
    }
  }
  const model = stores[0];
  if (model === undefined) return { storeName, isolation };
  const suffix = (s: ImportedStore): string => `-${namespaceOf(s) ?? ''}`;
  const prefix = model.role.endsWith(suffix(model)) ? model.role.slice(0, -suffix(model).length) : undefined;
  for (const s of stores) {
    const refuse = (field: string, value: unknown, rule: string): void => void refusals.push({ ...storeOrigin(s), field: `${field} ${JSON.stringify(value)}`, rule });
    const alike = `as in ${model.file} document ${model.document}: in namespace isolation every namespace's SecretStore is alike but for its namespace and role`;
    if (namespaceOf(s) === undefined) refusals.push({ ...storeOrigin(s), field: 'metadata.namespace', rule: 'is not set, and no overlay set it: give the namespace with --namespace, or import the output of kustomize build or flux build' });
    if (prefix === undefined || s.role !== `${prefix}${suffix(s)}`) {
      refuse('spec.provider.vault.auth.kubernetes.role', s.role, `must be "<role>-${namespaceOf(s) ?? '<namespace>'}"${prefix ? ` ("${prefix}${suffix(s)}")` : ''}: in namespace isolation each namespace logs in with a Vault role of its own, named so`);
    }
    if (s.serviceAccountName !== s.name) {
      refuse('spec.provider.vault.auth.kubernetes.serviceAccountRef.name', s.serviceAccountName, `must be the store's name "${s.name}": the library names each namespace's ServiceAccount after its SecretStore`);
    }
    if (s.serviceAccountNamespace !== undefined && s.serviceAccountNamespace !== namespaceOf(s)) {
      refuse('spec.provider.vault.auth.kubernetes.serviceAccountRef.namespace', s.serviceAccountNamespace, 'must be the store\'s own namespace, or not set');
    }
    if (s === model) continue;
    for (const field of ['server', 'mount', 'authMountPath', 'audience'] as const) {
      if (s[field] !== model[field]) refuse(STORE_FIELDS[field], s[field], `differs from ${JSON.stringify(model[field])} ${alike}`);
    }
    if (JSON.stringify(s.caProvider) !== JSON.stringify(model.caProvider)) refuse('spec.provider.vault.caProvider', s.caProvider, `differs from ${JSON.stringify(model.caProvider)} ${alike}`);
  }
  return { store: { ...model, namespace: namespaceOf(model) }, storeName, isolation };
}

const STORE_FIELDS = {
  server: 'spec.provider.vault.server',
  mount: 'spec.provider.vault.path',
  authMountPath: 'spec.provider.vault.auth.kubernetes.mountPath',
  audience: 'spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences',
} as const;

/**
 * The mount of a store without `provider.vault.path`: ESO then reads each key's first segment as the
 * mount, so every key of the store's ExternalSecrets must name the same one.
 */
function mountFromKeys(externalSecrets: readonly ImportedExternalSecret[], store: ImportedStore, refusals: ImportRefusal[], notes: ImportNote[]): string {
  const keys = externalSecrets.filter((es) => es.storeName === store.name).flatMap((es) => [...es.data.map((d) => d.key), ...es.extract]);
  const mounts = [...new Set(keys.map((key) => key.split('/')[0]))];
  const origin = { file: store.file, document: store.document, object: objectLabel('ClusterSecretStore', store.name) };
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
function keysInsideMount(es: ImportedExternalSecret, mount: string, notes: ImportNote[]): ImportedExternalSecret {
  const origin = { file: es.file, document: es.document, object: objectLabel('ExternalSecret', es.name, es.namespace) };
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
    if (row.secretKey !== row.property) last.renames[row.property] = row.secretKey;
  }
  return sources.map((s) => ({ kind: 'keys', ...s }));
}

/**
 * Groups what was read into the catalog: one path per Vault path (keys: the union of the properties
 * read), one target per ExternalSecret. Refuses what spans documents: a missing namespace, a second
 * store, a store that is not in the input.
 */
export function planImport(input: ImportedInput, options: PlanOptions = {}): { plan: ImportPlan; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  const esOrigin = (es: ImportedExternalSecret) => ({ file: es.file, document: es.document, object: objectLabel('ExternalSecret', es.name, es.namespace) });

  const { store, storeName, isolation } = chooseStore(input, options, notes, refusals, esOrigin);
  const storeMount = store === undefined ? options.mount : store.mount || mountFromKeys(input.externalSecrets, store, refusals, notes);
  const mount = storeMount === '' ? undefined : storeMount;
  // The kind ESO reads an omitted secretStoreRef.kind as, in this isolation, so the round trip compares it too.
  const storeKind = isolation === 'namespace' ? 'SecretStore' : 'ClusterSecretStore';
  const externalSecrets = input.externalSecrets
    .map((es) => ({ ...es, storeKind: es.storeKind ?? storeKind }))
    .map((es) => (mount === undefined ? es : keysInsideMount(es, mount, notes)));
  if (store === undefined && mount === undefined && input.externalSecrets.length > 0) {
    const first = externalSecrets[0];
    refusals.push({ ...esOrigin(first), field: `spec.secretStoreRef.name ${JSON.stringify(storeName)}`, rule: `names a ${isolation === 'namespace' ? 'SecretStore' : 'ClusterSecretStore'} that is not in the input: add its YAML (it holds the mount, the server and the Kubernetes auth), or give the mount with --mount` });
  }
  const votes = externalSecrets.map((es) => es.gitops);
  const gitops = votes.includes('argocd') ? 'argocd' : votes.includes('flux') ? 'flux' : 'plain';
  const { catalog, settings } = planStore(store, storeName, isolation, notes, refusals, gitops);

  // Each path's keys start with the longest selection read from it (usually the Secret that takes the
  // whole path), so that target needs no `keys`; keys only others read follow in the order first read.
  const longest = new Map<string, readonly string[]>();
  for (const es of externalSecrets) {
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
  for (const es of externalSecrets) {
    const namespace = es.namespace ?? options.namespace;
    if (namespace === undefined) {
      refusals.push({ ...esOrigin(es), field: 'metadata.namespace', rule: 'is not set, and no overlay set it: give the namespace with --namespace, or import the output of kustomize build or flux build' });
      continue;
    }
    const id = `${namespace}/${es.name}`;
    const earlier = seen.get(id);
    if (earlier) {
      refusals.push({ ...esOrigin(es), field: 'metadata.name', rule: `is already the name of the ExternalSecret in ${earlier.file} document ${earlier.document}: ExternalSecret names are unique per namespace (for a base and its overlays, import the output of kustomize build)` });
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
      namespace,
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
  return {
    plan: { catalog: { mount: mount ?? '', ...catalog }, settings, paths: planned, targets, ...(store ? { storeOrigin: storeOrigin(store) } : {}) },
    refusals,
    notes,
  };
}
