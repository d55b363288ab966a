import { invalidProp, showText, showValue } from './errors';

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
/** The longest Secret key Kubernetes accepts (apimachinery's IsConfigMapKey). */
export const SECRET_KEY_MAX = 253;

/** Vault's own top-level paths, which a secrets engine cannot be mounted over. */
export const RESERVED_MOUNTS: readonly string[] = ['sys', 'auth', 'identity', 'cubbyhole'];

/** The KV v2 API inserts these segments itself; inside a key they address something else. */
export const KV2_API_SEGMENTS: readonly string[] = ['data', 'metadata'];

// Go's time.ParseDuration units; "µs" is U+00B5 and "μs" U+03BC, both accepted by Go.
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g;
const NANOSECONDS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
/** The longest duration Go represents: 2^63-1 nanoseconds, about 2562047h47m16.854775807s. */
export const GO_DURATION_MAX_NS = (1n << 63n) - 1n;

/** Whether `value` parses with Go's time.ParseDuration, is not negative, and fits its int64 of nanoseconds. */
export function isGoDuration(value: string): boolean {
  if (value === '0') return true;
  if (!GO_DURATION.test(value)) return false;
  return goDurationNanoseconds(value) <= GO_DURATION_MAX_NS;
}

/** The nanoseconds of a duration GO_DURATION matched, as Go sums them (fractions of a unit rounded down). */
function goDurationNanoseconds(value: string): bigint {
  let total = 0n;
  for (const [, whole, fraction = '', unit] of value.matchAll(GO_DURATION_PART)) {
    const scale = NANOSECONDS[unit];
    total += BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== '') total += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
  }
  return total;
}

/** Whether a valid Go duration is zero ("0", "0s", "0h0m", "0.0000000001s"). */
export function isZeroDuration(value: string): boolean {
  return value === '0' || goDurationNanoseconds(value) === 0n;
}

/** The rule a `refreshInterval` or other Go duration breaks, if any. */
export const DURATION_RULE = 'must be a Go duration such as "1h", "30m" or "1h0m0s", of at most 2562047h (Go\'s time.Duration overflows beyond)';
export const checkGoDuration: RuleCheck = (value) => (typeof value === 'string' && isGoDuration(value) ? undefined : DURATION_RULE);

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

/**
 * The longest Vault release name: Helm takes 53 characters at most, and the chart's StatefulSet, named
 * after the release, labels its pods `controller-revision-hash: <name>-<hash of up to 10 characters>`,
 * a label value of at most 63.
 */
export const VAULT_RELEASE_NAME_MAX = 52;
export const VAULT_RELEASE_NAME_RULE = `must be a DNS-1123 label of at most ${VAULT_RELEASE_NAME_MAX} characters: Helm takes release names of 53 at most, and the StatefulSet named after the release labels its pods with its name and a hash of up to 10 characters, 63 at most`;

/** The Vault chart's release name (also its Service's and StatefulSet's). */
export const checkVaultReleaseName: RuleCheck = (value) =>
  checkLabel(value) === undefined && (value as string).length <= VAULT_RELEASE_NAME_MAX ? undefined : VAULT_RELEASE_NAME_RULE;

/**
 * An AWS region name, such as `eu-central-1`: the prefix of one of AWS's partitions (aws, aws-cn,
 * aws-us-gov, the ISO partitions, the European Sovereign Cloud), a compass direction, a number. The
 * partitions' own region patterns (the SDKs' partitions.json) allow the same prefixes.
 */
export const AWS_REGION_PATTERN = /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc-de)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]\d?$/;
export const checkAwsRegion: RuleCheck = (value) =>
  typeof value === 'string' && AWS_REGION_PATTERN.test(value)
    ? undefined
    : 'must be an AWS region such as "eu-central-1"';

