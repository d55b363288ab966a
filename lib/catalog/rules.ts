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

/**
 * A URL of one of `schemes` with a host and no whitespace. It reaches Terraform's JSON and the stores,
 * so the characters Terraform reads as syntax are refused too.
 */
function urlCheck(schemes: readonly ('http' | 'https')[], rule: string): RuleCheck {
  const pattern = new RegExp(`^(${schemes.join('|')}):\\/\\/[^\\s/]+(\\/\\S*)?$`);
  return (value) => {
    if (typeof value !== 'string' || !pattern.test(value)) return rule;
    return POLICY_SYNTAX.test(value) ? `${rule}, and ${POLICY_SYNTAX_RULE}` : undefined;
  };
}

/** An `https://` URL with a host. */
export const checkHttpsUrl: RuleCheck = urlCheck(['https'], 'must be an https:// URL');

/** An `http://` or `https://` URL with a host, such as Vault's address. */
export const checkHttpUrl: RuleCheck = urlCheck(['http', 'https'], 'must be an http:// or https:// URL such as "https://vault.lan:8200"');

/** A whole number of at least 1. */
export const checkPositiveInteger: RuleCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 ? undefined : 'must be a whole number of at least 1';

/** A non-empty string. */
export const checkNonEmpty: RuleCheck = (value) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'must be a non-empty string';

/** true or false. */
export const checkBoolean: RuleCheck = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

/** An object of names to strings, such as annotations. */
export const checkStringRecord: RuleCheck = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')
    ? undefined
    : 'must be an object of names to string values';

/** One PEM certificate, such as a CA Vault trusts. */
export const checkPemCertificate: RuleCheck = (value) =>
  typeof value === 'string' && /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/.test(value)
    ? undefined
    : 'must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)';

// ---- Vault names ---------------------------------------------------------------------------------
// Everything below ends up in a Vault policy (HCL), in Terraform's JSON (where "${" and "%{" start a
// template) or in a store's YAML, and is checked here once for all of them.

