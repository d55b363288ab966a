/**
 * Names that both sides must agree on: the ClusterSecretStore (Kubernetes) authenticates with them
 * and the Vault auth role (Terraform) is bound to them. Keep them in this one place.
 */
export const ESO_DEFAULTS = {
  storeName: 'vault-backend',
  server: 'https://vault.vault.svc:8200',
  authMountPath: 'kubernetes',
  role: 'external-secrets',
  audience: 'vault',
  /** The ESO Helm release's service account; the Vault role binds exactly this name. */
  serviceAccountName: 'external-secrets',
  serviceAccountNamespace: 'external-secrets',
  /** Vault token TTL for ESO's logins, in seconds: ESO logs in again when it expires. */
  tokenTtlSeconds: 900,
  /** The Secret whose `ca.crt` ESO trusts for Vault's certificate: VAULT_TLS_DEFAULTS, the Secret Vault serves. */
  caSecretName: 'vault-tls',
  caSecretNamespace: 'vault',
  caSecretKey: 'ca.crt',
} as const;

/**
 * Vault's TLS certificate: a `kubernetes.io/tls` Secret with `tls.crt`, `tls.key` and `ca.crt`, the
 * layout cert-manager writes. Vault serves it; ESO's caProvider trusts its `ca.crt`. One name for both.
 */
export const VAULT_TLS_DEFAULTS = {
  secretName: ESO_DEFAULTS.caSecretName,
  certKey: 'tls.crt',
  privateKeyKey: 'tls.key',
  caKey: ESO_DEFAULTS.caSecretKey,
} as const;

/** How ESO reaches and authenticates to Vault. */
export interface EsoAccessSettings {
  /** Name of the ClusterSecretStore. @default 'vault-backend' */
  readonly storeName?: string;
  /** Vault address as seen from inside the cluster; `http://` only with Vault's `tls: { disabled: true }`. @default 'https://vault.vault.svc:8200' */
  readonly server?: string;
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
  /** Secret holding the CA ESO trusts for an `https://` server (the store's caProvider). @default 'vault-tls' */
  readonly caSecretName?: string;
  /** Namespace of that Secret. @default 'vault' */
  readonly caSecretNamespace?: string;
  /** Key of the CA certificate in that Secret. @default 'ca.crt' */
  readonly caSecretKey?: string;
}

/** The Vault side of ESO's login. */
export interface VaultRoleSettings {
  /** Audience the Vault role requires; must equal the store's. @default the store's audience */
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
