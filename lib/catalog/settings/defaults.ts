// The settings' generic defaults and the constants the renderers share with them.
/**
 * Vault's TLS certificate: a `kubernetes.io/tls` Secret with `tls.crt`, `tls.key` and `ca.crt`, the
 * layout cert-manager writes. Vault serves it; the store's caProvider trusts its `ca.crt`.
 */
export const VAULT_TLS_DEFAULTS = {
  secretName: 'vault-tls',
  certKey: 'tls.crt',
  privateKeyKey: 'tls.key',
  caKey: 'ca.crt',
} as const;

/** Defaults that are generic: the names the charts and Vault use out of the box. */
export const SETTINGS_DEFAULTS = {
  kms: { alias: 'alias/vault-unseal', iamUserName: 'vault-unseal', secretName: 'vault-aws-kms' },
  vault: { namespace: 'vault', releaseName: 'vault', kubernetesHost: 'https://kubernetes.default.svc', kvMaxVersions: 10, port: 8200 },
  argocd: { project: 'default', server: 'https://kubernetes.default.svc', namespace: 'argocd' },
  s3KeyPrefix: 'homelab-secrets',
} as const;

/** What `flux bootstrap` lays out, used where the settings say nothing about Flux. */
export const FLUX_DEFAULTS = {
  namespace: 'flux-system',
  sourceKind: 'GitRepository',
  sourceName: 'flux-system',
  clusterPath: './clusters/my-cluster',
} as const;

/** The KMS actions Vault's awskms seal needs; without DescribeKey Vault crash-loops at start. */
export const UNSEAL_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'];

/** The keys of the KMS Secret: the environment variables Vault's awskms seal reads. */
export const KMS_SECRET_KEYS = {
  keyId: 'VAULT_AWSKMS_SEAL_KEY_ID',
  region: 'AWS_REGION',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
} as const;
