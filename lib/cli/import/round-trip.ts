import { ESO_DEFAULTS } from '../../catalog';
import { printable } from '../shell';
import type { ImportedExternalSecret, ImportedServiceAccount, ImportedStore } from './model';
import type { ImportPlan } from './plan';
import type { SynthesizedRole } from './synthesize';

/** What the round trip compares of one ExternalSecret; the library's explicit defaults are filled in on both sides. */
export const COMPARED_FIELDS = [
  'name', 'namespace', 'secretStoreRef.kind', 'secretStoreRef.name', 'refreshInterval', 'target.name', 'target.creationPolicy', 'target.deletionPolicy',
  'target.template', 'data', 'dataFrom',
] as const;

/** What the round trip compares of one store. */
export const STORE_FIELDS = ['server', 'path', 'caProvider', 'auth.mountPath', 'auth.role', 'auth.serviceAccount', 'auth.audiences', 'conditions'] as const;

/** What it compares of one Vault role: whom it admits, the audience, and what its policy reads. */
export const ROLE_FIELDS = ['serviceAccounts', 'audience', 'policy'] as const;

/** One field that differs, or an object on one side only. */
export interface RoundTripDifference {
  /** `ExternalSecret apps/db`, `SecretStore media/vault`, `ClusterSecretStore vault`, `ServiceAccount media/eso`, `Vault role eso-media`. */
  readonly object: string;
  readonly field: string;
  /** The input's value, as JSON; undefined when the object is not in the input. */
  readonly input?: string;
  /** The synthesized value, as JSON; undefined when it was not synthesized. */
  readonly synthesized?: string;
}

/** How many objects of one kind were compared, and how many of them are equal. */
export interface RoundTripCount {
  readonly compared: number;
  readonly equal: number;
}

/** The result of comparing the input with what the imported catalog synthesizes. */
export interface RoundTripReport {
  /** ExternalSecrets of the input compared. */
  readonly compared: number;
  /** Of those, the ones whose every compared field is equal. */
  readonly equal: number;
  /** The stores, ServiceAccounts and Vault roles with their policies, when the input has its stores. */
  readonly access?: { readonly stores: RoundTripCount; readonly serviceAccounts: RoundTripCount; readonly roles: RoundTripCount };
  readonly differences: readonly RoundTripDifference[];
  /**
   * Why nothing was compared: the generated module does not load, or the library cannot synthesize
   * what it declares. @default - it loaded and was synthesized
   */
  readonly failure?: string;
}

/** Whether the module loaded and every object synthesizes the same. */
export function roundTripPassed(report: RoundTripReport): boolean {
  return report.failure === undefined && report.differences.length === 0;
}

/** JSON with object keys sorted: maps compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

function comparable(es: ImportedExternalSecret, namespace: string): Record<(typeof COMPARED_FIELDS)[number], string> {
  const template = es.template === undefined ? undefined : {
    ...(es.template.type !== undefined ? { type: es.template.type } : {}),
    engineVersion: es.template.engineVersion,
    mergePolicy: es.template.mergePolicy,
    metadata: { labels: es.template.labels, annotations: es.template.annotations },
    ...(es.template.data !== undefined && Object.keys(es.template.data).length > 0 ? { data: es.template.data } : {}),
  };
  return {
    'name': canonical(es.name),
    'namespace': canonical(namespace),
    'secretStoreRef.kind': canonical(es.storeKind ?? 'ClusterSecretStore'),
    'secretStoreRef.name': canonical(es.storeName),
    'refreshInterval': canonical(es.refreshInterval),
    'target.name': canonical(es.secretName),
    'target.creationPolicy': canonical(es.creationPolicy),
    'target.deletionPolicy': canonical(es.deletionPolicy),
    'target.template': canonical(template) ?? 'none',
    'data': canonical(es.data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: d.key, property: d.property } }))),
    'dataFrom': canonical(es.extract.map((key) => ({ extract: { key } }))),
  };
}

/** Compares two maps of objects field by field; returns how many of `input`'s are equal, recording the differences. */
function compareObjects<F extends string>(
  input: ReadonlyMap<string, Record<F, string>>,
  synthesized: ReadonlyMap<string, Record<F, string>>,
  fields: readonly F[],
  differences: RoundTripDifference[],
): RoundTripCount {
  let equal = 0;
  for (const [id, a] of input) {
    const b = synthesized.get(id);
    if (!b) {
      differences.push({ object: id, field: '(the object)', input: 'present' });
      continue;
    }
    const differing = fields.filter((f) => a[f] !== b[f]);
    for (const field of differing) differences.push({ object: id, field, input: a[field], synthesized: b[field] });
    if (differing.length === 0) equal++;
  }
  for (const id of synthesized.keys()) if (!input.has(id)) differences.push({ object: id, field: '(the object)', synthesized: 'present' });
  return { compared: input.size, equal };
}

