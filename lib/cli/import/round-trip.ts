import type { ImportedExternalSecret } from './model';

/** What the round trip compares of one ExternalSecret; the library's explicit defaults are filled in on both sides. */
export const COMPARED_FIELDS = [
  'name', 'namespace', 'secretStoreRef.kind', 'secretStoreRef.name', 'refreshInterval', 'target.name', 'target.creationPolicy', 'target.deletionPolicy',
  'target.template', 'data', 'dataFrom',
] as const;

/** One field that differs, or an ExternalSecret on one side only. */
export interface RoundTripDifference {
  /** `namespace/name` of the ExternalSecret. */
  readonly externalSecret: string;
  readonly field: string;
  /** The input's value, as JSON; undefined when the ExternalSecret is not in the input. */
  readonly input?: string;
  /** The synthesized value, as JSON; undefined when it was not synthesized. */
  readonly synthesized?: string;
}

/** The result of comparing the input with what the imported catalog synthesizes. */
export interface RoundTripReport {
  /** ExternalSecrets of the input compared. */
  readonly compared: number;
  /** Of those, the ones whose every compared field is equal. */
  readonly equal: number;
  readonly differences: readonly RoundTripDifference[];
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
  const byId = new Map(synthesized.map((es) => [`${es.namespace}/${es.name}`, es]));
  const matched = new Set<string>();
  let equal = 0;
  for (const es of input) {
    const id = `${es.namespace}/${es.name}`;
    const other = byId.get(id);
    if (!other) {
      differences.push({ externalSecret: id, field: '(the object)', input: 'present' });
      continue;
    }
    matched.add(id);
    const a = comparable(es, es.namespace);
    const b = comparable(other, other.namespace ?? '');
    const fields = COMPARED_FIELDS.filter((f) => a[f] !== b[f]);
    for (const field of fields) differences.push({ externalSecret: id, field, input: a[field], synthesized: b[field] });
    if (fields.length === 0) equal++;
  }
  for (const id of byId.keys()) {
    if (!matched.has(id)) differences.push({ externalSecret: id, field: '(the object)', synthesized: 'present' });
  }
  return { compared: input.length, equal, differences };
}

/** The report as people read it: a summary line, then one line per difference. */
export function formatRoundTrip(report: RoundTripReport): string {
  const fields = 'name, namespace, store, refreshInterval, target, policies, template, data, dataFrom';
  const lines = [`round trip: ${report.equal} of ${report.compared} ExternalSecret${report.compared === 1 ? '' : 's'} synthesize the same (${fields})`];
  for (const d of report.differences) {
    if (d.synthesized === undefined) lines.push(`  - ExternalSecret ${d.externalSecret}: is in the input but not synthesized`);
    else if (d.input === undefined) lines.push(`  - ExternalSecret ${d.externalSecret}: is synthesized but not in the input`);
    else lines.push(`  - ExternalSecret ${d.externalSecret}: ${d.field} differs: input ${d.input}, synthesized ${d.synthesized}`);
  }
  return lines.join('\n');
}
