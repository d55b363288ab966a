/**
 * Vault's auto-unseal through AWS KMS, shared by the KMS Terraform stack (which creates the key),
 * the Vault Application (whose `seal "awskms"` stanza uses it) and the operator CLI.
 */

/** The Secret Vault's pod reads its KMS credentials from. It is created by hand and never in git. */
export const VAULT_AWS_KMS_SECRET = {
  name: 'vault-aws-kms',
  namespace: 'vault',
  /** The Secret's keys, named after the environment variables Vault's awskms seal reads. */
  keys: {
    keyId: 'VAULT_AWSKMS_SEAL_KEY_ID',
    region: 'AWS_REGION',
    accessKeyId: 'AWS_ACCESS_KEY_ID',
    secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  },
} as const;

/** The KMS actions Vault's awskms seal needs; without DescribeKey Vault crash-loops at start. */
export const UNSEAL_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'];

export const KMS_UNSEAL_DEFAULTS = {
  alias: 'alias/vault-unseal',
  iamUserName: 'vault-unseal',
  deletionWindowInDays: 30,
} as const;

/** Where the unseal key lives and what it is called. */
export interface KmsUnsealSettings {
  /** AWS region of the key. */
  readonly region: string;
  /** KMS alias of the key, also what Vault's seal stanza names. @default 'alias/vault-unseal' */
  readonly alias?: string;
  /** IAM user whose access key Vault uses. @default 'vault-unseal' */
  readonly iamUserName?: string;
}

/** KmsUnsealSettings with defaults resolved. */
export interface ResolvedKmsUnseal {
  readonly region: string;
  readonly alias: string;
  readonly iamUserName: string;
}

export function resolveKmsUnseal(settings: KmsUnsealSettings): ResolvedKmsUnseal {
  return {
    region: settings.region,
    alias: settings.alias ?? KMS_UNSEAL_DEFAULTS.alias,
    iamUserName: settings.iamUserName ?? KMS_UNSEAL_DEFAULTS.iamUserName,
  };
}

/** An AWS region name, such as `eu-central-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** An IAM user name: 1-64 letters, digits and `+=,.@_-`. */
export const IAM_USER_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
