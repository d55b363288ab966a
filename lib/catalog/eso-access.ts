import { keyText } from './errors';

/**
 * Names that both sides must agree on: the ClusterSecretStore (Kubernetes) authenticates with them
 * and the Vault auth role (Terraform) is bound to them. Keep them in this one place. They are the
 * generic defaults: ESO's chart names its service account `external-secrets`. The store's Vault
 * address is not among them: it is derived from the Vault install in the settings.
 */
export const ESO_DEFAULTS = {
  storeName: 'vault-backend',
  authMountPath: 'kubernetes',
  role: 'external-secrets',
  audience: 'vault',
  /** The ESO Helm release's service account; the Vault role binds exactly this name. */
  serviceAccountName: 'external-secrets',
  serviceAccountNamespace: 'external-secrets',
  /** Vault token TTL for ESO's logins, in seconds: ESO logs in again when it expires. */
  tokenTtlSeconds: 900,
} as const;

/** How ESO's access to Vault is cut: one identity for the cluster, or one per namespace. */
export type Isolation = 'cluster' | 'namespace';

/** How ESO reaches and authenticates to Vault. */
export interface EsoAccessSettings {
  /** Name of the ClusterSecretStore. @default 'vault-backend' */
  readonly storeName?: string;
  /** Path of Vault's Kubernetes auth backend. @default 'kubernetes' */
  readonly authMountPath?: string;
  /** Vault role ESO logs in with. @default 'external-secrets' */
  readonly role?: string;
  /** Audience of the service account token ESO presents. @default 'vault' */
  readonly audience?: string;
  /** ESO's service account. @default 'external-secrets' */
  readonly serviceAccountName?: string;
  /** Namespace of ESO's service account. @default 'external-secrets' */
  readonly serviceAccountNamespace?: string;
}

/** The Vault side of ESO's login. */
export interface VaultRoleSettings {
  /** Audience the Vault role requires; must equal the store's. @default - the store's audience */
  readonly audience?: string;
  /** TTL of the tokens the role issues, in seconds. @default 900 */
  readonly tokenTtlSeconds?: number;
}

/** EsoAccessSettings with every default resolved. */
export type ResolvedEsoAccess = { readonly [P in keyof EsoAccessSettings]-?: string };

/** VaultRoleSettings with every default resolved. */
export interface ResolvedVaultRole {
  readonly audience: string;
  readonly tokenTtlSeconds: number;
}

/**
 * The names of one namespace's own store and identity in namespace isolation, used by both sides:
 * its SecretStore and ServiceAccount are named like the cluster store, its Vault role is
 * `<role>-<namespace>`. Namespaces are unique DNS labels, so the names never collide.
 */
export function namespaceIdentity(eso: ResolvedEsoAccess, namespace: string): { storeName: string; serviceAccountName: string; role: string } {
  return { storeName: eso.storeName, serviceAccountName: eso.storeName, role: `${keyText(eso.role)}-${keyText(namespace)}` };
}