/** Characters the generated Vault policy (HCL) and Terraform would read as syntax, not as a name. */
export const POLICY_SYNTAX = /["\\]|\$\{|%\{/;
export const POLICY_SYNTAX_RULE = 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax';

/**
 * Where Terraform reads a string as written (the state backend's settings, an output's description)
 * `${` and `%{` have no escape that Terraform and OpenTofu both read the same way: refused.
 */
export const TERRAFORM_LITERAL_RULE = 'must not contain "${" or "%{": Terraform reads this field as written and OpenTofu as a template, so no escape means the same to both';
export const checkTerraformLiteral: RuleCheck = (value) =>
  typeof value === 'string' && /\$\{|%\{/.test(value) ? TERRAFORM_LITERAL_RULE : undefined;

// eslint-disable-next-line no-control-regex
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** Text that goes into a policy or Terraform as one word: no whitespace, control character or syntax. */
export const checkPolicyText: RuleCheck = (value) =>
  typeof value === 'string' && !POLICY_SYNTAX.test(value) && !WHITESPACE_OR_CONTROL.test(value)
    ? undefined
    : 'must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax';

/**
 * The KV v2 mount: one bare path segment. Not `data` or one of Vault's own top-level paths, and no
 * glob (the operator policy grants `<mount>/data/*`: a glob in the mount would widen it).
 */
export const checkMount: RuleCheck = (value) => {
  if (typeof value !== 'string' || value === '') return 'must be the name of the KV v2 mount, such as "secrets"';
  if (value.includes('/')) return 'must be a bare mount name without "/" (ESO adds "data/" itself)';
  if (value === 'data') return 'must not be "data", the segment KV v2 inserts itself';
  if (RESERVED_MOUNTS.includes(value)) return `is reserved by Vault (${RESERVED_MOUNTS.join(', ')})`;
  if (/[*+]/.test(value)) return 'must not contain the glob characters "*" or "+", which would widen the generated policies';
  return checkPolicyText(value);
};

/** The path of a Kubernetes auth backend, such as `kubernetes` or `k8s/home`. */
export const checkAuthMountPath: RuleCheck = (value) => {
  if (typeof value !== 'string' || value === '' || /^\/|\/$|\/\//.test(value)) return 'must be a non-empty auth path without leading, trailing or double "/"';
  if (/[*+]/.test(value) || POLICY_SYNTAX.test(value) || WHITESPACE_OR_CONTROL.test(value)) {
    return 'must not contain whitespace, "*", "+", a quote, a backslash, "${" or "%{": it is a path in Vault\'s API and in Terraform';
  }
  return undefined;
};

/** A Vault role name: letters, digits, "_", "-", "." and "@", starting and ending with a letter, digit or "_" (Vault's own pattern). */
export const VAULT_ROLE_NAME = /^\w([\w.@-]*\w)?$/;
export const checkVaultRoleName: RuleCheck = (value) =>
  typeof value === 'string' && VAULT_ROLE_NAME.test(value) ? undefined : `must be a Vault role name (${VAULT_ROLE_NAME.source})`;

/** The audience of a service account token, such as `vault`: it is written into the store and Terraform. */
export const checkAudience: RuleCheck = (value) => (typeof value !== 'string' || value === '' ? 'must not be empty' : checkPolicyText(value));

/**
 * The path a user most likely meant: no leading or trailing "/", no empty, "." or ".." segments, no
 * mount in front, no KV v2 API segment. Used to say how to fix a path, never to fix it silently.
 */
export function suggestedPath(path: string, mount: string): string {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  if (mount && segments[0] === mount) segments.shift();
  return segments.filter((s) => !KV2_API_SEGMENTS.includes(s)).join('/');
}

/** Rules a path inside the mount breaks, each with its fix; empty when it is fine. Shared with the CLI and the policies. */
export function pathRules(path: unknown, mount: string): string[] {
  if (typeof path !== 'string') return ['must be a string: a path inside the mount, such as "apps/db"'];
  if (path === '') return ['must not be empty: name a path inside the mount, such as "apps/db"'];
  const rules: string[] = [];
  const suggested = suggestedPath(path, mount);
  // Suggest a spelling only when it would itself be a valid path.
  const usable = suggested !== '' && suggested !== path && !/[*+\s]/.test(suggested) && !POLICY_SYNTAX.test(suggested);
  const write = usable ? `, write ${JSON.stringify(suggested)}` : '';
  if (path.startsWith('/') || path.endsWith('/')) {
    rules.push(`must not start or end with "/": paths are relative to the mount${mount ? ` "${mount}"` : ''}${write}`);
  }
  if (path.includes('//')) rules.push(`must not contain "//": separate segments with one "/"${write}`);
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) rules.push(`must not contain a "." or ".." segment: Vault does not resolve them${write}`);
  const apiSegment = segments.find((s) => KV2_API_SEGMENTS.includes(s));
  if (apiSegment) {
    rules.push(`must not contain a "${apiSegment}" segment: ESO and the policies add "data/" and "metadata/" themselves${write}`);
  }
  if (mount && segments[0] === mount) {
    rules.push(`must not start with the mount "${mount}/": paths are relative to the mount${write}`);
  }
  if (WHITESPACE_OR_CONTROL.test(path)) rules.push('must not contain whitespace or control characters: use "-" or "_" instead');
  if (/[*+]/.test(path)) rules.push('must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own');
  if (POLICY_SYNTAX.test(path)) rules.push(`${POLICY_SYNTAX_RULE}: rename the path without them`);
  return rules;
}

/** A path inside the mount, as one rule (every broken one, joined): for constructs that check one value. */
export function checkVaultPath(mount: string): RuleCheck {
  return (value) => {
    const broken = pathRules(value, mount);
    return broken.length > 0 ? broken.join('; ') : undefined;
  };
}

/**
 * Throws a CatalogValidationError, worded like a catalog issue, when `value` breaks `check`:
 * `<owner>: <field> <value> <rule>`. Constructs check their own props with the same predicates the
 * validator uses, so a construct never refuses what the validator accepted.
 */
export function assertRule(check: RuleCheck, field: string, value: unknown, owner: string): void {
  const rule = check(value);
  if (rule !== undefined) invalidProp(owner, field, value, rule);
}
