import { invalidProp } from './errors';

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

// ---- Rules as predicates ---------------------------------------------------------------------
// Each returns the rule a value breaks, or undefined when it is fine. The catalog's and the settings'
// validation and the constructs' own prop checks all call these, so one value can never pass on one
// side and fail on the other, and every side words the rule the same way.

/** A rule a value breaks, as it reads after the value: `must be ...`. */
export type RuleCheck = (value: unknown) => string | undefined;

export const SUBDOMAIN_RULE = `must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most ${DNS1123_SUBDOMAIN_MAX} characters`;
export const LABEL_RULE = `must be a DNS-1123 label (${DNS1123_LABEL.source}) of at most ${DNS1123_LABEL_MAX} characters`;

/** A Kubernetes object name (DNS-1123 subdomain). */
export const checkSubdomain: RuleCheck = (value) =>
  typeof value === 'string' && value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value) ? undefined : SUBDOMAIN_RULE;

/** A namespace or Helm release name (DNS-1123 label). */
export const checkLabel: RuleCheck = (value) =>
  typeof value === 'string' && value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value) ? undefined : LABEL_RULE;

/** An AWS region name, such as `eu-central-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const checkAwsRegion: RuleCheck = (value) =>
  typeof value === 'string' && AWS_REGION_PATTERN.test(value) ? undefined : 'must be an AWS region such as "eu-central-1"';

/** A KMS alias that AWS lets a customer create: `alias/` and a name, not under the reserved `alias/aws/`. */
export const KMS_ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;
export const checkKmsAlias: RuleCheck = (value) =>
  typeof value === 'string' && KMS_ALIAS_PATTERN.test(value) && !value.startsWith('alias/aws/')
    ? undefined
    : 'must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", and not start with "alias/aws/" (reserved by AWS)';

/** An IAM user name: 1-64 letters, digits and `+=,.@_-`. */
export const IAM_USER_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
export const checkIamUserName: RuleCheck = (value) =>
  typeof value === 'string' && IAM_USER_NAME_PATTERN.test(value) ? undefined : 'must be 1-64 characters of letters, digits and +=,.@_-';

/** A Kubernetes resource quantity such as `5Gi`. */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
export const checkQuantity: RuleCheck = (value) =>
  typeof value === 'string' && QUANTITY.test(value) ? undefined : 'must be a Kubernetes quantity such as "5Gi" or "500Mi"';

/** An `https://` URL with a host and no whitespace. */
export const checkHttpsUrl: RuleCheck = (value) =>
  typeof value === 'string' && /^https:\/\/[^\s/]+(\/\S*)?$/.test(value) ? undefined : 'must be an https:// URL';

/** A whole number of at least 1. */
export const checkPositiveInteger: RuleCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 ? undefined : 'must be a whole number of at least 1';

/** A non-empty string. */
export const checkNonEmpty: RuleCheck = (value) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-empty string';

/**
 * Throws a CatalogValidationError, worded like a catalog issue, when `value` breaks `check`:
 * `<owner>: <field> <value> <rule>`. Constructs check their own props with the same predicates the
 * validator uses, so a construct never refuses what the validator accepted.
 */
export function assertRule(check: RuleCheck, field: string, value: unknown, owner: string): void {
  const rule = check(value);
  if (rule !== undefined) invalidProp(owner, field, value, rule);
}