/**
 * Compares every ExternalSecret of the input (its namespace resolved as the import resolved it) with
 * the synthesized one of the same namespace and name. Both sides were read by the same parser, so
 * the defaults ESO applies (refreshInterval 1h, creationPolicy Owner, deletionPolicy Retain, an
 * empty v2 Replace template) are filled in on both, and the leading `/` of keys is removed on both.
 */
export function compareRoundTrip(
  input: readonly (ImportedExternalSecret & { readonly namespace: string })[],
  synthesized: readonly ImportedExternalSecret[],
): RoundTripReport {
  const differences: RoundTripDifference[] = [];
  const key = (es: ImportedExternalSecret): string => `ExternalSecret ${es.namespace}/${es.name}`;
  const count = compareObjects(
    new Map(input.map((es) => [key(es), comparable(es, es.namespace)])),
    new Map(synthesized.map((es) => [key(es), comparable(es, es.namespace ?? '')])),
    COMPARED_FIELDS, differences,
  );
  return { compared: count.compared, equal: count.equal, differences };
}

/** A store's compared fields: `conditions` is the namespaces a ClusterSecretStore admits (`usedBy` where the input leaves that open). */
function storeComparable(store: ImportedStore, mount: string, usedBy?: readonly string[]): Record<(typeof STORE_FIELDS)[number], string> {
  const cluster = store.kind === 'ClusterSecretStore';
  const c = store.conditions;
  return {
    'server': canonical(store.server),
    'path': canonical(store.mount || mount),
    'caProvider': canonical(store.caProvider ?? null),
    'auth.mountPath': canonical(store.authMountPath),
    'auth.role': canonical(store.role),
    'auth.serviceAccount': canonical(cluster
      ? `${store.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace}/${store.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName}`
      : store.serviceAccountName ?? null),
    'auth.audiences': canonical([store.audience ?? ESO_DEFAULTS.audience]),
    'conditions': canonical(!cluster ? null : c && !c.selectors ? c.namespaces : usedBy ?? c?.namespaces ?? null),
  };
}

function storeKey(store: ImportedStore): string {
  return store.kind === 'SecretStore' ? `SecretStore ${store.namespace}/${store.name}` : `ClusterSecretStore ${store.name}`;
}

/**
 * Compares the access the input sets up with what the catalog synthesizes: each store the
 * ExternalSecrets read through (server, mount, CA, Kubernetes auth; a ClusterSecretStore's
 * conditions, narrowed to its ExternalSecrets' namespaces where the input leaves them open, as noted);
 * the ServiceAccounts those stores log in as that the input writes; and per Vault role, whom it admits
 * (each ServiceAccount in its namespace, nothing more), the audience, and its policy: exactly the
 * paths the input's ExternalSecrets read through that role's stores, so no policy is wider.
 */
