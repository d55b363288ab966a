import {
  KV2_API_SEGMENTS,
  LABEL_RULE,
  RESERVED_MOUNTS,
  SECRET_KEY,
  SUBDOMAIN_RULE,
  checkLabel,
  checkSubdomain,
  isGoDuration,
  isZeroDuration,
  showValue,
} from './rules';
import type { SecretCatalog } from './secret-catalog';
import { CREATION_POLICIES, DELETION_POLICIES, type SyncTarget } from './sync-target';
import { valueOriginProblems } from './value-origins';
import type { VaultPath } from './vault-path';

/** One broken rule: which row, which field, what was received, and the rule. */
export interface CatalogIssue {
  /** `apps/db → db-credentials in apps`, a path, `mount`, `store`, `vault role`, `settings.kms`, or a construct path. */
  readonly row: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** `row: field <value> rule`, one line. */
  readonly message: string;
}

/** Thrown when the catalog or its settings break rules; lists all of them. */
export class CatalogValidationError extends Error {
  constructor(public readonly issues: readonly CatalogIssue[]) {
    super(formatIssues(issues));
    this.name = 'CatalogValidationError';
  }
}

/** The issues as people read them: a count, then one per line. */
export function formatIssues(issues: readonly CatalogIssue[]): string {
  const count = `${issues.length} error${issues.length === 1 ? '' : 's'} in the secret catalog and its settings`;
  return [`${count}:`, ...issues.map((issue) => `  - ${issue.message}`)].join('\n');
}

const KEY_RULE = `must match ${SECRET_KEY.source}`;

/** One issue as people read it: `row: field <value> rule`. */
export function catalogIssue(row: string, field: string, value: unknown, rule: string): CatalogIssue {
  const head = field === '' ? `${row}:` : `${row}: ${field} ${showValue(value)}`;
  return { row, field, value, rule, message: `${head} ${rule}` };
}

class IssueList {
  public readonly issues: CatalogIssue[] = [];
  public add(row: string, field: string, value: unknown, rule: string): void {
    this.issues.push(catalogIssue(row, field, value, rule));
  }
}

/** Checks every rule of the catalog; see docs "Common mistakes" for the reasons behind them. */
export function validateCatalog(catalog: SecretCatalog): CatalogIssue[] {
  const list = new IssueList();
  for (const { row, field, value, rule } of catalog.inputProblems) list.add(row, field, value, rule);
  checkMount(list, catalog.mount);
  checkAccess(list, catalog);
  checkPaths(list, catalog);
  checkTargets(list, catalog);
  return list.issues;
}

function isSubdomain(value: unknown): boolean {
  return checkSubdomain(value) === undefined;
}

function isLabel(value: unknown): boolean {
  return checkLabel(value) === undefined;
}

function checkMount(list: IssueList, mount: string): void {
  const row = 'mount';
  if (typeof mount !== 'string' || mount === '') {
    list.add(row, 'mount', mount, 'must be the name of the KV v2 mount, such as "secrets"');
  } else if (mount.includes('/')) {
    list.add(row, 'mount', mount, 'must be a bare mount name without "/" (ESO adds "data/" itself)');
  } else if (mount === 'data') {
    list.add(row, 'mount', mount, 'must not be "data", the segment KV v2 inserts itself');
  } else if (RESERVED_MOUNTS.includes(mount)) {
    list.add(row, 'mount', mount, `is reserved by Vault (${RESERVED_MOUNTS.join(', ')})`);
  } else if (POLICY_SYNTAX.test(mount) || /\s/.test(mount)) {
    list.add(row, 'mount', mount, POLICY_SYNTAX_RULE.replace('must not contain', 'must not contain whitespace,'));
  }
}

