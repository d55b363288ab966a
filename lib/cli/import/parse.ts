import { showValue } from '../../catalog';
import type { SourceDocument } from './documents';
import type {
  DocumentOrigin, ImportNote, ImportRefusal, ImportedDataEntry, ImportedExternalSecret, ImportedInput, ImportedServiceAccount, ImportedStore,
  ImportedTemplate,
} from './model';
import { objectLabel } from './model';

const ESO_GROUP = 'external-secrets.io';
/** The ESO API versions whose ExternalSecrets and stores the import reads. */
export const ACCEPTED_VERSIONS: readonly string[] = [`${ESO_GROUP}/v1`, `${ESO_GROUP}/v1beta1`];
const GENERATOR_GROUP = 'generators.external-secrets.io';

/** Metadata fields the import reads or may ignore: the ones the API server and the tools write. */
const IGNORED_METADATA = ['labels', 'annotations', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'finalizers', 'ownerReferences', 'selfLink'];

type Json = Record<string, unknown>;

/** Labels and annotations the GitOps tools and kubectl write, which the library writes (or leaves) itself. */
const TOOL_METADATA = ['argocd.argoproj.io/', 'kustomize.toolkit.fluxcd.io/', 'kubectl.kubernetes.io/last-applied-configuration', 'app.kubernetes.io/instance'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one document, collecting every refusal instead of stopping at the first. */
class DocumentReader {
  public readonly refusals: ImportRefusal[] = [];
  public readonly notes: ImportNote[] = [];
  public object = '';

  constructor(public readonly origin: DocumentOrigin) {}

  public refuse(field: string, value: unknown, rule: string): void {
    const shown = value === undefined ? '' : ` ${typeof value === 'number' ? String(value) : showValue(value)}`;
    this.refusals.push({ ...this.origin, object: this.object, field: `${field}${shown}`, rule });
  }

  public note(text: string, warning = false): void {
    this.notes.push({ ...this.origin, object: this.object, text, ...(warning ? { warning } : {}) });
  }

  /** Refuses every field of `value` outside `known`; returns the object, or {} when it is not one. */
  public fields(value: unknown, field: string, known: readonly string[], what: string): Json {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) {
      this.refuse(field, value, 'must be an object');
      return {};
    }
    for (const name of Object.keys(value)) {
      if (!known.includes(name)) this.refuse(`${field}.${name}`, undefined, `is not something the library can express (${what} takes ${known.join(', ')})`);
    }
    return value;
  }

  public string(value: unknown, field: string, required: boolean): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.refuse(field, undefined, 'is required');
      return undefined;
    }
    // Kubernetes refuses a number or a boolean where a string belongs, and YAML has already changed its
    // text (1.0 is 1, 0x1F is 31, a long number is rounded): the import cannot know what was meant.
    if (typeof value === 'number' || typeof value === 'boolean') {
      this.refuse(field, value, `must be a string: YAML reads it as a ${typeof value}, which Kubernetes refuses here; quote it`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.refuse(field, value, 'must be a string');
      return undefined;
    }
    return value;
  }

  /** A field that must be absent or hold ESO's default. */
  public onlyDefault(value: unknown, field: string, defaults: readonly unknown[], why: string): void {
    if (value === undefined || value === null || defaults.includes(value)) return;
    this.refuse(field, value, why);
  }

  public stringRecord(value: unknown, field: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) {
      this.refuse(field, value, 'must be an object of names to strings');
      return {};
    }
    const record: Record<string, string> = {};
    for (const [name, entry] of Object.entries(value)) {
      const text = this.string(entry, `${field}.${name}`, true);
      // defineProperty: an assignment to `__proto__` would set the prototype, not a key of that name.
      if (text !== undefined) Object.defineProperty(record, name, { value: text, enumerable: true, writable: true, configurable: true });
    }
    return record;
  }

  /** A Vault path with one leading `/` removed (with a note): ESO reads `/a/b` and `a/b` alike. */
  public vaultKey(value: unknown, field: string): string | undefined {
    const key = this.string(value, field, true);
    if (key === undefined || !key.startsWith('/')) return key;
    const trimmed = key.replace(/^\/+/, '');
    this.note(`${field} ${JSON.stringify(key)} is read as ${JSON.stringify(trimmed)}: the catalog writes paths without a leading "/"`);
    return trimmed;
  }
}

