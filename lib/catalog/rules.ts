// The naming and format rules that ESO, Kubernetes and Vault enforce, kept in one place so that the
// catalog validation, the CLI and the tests all quote the same pattern.

/** A Kubernetes object or Secret name (RFC 1123 subdomain), at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX = 253;

/** A Kubernetes namespace (RFC 1123 label), at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;

/** A key of a Kubernetes Secret, and so of an ExternalSecret's data[].secretKey. */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Vault's own top-level paths, which a secrets engine cannot be mounted over. */
export const RESERVED_MOUNTS: readonly string[] = ['sys', 'auth', 'identity', 'cubbyhole'];

/** The KV v2 API inserts these segments itself; inside a key they address something else. */
export const KV2_API_SEGMENTS: readonly string[] = ['data', 'metadata'];

const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/** Whether `value` parses with Go's time.ParseDuration and is not negative. */
export function isGoDuration(value: string): boolean {
  return value === '0' || GO_DURATION.test(value);
}

/** Whether a valid Go duration is zero ("0", "0s", "0h0m"). */
export function isZeroDuration(value: string): boolean {
  if (value === '0') return true;
  for (const match of value.matchAll(GO_DURATION_PART)) {
    if (Number(match[1]) !== 0) return false;
  }
  return true;
}

/** Go template identifiers can be written `.name`; any other key needs `index . "name"`. */
const GO_TEMPLATE_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The ESO v2 template expression that yields the Secret key `key`. */
export function goTemplateRef(key: string): string {
  return GO_TEMPLATE_FIELD.test(key) ? `{{ .${key} }}` : `{{ index . ${JSON.stringify(key)} }}`;
}