function checkAccess(list: IssueList, catalog: SecretCatalog): void {
  const { eso, vaultRole } = catalog;
  if (catalog.isolation !== 'cluster' && catalog.isolation !== 'namespace') {
    list.add('catalog', 'isolation', catalog.isolation, 'must be "cluster" (one ClusterSecretStore) or "namespace" (a SecretStore, ServiceAccount, Vault role and policy per namespace)');
  } else if (catalog.isolation === 'namespace' && checkLabel(`${eso.role}-x`) !== undefined) {
    list.add('store', 'role', eso.role, 'must be a DNS-1123 label in namespace isolation, where each namespace gets the role "<role>-<namespace>"');
  }
  if (!isSubdomain(eso.storeName)) list.add('store', 'storeName', eso.storeName, SUBDOMAIN_RULE);
  if (typeof eso.authMountPath !== 'string' || !eso.authMountPath || /^\/|\/$|\/\//.test(eso.authMountPath)) {
    list.add('store', 'authMountPath', eso.authMountPath, 'must be a non-empty auth path without leading, trailing or double "/"');
  }
  if (typeof eso.role !== 'string' || !eso.role) list.add('store', 'role', eso.role, 'must not be empty');
  if (typeof eso.audience !== 'string' || !eso.audience) list.add('store', 'audience', eso.audience, 'must not be empty');
  if (!isSubdomain(eso.serviceAccountName)) {
    list.add('store', 'serviceAccountName', eso.serviceAccountName, SUBDOMAIN_RULE);
  }
  if (!isLabel(eso.serviceAccountNamespace)) {
    list.add('store', 'serviceAccountNamespace', eso.serviceAccountNamespace, LABEL_RULE);
  }
  if (vaultRole.audience !== eso.audience) {
    list.add('vault role', 'audience', vaultRole.audience,
      `must equal the store's audience ${JSON.stringify(eso.audience)}: Vault refuses tokens minted for another audience`);
  }
  if (!Number.isInteger(vaultRole.tokenTtlSeconds) || vaultRole.tokenTtlSeconds <= 0) {
    list.add('vault role', 'tokenTtlSeconds', vaultRole.tokenTtlSeconds, 'must be a positive whole number of seconds');
  }
}

function pathRow(path: VaultPath, index: number): string {
  return typeof path.path === 'string' && path.path !== '' ? path.path : `(path #${index + 1})`;
}

function checkPaths(list: IssueList, catalog: SecretCatalog): void {
  const firstIndex = new Map<string, number>();
  // One pass over the targets instead of targetsOf() per path, which is quadratic in catalog size.
  const fed = new Set(catalog.targets.flatMap((t) => t.sources.map((s) => s.path?.path)));
  catalog.paths.forEach((path, index) => {
    const row = pathRow(path, index);
    const seen = firstIndex.get(path.path);
    if (seen !== undefined) {
      list.add(row, 'path', path.path, `is declared twice (first as path #${seen + 1}); declare it once and add every target to it`);
      return;
    }
    firstIndex.set(path.path, index);
    for (const rule of pathRules(path.path, catalog.mount)) list.add(row, 'path', path.path, rule);
    checkKeys(list, row, path.keys);
    for (const { field, value, rule } of valueOriginProblems(path.origins, Array.isArray(path.keys) ? path.keys : [])) list.add(row, field, value, rule);
    if (path.readBy !== 'eso' && path.readBy !== 'operators') {
      list.add(row, 'readBy', path.readBy, 'must be "eso" (the path feeds Secrets) or "operators" (people and other tools only)');
    } else if (path.readBy === 'operators' && fed.has(path.path)) {
      const feeds = catalog.targets.filter((t) => t.sources.some((src) => src.path === path)).map((t) => t.row);
      list.add(row, 'readBy', path.readBy, `says only operators read the path, but it feeds ${feeds.join(', ')}: remove readBy, or the targets`);
    } else if (path.readBy === 'eso' && !fed.has(path.path)) {
      list.add(row, 'targets', [],
        'must name at least one sync target: add one with syncTo(); or, if only operators and other tools read the path, declare it with { readBy: "operators" }; or remove the path');
    }
  });
}

/** Characters the generated Vault policy (HCL) and Terraform would read as syntax, not as a name. */
const POLICY_SYNTAX = /["\\]|\$\{|%\{/;
const POLICY_SYNTAX_RULE = 'must not contain a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax';

/**
 * The path a user most likely meant: no leading or trailing "/", no empty, "." or ".." segments, no
 * mount in front, no KV v2 API segment. Used to say how to fix a path, never to fix it silently.
 */
export function suggestedPath(path: string, mount: string): string {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  if (mount && segments[0] === mount) segments.shift();
  return segments.filter((s) => !KV2_API_SEGMENTS.includes(s)).join('/');
}

/** Rules a path inside the mount breaks, each with its fix; empty when it is fine. Shared with the CLI. */
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
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(path)) rules.push('must not contain whitespace or control characters: use "-" or "_" instead');
  if (/[*+]/.test(path)) rules.push('must not contain the glob characters "*" or "+", which would widen the generated policy: declare each path on its own');
  if (POLICY_SYNTAX.test(path)) rules.push(`${POLICY_SYNTAX_RULE}: rename the path without them`);
  return rules;
}

