import { Chart, Testing } from 'cdk8s';
import { SecretCatalog } from '../../lib/catalog';
import { VaultClusterSecretStore } from '../../lib/k8s';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

describe('VaultClusterSecretStore', () => {
  test('renders the Vault provider with Kubernetes auth, the bare mount and exactly the given namespaces', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const catalog = new SecretCatalog({ eso: { server: 'https://vault.example:8200', audience: 'vault' } });

    // WHEN
    new VaultClusterSecretStore(chart, 'Store', { mount: catalog.mount, access: catalog.eso, namespaces: ['monitoring', 'arr'] });

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
            caProvider: { type: 'Secret', name: 'vault-tls', namespace: 'vault', key: 'ca.crt' },
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
    const catalog = new SecretCatalog({ eso: { caSecretName: 'homelab-ca', caSecretNamespace: 'cert-manager', caSecretKey: 'ca.pem' } });

    // WHEN
    new VaultClusterSecretStore(chart, 'Store', { mount: catalog.mount, access: catalog.eso, namespaces: ['arr'] });

    // THEN the default https:// server names exactly that Secret and key
    const store = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
    expect([store.spec.provider.vault.server, store.spec.provider.vault.caProvider]).toStrictEqual([
      'https://vault.vault.svc:8200',
      { type: 'Secret', name: 'homelab-ca', namespace: 'cert-manager', key: 'ca.pem' },
    ]);
    expect(crdSchemaErrors(store)).toStrictEqual([]);
  });

  test('the CRD refuses a caProvider that names no Secret, so the schema check can fail', () => {
    const chart = new Chart(Testing.app(), 'test');
    const catalog = new SecretCatalog({ eso: { caSecretName: 'Not_A_Name' } });
    new VaultClusterSecretStore(chart, 'Store', { mount: catalog.mount, access: catalog.eso, namespaces: ['arr'] });
    const store = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
    const pattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
    expect(crdSchemaErrors(store)).toStrictEqual([`/spec/provider/vault/caProvider/name must match pattern "${pattern}" ${JSON.stringify({ pattern })}`]);
  });

  test('an http:// server (Vault with TLS disabled) gets no caProvider', () => {
    const chart = new Chart(Testing.app(), 'test');
    const catalog = new SecretCatalog({ eso: { server: 'http://vault.vault.svc:8200' } });
    new VaultClusterSecretStore(chart, 'Store', { mount: catalog.mount, access: catalog.eso, namespaces: ['arr'] });
    const vault = JSON.parse(JSON.stringify(Testing.synth(chart)[0])).spec.provider.vault;
    expect([vault.server, 'caProvider' in vault]).toStrictEqual(['http://vault.vault.svc:8200', false]);
  });
});
