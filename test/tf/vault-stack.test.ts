import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Testing as K8sTesting } from 'cdk8s';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { SecretCatalog } from '../../lib/catalog';
import { SecretStoreChart } from '../../lib/k8s';
import { clusterSecretStoreProps } from '../../lib/k8s/private/catalog-mapping';
import { VaultStack } from '../../lib/tf/vault-stack';
import { resolvedFixture } from '../support/fixtures';
import { TfJson, addresses, esoPolicyPaths, policyPaths, twoPathCatalog, vaultStackProps, withoutMachinePaths } from './support';

Testing.setupJest();

function synthVault(catalog: SecretCatalog, props: Partial<ConstructorParameters<typeof VaultStack>[2]> = {}): string {
  return Testing.synth(new VaultStack(Testing.app(), 'vault', { ...vaultStackProps(catalog), ...props }));
}

describe('VaultStack', () => {
  test('holds the mount, its KV config, Kubernetes auth with ESO role, both policies and the operator login, at readable addresses', () => {
    // GIVEN
    const catalog = twoPathCatalog();

    // WHEN
    const synthesized = synthVault(catalog);

    // THEN
    expect(addresses(synthesized)).toStrictEqual([
      'vault_auth_backend.kubernetes_auth',
      'vault_auth_backend.operator_login',
      'vault_kubernetes_auth_backend_config.kubernetes_auth_config',
      'vault_kubernetes_auth_backend_role.kubernetes_auth_role',
      'vault_kv_secret_backend_v2.kv_mount_config',
      'vault_mount.kv_mount',
      'vault_policy.eso_read_policy',
      'vault_policy.operator_policy',
    ]);
    expect(synthesized).toHaveResourceWithProperties(Mount, { path: 'homelab', type: 'kv-v2' });
    expect(synthesized).toHaveResourceWithProperties(KvSecretBackendV2, { mount: '${vault_mount.kv_mount.path}', max_versions: 10 });
    expect(synthesized).toHaveResourceWithProperties(AuthBackend, { type: 'kubernetes', path: 'kubernetes' });
    expect(synthesized).toHaveResourceWithProperties(AuthBackend, { type: 'userpass', path: 'userpass' });
    expect(synthesized).toHaveResourceWithProperties(KubernetesAuthBackendConfig, {
      backend: '${vault_auth_backend.kubernetes_auth.path}',
      kubernetes_host: 'https://kubernetes.default.svc',
    });
    expect(synthesized).toHaveResourceWithProperties(KubernetesAuthBackendRole, {
      backend: '${vault_auth_backend.kubernetes_auth.path}',
      role_name: 'external-secrets',
      bound_service_account_names: ['external-secrets'],
      bound_service_account_namespaces: ['external-secrets'],
      audience: 'vault',
      token_ttl: 900,
      token_no_default_policy: true,
      // The role uses the ESO policy by reference: one name, and Terraform orders the two.
      token_policies: ['${vault_policy.eso_read_policy.name}'],
    });
    expect(synthesized).toHaveResourceWithProperties(Policy, { name: 'homelab-eso-read' });
    expect(synthesized).toHaveResourceWithProperties(Policy, { name: 'homelab-operator' });
    const esoPolicy = (JSON.parse(synthesized) as TfJson).resource!.vault_policy.eso_read_policy.policy;
    expect(policyPaths(esoPolicy)).toStrictEqual(esoPolicyPaths('homelab/data/apps/vpn', 'homelab/data/infrastructure/minio'));
  });

  test('the provider block holds no address and no token, and accepts any 5.x provider', () => {
    // GIVEN / WHEN
    const synthesized = synthVault(twoPathCatalog());

    // THEN
    const json: TfJson = JSON.parse(synthesized);
    expect(synthesized).toHaveProvider(VaultProvider);
    expect(json.provider).toStrictEqual({ vault: [{}] });
    expect(json.terraform!.required_providers).toStrictEqual({ vault: { source: 'hashicorp/vault', version: '~> 5.0' } });
    expect(json.terraform!.backend).toStrictEqual({ local: { path: '../../../state/vault.tfstate' } });
  });

  test('the role takes the same mount, auth path, role, audience, service account and namespace as the ClusterSecretStore', () => {
    // GIVEN
    const catalog = new SecretCatalog({
      mount: 'secrets',
      eso: { authMountPath: 'k8s', role: 'eso', audience: 'vault-eso', serviceAccountName: 'eso-sa', serviceAccountNamespace: 'eso' },
    });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
    const resolved = resolvedFixture(catalog);
    const store = new SecretStoreChart(K8sTesting.app(), 'store', { stores: [clusterSecretStoreProps(catalog.mount, resolved.identities[0])] }).stores[0].resource.toJson();
    const vault = store.spec.provider.vault;

    // WHEN
    const json: TfJson = JSON.parse(synthVault(catalog));

    // THEN
    const role = json.resource!.vault_kubernetes_auth_backend_role.kubernetes_auth_role;
    expect(json.resource!.vault_mount.kv_mount.path).toBe(vault.path);
    expect(json.resource!.vault_auth_backend.kubernetes_auth.path).toBe(vault.auth.kubernetes.mountPath);
    expect(role.role_name).toBe(vault.auth.kubernetes.role);
    expect([role.audience]).toStrictEqual(vault.auth.kubernetes.serviceAccountRef.audiences);
    expect(role.bound_service_account_names).toStrictEqual([vault.auth.kubernetes.serviceAccountRef.name]);
    expect(role.bound_service_account_namespaces).toStrictEqual([vault.auth.kubernetes.serviceAccountRef.namespace]);
    expect([vault.path, vault.auth.kubernetes.mountPath, role.role_name, role.audience]).toStrictEqual(['secrets', 'k8s', 'eso', 'vault-eso']);
    expect(policyPaths(json.resource!.vault_policy.eso_read_policy.policy)).toStrictEqual(esoPolicyPaths('secrets/data/apps/a'));
  });

  test('takes the Kubernetes host, the number of versions and a backend', () => {
    // GIVEN / WHEN
    const props = vaultStackProps(twoPathCatalog());
    const synthesized = synthVault(twoPathCatalog(), {
      clusters: [{ ...props.clusters[0], kubernetesHost: 'https://192.168.1.10:6443' }],
      maxVersions: 20,
      backend: { kind: 's3', bucket: 'tfstate', region: 'eu-central-1' },
    });

    // THEN
    expect(synthesized).toHaveResourceWithProperties(KubernetesAuthBackendConfig, { kubernetes_host: 'https://192.168.1.10:6443' });
    expect(synthesized).toHaveResourceWithProperties(KvSecretBackendV2, { max_versions: 20 });
    expect((JSON.parse(synthesized) as TfJson).terraform!.backend).toStrictEqual({
      s3: { bucket: 'tfstate', region: 'eu-central-1', key: 'homelab-secrets/vault.tfstate', encrypt: true, use_lockfile: true },
    });
  });

  test('one policy and one role per identity, at addresses named after it; no singular getter', () => {
    // GIVEN two identities: a SecretStore in two namespaces, a ClusterSecretStore for one
    const catalog = new SecretCatalog({ mount: 'kv' });
    const shared = catalog.identity('arr', { store: { kind: 'SecretStore', name: 'vault', namespaces: ['media', 'downloads'] }, serviceAccount: { name: 'default' } });
    const monitoring = catalog.identity('metrics', { store: { kind: 'ClusterSecretStore', namespaces: ['monitoring'] }, serviceAccount: { name: 'vault-reader', namespace: 'external-secrets' }, role: 'metrics-reader' });
    catalog.path('apps/sonarr', ['key']).syncTo({ name: 'sonarr', namespace: 'media', identity: shared });
    catalog.path('apps/sabnzbd', ['key']).syncTo({ name: 'sabnzbd', namespace: 'downloads', identity: shared });
    catalog.path('infra/grafana', ['password']).syncTo({ name: 'grafana', namespace: 'monitoring', identity: monitoring });

    // WHEN
    const stack = new VaultStack(Testing.app(), 'vault', vaultStackProps(catalog));
    const json: TfJson = JSON.parse(Testing.synth(stack));

    // THEN
    expect(stack.esoReadPolicies.map((p) => p.name)).toStrictEqual(['kv-eso-read-arr', 'kv-eso-read-metrics']);
    expect(stack.kubernetesAuths.map((a) => a.roles.length)).toStrictEqual([2]);
    expect(Object.keys(json.resource!.vault_policy).sort()).toStrictEqual(['eso_read_policy_arr', 'eso_read_policy_metrics', 'operator_policy']);
    expect(policyPaths(json.resource!.vault_policy.eso_read_policy_arr.policy)).toStrictEqual(esoPolicyPaths('kv/data/apps/sabnzbd', 'kv/data/apps/sonarr'));
    expect(policyPaths(json.resource!.vault_policy.eso_read_policy_metrics.policy)).toStrictEqual(esoPolicyPaths('kv/data/infra/grafana'));
    const roles = json.resource!.vault_kubernetes_auth_backend_role;
    expect(Object.keys(roles).sort()).toStrictEqual(['kubernetes_auth_role_arr', 'kubernetes_auth_role_metrics']);
    expect([roles.kubernetes_auth_role_arr.role_name, roles.kubernetes_auth_role_arr.bound_service_account_names, roles.kubernetes_auth_role_arr.bound_service_account_namespaces, roles.kubernetes_auth_role_arr.token_policies])
      .toStrictEqual(['arr', ['default'], ['downloads', 'media'], ['${vault_policy.eso_read_policy_arr.name}']]);
    expect([roles.kubernetes_auth_role_metrics.role_name, roles.kubernetes_auth_role_metrics.bound_service_account_names, roles.kubernetes_auth_role_metrics.bound_service_account_namespaces])
      .toStrictEqual(['metrics-reader', ['vault-reader'], ['external-secrets']]);
    expect('esoReadPolicy' in stack || 'kubernetesAuth' in stack).toBe(false);
  });

  test('snapshot of a small stack', () => {
    // GIVEN / WHEN
    const synthesized = synthVault(twoPathCatalog());

    // THEN
    expect(withoutMachinePaths(synthesized)).toMatchSnapshot();
  });
});