function checkKeys(list: IssueList, row: string, keys: readonly string[]): void {
  if (!Array.isArray(keys)) {
    list.add(row, 'keys', keys, 'must be an array of key names, such as ["user", "password"]');
    return;
  }
  if (keys.length === 0) {
    list.add(row, 'keys', keys, 'must declare at least one key');
    return;
  }
  const seen = new Set<string>();
  for (const key of keys) {
    if (typeof key !== 'string' || !SECRET_KEY.test(key)) list.add(row, 'key', key, KEY_RULE);
    else if (seen.has(key)) list.add(row, 'key', key, 'is declared twice in this path');
    seen.add(key);
  }
}

function checkTargets(list: IssueList, catalog: SecretCatalog): void {
  const writers = new Map<string, SyncTarget>();
  const externalSecrets = new Map<string, SyncTarget>();
  const declared = new Set(catalog.paths);
  for (const target of catalog.targets) {
    const row = target.row;
    if (!isSubdomain(target.name)) list.add(row, 'name', target.name, SUBDOMAIN_RULE);
    if (!isLabel(target.namespace)) list.add(row, 'namespace', target.namespace, LABEL_RULE);
    if (target.renamesExternalSecret && !isSubdomain(target.externalSecretName)) list.add(row, 'externalSecretName', target.externalSecretName, SUBDOMAIN_RULE);
    checkPolicies(list, row, target);
    checkRefreshInterval(list, row, target);
    checkMetadata(list, row, 'labels', target.labels, true);
    checkMetadata(list, row, 'annotations', target.annotations, false);
    if (target.type !== undefined && (typeof target.type !== 'string' || target.type.trim() === '')) {
      list.add(row, 'type', target.type, 'must be a non-empty Secret type such as "kubernetes.io/dockerconfigjson"');
    }
    if (target.templateMergePolicy !== 'Replace' && target.templateMergePolicy !== 'Merge') {
      list.add(row, 'templateMergePolicy', target.templateMergePolicy, 'must be "Replace" or "Merge"');
    }
    checkSources(list, row, target, declared);
    checkTemplate(list, row, target);

    const id = `${target.namespace}/${target.name}`;
    const writer = writers.get(id);
    if (writer) {
      list.add(row, 'name', target.name,
        `is already written in namespace "${target.namespace}" by ${writer.row} (${writer.creationPolicy}): ` +
        'a Secret has exactly one ExternalSecret, so give this one several sources instead');
    } else {
      writers.set(id, target);
    }
    const esId = `${target.namespace}/${target.externalSecretName}`;
    const named = externalSecrets.get(esId);
    if (named && named !== writer) {
      list.add(row, 'externalSecretName', target.externalSecretName,
        `is already the name of the ExternalSecret of ${named.row}: ExternalSecret names are unique per namespace, so set another externalSecretName`);
    } else if (!named) {
      externalSecrets.set(esId, target);
    }
  }
}

/**
 * The creation and deletion policies, and the combinations ESO v2.9's admission webhook refuses, with
 * its reasons (apis/externalsecrets/v1/externalsecret_validator.go, validatePolicies). With creation
 * policy None ESO writes no Secret, so a template, a type, labels, annotations or Reloader's match
 * annotation would never reach one: they are refused too.
 */
function checkPolicies(list: IssueList, row: string, target: SyncTarget): void {
  const { creationPolicy: creation, deletionPolicy: deletion } = target;
  const creationKnown = CREATION_POLICIES.includes(creation);
  const deletionKnown = DELETION_POLICIES.includes(deletion);
  if (!creationKnown) list.add(row, 'creationPolicy', creation, `must be one of ${CREATION_POLICIES.map((p) => `"${p}"`).join(', ')}`);
  if (!deletionKnown) list.add(row, 'deletionPolicy', deletion, `must be one of ${DELETION_POLICIES.map((p) => `"${p}"`).join(', ')}`);
  if (!creationKnown || !deletionKnown) return;
  if (deletion === 'Delete' && (creation === 'Merge' || creation === 'None')) {
    list.add(row, 'deletionPolicy', deletion,
      `is refused by ESO with creationPolicy "${creation}": "deletionPolicy=Delete must not be used when the controller doesn't own the secret. Please set creationPolicy=Owner"`);
  }
  if (deletion === 'Merge' && creation === 'None') {
    list.add(row, 'deletionPolicy', deletion,
      'is refused by ESO with creationPolicy "None": "deletionPolicy=Merge must not be used with creationPolicy=None. There is no Secret to merge with"');
  }
  if (creation === 'None') {
    const pointless: [string, boolean][] = [
      ['template', target.templateData !== undefined],
      ['templateMergePolicy', target.templateMergePolicy !== 'Replace'],
      ['type', target.type !== undefined],
      ['labels', Object.keys(target.labels).length > 0],
      ['annotations', Object.keys(target.annotations).length > 0],
      ['reloaderMatch', target.reloaderMatch],
    ];
    for (const [field] of pointless.filter(([, set]) => set)) {
      list.add(row, field, (target as unknown as Record<string, unknown>)[field === 'template' ? 'templateData' : field],
        'has no effect with creationPolicy "None": ESO writes no Secret to put it on; remove it, or use another creationPolicy');
    }
  }
}