export function compareAccess(
  plan: ImportPlan,
  inputServiceAccounts: readonly ImportedServiceAccount[],
  synthesized: { readonly stores: readonly ImportedStore[]; readonly serviceAccounts: readonly ImportedServiceAccount[]; readonly roles: readonly SynthesizedRole[] },
): { counts: NonNullable<RoundTripReport['access']>; differences: RoundTripDifference[] } {
  const differences: RoundTripDifference[] = [];
  const mount = plan.catalog.mount;
  const stores = compareObjects(
    new Map(plan.stores.map(({ store, usedBy }) => [storeKey(store), storeComparable(store, mount, usedBy)])),
    new Map(synthesized.stores.map((store) => [storeKey(store), storeComparable(store, mount)])),
    STORE_FIELDS, differences,
  );

  // The ServiceAccounts the stores log in as, where the input writes them.
  const loggedInAs = new Set(plan.stores.map(({ store }) => (store.kind === 'SecretStore'
    ? `${store.namespace}/${store.serviceAccountName}`
    : `${store.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace}/${store.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName}`)));
  const accountKey = (sa: ImportedServiceAccount): string => `${sa.namespace}/${sa.name}`;
  const present = { ok: canonical('present') } as const;
  const serviceAccounts = compareObjects(
    new Map(inputServiceAccounts.filter((sa) => loggedInAs.has(accountKey(sa))).map((sa) => [`ServiceAccount ${accountKey(sa)}`, present])),
    new Map(synthesized.serviceAccounts.map((sa) => [`ServiceAccount ${accountKey(sa)}`, present])),
    ['ok'], differences,
  );

  // Per role: what the input's stores of that role admit, and what their ExternalSecrets read.
  const roles = new Map<string, { serviceAccounts: Set<string>; audience: string; paths: Set<string> }>();
  for (const { store } of plan.stores) {
    const id = `Vault role ${store.role}`;
    const role = roles.get(id) ?? { serviceAccounts: new Set<string>(), audience: store.audience ?? ESO_DEFAULTS.audience, paths: new Set<string>() };
    role.serviceAccounts.add(store.kind === 'SecretStore'
      ? `${store.namespace}/${store.serviceAccountName}`
      : `${store.serviceAccountNamespace ?? ESO_DEFAULTS.serviceAccountNamespace}/${store.serviceAccountName ?? ESO_DEFAULTS.serviceAccountName}`);
    roles.set(id, role);
  }
  for (const target of plan.targets) {
    if (target.store === undefined) continue;
    for (const source of target.sources) roles.get(`Vault role ${target.store.role}`)?.paths.add(source.path);
  }
  const roleCount = compareObjects(
    new Map([...roles].map(([id, r]) => [id, {
      serviceAccounts: canonical([...r.serviceAccounts].sort()), audience: canonical(r.audience), policy: canonical([...r.paths].sort()),
    }])),
    new Map(synthesized.roles.map((r) => [`Vault role ${r.role}`, {
      serviceAccounts: canonical(r.serviceAccounts), audience: canonical(r.audience), policy: canonical(r.paths),
    }])),
    ROLE_FIELDS, differences,
  );
  return { counts: { stores, serviceAccounts, roles: roleCount }, differences };
}

/** The report as people read it: a summary line (two with the access compared), then one line per difference. */
export function formatRoundTrip(report: RoundTripReport): string {
  if (report.failure !== undefined) return `round trip: ${printable(report.failure)}`;
  const fields = 'name, namespace, store, refreshInterval, target, policies, template, data, dataFrom';
  const lines = [`round trip: ${report.equal} of ${report.compared} ExternalSecret${report.compared === 1 ? '' : 's'} synthesize the same (${fields})`];
  const a = report.access;
  if (a) {
    const n = (c: RoundTripCount, one: string, many: string): string => `${c.equal} of ${c.compared} ${c.compared === 1 ? one : many}`;
    lines.push(`round trip: ${n(a.stores, 'store', 'stores')} (server, mount, CA, Kubernetes auth, conditions), ${n(a.serviceAccounts, 'ServiceAccount', 'ServiceAccounts')} `
      + `and ${n(a.roles, 'Vault role', 'Vault roles')} (whom it admits, audience, a policy of exactly the paths read through it) synthesize the same`);
  }
  for (const d of report.differences) {
    if (d.synthesized === undefined) lines.push(`  - ${d.object}: is in the input but not synthesized`);
    else if (d.input === undefined) lines.push(`  - ${d.object}: is synthesized but not in the input`);
    else lines.push(`  - ${d.object}: ${d.field} differs: input ${d.input}, synthesized ${d.synthesized}`);
  }
  return lines.join('\n');
}