/** An object's own labels or annotations, leaving out the ones GitOps tools and kubectl write. */
function ownMetadata(r: DocumentReader, value: unknown, field: string): Record<string, string> {
  const record = r.stringRecord(value, field);
  return Object.fromEntries(Object.entries(record).filter(([n]) => !TOOL_METADATA.some((prefix) => n.startsWith(prefix))));
}

/** The gitops tool an object's metadata shows it was applied with, if any. */
function gitopsOf(metadata: Json): 'argocd' | 'flux' | undefined {
  const names = [...Object.keys(isObject(metadata.annotations) ? metadata.annotations : {}), ...Object.keys(isObject(metadata.labels) ? metadata.labels : {})];
  if (names.some((name) => name.startsWith('argocd.argoproj.io/'))) return 'argocd';
  if (names.some((name) => name.includes('toolkit.fluxcd.io/'))) return 'flux';
  return undefined;
}

const DECODING_DEFAULT = 'is not supported: the library always reads values as they are (decodingStrategy None)';
const CONVERSION_DEFAULT = 'is not supported: the library always reads keys as they are (conversionStrategy Default)';
const METADATA_DEFAULT = 'is not supported: the library reads secret data, not Vault metadata (metadataPolicy None)';
const VERSION_RULE = 'is not supported: the library always reads the latest version of a path';

function readRemoteOptions(r: DocumentReader, ref: Json, field: string): void {
  if (ref.version !== undefined) r.refuse(`${field}.version`, ref.version, VERSION_RULE);
  r.onlyDefault(ref.decodingStrategy, `${field}.decodingStrategy`, ['None'], DECODING_DEFAULT);
  r.onlyDefault(ref.conversionStrategy, `${field}.conversionStrategy`, ['Default'], CONVERSION_DEFAULT);
  r.onlyDefault(ref.metadataPolicy, `${field}.metadataPolicy`, ['None'], METADATA_DEFAULT);
}

const CREATION_POLICIES = ['Owner', 'Orphan', 'Merge', 'None'];
const DELETION_POLICIES = ['Retain', 'Delete', 'Merge'];

function readTemplate(r: DocumentReader, value: unknown): ImportedTemplate {
  const t = r.fields(value, 'spec.target.template', ['type', 'engineVersion', 'mergePolicy', 'metadata', 'data', 'templateFrom'], 'a template');
  if (Array.isArray(t.templateFrom) ? t.templateFrom.length > 0 : t.templateFrom !== undefined) {
    r.refuse('spec.target.template.templateFrom', undefined, 'is not supported: the library writes template bodies inline (template.data), not from ConfigMaps or Secrets');
  }
  const engineVersion = r.string(t.engineVersion, 'spec.target.template.engineVersion', false) ?? 'v2';
  if (engineVersion !== 'v2') r.refuse('spec.target.template.engineVersion', engineVersion, 'is not supported: the library writes engineVersion v2 templates');
  const mergePolicy = r.string(t.mergePolicy, 'spec.target.template.mergePolicy', false) ?? 'Replace';
  if (mergePolicy !== 'Replace' && mergePolicy !== 'Merge') r.refuse('spec.target.template.mergePolicy', mergePolicy, 'must be "Replace" or "Merge"');
  const metadata = r.fields(t.metadata, 'spec.target.template.metadata', ['labels', 'annotations'], 'the template\'s metadata');
  const data = t.data === undefined || t.data === null ? undefined : r.stringRecord(t.data, 'spec.target.template.data');
  return {
    type: r.string(t.type, 'spec.target.template.type', false),
    engineVersion,
    mergePolicy,
    labels: r.stringRecord(metadata.labels, 'spec.target.template.metadata.labels'),
    annotations: r.stringRecord(metadata.annotations, 'spec.target.template.metadata.annotations'),
    ...(data !== undefined ? { data } : {}),
  };
}

