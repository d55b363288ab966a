import { isGoDuration } from '../../lib/catalog';

/**
 * The ExternalSecret rules ESO's admission webhook enforces beyond the CRD schema
 * (shared/CONVENTIONS.md, "ESO API"), plus the Go duration check the schema leaves out.
 */
export function esoWebhookViolations(object: any): string[] {
  if (object.kind !== 'ExternalSecret') return [];
  const spec = object.spec ?? {};
  const violations: string[] = [];
  const data: any[] = spec.data ?? [];
  const dataFrom: any[] = spec.dataFrom ?? [];
  if (data.length === 0 && dataFrom.length === 0) violations.push('neither data nor dataFrom');
  const creation = spec.target?.creationPolicy ?? 'Owner';
  const deletion = spec.target?.deletionPolicy ?? 'Retain';
  // ESO v2.9's validatePolicies: Delete needs a Secret the controller owns (not Merge, None or CreateOrMerge).
  if (deletion === 'Delete' && ['Merge', 'None', 'CreateOrMerge'].includes(creation)) violations.push(`deletionPolicy Delete with creationPolicy ${creation}`);
  if (deletion === 'Merge' && creation === 'None') violations.push('deletionPolicy Merge with creationPolicy None');
  if (deletion === 'Retain') {
    const keys = data.map((d) => d.secretKey);
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (duplicates.length > 0) violations.push(`duplicate data[].secretKey ${duplicates.join(', ')}`);
  }
  dataFrom.forEach((item, i) => {
    const set = [item.extract, item.find, item.sourceRef?.generatorRef].filter((x) => x !== undefined);
    if (set.length > 1) violations.push(`dataFrom[${i}] sets more than one of extract, find and generatorRef`);
  });
  if (spec.refreshInterval !== undefined && !isGoDuration(spec.refreshInterval)) {
    violations.push(`refreshInterval ${JSON.stringify(spec.refreshInterval)} is not a Go duration`);
  }
  return violations;
}
