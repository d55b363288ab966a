import type { Isolation, ResolvedEsoAccess, ResolvedVaultRole } from './eso-access';
import type { CaReference, EsoIdentity, StoreTrust } from './identity';
import {
  DURATION_RULE,
  LABEL_RULE,
  RuleCheck,
  SUBDOMAIN_RULE,
  checkAudience,
  checkAuthMountPath,
  checkLabel,
  checkMount as checkMountRule,
  checkOneLine,
  checkTtlSeconds,
  checkSecretKey,
  checkSubdomain,
  checkText,
  checkVaultRoleName,
  isGoDuration,
  isZeroDuration,
  metadataProblems,
  pathRules,
  typedSecretAnnotationRule,
  typedSecretRule,
} from './rules';
import { CatalogIssue, UnreadValue, catalogIssue, keyText, showText, showValue } from './errors';
import { InputProblem, isOptionsObject, optionNames, optionProblems } from './options';
import { CREATION_POLICIES, DELETION_POLICIES, type SyncTarget } from './sync-target';
import { type SourcePath, renamedKey } from './sources';
import { valueOriginProblems } from './value-origins';
import type { VaultPath } from './vault-path';

class IssueList {
  public readonly issues: CatalogIssue[] = [];
  /** A rule broken; not for a value readPlain could not read, which is reported already. */
  public add(row: string, field: string, value: unknown, rule: string): void {
    if (value instanceof UnreadValue) return;
    this.issues.push(catalogIssue(row, field, value, rule));
  }
  /** A problem found while the input was read. */
  public input(row: string, field: string, value: unknown, rule: string): void {
    this.issues.push(catalogIssue(row, field, value, rule));
  }
}

/** An input problem tied to its row, recorded while the catalog was declared. */
export interface RowProblem extends InputProblem {
  readonly row: string;
}

/** What the validator reads of a catalog (`SecretCatalog` is one). */
export interface CatalogContents {
  readonly mount: string;
  readonly isolation: Isolation;
  readonly eso: ResolvedEsoAccess;
  readonly vaultRole: ResolvedVaultRole;
  readonly paths: readonly VaultPath[];
  readonly targets: readonly SyncTarget[];
  /** Every identity in use: the isolation shorthand's and the declared ones. */
  readonly identities: readonly EsoIdentity[];
  identityOf(target: SyncTarget): EsoIdentity;
  targetsOfIdentity(identity: EsoIdentity): readonly SyncTarget[];
}

/**
 * Checks every rule of the catalog, after the problems recorded while it was declared; see docs
 * "Common mistakes" for the reasons behind them.
 */
export function validateCatalog(catalog: CatalogContents, inputProblems: readonly RowProblem[] = []): CatalogIssue[] {
  const list = new IssueList();
  for (const { row, field, value, rule } of inputProblems) list.input(row, field, value, rule);
  checkMount(list, catalog.mount);
  checkAccess(list, catalog);
  checkPaths(list, catalog);
  checkTargets(list, catalog);
  checkIdentities(list, catalog);
  checkKeySplit(list, catalog);
  return list.issues;
}

function isSubdomain(value: unknown): boolean {
  return checkSubdomain(value) === undefined;
}

function isLabel(value: unknown): boolean {
  return checkLabel(value) === undefined;
}

function checkMount(list: IssueList, mount: string): void {
  const rule = checkMountRule(mount);
  if (rule !== undefined) list.add('mount', 'mount', mount, rule);
}

function checkAccess(list: IssueList, catalog: CatalogContents): void {
  const { eso, vaultRole } = catalog;
  if (catalog.isolation !== 'cluster' && catalog.isolation !== 'namespace') {
    list.add('catalog', 'isolation', catalog.isolation, 'must be "cluster" (one ClusterSecretStore) or "namespace" (a SecretStore, ServiceAccount, Vault role and policy per namespace)');
  }
  if (!isSubdomain(eso.storeName)) list.add('store', 'storeName', eso.storeName, SUBDOMAIN_RULE);
  const rule = (field: string, value: unknown, check: RuleCheck): void => {
    const broken = check(value);
    if (broken !== undefined) list.add('store', field, value, broken);
  };
  rule('authMountPath', eso.authMountPath, checkAuthMountPath);
  rule('role', eso.role, checkVaultRoleName);
  rule('audience', eso.audience, checkAudience);
  if (!isSubdomain(eso.serviceAccountName)) {
    list.add('store', 'serviceAccountName', eso.serviceAccountName, SUBDOMAIN_RULE);
  }
  if (!isLabel(eso.serviceAccountNamespace)) {
    list.add('store', 'serviceAccountNamespace', eso.serviceAccountNamespace, LABEL_RULE);
  }
  if (vaultRole.audience !== eso.audience) {
    list.add('vault role', 'audience', vaultRole.audience,
      `must equal the store's audience ${showValue(eso.audience)}: Vault refuses tokens minted for another audience`);
  }
  const ttl = checkTtlSeconds(vaultRole.tokenTtlSeconds);
  if (ttl !== undefined) list.add('vault role', 'tokenTtlSeconds', vaultRole.tokenTtlSeconds, ttl);
}

