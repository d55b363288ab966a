import { CatalogIssue, CatalogValidationError, catalogIssue, classNameOf, isProxy, showText } from './errors';
import { DNS1123_SUBDOMAIN_MAX, SUBDOMAIN_RULE, checkSubdomain } from './rules';
import type { EsoIdentity } from './identity';
import { isOptionsObject } from './options';
import { SecretCatalog } from './secret-catalog';
import { PlatformSettings, ResolvedPlatformSettings, VAULT_TLS_DEFAULTS, resolveSettings, settingsProblems } from './settings';
import type { SyncTarget } from './sync-target';

/**
 * A homelab's whole declaration: its catalog and the settings beyond it. Every output is rendered
 * from one, and every mistake in either is reported together before anything renders.
 */
export interface Declaration {
  /** The Vault paths, their keys and the Secrets they feed. */
  readonly catalog: SecretCatalog;
  /** The KMS unseal key, the Vault install, the Argo CD destination and the Terraform state. */
  readonly settings: PlatformSettings;
}

/** The CA a store trusts for an `https://` server: a key of a Secret or ConfigMap (`namespace` only on a ClusterSecretStore's). */
export interface StoreCaProvider {
  readonly type: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly key: string;
  readonly namespace?: string;
}

/** One identity, with what the settings decide about its store and what its policy reads. */
export interface ResolvedIdentity {
  readonly identity: EsoIdentity;
  /** Vault's address, as the store reaches it. */
  readonly server: string;
  /** The CA the store trusts; undefined for the system CAs, or plain HTTP. */
  readonly caProvider?: StoreCaProvider;
  /** The paths its targets read, in declaration order: exactly what its policy grants. */
  readonly paths: readonly string[];
  /** The targets that read through it, in declaration order. */
  readonly targets: readonly SyncTarget[];
}

/** A Kubernetes cluster whose ServiceAccounts log in to Vault, with what Vault's Kubernetes auth calls to review their tokens. */
export interface ResolvedCluster {
  readonly name: string;
  readonly authMountPath: string;
  readonly kubernetesHost: string;
  readonly kubernetesCaCert?: string;
  /** The identities that log in from it. */
  readonly identities: readonly ResolvedIdentity[];
}

/** A validated declaration with every default resolved: what the renderers read. */
export interface ResolvedDeclaration {
  readonly catalog: SecretCatalog;
  readonly settings: ResolvedPlatformSettings;
  /** Every identity in use, with its store's address and trust: the stores, roles and policies to write. */
  readonly identities: readonly ResolvedIdentity[];
  /** The clusters the identities log in from, each with its own Kubernetes auth mount. */
  readonly clusters: readonly ResolvedCluster[];
}

/** Whether `value` is a SecretCatalog of this library (made with `new SecretCatalog(...)`). */
export function isSecretCatalog(value: unknown): value is SecretCatalog {
  return !isProxy(value) && value instanceof SecretCatalog;
}

/**
 * Every rule the catalog breaks, by the catalog's own validator, never by a `validate` the caller put
 * on the object (that would run the caller's code, and its answer could be anything): a catalog that
 * is not a SecretCatalog of this library is one issue, whatever it looks like.
 */
export function catalogProblems(catalog: unknown): CatalogIssue[] {
  if (isSecretCatalog(catalog)) return SecretCatalog.prototype.validate.call(catalog);
  const other = typeof catalog === 'object' && catalog !== null && !isProxy(catalog) && classNameOf(catalog) === 'SecretCatalog';
  return [catalogIssue('declaration', 'catalog', catalog, other
    ? 'is a SecretCatalog of another copy of homelab-secrets: make the declaration and run it with one (npm ls homelab-secrets)'
    : 'must be a SecretCatalog: new SecretCatalog({ mount })')];
}

