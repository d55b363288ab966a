import { Chart, Testing } from 'cdk8s';
import { VaultClusterSecretStore } from '../../lib/k8s';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

const PROPS = {
  name: 'vault-backend',
  server: 'https://vault.example:8200',
  mount: 'homelab',
  authMountPath: 'kubernetes',
  role: 'external-secrets',
  serviceAccountName: 'external-secrets',
  serviceAccountNamespace: 'external-secrets',
  audience: 'vault',
};

describe('VaultClusterSecretStore', () => {
  test('renders the Vault provider with Kubernetes auth, the bare mount and exactly the given namespaces', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');

    // WHEN
    new VaultClusterSecretStore(chart, 'Store', { ...PROPS, namespaces: ['monitoring', 'arr'] });

    // THEN
    const store = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
    expect(store).toStrictEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: {
        name: 'vault-backend',
        annotations: {
          'argocd.argoproj.io/sync-wave': '-1',
          'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
        },
      },
      spec: {
        provider: {
          vault: {
            server: 'https://vault.example:8200',
            path: 'homelab',
            version: 'v2',
            auth: {
              kubernetes: {
                mountPath: 'kubernetes',
                role: 'external-secrets',
                serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets', audiences: ['vault'] },
              },
            },
          },
        },
        conditions: [{ namespaces: ['arr', 'monitoring'] }],
      },
    });
    expect(crdSchemaErrors(store)).toStrictEqual([]);
    expect(withCrdDefaults(store)).toStrictEqual(store);
  });

  test('an https:// server trusts the CA Secret it is given, and the CRD accepts it', () => {
    // GIVEN a CA from another Secret
    const chart = new Chart(Testing.app(), 'test');

    // WHEN
    new VaultClusterSecretStore(chart, 'Store', {
      ...PROPS, server: 'https://vault.vault.svc:8200', caProvider: { name: 'homelab-ca', namespace: 'cert-manager', key: 'ca.pem' }, namespaces: ['arr'],
    });

    // THEN the https:// server names exactly that Secret and key
    const store = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
    expect([store.spec.provider.vault.server, store.spec.provider.vault.caProvider]).toStrictEqual([
      'https://vault.vault.svc:8200',
      { type: 'Secret', name: 'homelab-ca', namespace: 'cert-manager', key: 'ca.pem' },
    ]);
    expect(crdSchemaErrors(store)).toStrictEqual([]);
  });

  test('the CRD refuses a caProvider that names no Secret, so the schema check can fail', () => {
    const chart = new Chart(Testing.app(), 'test');
    new VaultClusterSecretStore(chart, 'Store', { ...PROPS, caProvider: { name: 'Not_A_Name', namespace: 'vault', key: 'ca.crt' }, namespaces: ['arr'] });
    const store = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
    const pattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
    expect(crdSchemaErrors(store)).toStrictEqual([`/spec/provider/vault/caProvider/name must match pattern "${pattern}" ${JSON.stringify({ pattern })}`]);
  });

  test('without a caProvider (Vault with TLS disabled) the store has none', () => {
    const chart = new Chart(Testing.app(), 'test');
    new VaultClusterSecretStore(chart, 'Store', { ...PROPS, server: 'http://vault.vault.svc:8200', namespaces: ['arr'] });
    const vault = JSON.parse(JSON.stringify(Testing.synth(chart)[0])).spec.provider.vault;
    expect([vault.server, 'caProvider' in vault]).toStrictEqual(['http://vault.vault.svc:8200', false]);
  });
});