function checkPaths(list: IssueList, catalog: CatalogContents): void {
  const firstIndex = new Map<string, number>();
  // One pass over the targets instead of targetsOf() per path, which is quadratic in catalog size.
  const fed = new Set(catalog.targets.flatMap((t) => t.sources.map((s) => s.path?.path)));
  catalog.paths.forEach((path, index) => {
    const row = path.row;
    const seen = firstIndex.get(path.path);
    if (seen !== undefined) {
      list.add(row, 'path', path.path, `is declared twice (first as path #${seen + 1}); declare it once and add every target to it`);
      return;
    }
    firstIndex.set(path.path, index);
    for (const rule of pathRules(path.path, typeof catalog.mount === 'string' ? catalog.mount : '')) list.add(row, 'path', path.path, rule);
    checkKeys(list, row, path.keys);
    const description = path.description === undefined ? undefined : checkOneLine(path.description);
    if (description !== undefined) list.add(row, 'description', path.description, description);
    for (const { field, value, rule, read } of valueOriginProblems(path.origins, Array.isArray(path.keys) ? path.keys : [])) (read ? list.input : list.add).call(list, row, field, value, rule);
    if (path.identitiesRead !== 'same-keys' && path.identitiesRead !== 'whole-path') {
      list.add(row, 'identitiesRead', path.identitiesRead, 'must be "same-keys" (every identity reads the same keys of the path) or "whole-path" (identities read different keys, and each is granted all of them)');
    }
    if (path.readBy !== 'eso' && path.readBy !== 'operators') {
      list.add(row, 'readBy', path.readBy, 'must be "eso" (the path feeds Secrets) or "operators" (people and other tools only)');
    } else if (path.readBy === 'operators' && fed.has(path.path)) {
      const feeds = catalog.targets.filter((t) => t.sources.some((src) => src.path === path)).map((t) => t.row);
      // (rows are text already)
      list.add(row, 'readBy', path.readBy, `says only operators read the path, but it feeds ${feeds.join(', ')}: remove readBy, or the targets`);
    } else if (path.readBy === 'eso' && !fed.has(path.path)) {
      list.add(row, 'targets', [],
        'must name at least one sync target: add one with syncTo(); or, if only operators and other tools read the path, declare it with { readBy: "operators" }; or remove the path');
    }
  });
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
    const rule = checkSecretKey(key);
    if (rule !== undefined) list.add(row, 'key', key, rule);
    else if (seen.has(key)) list.add(row, 'key', key, 'is declared twice in this path');
    seen.add(key);
  }
}