function readExternalSecret(r: DocumentReader, doc: Json): ImportedExternalSecret | undefined {
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  r.fields(doc, '', ['apiVersion', 'kind', 'metadata', 'spec', 'status'], 'an ExternalSecret');
  r.fields(metadata, 'metadata', ['name', 'namespace', ...IGNORED_METADATA], 'metadata');
  const name = r.string(metadata.name, 'metadata.name', true);
  const namespace = r.string(metadata.namespace, 'metadata.namespace', false);
  const spec = r.fields(doc.spec, 'spec', ['refreshInterval', 'refreshPolicy', 'secretStoreRef', 'target', 'data', 'dataFrom'], 'an ExternalSecret\'s spec');
  if (doc.spec === undefined) r.refuse('spec', undefined, 'is required');
  r.onlyDefault(spec.refreshPolicy, 'spec.refreshPolicy', ['Periodic'], 'is not supported: the library re-reads Vault every refreshInterval (refreshPolicy Periodic)');
  const refreshInterval = r.string(spec.refreshInterval, 'spec.refreshInterval', false) ?? '1h';

  const storeRef = r.fields(spec.secretStoreRef, 'spec.secretStoreRef', ['name', 'kind'], 'secretStoreRef');
  const storeName = r.string(storeRef.name, 'spec.secretStoreRef.name', true) ?? '';
  const storeKind = r.string(storeRef.kind, 'spec.secretStoreRef.kind', false);
  // An omitted kind is left to the planner: it means a SecretStore to ESO, which the planner follows
  // when the input is in namespace isolation, and notes when it is not.
  if (storeKind !== undefined && storeKind !== 'ClusterSecretStore' && storeKind !== 'SecretStore') {
    r.refuse('spec.secretStoreRef.kind', storeKind, 'must be ClusterSecretStore or SecretStore');
  }

  const target = r.fields(spec.target, 'spec.target', ['name', 'creationPolicy', 'deletionPolicy', 'template', 'immutable'], 'a target');
  r.onlyDefault(target.immutable, 'spec.target.immutable', [false], 'is not supported: the library writes Secrets ESO may update');
  const creationPolicy = r.string(target.creationPolicy, 'spec.target.creationPolicy', false) ?? 'Owner';
  if (!CREATION_POLICIES.includes(creationPolicy)) r.refuse('spec.target.creationPolicy', creationPolicy, `is not supported: the library writes ${CREATION_POLICIES.join(', ')}`);
  const deletionPolicy = r.string(target.deletionPolicy, 'spec.target.deletionPolicy', false) ?? 'Retain';
  if (!DELETION_POLICIES.includes(deletionPolicy)) r.refuse('spec.target.deletionPolicy', deletionPolicy, `must be one of ${DELETION_POLICIES.join(', ')}`);
  const secretName = r.string(target.name, 'spec.target.name', false) ?? name ?? '';
  let template: ImportedTemplate | undefined;
  if (target.template !== undefined && target.template !== null) template = readTemplate(r, target.template);
  else if (creationPolicy !== 'None') {
    // Without a template ESO copies the ExternalSecret's own labels and annotations onto the Secret.
    // The library always writes a template (so that no GitOps tracking label reaches the Secret), so
    // the copied ones, less the tools' own, become the Secret's labels and annotations.
    const labels = ownMetadata(r, metadata.labels, 'metadata.labels');
    const annotations = ownMetadata(r, metadata.annotations, 'metadata.annotations');
    const copied = [...Object.keys(labels), ...Object.keys(annotations)];
    if (copied.length > 0) {
      r.note(`has no target.template, so ESO copies its metadata ${copied.join(', ')} onto the Secret: imported as the Secret's labels and annotations`);
    }
    template = { engineVersion: 'v2', mergePolicy: 'Replace', labels, annotations };
  }

  const data: ImportedDataEntry[] = [];
  const rows = spec.data === undefined || spec.data === null ? [] : spec.data;
  if (!Array.isArray(rows)) r.refuse('spec.data', rows, 'must be a list');
  else rows.forEach((row: unknown, i: number) => {
    const field = `spec.data[${i}]`;
    const entry = r.fields(row, field, ['secretKey', 'remoteRef', 'sourceRef'], 'a data entry');
    if (entry.sourceRef !== undefined) r.refuse(`${field}.sourceRef`, undefined, 'is not supported: every key is read through the one ClusterSecretStore (no per-entry store and no generators)');
    const ref = r.fields(entry.remoteRef, `${field}.remoteRef`, ['key', 'property', 'version', 'decodingStrategy', 'conversionStrategy', 'metadataPolicy'], 'a remoteRef');
    readRemoteOptions(r, ref, `${field}.remoteRef`);
    const secretKey = r.string(entry.secretKey, `${field}.secretKey`, true);
    const key = r.vaultKey(ref.key, `${field}.remoteRef.key`);
    const property = r.string(ref.property, `${field}.remoteRef.property`, false);
    if (ref.property === undefined && ref.key !== undefined) {
      r.refuse(`${field}.remoteRef.property`, undefined, 'is required: a data entry without property copies the whole path as JSON, which the library cannot express; read each key, or use dataFrom.extract');
    }
    if (secretKey !== undefined && key !== undefined && property !== undefined) data.push({ secretKey, key, property });
  });

  const extract: string[] = [];
  const froms = spec.dataFrom === undefined || spec.dataFrom === null ? [] : spec.dataFrom;
  if (!Array.isArray(froms)) r.refuse('spec.dataFrom', froms, 'must be a list');
  else froms.forEach((from: unknown, i: number) => {
    const field = `spec.dataFrom[${i}]`;
    const item = r.fields(from, field, ['extract', 'find', 'sourceRef', 'rewrite'], 'a dataFrom entry');
    if (item.find !== undefined) r.refuse(`${field}.find`, undefined, 'is not supported: the catalog declares every path it reads; list the paths with dataFrom.extract or data');
    if (item.sourceRef !== undefined) {
      const generator = isObject(item.sourceRef) && item.sourceRef.generatorRef !== undefined;
      r.refuse(`${field}.sourceRef`, undefined, generator
        ? 'is not supported: generators make values, and the catalog only copies values that live in Vault'
        : 'is not supported: every path is read through the one ClusterSecretStore');
    }
    if (Array.isArray(item.rewrite) ? item.rewrite.length > 0 : item.rewrite !== undefined) {
      r.refuse(`${field}.rewrite`, undefined, 'is not supported: rename keys with data entries (the catalog\'s renames)');
    }
    if (item.extract === undefined) return;
    const ex = r.fields(item.extract, `${field}.extract`, ['key', 'property', 'version', 'decodingStrategy', 'conversionStrategy', 'metadataPolicy'], 'an extract');
    readRemoteOptions(r, ex, `${field}.extract`);
    if (ex.property !== undefined) r.refuse(`${field}.extract.property`, ex.property, 'is not supported: the library extracts a whole path, not a JSON value inside one key');
    const key = r.vaultKey(ex.key, `${field}.extract.key`);
    if (key !== undefined) extract.push(key);
  });
  if (Array.isArray(rows) && Array.isArray(froms) && rows.length === 0 && froms.length === 0) {
    r.refuse('spec.data', undefined, 'or spec.dataFrom is required: ESO refuses an ExternalSecret that reads nothing');
  }
  const own = [...Object.keys(isObject(metadata.labels) ? metadata.labels : {}), ...Object.keys(isObject(metadata.annotations) ? metadata.annotations : {})]
    .filter((n) => !TOOL_METADATA.some((prefix) => n.startsWith(prefix)));
  if (own.length > 0 && target.template !== undefined && target.template !== null) {
    r.note(`metadata ${own.join(', ')} of the ExternalSecret itself is not imported: the library writes its own metadata; the Secret's labels and annotations come from target.template.metadata`);
  }
  if (name === undefined) return undefined;
  const gitops = gitopsOf(metadata);
  return {
    ...r.origin,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    storeName,
    ...(storeKind !== undefined ? { storeKind } : {}),
    refreshInterval,
    secretName,
    creationPolicy,
    deletionPolicy,
    ...(template ? { template } : {}),
    data,
    extract,
    ...(gitops ? { gitops } : {}),
  };
}

