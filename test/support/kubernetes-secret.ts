/**
 * What the API server refuses of the Secret an ExternalSecret makes, beyond the CRD schema: written
 * here from apimachinery's and the core API's validation (IsConfigMapKey, IsQualifiedName,
 * IsValidLabelValue, ValidateAnnotations' 256 KiB, ValidateSecret's typed keys), independently of
 * lib/catalog/rules.ts, so that a rule the library forgot shows up as a violation. Like the ESO webhook
 * emulation, a fast first check: the real API server is the proof (test/cluster/).
 */

const KEY = /^[-._a-zA-Z0-9]+$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function configMapKeyErrors(key: string): string[] {
  const errors: string[] = [];
  if (key.length > 253) errors.push('must be no more than 253 characters');
  if (!KEY.test(key)) errors.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (key === '.') errors.push("must not be '.'");
  else if (key === '..') errors.push("must not be '..'");
  else if (key.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return ['a qualified name must consist of alphanumeric characters, ...'];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const errors: string[] = [];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !SUBDOMAIN.test(prefix))) errors.push('prefix part must be a DNS-1123 subdomain');
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) errors.push('name part must be a qualified name');
  return errors;
}

const TYPED: Record<string, (keys: string[]) => boolean> = {
  'kubernetes.io/tls': (keys) => keys.includes('tls.crt') && keys.includes('tls.key'),
  'kubernetes.io/dockerconfigjson': (keys) => keys.includes('.dockerconfigjson'),
  'kubernetes.io/dockercfg': (keys) => keys.includes('.dockercfg'),
  'kubernetes.io/basic-auth': (keys) => keys.includes('username') || keys.includes('password'),
  'kubernetes.io/ssh-auth': (keys) => keys.includes('ssh-privatekey'),
};

/**
 * The refusals of the Secret an ExternalSecret writes: its keys (data[].secretKey, the template's
 * data), the template's labels and annotations, and the keys its type requires (when ESO creates it,
 * and knowably: not where a whole-path extract's keys, Vault's at sync time, reach the Secret). A
 * whole-path extract's keys are the ones `extractKeys` gives for its path.
 */
export function secretViolations(object: any, extractKeys: (path: string) => readonly string[] = () => []): string[] {
  if (object.kind !== 'ExternalSecret') return [];
  const spec = object.spec ?? {};
  const template = spec.target?.template;
  const violations: string[] = [];
  const copied = [...(spec.data ?? []).map((d: any) => d.secretKey as string), ...(spec.dataFrom ?? []).flatMap((d: any) => (d.extract ? extractKeys(d.extract.key) : []))];
  const templated = Object.keys(template?.data ?? {});
  for (const key of [...copied, ...templated]) for (const error of configMapKeyErrors(key)) violations.push(`Secret key ${JSON.stringify(key)}: ${error}`);
  for (const [key, value] of Object.entries(template?.data ?? {})) if (typeof value !== 'string') violations.push(`template.data.${key} is not a string`);
  const labels: Record<string, unknown> = template?.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(labels)) {
    for (const error of qualifiedNameErrors(key)) violations.push(`label key ${JSON.stringify(key)}: ${error}`);
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !NAME_PART.test(value))) violations.push(`label value ${JSON.stringify(value)} is not valid`);
  }
  const annotations: Record<string, unknown> = template?.metadata?.annotations ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const error of qualifiedNameErrors(key)) violations.push(`annotation key ${JSON.stringify(key)}: ${error}`);
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > 256 * 1024) violations.push(`annotations hold ${size} bytes, more than 256 KiB`);
  const creation = spec.target?.creationPolicy ?? 'Owner';
  const type = template?.type;
  const extracted = (spec.dataFrom ?? []).some((d: any) => d.extract) && (templated.length === 0 || template.mergePolicy === 'Merge');
  // ValidateSecret: a service account token Secret names its ServiceAccount in an annotation.
  if (type === 'kubernetes.io/service-account-token' && (creation === 'Owner' || creation === 'Orphan') && !annotations['kubernetes.io/service-account.name']) {
    violations.push('a Secret of type kubernetes.io/service-account-token lacks the annotation kubernetes.io/service-account.name');
  }
  if (typeof type === 'string' && (creation === 'Owner' || creation === 'Orphan') && TYPED[type] !== undefined && !extracted) {
    const keys = templated.length === 0 ? copied : template.mergePolicy === 'Merge' ? [...copied, ...templated] : templated;
    if (!TYPED[type](keys)) violations.push(`a Secret of type ${type} lacks the keys its type requires (has ${keys.join(', ') || 'none'})`);
  }
  return violations;
}
