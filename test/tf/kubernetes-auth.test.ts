import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { DEFAULT_KUBERNETES_HOST, KubernetesAuth, KubernetesAuthRole } from '../../lib/tf/kubernetes-auth';
import { userErrorOf } from '../support/user-error';
import { onlyResource } from './support';

Testing.setupJest();

/** ESO's own role, as the cluster shorthand identity has it. */
const ESO_ROLE: KubernetesAuthRole = {
  name: 'external-secrets',
  serviceAccountNames: ['external-secrets'],
  namespaces: ['external-secrets'],
  audience: 'vault',
  tokenPolicies: ['homelab-eso-read'],
};

describe('KubernetesAuth', () => {
  test('binds a role to exactly its ServiceAccount, namespace and audience, with short tokens that carry no default policy', () => {
    // GIVEN / WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', { roles: [ESO_ROLE] });
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
      token_no_default_policy: true,
    });
  });

  test('spells out the API server CA only for a Vault outside the cluster', () => {
    // GIVEN
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

    // WHEN
    const synthesized = Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', { roles: [ESO_ROLE], kubernetesHost: 'https://10.0.0.1:6443', kubernetesCaCert: ca });
    });

    // THEN
    expect(onlyResource(synthesized, 'vault_kubernetes_auth_backend_config')).toStrictEqual({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\.[A-Za-z0-9_]+\.path\}$/),
      kubernetes_host: 'https://10.0.0.1:6443',
      kubernetes_ca_cert: ca,
    });
  });

  test('one role per identity, each at its own address; a role may bind one ServiceAccount name in several namespaces', () => {
    // GIVEN
    const roles: KubernetesAuthRole[] = [
      { id: 'media', name: 'media-reader', serviceAccountNames: ['default'], namespaces: ['media'], audience: 'vault', tokenPolicies: ['kv-eso-read-media'] },
      { id: 'arr', name: 'arr', serviceAccountNames: ['eso'], namespaces: ['media', 'downloads'], audience: 'https://vault.example', tokenPolicies: ['kv-eso-read-arr'], tokenTtlSeconds: 300 },
    ];

    // WHEN
    const synthesized = JSON.parse(Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', { path: 'k8s/home', roles, kubernetesHost: 'https://10.0.0.1:6443' });
    }));

    // THEN
    expect(synthesized.resource.vault_auth_backend[Object.keys(synthesized.resource.vault_auth_backend)[0]].path).toBe('k8s/home');
    const roleOf = ([address, r]: [string, any]) => ({
      address: address.replace(/_[0-9A-F]{8}$/, ''),
      role: r.role_name, names: r.bound_service_account_names, namespaces: r.bound_service_account_namespaces, audience: r.audience, policies: r.token_policies, ttl: [r.token_ttl, r.token_max_ttl], noDefault: r.token_no_default_policy,
    });
    expect(Object.entries(synthesized.resource.vault_kubernetes_auth_backend_role).map(roleOf).sort((x, y) => x.role.localeCompare(y.role))).toStrictEqual([
      { address: 'KubernetesAuth_Role-arr', role: 'arr', names: ['eso'], namespaces: ['media', 'downloads'], audience: 'https://vault.example', policies: ['kv-eso-read-arr'], ttl: [300, 300], noDefault: true },
      { address: 'KubernetesAuth_Role-media', role: 'media-reader', names: ['default'], namespaces: ['media'], audience: 'vault', policies: ['kv-eso-read-media'], ttl: [900, 900], noDefault: true },
    ]);
  });

  test('no role is fine: the backend and its config wait for identities', () => {
    const synthesized = JSON.parse(Testing.synthScope((scope) => {
      new KubernetesAuth(scope, 'KubernetesAuth', { roles: [] });
    }));
    expect(Object.keys(synthesized.resource).sort()).toStrictEqual(['vault_auth_backend', 'vault_kubernetes_auth_backend_config']);
  });

  test.each(['http://kubernetes.default.svc', 'kubernetes.default.svc', 'https://'])('refuses kubernetesHost %j', (kubernetesHost) => {
    expect(userErrorOf(() => new KubernetesAuth(Testing.app(), 'KubernetesAuth', { roles: [ESO_ROLE], kubernetesHost }))).toStrictEqual([
      `KubernetesAuth: kubernetesHost "${kubernetesHost}" must be an https:// URL`,
    ]);
  });

  test('refuses a role the catalog validator would refuse, with its words', () => {
    const build = (role: Partial<KubernetesAuthRole>, path?: string) => () => new KubernetesAuth(Testing.app(), 'KubernetesAuth', { path, roles: [{ ...ESO_ROLE, ...role }] });
    expect(userErrorOf(build({ tokenPolicies: [] }))).toStrictEqual(['KubernetesAuth role "external-secrets": tokenPolicies [] must name at least one policy']);
    expect(userErrorOf(build({ name: 'a b' }))).toStrictEqual(['KubernetesAuth role "a b": name "a b" must be a Vault role name (^\\w([\\w.@-]*\\w)?$)']);
    expect(userErrorOf(build({ namespaces: ['Media'] }))).toStrictEqual([
      'KubernetesAuth role "external-secrets": namespace "Media" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters',
    ]);
    expect(userErrorOf(build({ audience: '${var.x}' }))).toStrictEqual([
      'KubernetesAuth role "external-secrets": audience "${var.x}" must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax',
    ]);
    expect(userErrorOf(build({}, '/kubernetes'))).toStrictEqual(['KubernetesAuth: path "/kubernetes" must be a non-empty auth path without leading, trailing or double "/"']);
    expect(userErrorOf(() => new KubernetesAuth(Testing.app(), 'KubernetesAuth', { roles: [ESO_ROLE, ESO_ROLE] }))).toStrictEqual([
      'KubernetesAuth role "external-secrets": name "external-secrets" is given twice: a role name is unique in its auth backend',
    ]);
  });
});