function readStore(r: DocumentReader, doc: Json, kind: 'ClusterSecretStore' | 'SecretStore'): ImportedStore | undefined {
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const name = r.string(metadata.name, 'metadata.name', true);
  const namespace = kind === 'SecretStore' ? r.string(metadata.namespace, 'metadata.namespace', false) : undefined;
  const spec = r.fields(doc.spec, 'spec', ['provider', 'conditions', 'controller', 'refreshInterval', 'retrySettings'], `a ${kind}'s spec`);
  const provider = isObject(spec.provider) ? spec.provider : {};
  const others = Object.keys(provider).filter((p) => p !== 'vault');
  if (others.length > 0 || provider.vault === undefined) {
    r.refuse('spec.provider', others.length > 0 ? others.join(', ') : undefined, 'is not supported: the library reads Vault (spec.provider.vault) only');
    return undefined;
  }
  if (spec.controller !== undefined && spec.controller !== '') r.refuse('spec.controller', spec.controller, 'is not supported: the library writes a store every ESO controller serves');
  if (spec.retrySettings !== undefined) r.refuse('spec.retrySettings', undefined, 'is not supported: the library writes ESO\'s default retries');
  const vault = r.fields(provider.vault, 'spec.provider.vault', ['server', 'path', 'version', 'auth', 'caProvider'], 'the Vault provider');
  const server = r.string(vault.server, 'spec.provider.vault.server', true) ?? '';
  // Without a path ESO takes the mount from each key's first segment; the planner does the same.
  const mount = r.string(vault.path, 'spec.provider.vault.path', false) ?? '';
  r.onlyDefault(vault.version, 'spec.provider.vault.version', ['v2'], 'is not supported: the library reads KV version 2 mounts');
  const auth = r.fields(vault.auth, 'spec.provider.vault.auth', ['kubernetes'], 'auth');
  if (auth.kubernetes === undefined) r.refuse('spec.provider.vault.auth.kubernetes', undefined, 'is required: the library logs ESO in with Kubernetes auth');
  const k8s = r.fields(auth.kubernetes, 'spec.provider.vault.auth.kubernetes', ['mountPath', 'role', 'serviceAccountRef'], 'Kubernetes auth');
  const sa = r.fields(k8s.serviceAccountRef, 'spec.provider.vault.auth.kubernetes.serviceAccountRef', ['name', 'namespace', 'audiences'], 'serviceAccountRef');
  const audiences = sa.audiences === undefined ? [] : sa.audiences;
  if (!Array.isArray(audiences) || audiences.length > 1) {
    r.refuse('spec.provider.vault.auth.kubernetes.serviceAccountRef.audiences', audiences, 'must hold at most one audience: the library requests the one the Vault role requires');
  }
  let caProvider: ImportedStore['caProvider'];
  if (vault.caProvider !== undefined) {
    const ca = r.fields(vault.caProvider, 'spec.provider.vault.caProvider', ['type', 'name', 'namespace', 'key'], 'caProvider');
    const type = r.string(ca.type, 'spec.provider.vault.caProvider.type', true) ?? '';
    if (type !== 'Secret' && type !== 'ConfigMap') r.refuse('spec.provider.vault.caProvider.type', type, 'must be Secret or ConfigMap');
    if (kind === 'ClusterSecretStore' && ca.namespace === undefined) {
      r.refuse('spec.provider.vault.caProvider.namespace', undefined, 'is required on a ClusterSecretStore: ESO reads the CA from the namespace it names');
    } else if (kind === 'SecretStore' && ca.namespace !== undefined) {
      r.refuse('spec.provider.vault.caProvider.namespace', ca.namespace, 'must not be set on a SecretStore, which reads its CA from its own namespace');
    }
    caProvider = {
      type,
      name: r.string(ca.name, 'spec.provider.vault.caProvider.name', true) ?? '',
      namespace: r.string(ca.namespace, 'spec.provider.vault.caProvider.namespace', false),
      key: r.string(ca.key, 'spec.provider.vault.caProvider.key', true) ?? '',
    };
  }
  let conditions: ImportedStore['conditions'];
  if (spec.conditions !== undefined && kind === 'SecretStore') r.refuse('spec.conditions', undefined, 'is not something the library can express on a SecretStore, which serves its own namespace only');
  else if (spec.conditions !== undefined) {
    const list = Array.isArray(spec.conditions) ? spec.conditions : [];
    if (!Array.isArray(spec.conditions)) r.refuse('spec.conditions', spec.conditions, 'must be a list');
    const namespaces: string[] = [];
    let selectors = false;
    list.forEach((condition: unknown, i: number) => {
      const c = r.fields(condition, `spec.conditions[${i}]`, ['namespaces', 'namespaceSelector', 'namespaceRegexes'], 'a condition');
      if (Array.isArray(c.namespaces)) for (const ns of c.namespaces) if (typeof ns === 'string') namespaces.push(ns);
      if (c.namespaceSelector !== undefined || c.namespaceRegexes !== undefined) selectors = true;
    });
    conditions = { namespaces: [...new Set(namespaces)].sort(), selectors };
  }
  const audience = Array.isArray(audiences) && typeof audiences[0] === 'string' ? audiences[0] : undefined;
  if (name === undefined) return undefined;
  return {
    ...r.origin,
    kind,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    server,
    mount,
    ...(caProvider ? { caProvider } : {}),
    authMountPath: r.string(k8s.mountPath, 'spec.provider.vault.auth.kubernetes.mountPath', false) ?? 'kubernetes',
    role: r.string(k8s.role, 'spec.provider.vault.auth.kubernetes.role', auth.kubernetes !== undefined) ?? '',
    serviceAccountName: r.string(sa.name, 'spec.provider.vault.auth.kubernetes.serviceAccountRef.name', false),
    serviceAccountNamespace: r.string(sa.namespace, 'spec.provider.vault.auth.kubernetes.serviceAccountRef.namespace', false),
    audience,
    ...(conditions ? { conditions } : {}),
  };
}