/** A KMS alias that AWS lets a customer create: `alias/` and a name, not under the reserved `alias/aws/`. */
export const KMS_ALIAS_PATTERN = /^alias\/[a-zA-Z0-9/_-]+$/;
export const checkKmsAlias: RuleCheck = (value) =>
  typeof value === 'string' && KMS_ALIAS_PATTERN.test(value) && value.length <= 256 && !value.startsWith('alias/aws/')
    ? undefined
    : 'must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)';

/** An IAM user name: 1-64 letters, digits and `+=,.@_-`. */
export const IAM_USER_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
export const checkIamUserName: RuleCheck = (value) =>
  typeof value === 'string' && IAM_USER_NAME_PATTERN.test(value) ? undefined : 'must be 1-64 characters of letters, digits and +=,.@_-';

/** A Kubernetes resource quantity such as `5Gi`. */
const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** A Kubernetes quantity greater than 0, such as a volume's size. */
export const checkQuantity: RuleCheck = (value) => {
  const match = typeof value === 'string' ? QUANTITY.exec(value) : null;
  if (match === null) return 'must be a Kubernetes quantity such as "5Gi" or "500Mi"';
  return /[1-9]/.test(match[1]) ? undefined : 'must be greater than 0: a volume of no bytes holds nothing';
};

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** A host: a DNS name, an IPv4 address, or an IPv6 address in brackets; then an optional port. */
const URL_AUTHORITY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * A URL of one of `schemes` with a host (a DNS name or an IP address) and an optional port from 1 to
 * 65535; no whitespace, control character or credentials. A base URL (a server's address, to which
 * the client appends API paths) has no query or fragment either. It reaches Terraform's JSON and the
 * stores, so the characters Terraform reads as syntax are refused too.
 */
function urlCheck(schemes: readonly ('http' | 'https')[], rule: string, base: boolean): RuleCheck {
  const pattern = new RegExp(`^(${schemes.join('|')}):\\/\\/([^\\s/?#]+)([/?#]\\S*)?$`);
  return (value) => {
    if (typeof value !== 'string') return rule;
    if (CONTROL_CHARACTERS.test(value) || /[\p{Cf}\p{Zl}\p{Zp}]/u.test(value)) return `${rule}, without control or invisible characters`;
    const match = pattern.exec(value);
    if (match === null) return rule;
    if (match[2].includes('@')) return `${rule}, without a user or password (credentials never go into the catalog)`;
    const authority = URL_AUTHORITY.exec(match[2]);
    const port = authority?.[1] === undefined ? 1 : Number(authority[1]);
    if (authority === null || port < 1 || port > 65535) return `${rule}, whose host is a DNS name or an IP address, with a port from 1 to 65535`;
    if (base && /[?#]/.test(match[3] ?? '')) return `${rule}, without a query or fragment: clients append API paths to it`;
    return POLICY_SYNTAX.test(value) ? `${rule}, and ${POLICY_SYNTAX_RULE}` : undefined;
  };
}

/** An `https://` URL with a host, such as a page to link to. */
export const checkHttpsUrl: RuleCheck = urlCheck(['https'], 'must be an https:// URL', false);

/** An `https://` server address, such as the Kubernetes API's. */
export const checkHttpsServer: RuleCheck = urlCheck(['https'], 'must be an https:// URL', true);

/** An `http://` or `https://` server address, such as Vault's. */
export const checkHttpUrl: RuleCheck = urlCheck(['http', 'https'], 'must be an http:// or https:// URL such as "https://vault.lan:8200"', true);

/** A whole number of at least 1. */
export const checkPositiveInteger: RuleCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 ? undefined : 'must be a whole number of at least 1';

/** The most seconds a Vault TTL holds: Vault keeps a duration in 64-bit nanoseconds (Go's time.Duration). */
export const VAULT_TTL_MAX_SECONDS = 9_223_372_036;

/** A token TTL in seconds, as Vault's role takes it (and Terraform's 64-bit integer). */
export const checkTtlSeconds: RuleCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= VAULT_TTL_MAX_SECONDS
    ? undefined
    : `must be a whole number of seconds from 1 to ${VAULT_TTL_MAX_SECONDS} (Vault keeps a duration in 64-bit nanoseconds)`;

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

/** The versions a KV v2 mount keeps: Vault stores the number as an unsigned 32-bit integer. */
export const checkKvMaxVersions: RuleCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 0xffffffff ? undefined : 'must be a whole number from 1 to 4294967295 (Vault keeps it in 32 bits)';

// ---- Terraform state ------------------------------------------------------------------------------

/** A local state file's path: a file system's path holds no NUL. */
export const checkStatePath: RuleCheck = (value) =>
  typeof value === 'string' && value.trim() !== '' && !value.includes('\u0000') ? undefined : 'must be a file path, without a NUL character';

/** An S3 bucket name, as AWS allows a general purpose bucket's: 3-63 characters of a-z, 0-9, "." and "-". */
export const checkS3Bucket: RuleCheck = (value) => {
  const rule = 'must be an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit, no "..", not an IP address, and without the prefixes and suffixes AWS reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, .mrap, --x-s3, --table-s3)';
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) || value.includes('..')) return rule;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value) || /^(xn--|sthree-|amzn-s3-demo-)/.test(value) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(value)) return rule;
  return undefined;
};

