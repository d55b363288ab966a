import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AWS_REGION_PATTERN, IAM_USER_NAME_PATTERN, KMS_UNSEAL_DEFAULTS, KmsUnsealSettings, ResolvedKmsUnseal, SettingsError, UNSEAL_ACTIONS, resolveKmsUnseal } from '../platform';
import { HomelabStack, HomelabStackProps } from './homelab-stack';
import { IamPolicyDocument } from './iam-policy-document';
import { requireCompatibleProvider } from './provider-range';

/**
 * The key policy's one statement: the account root administers the key, and IAM policies in the
 * account (such as the unseal user's) may grant its use. This is AWS's default key policy; without
 * it nobody could ever change the key policy again.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = ['kms:*'];

export interface KmsUnsealStackProps extends KmsUnsealSettings, HomelabStackProps {}

/**
 * The AWS KMS key Vault auto-unseals with, its alias, and an IAM user allowed exactly
 * {@link UNSEAL_ACTIONS} on it. There is no access key resource: its secret would be stored in the
 * Terraform state, so the key and the `vault-aws-kms` Secret are created by hand (see README).
 *
 * AWS credentials come from the environment (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
 */
export class KmsUnsealStack extends HomelabStack {
  public readonly settings: ResolvedKmsUnseal;
  public readonly provider: AwsProvider;
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;
  public readonly user: IamUser;
  public readonly userPolicy: IamUserPolicy;

  constructor(scope: Construct, id: string, props: KmsUnsealStackProps) {
    super(scope, id, props);
    this.settings = resolveKmsUnseal(props);
    checkSettings(this.settings);
    this.provider = new AwsProvider(this, 'aws', { region: this.settings.region });
    requireCompatibleProvider(this, this.provider);

    const account = new DataAwsCallerIdentity(this, 'Account');
    const partition = new DataAwsPartition(this, 'Partition');
    const root = `arn:${partition.partition}:iam::${account.accountId}:root`;

    this.key = new KmsKey(this, 'UnsealKey', {
      description: 'Vault auto-unseal (seal "awskms"); losing it makes every Vault backup unreadable',
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      deletionWindowInDays: KMS_UNSEAL_DEFAULTS.deletionWindowInDays,
      policy: new IamPolicyDocument([
        { sid: 'AccountRootAdministersKey', awsPrincipals: [root], actions: KEY_ADMIN_ACTIONS, resources: ['*'] },
      ]).toJson(),
      lifecycle: { preventDestroy: true },
    });
    this.alias = new KmsAlias(this, 'UnsealAlias', { name: this.settings.alias, targetKeyId: this.key.keyId });
    this.user = new IamUser(this, 'UnsealUser', { name: this.settings.iamUserName });
    this.userPolicy = new IamUserPolicy(this, 'UnsealUserPolicy', {
      name: 'vault-awskms-seal',
      user: this.user.name,
      policy: new IamPolicyDocument([
        { sid: 'VaultAwsKmsSeal', actions: UNSEAL_ACTIONS, resources: [this.key.arn] },
      ]).toJson(),
    });

    new TerraformOutput(this, 'key_id', { value: this.key.keyId, description: 'VAULT_AWSKMS_SEAL_KEY_ID of the vault-aws-kms Secret' });
    new TerraformOutput(this, 'key_arn', { value: this.key.arn, description: 'ARN of the unseal key' });
    new TerraformOutput(this, 'alias', { value: this.alias.name, description: 'Alias of the unseal key' });
    new TerraformOutput(this, 'region', { value: this.settings.region, description: 'Region of the unseal key' });
    new TerraformOutput(this, 'iam_user_name', { value: this.user.name, description: 'Create its access key by hand: aws iam create-access-key --user-name <this>' });
  }
}

function checkSettings(settings: ResolvedKmsUnseal): void {
  if (!AWS_REGION_PATTERN.test(settings.region)) {
    throw new SettingsError(`region "${settings.region}" must be an AWS region such as "eu-central-1"`);
  }
  if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(settings.alias) || settings.alias.startsWith('alias/aws/')) {
    throw new SettingsError(`alias "${settings.alias}" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", and not start with "alias/aws/"`);
  }
  if (!IAM_USER_NAME_PATTERN.test(settings.iamUserName)) {
    throw new SettingsError(`iamUserName "${settings.iamUserName}" must be 1-64 characters of letters, digits and +=,.@_-`);
  }
}
