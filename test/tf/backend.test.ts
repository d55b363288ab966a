import { TerraformStack, Testing } from 'cdktf';
import type { StateBackendSettings } from '../../lib/catalog';
import { addStateBackend, defaultLocalStatePath } from '../../lib/tf/backend';
import { TfJson } from './support';
import { userErrorOf } from '../support/user-error';

function backendOf(config?: StateBackendSettings): unknown {
  const stack = new TerraformStack(Testing.app(), 'vault');
  addStateBackend(stack, config);
  return (JSON.parse(Testing.synth(stack)) as TfJson).terraform!.backend;
}

describe('addStateBackend', () => {
  test('defaults to a local state file in state/ beside the output folder, as a relative path', () => {
    // GIVEN / WHEN / THEN
    expect(backendOf()).toStrictEqual({ local: { path: '../../../state/vault.tfstate' } });
    expect(defaultLocalStatePath('kms-unseal')).toBe('../../../state/kms-unseal.tfstate');
  });

  test('takes another local path', () => {
    // GIVEN / WHEN / THEN
    expect(backendOf({ kind: 'local', path: '/var/lib/tfstate/vault.tfstate' })).toStrictEqual({
      local: { path: '/var/lib/tfstate/vault.tfstate' },
    });
  });

  test('S3: one encrypted key per stack, locked with a lock file', () => {
    // GIVEN / WHEN / THEN
    expect(backendOf({ kind: 's3', bucket: 'tfstate', region: 'eu-central-1' })).toStrictEqual({
      s3: { bucket: 'tfstate', region: 'eu-central-1', key: 'homelab-secrets/vault.tfstate', encrypt: true, use_lockfile: true },
    });
  });

  test('S3: a key prefix and DynamoDB locking instead of the lock file', () => {
    // GIVEN / WHEN / THEN
    expect(backendOf({ kind: 's3', bucket: 'b', region: 'us-east-1', keyPrefix: 'lab', useLockfile: false, dynamodbTable: 'locks' })).toStrictEqual({
      s3: { bucket: 'b', region: 'us-east-1', key: 'lab/vault.tfstate', encrypt: true, dynamodb_table: 'locks' },
    });
  });

  test('refuses an unknown kind', () => {
    // GIVEN / WHEN / THEN
    expect(userErrorOf(() => backendOf({ kind: 'gcs' } as never))).toStrictEqual(['the state backend: kind "gcs" must be "local" or "s3"']);
  });
});