/** The key prefix of the state objects: Terraform's S3 backend refuses a key that starts or ends with "/" or holds "//". */
export const checkS3KeyPrefix: RuleCheck = (value) =>
  typeof value === 'string' && value !== '' && !/^\/|\/$|\/\//.test(value) && !value.includes('\u0000') && utf8Length(value) <= 1000
    ? undefined
    : 'must be an S3 key prefix such as "secrets/state": not starting or ending with "/", no "//", no NUL, at most 1000 bytes (Terraform\'s S3 backend refuses the rest)';

/** A DynamoDB table name: 3-255 characters of a-z, A-Z, 0-9, "_", "-" and ".". */
export const checkDynamoDbTable: RuleCheck = (value) =>
  typeof value === 'string' && /^[A-Za-z0-9_.-]{3,255}$/.test(value) ? undefined : 'must be a DynamoDB table name: 3-255 characters of a-z, A-Z, 0-9, "_", "-" and "."';

// ---- Kubernetes keys, labels and annotations ---------------------------------------------------

/**
 * A Kubernetes Secret key (apimachinery's IsConfigMapKey): 1-253 characters of a-z, A-Z, 0-9, "-",
 * "_" and "."; not "." or "..", and not starting with ".." (a Secret mounted as a volume is a folder of
 * files named by its keys, next to the volume's own "..data").
 */
export const checkSecretKey: RuleCheck = (value) => {
  if (typeof value !== 'string' || !SECRET_KEY.test(value)) return `must match ${SECRET_KEY.source}`;
  if (value.length > SECRET_KEY_MAX) return `must be at most ${SECRET_KEY_MAX} characters long (it has ${value.length}): Kubernetes refuses a longer Secret key`;
  if (value === '.' || value === '..') return 'must not be "." or "..": Kubernetes refuses them as Secret keys, which name files in a volume';
  if (value.startsWith('..')) return 'must not start with "..": Kubernetes refuses it, as the names of a Secret volume\'s own files start so';
  return undefined;
};

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const QUALIFIED_NAME_RULE = 'must be a Kubernetes qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and "/", then a name of at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';

/** A label or annotation key (apimachinery's IsQualifiedName): `[prefix/]name`. */
export const checkQualifiedName: RuleCheck = (value) => {
  if (typeof value !== 'string') return QUALIFIED_NAME_RULE;
  const parts = value.split('/');
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts.length === 2 && checkSubdomain(parts[0]) === undefined);
  return prefixOk && name.length <= 63 && QUALIFIED_NAME_PART.test(name) ? undefined : QUALIFIED_NAME_RULE;
};