/**
 * Reads every document: ExternalSecrets and ClusterSecretStores become the model, what the library
 * cannot express is refused, a Secret is skipped with a warning (its values never printed) and any
 * other kind is skipped with a note.
 */
export function readDocuments(documents: readonly SourceDocument[]): ImportedInput {
  const externalSecrets: ImportedExternalSecret[] = [];
  const stores: ImportedStore[] = [];
  const serviceAccounts: ImportedServiceAccount[] = [];
  const warnedSecrets = new Set<string>();
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  for (const { file, document, via, value } of documents) {
    const r = new DocumentReader({ file, document, ...(via !== undefined ? { via } : {}) });
    if (Array.isArray(value) && JSON.stringify(value).includes(`"${ESO_GROUP}/`)) {
      // Not a Kubernetes object, but it holds ESO's: skipping it would drop them.
      refusals.push({ ...r.origin, object: '', field: '', rule: `is a list that holds ${ESO_GROUP} objects: give each object as a document of its own (---)` });
      continue;
    }
    if (!isObject(value)) {
      r.note('is not a Kubernetes object: skipped');
      notes.push(...r.notes);
      continue;
    }
    const kind = typeof value.kind === 'string' ? value.kind : '';
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    const metadata = isObject(value.metadata) ? value.metadata : {};
    r.object = objectLabel(kind || '(no kind)', metadata.name, metadata.namespace);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (kind === 'ServiceAccount' && apiVersion === 'v1') {
      // Read for its name only: a store may log in as it, and the library then writes it itself.
      if (typeof metadata.name === 'string') {
        serviceAccounts.push({ ...r.origin, name: metadata.name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) });
      }
    } else if (kind === 'Secret' && apiVersion === 'v1') {
      // Only the name: a Secret's data must never reach the output, a message or a log. Once per
      // document, however many overlays include it.
      if (!warnedSecrets.has(`${file}#${document}`)) r.note('is a Secret: skipped, and its values are not read. Put them in Vault, then delete the Secret from git', true);
      warnedSecrets.add(`${file}#${document}`);
    } else if (kind === 'List' && apiVersion === 'v1') {
      r.refuse('kind', kind, 'is not supported: give the items as separate documents (kubectl get -o yaml writes a List)');
    } else if (group === GENERATOR_GROUP) {
      r.refuse('kind', kind, 'is not supported: generators make values, and the catalog only copies values that live in Vault');
    } else if (group === ESO_GROUP && (kind === 'PushSecret' || kind === 'ClusterPushSecret')) {
      r.refuse('kind', kind, 'is not supported: the catalog describes what ESO reads from Vault, and a PushSecret writes to it');
    } else if (group === ESO_GROUP && kind === 'ClusterExternalSecret') {
      r.refuse('kind', kind, 'is not supported: the catalog declares each namespace\'s ExternalSecret on its own; import the ExternalSecrets it makes (kubectl get externalsecret -A -o yaml)');
    } else if (group === ESO_GROUP) {
      if (!ACCEPTED_VERSIONS.includes(apiVersion)) {
        r.refuse('apiVersion', apiVersion, `is not supported: the import reads ${ACCEPTED_VERSIONS.join(' and ')}`);
      } else if (kind === 'ExternalSecret') {
        const es = readExternalSecret(r, value);
        if (es) externalSecrets.push(es);
      } else if (kind === 'ClusterSecretStore' || kind === 'SecretStore') {
        const store = readStore(r, value, kind);
        if (store) stores.push(store);
      } else {
        r.refuse('kind', kind, 'is not something the library can express (it writes ExternalSecrets, and one ClusterSecretStore or a SecretStore per namespace)');
      }
    } else {
      r.note(`is not an External Secrets Operator object: skipped`);
    }
    refusals.push(...r.refusals);
    notes.push(...r.notes);
  }
  return { externalSecrets, stores, serviceAccounts, refusals, notes };
}
