import { Chart, Testing } from 'cdk8s';
import { VaultClusterSecretStore } from '../../lib/k8s';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

describe('VaultClusterSecretStore', () => {
  test('renders the Vault provider with Kubernetes auth, the bare mount and exactly the given namespaces', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const props = {
      name: 'vault-backend',
      server: 'https://vault.example:8200',
      mount: 'homelab',
      authMountPath: 'kubernetes',
      role: 'external-secrets',
      serviceAccountName: 'external-secrets',
      serviceAccountNamespace: 'external-secrets',
      audience: 'vault',
    };

    // WHEN
    new VaultClusterSecretStore(chart, 'Store', { ...props, namespaces: ['monitoring', 'arr'] });

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
});
