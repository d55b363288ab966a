import { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { KV_V2_DEFAULTS, KvV2Mount } from '../../lib/tf/kv-v2-mount';
import { onlyResource } from './support';

Testing.setupJest();

describe('KvV2Mount', () => {
  test('mounts kv-v2 with a description and sets max_versions in the engine config', () => {
    // GIVEN / WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KvV2Mount(scope, 'KvMount', { path: 'homelab' });
    });

    // THEN
    expect(synthesized).toHaveResourceWithProperties(Mount, {
      path: 'homelab',
      type: 'kv-v2',
      description: KV_V2_DEFAULTS.description,
    });
    expect(onlyResource(synthesized, 'vault_mount').options).toBeUndefined();
    expect(synthesized).toHaveResourceWithProperties(KvSecretBackendV2, { max_versions: 10 });
    // A reference, so that Terraform writes the config after the mount exists.
    expect(onlyResource(synthesized, 'vault_kv_secret_backend_v2').mount).toMatch(/^\$\{vault_mount\.[A-Za-z0-9_]+\.path\}$/);
  });

  test('takes a description and a number of versions', () => {
    // GIVEN / WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KvV2Mount(scope, 'KvMount', { path: 'kv', description: 'mine', maxVersions: 25 });
    });

    // THEN
    expect(synthesized).toHaveResourceWithProperties(Mount, { path: 'kv', type: 'kv-v2', description: 'mine' });
    expect(synthesized).toHaveResourceWithProperties(KvSecretBackendV2, { max_versions: 25 });
  });

  test.each([0, -1, 2.5])('refuses maxVersions %j', (maxVersions) => {
    // GIVEN / WHEN / THEN
    expect(() => new KvV2Mount(Testing.app(), 'KvMount', { path: 'kv', maxVersions })).toThrow(
      `maxVersions ${maxVersions} must be a whole number of at least 1`,
    );
  });
});