/** A label value: empty, or at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric. */
export const checkLabelValue: RuleCheck = (value) =>
  typeof value !== 'string' ? 'must be a string' : value.length <= 63 && (value === '' || QUALIFIED_NAME_PART.test(value))
    ? undefined
    : 'must be a Kubernetes label value: empty, or at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';

// A lone surrogate has no UTF-8 form: written to a file, it would become U+FFFD, another value.
const LONE_SURROGATE = /\p{Cs}/u;

/** Text written into a manifest as it is, such as an annotation's value or a template: a string of valid Unicode. */
export const checkText: RuleCheck = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  return LONE_SURROGATE.test(value) ? 'must be valid Unicode text: it holds a lone surrogate (half of a UTF-16 pair), which no file can hold' : undefined;
};

/**
 * A character a line must not hold to read as written: a control character, a format character (bidi
 * overrides and isolates, zero widths, a BOM), a lone surrogate, a line or paragraph separator.
 */
const NOT_ONE_VISIBLE_LINE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** What a hint or a description must be, after its own subject: one line that reads as written in the docs and at a terminal. */
export const ONE_LINE_RULE = 'one line of visible text, without control characters, line separators, bidi overrides or zero-width characters';

/** Text shown as written on one line, in the docs and at a terminal (a path's description, an external value's hint). */
export const checkOneLine: RuleCheck = (value) => (typeof value === 'string' && !NOT_ONE_VISIBLE_LINE.test(value) ? undefined : `must be ${ONE_LINE_RULE}`);

/** The most bytes all annotations of one object may hold, keys and values together (apimachinery's TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** UTF-8 bytes of `text`, as Go's len() counts them. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The rule a whole set of annotations breaks: over 256 KiB of keys and values together. */
export function annotationsSizeRule(annotations: Readonly<Record<string, unknown>>): string | undefined {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) bytes += utf8Length(key) + (typeof value === 'string' ? utf8Length(value) : 0);
  return bytes > ANNOTATIONS_MAX_BYTES
    ? `must hold at most ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB) of keys and values together, as Kubernetes limits them; these hold ${bytes}`
    : undefined;
}

/** Each problem of an object's labels or annotations: its keys, its values, the annotations' total size. */
export function metadataProblems(kind: 'labels' | 'annotations', record: Readonly<Record<string, unknown>>): { field: string; value: unknown; rule: string }[] {
  const problems: { field: string; value: unknown; rule: string }[] = [];
  for (const [key, value] of Object.entries(record)) {
    const keyRule = checkQualifiedName(key);
    if (keyRule !== undefined) problems.push({ field: `${kind} key`, value: key, rule: keyRule });
    const valueRule = kind === 'labels' ? checkLabelValue(value) : checkText(value);
    if (valueRule !== undefined) problems.push({ field: `${kind}.${key}`, value, rule: valueRule });
  }
  if (kind === 'annotations') {
    const sizeRule = annotationsSizeRule(record);
    if (sizeRule !== undefined) {
      const count = Object.keys(record).length;
      problems.push({ field: 'annotations', value: `${count} annotation${count === 1 ? '' : 's'}`, rule: sizeRule });
    }
  }
  return problems;
}

/**
 * The keys a Secret of a built-in type must hold, as the API server's validation requires them (for
 * `kubernetes.io/basic-auth` one of the two). A type not listed requires no key.
 */
