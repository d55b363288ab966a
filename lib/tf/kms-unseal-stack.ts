import type { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import type { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import type { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { SETTINGS_DEFAULTS, UNSEAL_ACTIONS, assertRule, checkAwsRegion, checkIamUserName, checkKmsAlias } from '../catalog';
import { IamPolicyDocument } from './iam-policy-document';
import { requireCompatibleProvider } from './provider-range';
import { awsProviderClasses } from './providers';
import { ReadableStack, ReadableStackProps } from './readable-stack';
import { KMS_STACK_OUTPUTS } from './stack-names';

/**
 * The key policy's one statement: the account root administers the key, and IAM policies in the
 * account (such as the unseal user's) may grant its use. This is AWS's default key policy; without
 * it nobody could ever change the key policy again.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = ['kms:*'];

/** Deletion window of the key: the longest AWS allows, to undo a mistaken deletion. */
export const KMS_DELETION_WINDOW_DAYS = 30;

/** Properties for `KmsUnsealStack`. */
export interface KmsUnsealStackProps extends ReadableStackProps {
  /** AWS region of the key, such as `eu-central-1`. */
  readonly region: string;
  /** KMS alias of the key. @default 'alias/vault-unseal' */
  readonly alias?: string;
  /** IAM user whose access key Vault uses. @default 'vault-unseal' */
  readonly iamUserName?: string;
}

/**
 * The AWS KMS key Vault auto-unseals with, its alias, and an IAM user allowed exactly
 * {@link UNSEAL_ACTIONS} on it. There is no access key resource: its secret would be stored in the
 * Terraform state, so the key and the KMS Secret are created by hand (`homelab-secrets kms-secret` prints how).
 *
 * AWS credentials come from the environment (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
 */
export class KmsUnsealStack extends ReadableStack {
  public readonly region: string;
  public readonly aliasName: string;
  public readonly iamUserName: string;
  public readonly provider: AwsProvider;
  public readonly key: KmsKey;
  public readonly alias: KmsAlias;
  public readonly user: IamUser;
  public readonly userPolicy: IamUserPolicy;

  constructor(scope: Construct, id: string, props: KmsUnsealStackProps) {
    // Before the stack gets its first resource: without the provider package, nothing is added.
    const aws = awsProviderClasses();
    super(scope, id, props);
    this.region = props.region;
    this.aliasName = props.alias ?? SETTINGS_DEFAULTS.kms.alias;
    this.iamUserName = props.iamUserName ?? SETTINGS_DEFAULTS.kms.iamUserName;
    // The same predicates the settings validation uses, for callers that make the stack directly.
    assertRule(checkAwsRegion, 'region', this.region, 'KmsUnsealStack');
    assertRule(checkKmsAlias, 'alias', this.aliasName, 'KmsUnsealStack');
    assertRule(checkIamUserName, 'iamUserName', this.iamUserName, 'KmsUnsealStack');
    this.provider = new aws.AwsProvider(this, 'aws', { region: this.region });
    requireCompatibleProvider(this, this.provider);

    const account = new aws.DataAwsCallerIdentity(this, 'Account');
    const partition = new aws.DataAwsPartition(this, 'Partition');
    const root = `arn:${partition.partition}:iam::${account.accountId}:root`;

    this.key = new aws.KmsKey(this, 'UnsealKey', {
      description: 'Vault auto-unseal (seal "awskms"); losing it makes every Vault backup unreadable',
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
      policy: new IamPolicyDocument([
        { sid: 'AccountRootAdministersKey', awsPrincipals: [root], actions: KEY_ADMIN_ACTIONS, resources: ['*'] },
      ]).toJson(),
      lifecycle: { preventDestroy: true },
    });
    this.alias = new aws.KmsAlias(this, 'UnsealAlias', { name: this.aliasName, targetKeyId: this.key.keyId });
    this.user = new aws.IamUser(this, 'UnsealUser', { name: this.iamUserName });
    this.userPolicy = new aws.IamUserPolicy(this, 'UnsealUserPolicy', {
      name: 'vault-awskms-seal',
      user: this.user.name,
      policy: new IamPolicyDocument([
        { sid: 'VaultAwsKmsSeal', actions: UNSEAL_ACTIONS, resources: [this.key.arn] },
      ]).toJson(),
    });

    new TerraformOutput(this, KMS_STACK_OUTPUTS.keyId, { value: this.key.keyId, description: 'VAULT_AWSKMS_SEAL_KEY_ID of the KMS Secret' });
    new TerraformOutput(this, KMS_STACK_OUTPUTS.keyArn, { value: this.key.arn, description: 'ARN of the unseal key' });
    new TerraformOutput(this, KMS_STACK_OUTPUTS.alias, { value: this.alias.name, description: 'Alias of the unseal key' });
    new TerraformOutput(this, KMS_STACK_OUTPUTS.region, { value: this.region, description: 'Region of the unseal key' });
    new TerraformOutput(this, KMS_STACK_OUTPUTS.iamUserName, { value: this.user.name, description: 'Create its access key by hand: aws iam create-access-key --user-name <this>' });
  }
}