function checkTargets(list: IssueList, catalog: CatalogContents): void {
  const writers = new Map<string, SyncTarget>();
  const externalSecrets = new Map<string, SyncTarget>();
  const declared: ReadonlySet<SourcePath> = new Set(catalog.paths);
  const ownIdentities = new Set(catalog.identities);
  for (const target of catalog.targets) {
    const row = target.row;
    if (!isSubdomain(target.name)) list.add(row, 'name', target.name, SUBDOMAIN_RULE);
    if (!isLabel(target.namespace)) list.add(row, 'namespace', target.namespace, LABEL_RULE);
    if (target.renamesExternalSecret && !isSubdomain(target.externalSecretName)) list.add(row, 'externalSecretName', target.externalSecretName, SUBDOMAIN_RULE);
    checkPolicies(list, row, target);
    checkRefreshInterval(list, row, target);
    for (const { field, value, rule } of [...metadataProblems('labels', target.labels), ...metadataProblems('annotations', target.annotations)]) list.add(row, field, value, rule);
    if (target.reloaderMatch === true && Object.prototype.hasOwnProperty.call(target.annotations, RELOADER_MATCH)) {
      list.add(row, `annotations.${RELOADER_MATCH}`, target.annotations[RELOADER_MATCH], 'is written by reloaderMatch: true; remove it from annotations');
    }
    if (target.reloaderMatch !== true && target.reloaderMatch !== false) list.add(row, 'reloaderMatch', target.reloaderMatch, 'must be true or false');
    if (target.allowZeroRefreshInterval !== true && target.allowZeroRefreshInterval !== false) {
      list.add(row, 'allowZeroRefreshInterval', target.allowZeroRefreshInterval, 'must be true or false');
    }
    if (target.type !== undefined && (typeof target.type !== 'string' || !/^[\x21-\x7e]+$/.test(target.type) || target.type.length > 253)) {
      list.add(row, 'type', target.type, 'must be a Secret type such as "kubernetes.io/dockerconfigjson": at most 253 visible ASCII characters, no space');
    }
    if (target.templateMergePolicy !== 'Replace' && target.templateMergePolicy !== 'Merge') {
      list.add(row, 'templateMergePolicy', target.templateMergePolicy, 'must be "Replace" or "Merge"');
    }
    checkSources(list, row, target, declared);
    checkTemplate(list, row, target);
    checkTypedSecret(list, row, target);
    if (target.identity !== undefined) {
      const identity = target.identity;
      if (!ownIdentities.has(identity)) {
        list.add(row, 'identity', identity.name, 'is not an identity of this catalog: declare it with this catalog\'s identity()');
      } else if (!identity.serves(target.namespace)) {
        const namespaces = Array.isArray(identity.store.namespaces) ? identity.store.namespaces.map((n) => `"${showText(n)}"`).join(', ') : '';
        const serves = namespaces === '' ? 'its store serves no namespace'
          : identity.store.kind === 'ClusterSecretStore' ? `its ClusterSecretStore's conditions admit ${namespaces} only` : `its SecretStore is in ${namespaces} only`;
        list.add(row, 'identity', identity.name, `cannot serve namespace "${showText(target.namespace)}": ${serves}; add the namespace to its store, or name another identity`);
      }
    }

    const id = `${keyText(target.namespace)}/${keyText(target.name)}`;
    const writer = writers.get(id);
    if (writer) {
      list.add(row, 'name', target.name,
        `is already written in namespace "${showText(target.namespace)}" by ${writer.row} (${writer.creationPolicy}): ` +
        'a Secret has exactly one ExternalSecret, so give this one several sources instead');
    } else {
      writers.set(id, target);
    }
    const esId = `${keyText(target.namespace)}/${keyText(target.externalSecretName)}`;
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

/** Reloader's search mode: a Secret with this annotation restarts the workloads that opted in (reloaderMatch). */
const RELOADER_MATCH = 'reloader.stakater.com/match';

function checkRefreshInterval(list: IssueList, row: string, target: SyncTarget): void {
  const value = target.refreshInterval;
  if (typeof value !== 'string' || !isGoDuration(value)) {
    list.add(row, 'refreshInterval', value, DURATION_RULE);
  } else if (isZeroDuration(value) && !target.allowZeroRefreshInterval) {
    list.add(row, 'refreshInterval', value,
      'means "sync once" and makes ESO ignore forced syncs; set allowZeroRefreshInterval: true if that is intended');
  }
}

function checkSources(list: IssueList, row: string, target: SyncTarget, declared: ReadonlySet<SourcePath>): void {
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
    const described = `(declared: ${path.keys.map(showText).join(', ')})`;
    const provide = (secretKey: string, origin: string): void => {
      const earlier = providers.get(secretKey);
      if (earlier !== undefined) {
        list.add(row, 'secretKey', secretKey,
          `is provided by both ${earlier} and ${origin}: a Secret key must come from exactly one Vault key`);
      } else {
        providers.set(secretKey, origin);
      }
    };
    const pathText = showText(path.path);
    if (source.kind === 'extract') {
      for (const key of path.keys) if (typeof key === 'string') provide(key, `${pathText}#${showText(key)} (all keys)`);
      continue;
    }
    // A path without keys is reported on the path itself.
    if (source.keys.length === 0 && path.keys.length > 0) list.add(row, 'keys', [], `must select at least one key of "${pathText}"`);
    const selected = new Set(source.keys);
    for (const key of source.keys) {
      if (!declaredKeys.has(key)) {
        list.add(row, 'keys', key, `is not declared by path "${pathText}" ${described}`);
        continue;
      }
      const renamed: unknown = Object.prototype.hasOwnProperty.call(source.renames, key) ? source.renames[key] : undefined;
      if (renamed !== undefined) {
        const rule = checkSecretKey(renamed);
        if (rule !== undefined) {
          list.add(row, `renames.${showText(key)}`, renamed, rule);
          continue;
        }
      }
      provide(renamedKey(source, key), `${pathText}#${showText(key)}`);
    }
    for (const key of Object.keys(source.renames)) {
      if (!selected.has(key)) {
        list.add(row, 'renames', key, `names a key not selected from path "${pathText}" (selected: ${source.keys.map(showText).join(', ')})`);
      }
    }
  }
}

function checkTemplate(list: IssueList, row: string, target: SyncTarget): void {
  const provided = [...new Set(target.secretKeys)];
  for (const ref of [...new Set(target.unknownTemplateRefs)]) {
    list.add(row, 'template', ref, `refers to a key no source provides (provided: ${provided.map(showText).join(', ')})`);
  }
  for (const [key, value] of Object.entries(target.templateData ?? {})) {
    const keyRule = checkSecretKey(key);
    if (keyRule !== undefined) list.add(row, 'template key', key, keyRule);
    // ESO renders each value as a Go template: text, never null, a number or an object.
    const rule = typeof value === 'string' ? checkText(value) : 'must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")';
    if (rule !== undefined) list.add(row, `template.${key}`, value, rule);
  }
}

/**
 * The keys the Secret's type requires, where ESO creates the Secret (Owner, Orphan): the keys the
 * template writes, or without template data the keys the sources provide, and with Merge both. Where a
 * whole-path extract puts its keys into the Secret, they are whatever Vault holds at sync time: no
 * catalog can know them (import declares a placeholder), so nothing is refused; a missing key is ESO's
 * SecretSyncedError then, and `check` compares Vault with the declared keys.
 */
function checkTypedSecret(list: IssueList, row: string, target: SyncTarget): void {
  if (typeof target.type !== 'string' || (target.creationPolicy !== 'Owner' && target.creationPolicy !== 'Orphan')) return;
  const annotationRule = typedSecretAnnotationRule(target.type, target.annotations);
  if (annotationRule !== undefined) list.add(row, 'type', target.type, annotationRule);
  const templated = Object.keys(target.templateData ?? {});
  if (target.hasExtract && (templated.length === 0 || target.templateMergePolicy === 'Merge')) return;
  const keys = templated.length === 0 ? target.secretKeys : target.templateMergePolicy === 'Merge' ? [...target.secretKeys, ...templated] : templated;
  const rule = typedSecretRule(target.type, [...new Set(keys)]);
  if (rule !== undefined) list.add(row, 'type', target.type, rule);
}

/**
 * Least privilege across identities. Vault grants whole paths: an identity whose targets read one key
 * of a path can read every key of it. So identities that read different keys of one path are refused,
 * unless the path says `identitiesRead: 'whole-path'`: each is named with its targets and keys, against
 * the path's first reader.
 */
function checkKeySplit(list: IssueList, catalog: CatalogContents): void {
  const readers = new Map<SourcePath, Map<EsoIdentity, { keys: Set<string>; rows: string[] }>>();
  for (const target of catalog.targets) {
    const identity = catalog.identityOf(target);
    for (const source of target.sources) {
      const path = source.path as VaultPath;
      if (path.identitiesRead !== 'same-keys' || !Array.isArray(path.keys)) continue;
      const byIdentity = readers.get(path) ?? new Map<EsoIdentity, { keys: Set<string>; rows: string[] }>();
      readers.set(path, byIdentity);
      const read = byIdentity.get(identity) ?? { keys: new Set<string>(), rows: [] };
      byIdentity.set(identity, read);
      for (const key of source.kind === 'extract' ? path.keys : source.keys) if (typeof key === 'string' && path.keys.includes(key)) read.keys.add(key);
      if (!read.rows.includes(target.row)) read.rows.push(target.row);
    }
  }
  const described = (identity: EsoIdentity, read: { keys: Set<string>; rows: string[] }): string =>
    `${identity.row} (${read.rows.join('; ')}) reads ${[...read.keys].map((k) => `"${showText(k)}"`).join(', ')}`;
  for (const [path, byIdentity] of readers) {
    const [[firstIdentity, first], ...others] = [...byIdentity];
    for (const [identity, read] of others) {
      const same = read.keys.size === first.keys.size && [...read.keys].every((key) => first.keys.has(key));
      if (same) continue;
      const all = path.keys.map((key) => `"${showText(key)}"`).join(', ');
      list.add((path as VaultPath).row, 'identitiesRead', 'same-keys',
        `is broken: ${described(firstIdentity, first)}, but ${described(identity, read)}; Vault grants whole paths, so each of them can read every key of the path (${all}). ` +
        'Split the path so that each identity reads a path of its own, or declare it with { identitiesRead: "whole-path" } to grant the whole path knowingly (docs/isolation.md)');
    }
  }
}

const STORE_KINDS = ['SecretStore', 'ClusterSecretStore'];
const CA_REFERENCE_OPTIONS = optionNames<CaReference>({ name: true, key: true, namespace: true });

/**
 * Every identity: its own fields, then what identities must not share (a name, a policy, a role in
 * one auth mount, a store), the ServiceAccounts they write, and that each is used. A declared identity
 * that no target reads through would get a policy that reads nothing.
 */
function checkIdentities(list: IssueList, catalog: CatalogContents): void {
  const names = new Map<string, EsoIdentity>();
  const policies = new Map<string, EsoIdentity>();
  const roles = new Map<string, EsoIdentity>();
  const stores = new Map<string, EsoIdentity>();
  const accounts = new Map<string, { identity: EsoIdentity; create: boolean }>();
  const esoOwn = `${keyText(catalog.eso.serviceAccountNamespace)}/${keyText(catalog.eso.serviceAccountName)}`;
  for (const identity of catalog.identities) {
    const row = identity.row;
    const declared = identity.origin.kind === 'declared';
    // The store's, the ServiceAccount's and the role's names default to the identity's: a broken name
    // is reported once, as the name, not again as each default made of it.
    const nameBroken = declared && checkLabel(identity.name) !== undefined;
    const check = (field: string, value: unknown, rule: RuleCheck): boolean => {
      const broken = rule(value);
      if (broken !== undefined && !(nameBroken && value === identity.name)) list.add(row, field, value, broken);
      return broken === undefined;
    };
    const first = (map: Map<string, EsoIdentity>, key: string, field: string, value: unknown, what: string): void => {
      const earlier = map.get(key);
      if (earlier) list.add(row, field, value, `is already ${what} of ${earlier.row}: give one of them another`);
      else map.set(key, identity);
    };
    if (nameBroken) list.add(row, 'name', identity.name, checkLabel(identity.name)!);
    first(names, keyText(identity.name), 'name', identity.name, 'the name');
    if (!declared) {
      // The shorthand's fields are the catalog's eso settings, reported as such by checkAccess.
      first(policies, identity.policyName, 'policy', identity.policyName, 'the policy');
      first(roles, `${keyText(identity.cluster.authMountPath)}\u0000${keyText(identity.role)}`, 'role', identity.role, 'the role');
      first(stores, storeKey(identity, identity.store.namespaces[0] ?? ''), 'store', identity.store.name, 'the store');
      for (const namespace of identity.boundNamespaces) {
        const key = `${keyText(namespace)}/${keyText(identity.serviceAccount.name)}`;
        if (!accounts.has(key)) accounts.set(key, { identity, create: identity.serviceAccount.create });
      }
      continue;
    }
    first(policies, identity.policyName, 'policy', identity.policyName, 'the policy');
    const { store, serviceAccount: account } = identity;
    const kindKnown = STORE_KINDS.includes(store.kind);
    if (!kindKnown) list.add(row, 'store.kind', store.kind, 'must be "SecretStore" (one in each of its namespaces) or "ClusterSecretStore" (limited to its namespaces)');
    check('store.name', store.name, checkSubdomain);
    const namespaces = Array.isArray(store.namespaces) ? store.namespaces : [];
    if (!Array.isArray(store.namespaces) || namespaces.length === 0) {
      list.add(row, 'store.namespaces', store.namespaces, 'must name at least one namespace, such as ["media"]');
    }
    for (const namespace of namespaces) check('store.namespace', namespace, checkLabel);
    if (kindKnown) for (const namespace of store.kind === 'SecretStore' ? namespaces : ['']) first(stores, storeKey(identity, namespace), 'store', store.name, 'the store');
    checkTrust(list, row, store.kind, store.trust);

    check('serviceAccount.name', account.name, checkSubdomain);
    if (store.kind === 'SecretStore' && account.namespace !== undefined) {
      list.add(row, 'serviceAccount.namespace', account.namespace, 'must not be set for a SecretStore: it logs in as the ServiceAccount of that name in each of its namespaces');
    } else if (store.kind === 'ClusterSecretStore') {
      check('serviceAccount.namespace', account.namespace, checkLabel);
    }
    if (typeof account.create !== 'boolean') list.add(row, 'serviceAccount.create', account.create, 'must be true or false');
    else if (account.create && account.name === 'default') {
      list.add(row, 'serviceAccount.create', true, 'would write the namespace\'s own "default" ServiceAccount, which every pod without one runs as: set create: false to log in as the existing one');
    }
    for (const namespace of store.kind === 'SecretStore' ? namespaces : [account.namespace ?? '']) {
      const key = `${keyText(namespace)}/${keyText(account.name)}`;
      if (account.create && key === esoOwn) {
        list.add(row, 'serviceAccount.create', true, `would write ESO's own ServiceAccount ${showText(key)}, which its chart creates: set create: false`);
        continue;
      }
      const earlier = accounts.get(key);
      if (earlier && earlier.create !== account.create) {
        list.add(row, 'serviceAccount.create', account.create,
          `contradicts ${earlier.identity.row}, which says create: ${earlier.create} for the same ServiceAccount ${showText(key)}: say the same in both`);
      } else if (!earlier) {
        accounts.set(key, { identity, create: account.create });
      }
    }

    if (check('role', identity.role, checkVaultRoleName)) first(roles, `${keyText(identity.cluster.authMountPath)}\u0000${keyText(identity.role)}`, 'role', identity.role, 'the role');
    check('audience', identity.audience, checkAudience);
    const ttl = checkTtlSeconds(identity.tokenTtlSeconds);
    if (ttl !== undefined) list.add(row, 'tokenTtlSeconds', identity.tokenTtlSeconds, ttl);
    if (catalog.targetsOfIdentity(identity).length === 0) {
      list.add(row, 'targets', [], 'must be named by at least one target: its policy would read nothing; name it in a target\'s identity, or remove it');
    }
  }
}

/** What makes a store unique: its kind, its namespace (a SecretStore's) and its name. */
function storeKey(identity: EsoIdentity, namespace: string): string {
  return identity.store.kind === 'SecretStore' ? `SecretStore ${keyText(namespace)}/${keyText(identity.store.name)}` : `ClusterSecretStore ${keyText(identity.store.name)}`;
}

function checkTrust(list: IssueList, row: string, kind: string, trust: StoreTrust | undefined): void {
  if (trust === undefined || trust === 'system') return;
  const ref = isOptionsObject(trust) ? (trust as Record<string, unknown>).secret ?? (trust as Record<string, unknown>).configMap : undefined;
  const keys = isOptionsObject(trust) ? Object.keys(trust) : [];
  if (!isOptionsObject(ref) || keys.length !== 1) {
    list.add(row, 'store.trust', trust, 'must be "system", { secret: { name, key?, namespace? } } or { configMap: { name, key?, namespace? } }');
    return;
  }
  const field = `store.trust.${keys[0]}`;
  for (const problem of optionProblems(ref, CA_REFERENCE_OPTIONS, field)) list.add(row, problem.field, problem.value, problem.rule);
  const { name, key, namespace } = ref as { name?: unknown; key?: unknown; namespace?: unknown };
  if (checkSubdomain(name) !== undefined) list.add(row, `${field}.name`, name, SUBDOMAIN_RULE);
  const keyRule = key === undefined ? undefined : checkSecretKey(key);
  if (keyRule !== undefined) list.add(row, `${field}.key`, key, keyRule);
  if (kind === 'SecretStore' && namespace !== undefined) {
    list.add(row, `${field}.namespace`, namespace, 'must not be set for a SecretStore: ESO reads the CA from the store\'s own namespace only');
  } else if (kind === 'ClusterSecretStore' && checkLabel(namespace) !== undefined) {
    list.add(row, `${field}.namespace`, namespace, `${LABEL_RULE}: a ClusterSecretStore must name the namespace of its CA`);
  }
}