export const TYPED_SECRET_KEYS: Readonly<Record<string, { readonly all?: readonly string[]; readonly oneOf?: readonly string[] }>> = {
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
  'kubernetes.io/dockerconfigjson': { all: ['.dockerconfigjson'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/basic-auth': { oneOf: ['username', 'password'] },
  'kubernetes.io/ssh-auth': { all: ['ssh-privatekey'] },
};

/** The annotation a Secret of type `kubernetes.io/service-account-token` must carry: the API server refuses one without. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** What a Secret of `type` with the annotations `annotations` lacks, as a rule; undefined when it has what its type requires. */
export function typedSecretAnnotationRule(type: string, annotations: Readonly<Record<string, unknown>>): string | undefined {
  if (type !== 'kubernetes.io/service-account-token') return undefined;
  const name = Object.prototype.hasOwnProperty.call(annotations, SERVICE_ACCOUNT_NAME_ANNOTATION) ? annotations[SERVICE_ACCOUNT_NAME_ANNOTATION] : undefined;
  return typeof name === 'string' && name !== ''
    ? undefined
    : `needs the annotation "${SERVICE_ACCOUNT_NAME_ANNOTATION}", which Kubernetes requires of a Secret of this type (the token controller then writes its token): set it in annotations, or use another type`;
}

/** What a Secret of `type` with the keys `keys` lacks, as a rule; undefined when it has what its type requires. */
export function typedSecretRule(type: string, keys: readonly string[]): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(TYPED_SECRET_KEYS, type)) return undefined;
  const { all = [], oneOf } = TYPED_SECRET_KEYS[type];
  const missing = all.filter((key) => !keys.includes(key));
  const has = keys.length === 0 ? 'none' : keys.map((key) => `"${showText(key)}"`).join(', ');
  if (missing.length > 0) {
    return `needs the key${missing.length === 1 ? '' : 's'} ${missing.map((k) => `"${k}"`).join(' and ')}, which Kubernetes requires of a Secret of this type (the Secret gets ${has}): provide ${missing.length === 1 ? 'it' : 'them'}, with renames or a template`;
  }
  if (oneOf !== undefined && !oneOf.some((key) => keys.includes(key))) {
    return `needs the key ${oneOf.map((k) => `"${k}"`).join(' or ')}, which Kubernetes requires of a Secret of this type (the Secret gets ${has}): provide one, with renames or a template`;
  }
  return undefined;
}

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
 * The characters of a path segment and of the mount: letters, digits, ".", "_", "-" and "@". Vault's
 * API, ESO's requests, the generated policies (where "*" and "+" are globs), Terraform's JSON (where
 * "${" and "%{" are templates), a URL (where " ", "%", "?" and "#" mean something else) and a shell
 * all take these as they are.
 */
export const PATH_SEGMENT_CHARACTERS = /^[A-Za-z0-9._@-]+$/;
/** The mount's characters: lowercase, as the policies are named after it and Vault lowercases policy names. */
export const MOUNT_PATTERN = /^[a-z0-9_][a-z0-9._-]*$/;
export const PATH_CHARACTERS_RULE = 'path segments use only letters, digits, ".", "_", "-" and "@", which Vault, ESO, the policies, Terraform and a shell all take as they are';

/** The characters of `text` outside `allowed` (one character at a time), each once, for a message. */
function charactersOutside(text: string, allowed: RegExp): string {
  const found = [...new Set([...text].filter((ch) => ch !== '/' && !allowed.test(ch)))];
  return found.map((ch) => showValue(ch)).join(', ');
}

/**
 * One segment respelled with the safe characters: accents dropped (é → e), every run of other
 * characters made one "-", no "-" at either end; empty when nothing usable is left.
 */
function respelledSegment(segment: string): string {
  return segment.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9._@-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The KV v2 mount: one bare path segment of lowercase letters, digits, ".", "_" and "-". Not `data`
 * or one of Vault's own top-level paths, and no glob (the operator policy grants `<mount>/data/*`: a
 * glob in the mount would widen it).
 */
