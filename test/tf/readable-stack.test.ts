import { Mount } from '@cdktf/provider-vault/lib/mount';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { TerraformOutput, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ReadableStack, readableLogicalId } from '../../lib/tf/readable-stack';
import { addresses } from './support';
import { userErrorOf } from '../support/user-error';

class TestStack extends ReadableStack {
  constructor(scope: Construct, id: string, build: (stack: TestStack) => void) {
    super(scope, id, {});
    new VaultProvider(this, 'vault');
    build(this);
  }
}

describe('ReadableStack', () => {
  test.each([
    [['KvMount', 'Resource'], 'kv_mount'],
    [['KubernetesAuth', 'Role'], 'kubernetes_auth_role'],
    [['UnsealKey'], 'unseal_key'],
    [['key_id'], 'key_id'],
    [['Some-Thing', 'Default', 'X2Y'], 'some_thing_x2_y'],
  ])('readableLogicalId(%j) is %j', (components, id) => {
    // GIVEN / WHEN / THEN
    expect(readableLogicalId(components)).toBe(id);
  });

  test('addresses come from construct paths, without a hash', () => {
    // GIVEN
    const stack = new TestStack(Testing.app(), 'vault', (s) => {
      const group = new Construct(s, 'Mounts');
      new Mount(group, 'Kv', { path: 'kv', type: 'kv-v2' });
      new TerraformOutput(s, 'mount_path', { value: 'kv' });
    });

    // WHEN
    const synthesized = Testing.synth(stack);

    // THEN
    expect(addresses(synthesized)).toStrictEqual(['vault_mount.mounts_kv']);
    expect(Object.keys(JSON.parse(synthesized).output)).toStrictEqual(['mount_path']);
  });

  test('refuses two constructs that would share an address', () => {
    // GIVEN
    const stack = new TestStack(Testing.app(), 'vault', (s) => {
      new Mount(new Construct(s, 'A'), 'B', { path: 'one', type: 'kv-v2' });
      new Mount(s, 'A_B', { path: 'two', type: 'kv-v2' });
    });

    // WHEN / THEN
    expect(userErrorOf(() => Testing.synth(stack))).toStrictEqual(['construct "vault/A_B": Terraform name "a_b" is already the name of "vault/A/B"; rename one of them']);
  });
});