/** Every rule the declaration breaks, catalog first, then settings; empty when it is valid. */
export function validateDeclaration(declaration: Declaration): CatalogIssue[] {
  if (!isOptionsObject(declaration)) {
    return [catalogIssue('declaration', 'declaration', declaration, 'must be an object with catalog and settings')];
  }
  const catalog = declaration.catalog as SecretCatalog | undefined;
  const issues = catalogProblems(catalog);
  const settings = settingsProblems(declaration.settings);
  for (const { row, field, value, rule } of settings) issues.push(catalogIssue(row, field, value, rule));
  // What spans both: a store's own trust means nothing over plain HTTP.
  if (isSecretCatalog(catalog) && settings.length === 0 && resolveSettings(declaration.settings).vault.plainHttp) {
    for (const identity of catalog.identities) {
      if (identity.store.trust !== undefined) {
        issues.push(catalogIssue(identity.row, 'store.trust', identity.store.trust,
          'has no effect over plain HTTP (settings.vault.tls.disabled): remove it, or serve Vault over https://'));
      }
    }
  }
  // A namespaced store reads Vault's CA from a ConfigMap named after the TLS Secret: that name must be one Kubernetes takes.
  if (isSecretCatalog(catalog) && settings.length === 0 && issues.length === 0) {
    const resolved = resolveSettings(declaration.settings);
    const reader = catalog.identities.find((identity) => caProviderOf(identity, resolved)?.type === 'ConfigMap' && identity.store.trust === undefined);
    const secretName = resolved.vault.tlsSecretName ?? VAULT_TLS_DEFAULTS.secretName;
    if (reader !== undefined && checkSubdomain(caConfigMapName(secretName)) !== undefined) {
      issues.push(catalogIssue('settings.vault.tls', 'secretName', secretName,
        `names the ConfigMap "${showText(caConfigMapName(secretName))}" the SecretStores read Vault's CA from (${reader.row}), which is no Kubernetes name: ${SUBDOMAIN_RULE.replace(/^must be/, 'it must be')}; give the Secret a name of at most ${DNS1123_SUBDOMAIN_MAX - 3} characters`));
    }
  }
  return issues;
}

/** The CA the store of `identity` trusts: its own `store.trust`, else the settings' default; undefined for the system CAs or plain HTTP. */
function caProviderOf(identity: EsoIdentity, settings: ResolvedPlatformSettings): StoreCaProvider | undefined {
  const { vault } = settings;
  if (vault.plainHttp) return undefined;
  const cluster = identity.store.kind === 'ClusterSecretStore';
  const trust = identity.store.trust;
  if (trust === 'system' || (trust === undefined && vault.storeTrust === 'system')) return undefined;
  if (trust !== undefined) {
    const [type, ref] = 'secret' in trust ? (['Secret', trust.secret] as const) : (['ConfigMap', trust.configMap] as const);
    return { type, name: ref.name, key: ref.key ?? VAULT_TLS_DEFAULTS.caKey, ...(cluster ? { namespace: ref.namespace } : {}) };
  }
  // A namespaced store may not name another namespace, and the namespaces must not get Vault's private
  // key: each reads the CA from a ConfigMap of its own named after Vault's TLS Secret.
  const secretName = vault.tlsSecretName ?? VAULT_TLS_DEFAULTS.secretName;
  return cluster
    ? { type: 'Secret', name: secretName, namespace: vault.namespace, key: VAULT_TLS_DEFAULTS.caKey }
    : { type: 'ConfigMap', name: caConfigMapName(secretName), key: VAULT_TLS_DEFAULTS.caKey };
}

/** The ConfigMap holding Vault's CA in a namespace, named after Vault's TLS Secret. */
export function caConfigMapName(tlsSecretName: string): string {
  return `${tlsSecretName}-ca`;
}

/** Validates the declaration and resolves it; throws a CatalogValidationError listing every issue. */
export function resolveDeclaration(declaration: Declaration): ResolvedDeclaration {
  const issues = validateDeclaration(declaration);
  if (issues.length > 0) throw new CatalogValidationError(issues);
  const { catalog } = declaration;
  const settings = resolveSettings(declaration.settings);
  const identities: ResolvedIdentity[] = catalog.identities.map((identity) => ({
    identity,
    server: settings.vault.address,
    caProvider: caProviderOf(identity, settings),
    paths: catalog.pathsReadBy(identity),
    targets: catalog.targetsOfIdentity(identity),
  }));
  const clusters: ResolvedCluster[] = [{
    name: catalog.cluster.name,
    authMountPath: catalog.cluster.authMountPath,
    kubernetesHost: settings.vault.kubernetesHost,
    kubernetesCaCert: settings.vault.kubernetesCaCert,
    identities: identities.filter((resolved) => resolved.identity.cluster === catalog.cluster),
  }];
  return { catalog, settings, identities, clusters };
}