/** A label or annotation key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME_RULE = 'must be a Kubernetes qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and "/", then a name of at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';

/** The Kubernetes rules for label and annotation keys, and for label values (apimachinery's validation). */
function checkMetadata(list: IssueList, row: string, field: 'labels' | 'annotations', record: Readonly<Record<string, string>>, labelValues: boolean): void {
  for (const [key, value] of Object.entries(record)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && !isSubdomain(prefix)) || name.length > 63 || !QUALIFIED_NAME.test(name)) {
      list.add(row, `${field} key`, key, NAME_RULE);
    }
    if (typeof value !== 'string') {
      list.add(row, `${field}.${key}`, value, 'must be a string');
    } else if (labelValues && (value.length > 63 || !LABEL_VALUE.test(value))) {
      list.add(row, `${field}.${key}`, value,
        'must be a Kubernetes label value: empty, or at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric');
    }
  }
}

function checkRefreshInterval(list: IssueList, row: string, target: SyncTarget): void {
  const value = target.refreshInterval;
  if (typeof value !== 'string' || !isGoDuration(value)) {
    list.add(row, 'refreshInterval', value, 'must be a Go duration such as "1h", "30m" or "1h0m0s"');
  } else if (isZeroDuration(value) && !target.allowZeroRefreshInterval) {
    list.add(row, 'refreshInterval', value,
      'means "sync once" and makes ESO ignore forced syncs; set allowZeroRefreshInterval: true if that is intended');
  }
}

function checkSources(list: IssueList, row: string, target: SyncTarget, declared: Set<VaultPath>): void {
  if (target.sources.length === 0) {
    list.add(row, 'sources', [], 'must name at least one Vault path');
    return;
  }
  const providers = new Map<string, string>();
  for (const source of target.sources) {
    const path = source.path;
    if (!declared.has(path)) {
      list.add(row, 'sources', path?.path, 'is not a path declared in this catalog');
      continue;
    }
    if (!Array.isArray(path.keys)) continue; // reported on the path itself
    const declaredKeys = new Set<string>(path.keys);
    const described = `(declared: ${path.keys.join(', ')})`;
    const provide = (secretKey: string, origin: string): void => {
      const earlier = providers.get(secretKey);
      if (earlier !== undefined) {
        list.add(row, 'secretKey', secretKey,
          `is provided by both ${earlier} and ${origin}: a Secret key must come from exactly one Vault key`);
      } else {
        providers.set(secretKey, origin);
      }
    };
    if (source.kind === 'extract') {
      for (const key of path.keys) provide(key, `${path.path}#${key} (all keys)`);
      continue;
    }
    // A path without keys is reported on the path itself.
    if (source.keys.length === 0 && path.keys.length > 0) list.add(row, 'keys', [], `must select at least one key of "${path.path}"`);
    const selected = new Set(source.keys);
    for (const key of source.keys) {
      if (!declaredKeys.has(key)) {
        list.add(row, 'keys', key, `is not declared by path "${path.path}" ${described}`);
        continue;
      }
      const secretKey = source.renames[key] ?? key;
      if (!SECRET_KEY.test(secretKey)) list.add(row, `renames.${key}`, secretKey, KEY_RULE);
      provide(secretKey, `${path.path}#${key}`);
    }
    for (const key of Object.keys(source.renames)) {
      if (!selected.has(key)) {
        list.add(row, 'renames', key, `names a key not selected from path "${path.path}" (selected: ${source.keys.join(', ')})`);
      }
    }
  }
}

function checkTemplate(list: IssueList, row: string, target: SyncTarget): void {
  const provided = [...new Set(target.secretKeys)];
  for (const ref of [...new Set(target.unknownTemplateRefs)]) {
    list.add(row, 'template', ref, `refers to a key no source provides (provided: ${provided.join(', ')})`);
  }
  for (const key of Object.keys(target.templateData ?? {})) {
    if (!SECRET_KEY.test(key)) list.add(row, 'template key', key, KEY_RULE);
  }
}
