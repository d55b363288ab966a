import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { SecretCatalog } from '../../lib/catalog';
import { DEFAULT_KUBERNETES_HOST, KubernetesAuth } from '../../lib/tf/kubernetes-auth';
import { onlyResource } from './support';

Testing.setupJest();

describe('KubernetesAuth', () => {
  test('binds the role to the catalog service account, namespace and audience, with short tokens', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });

    // WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', { access: catalog.eso, vaultRole: catalog.vaultRole, tokenPolicies: ['homelab-eso-read'] });
    });

    // THEN
    expect(synthesized).toHaveResourceWithProperties(AuthBackend, { type: 'kubernetes', path: 'kubernetes' });
    expect(synthesized).toHaveResourceWithProperties(KubernetesAuthBackendConfig, { kubernetes_host: 'https://kubernetes.default.svc' });
    const backendRef = expect.stringMatching(/^\$\{vault_auth_backend\.[A-Za-z0-9_]+\.path\}$/);
    expect(onlyResource(synthesized, 'vault_kubernetes_auth_backend_config')).toStrictEqual({
      backend: backendRef,
      kubernetes_host: DEFAULT_KUBERNETES_HOST,
    });
    expect(onlyResource(synthesized, 'vault_kubernetes_auth_backend_role')).toStrictEqual({
      backend: backendRef,
      role_name: 'external-secrets',
      bound_service_account_names: ['external-secrets'],
      bound_service_account_namespaces: ['external-secrets'],
      audience: 'vault',
      token_policies: ['homelab-eso-read'],
      token_ttl: 900,
      token_max_ttl: 900,
    });
  });

  test('spells out the API server CA only for a Vault outside the cluster', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

    // WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', {
        access: catalog.eso,
        vaultRole: catalog.vaultRole,
        tokenPolicies: ['homelab-eso-read'],
        kubernetesHost: 'https://10.0.0.1:6443',
        kubernetesCaCert: ca,
      });
    });

    // THEN
    expect(onlyResource(synthesized, 'vault_kubernetes_auth_backend_config')).toStrictEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\.[A-Za-z0-9_]+\.path\}$/),
      kubernetes_host: 'https://10.0.0.1:6443',
      kubernetes_ca_cert: ca,
    });
  });

  test('follows non-default catalog settings', () => {
    // GIVEN
    const catalog = new SecretCatalog({
      mount: 'kv',
      eso: { authMountPath: 'k8s/home', role: 'eso', audience: 'https://vault.example', serviceAccountName: 'eso', serviceAccountNamespace: 'eso-system' },
      vaultRole: { tokenTtlSeconds: 300 },
    });

    // WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', {
        access: catalog.eso,
        vaultRole: catalog.vaultRole,
        tokenPolicies: ['a'],
        kubernetesHost: 'https://10.0.0.1:6443',
      });
    });

    // THEN
    expect(synthesized).toHaveResourceWithProperties(AuthBackend, { type: 'kubernetes', path: 'k8s/home' });
    expect(synthesized).toHaveResourceWithProperties(KubernetesAuthBackendConfig, { kubernetes_host: 'https://10.0.0.1:6443' });
    expect(onlyResource(synthesized, 'vault_kubernetes_auth_backend_role')).toMatchObject({
      role_name: 'eso',
      bound_service_account_names: ['eso'],
      bound_service_account_namespaces: ['eso-system'],
      audience: 'https://vault.example',
      token_ttl: 300,
      token_max_ttl: 300,
    });
  });

  test.each(['http://kubernetes.default.svc', 'kubernetes.default.svc', 'https://'])('refuses kubernetesHost %j', (kubernetesHost) => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });

    // WHEN / THEN
    expect(
      () => new KubernetesAuth(Testing.app(), 'KubernetesAuth', { access: catalog.eso, vaultRole: catalog.vaultRole, tokenPolicies: ['a'], kubernetesHost }),
    ).toThrow(`kubernetesHost "${kubernetesHost}" must be an https:// URL`);
  });

  test('refuses a role without policies', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });

    // WHEN / THEN
    expect(
      () => new KubernetesAuth(Testing.app(), 'KubernetesAuth', { access: catalog.eso, vaultRole: catalog.vaultRole, tokenPolicies: [] }),
    ).toThrow('KubernetesAuth role "external-secrets": tokenPolicies [] must name at least one policy');
  });
});
