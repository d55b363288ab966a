import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { UNSEAL_ACTIONS } from '../../lib/catalog';
import { KEY_ADMIN_ACTIONS, KmsUnsealStack, KmsUnsealStackProps } from '../../lib/tf/kms-unseal-stack';
import { TfJson, addresses, onlyResource, withoutMachinePaths } from './support';

Testing.setupJest();

function synthKms(props: Partial<KmsUnsealStackProps> = {}): string {
  return Testing.synth(new KmsUnsealStack(Testing.app(), 'kms-unseal', { region: 'eu-central-1', ...props }));
}

describe('KmsUnsealStack', () => {
  test('a rotated key that Terraform will not destroy, administered by the account root', () => {
    // GIVEN / WHEN
    const synthesized = synthKms();

    // THEN
    expect(synthesized).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      key_usage: 'ENCRYPT_DECRYPT',
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      lifecycle: { prevent_destroy: true },
    });
    const key = onlyResource(synthesized, 'aws_kms_key');
    expect(key.description).toMatch(/^Vault auto-unseal/);
    expect(JSON.parse(key.policy)).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountRootAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: ['arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root'] },
          Action: ['kms:*'],
          Resource: ['*'],
        },
      ],
    });
    expect(KEY_ADMIN_ACTIONS).toStrictEqual(['kms:*']);
    expect(synthesized).toHaveDataSource(DataAwsCallerIdentity);
  });

  test('the alias names the key', () => {
    // GIVEN / WHEN
    const synthesized = synthKms();

    // THEN
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: 'alias/vault-unseal', target_key_id: '${aws_kms_key.unseal_key.key_id}' });
    expect(synthKms({ alias: 'alias/homelab/vault' })).toHaveResourceWithProperties(KmsAlias, { name: 'alias/homelab/vault' });
  });

  test('the unseal user may Encrypt, Decrypt and DescribeKey on that key only, and has no access key in Terraform', () => {
    // GIVEN / WHEN
    const synthesized = synthKms();

    // THEN
    expect(synthesized).toHaveResourceWithProperties(IamUser, { name: 'vault-unseal' });
    expect(synthesized).toHaveResourceWithProperties(IamUserPolicy, { name: 'vault-awskms-seal', user: '${aws_iam_user.unseal_user.name}' });
    expect(JSON.parse(onlyResource(synthesized, 'aws_iam_user_policy').policy)).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'VaultAwsKmsSeal', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: ['${aws_kms_key.unseal_key.arn}'] },
      ],
    });
    expect(UNSEAL_ACTIONS).toStrictEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey']);
    expect(addresses(synthesized)).toStrictEqual([
      'aws_iam_user.unseal_user',
      'aws_iam_user_policy.unseal_user_policy',
      'aws_kms_alias.unseal_alias',
      'aws_kms_key.unseal_key',
      'data.aws_caller_identity.account',
      'data.aws_partition.partition',
    ]);
    expect(synthKms({ iamUserName: 'homelab-vault' })).toHaveResourceWithProperties(IamUser, { name: 'homelab-vault' });
  });

  test('outputs the key id, ARN, alias, region and user name', () => {
    // GIVEN / WHEN
    const json: TfJson = JSON.parse(synthKms({ region: 'us-west-2' }));

    // THEN
    expect(Object.fromEntries(Object.entries(json.output!).map(([name, o]) => [name, o.value]))).toStrictEqual({
      key_id: '${aws_kms_key.unseal_key.key_id}',
      key_arn: '${aws_kms_key.unseal_key.arn}',
      alias: '${aws_kms_alias.unseal_alias.name}',
      region: 'us-west-2',
      iam_user_name: '${aws_iam_user.unseal_user.name}',
    });
  });

  test('the provider holds the region and no credential, and accepts any 6.x provider', () => {
    // GIVEN / WHEN
    const synthesized = synthKms();

    // THEN
    const json: TfJson = JSON.parse(synthesized);
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, { region: 'eu-central-1' });
    expect(json.provider).toStrictEqual({ aws: [{ region: 'eu-central-1' }] });
    expect(json.terraform!.required_providers).toStrictEqual({ aws: { source: 'aws', version: '~> 6.0' } });
    expect(json.terraform!.backend).toStrictEqual({ local: { path: '../../../state/kms-unseal.tfstate' } });
  });

  test.each([
    [{ region: 'Frankfurt' }, 'region "Frankfurt" must be an AWS region such as "eu-central-1"'],
    [{ alias: 'vault-unseal' }, 'alias "vault-unseal" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)'],
    [{ alias: 'alias/aws/vault' }, 'alias "alias/aws/vault" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)'],
    [{ iamUserName: 'vault unseal' }, 'iamUserName "vault unseal" must be 1-64 characters of letters, digits and +=,.@_-'],
  ])('refuses %j', (props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => synthKms(props)).toThrow(message);
  });

  test('snapshot of a stack with the default alias and user', () => {
    // GIVEN / WHEN
    const synthesized = Testing.synth(new KmsUnsealStack(Testing.app(), 'kms-unseal', { region: 'us-east-1' }));

    // THEN
    expect(withoutMachinePaths(synthesized)).toMatchSnapshot();
  });
});