export const checkMount: RuleCheck = (value) => {
  if (typeof value !== 'string' || value === '') return 'must be the name of the KV v2 mount, such as "secrets"';
  if (value.includes('/')) return 'must be a bare mount name without "/" (ESO adds "data/" itself)';
  if (value === 'data') return 'must not be "data", the segment KV v2 inserts itself';
  if (RESERVED_MOUNTS.includes(value)) return `is reserved by Vault (${RESERVED_MOUNTS.join(', ')})`;
  if (/[*+]/.test(value)) return 'must not contain the glob characters "*" or "+", which would widen the generated policies';
  const text = checkPolicyText(value);
  if (text !== undefined) return text;
  if (MOUNT_PATTERN.test(value)) return undefined;
  const suggested = respelledSegment(value).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
  const write = suggested !== '' && MOUNT_PATTERN.test(suggested) && !RESERVED_MOUNTS.includes(suggested) && suggested !== 'data' ? `: write ${showValue(suggested)}` : '';
  return `must be lowercase letters, digits, ".", "_" and "-", starting with a letter, digit or "_" (the policies are named after the mount, and Vault lowercases policy names)${write}`;
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
 * mount in front, no KV v2 API segment, each segment respelled with the safe characters. Used to say
 * how to fix a path, never to fix it silently.
 */
export function suggestedPath(path: string, mount: string): string {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  if (mount && segments[0] === mount) segments.shift();
  const kept = segments.filter((s) => !KV2_API_SEGMENTS.includes(s)).map(respelledSegment);
  return kept.some((s) => s === '' || s === '.' || s === '..' || KV2_API_SEGMENTS.includes(s)) ? '' : kept.join('/');
}

/** Rules a path inside the mount breaks, each with its fix; empty when it is fine. Shared with the CLI and the policies. */
export function pathRules(path: unknown, mount: string): string[] {
  if (typeof path !== 'string') return ['must be a string: a path inside the mount, such as "apps/db"'];
  if (path === '') return ['must not be empty: name a path inside the mount, such as "apps/db"'];
  const rules: string[] = [];
  // Suggest a spelling only when it would itself be a valid path, and never for a glob: what a glob
  // meant is several paths, not one.
  const suggested = /[*+]/.test(path) ? '' : suggestedPath(path, mount);
  const usable = suggested !== '' && suggested !== path && pathRules(suggested, mount).length === 0;
  const write = usable ? `, write ${showValue(suggested)}` : '';
  const mountText = typeof mount === 'string' && mount !== '' ? ` "${showText(mount)}"` : '';
  if (path.startsWith('/') || path.endsWith('/')) {
    rules.push(`must not start or end with "/": paths are relative to the mount${mountText}${write}`);
  }
  if (path.includes('//')) rules.push(`must not contain "//": separate segments with one "/"${write}`);
  const segments = path.split('/');
  if (segments.some((s) => s === '.' || s === '..')) rules.push(`must not contain a "." or ".." segment: Vault does not resolve them${write}`);
  const apiSegment = segments.find((s) => KV2_API_SEGMENTS.includes(s));
  if (apiSegment) {
    rules.push(`must not contain a "${apiSegment}" segment: ESO and the policies add "data/" and "metadata/" themselves${write}`);
  }
  if (mount && segments[0] === mount) {
    rules.push(`must not start with the mount${mountText.replace(/"$/, '/"')}: paths are relative to the mount${write}`);
  }
  if (WHITESPACE_OR_CONTROL.test(path) || /[\p{Cf}\p{Zl}\p{Zp}]/u.test(path)) rules.push(`must not contain whitespace, control or invisible characters: use "-" or "_" instead${write}`);
  if (/[*+]/.test(path)) rules.push('must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own');
  if (POLICY_SYNTAX.test(path)) rules.push(`${POLICY_SYNTAX_RULE}: rename the path without them${write}`);
  // Each character once, in the first rule that explains it.
  const explained = POLICY_SYNTAX.test(path) ? /[\s*+"\\{}\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\$\{|%\{/gu : /[\s*+\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
  const others = charactersOutside(path.replace(explained, ''), /^[A-Za-z0-9._@-]$/);
  if (others !== '') rules.push(`must not contain ${others}: ${PATH_CHARACTERS_RULE}${write}`);
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
