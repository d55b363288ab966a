import { Testing } from 'cdk8s';
import { COMPONENTS_CHART_ID, ComponentsChart, ComponentsChartProps } from '../../lib/argocd';
import { SecretCatalog } from '../../lib/catalog';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

const KMS = { region: 'eu-central-1', alias: 'alias/vault-unseal' };

function synth(props: Partial<ComponentsChartProps> = {}): any[] {
  const chart = new ComponentsChart(Testing.app(), COMPONENTS_CHART_ID, { catalog: new SecretCatalog(), kms: KMS, ...props });
  return Testing.synth(chart);
}

describe('ComponentsChart', () => {
  test('holds the Applications of Vault, ESO and Reloader, all in the components wave', () => {
    // GIVEN the default catalog
    // WHEN the chart is synthesized
    const objects = synth();

    // THEN there are exactly three Applications in wave -2, in argocd
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace, o.metadata.annotations['argocd.argoproj.io/sync-wave']]))
      .toStrictEqual([
        ['Application', 'vault', 'argocd', '-2'],
        ['Application', 'external-secrets', 'argocd', '-2'],
        ['Application', 'reloader', 'argocd', '-2'],
      ]);
  });

  test('every Application passes the vendored CRD schema and is its own defaulted form', () => {
    for (const object of synth({ vault: { ingress: { host: 'vault.homelab.local' } } })) {
      expect(crdSchemaErrors(object)).toStrictEqual([]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('applies the Argo CD settings to every Application', () => {
    // GIVEN another project, cluster and Argo CD namespace
    // WHEN synthesized
    const objects = synth({ argo: { project: 'platform', server: 'https://10.0.0.1:6443', argoNamespace: 'gitops' } });

    // THEN all three Applications use them
    for (const object of objects) {
      expect(object.metadata.namespace).toStrictEqual('gitops');
      expect(object.spec.project).toStrictEqual('platform');
      expect(object.spec.destination.server).toStrictEqual('https://10.0.0.1:6443');
    }
  });

  test('refuses a store that would not reach the Vault it installs', () => {
    // GIVEN a catalog whose store points elsewhere
    const catalog = new SecretCatalog({ eso: { server: 'http://vault.secrets.svc:8200' } });

    // WHEN synthesized THEN synth names the mismatch
    expect(() => synth({ catalog })).toThrow(
      'ClusterSecretStore server "http://vault.secrets.svc:8200" is not the address of the Vault this chart installs ("https://vault.vault.svc:8200")');
  });

  test('a Vault on plain HTTP needs an http:// store, and then gets it', () => {
    // GIVEN Vault with TLS disabled and the default (https://) store
    // WHEN synthesized THEN the scheme mismatch is named
    expect(() => synth({ vault: { tls: { disabled: true } } })).toThrow(
      'ClusterSecretStore server "https://vault.vault.svc:8200" is not the address of the Vault this chart installs ("http://vault.vault.svc:8200")');

    // GIVEN an http:// store as well, WHEN synthesized, THEN it is accepted
    const catalog = new SecretCatalog({ eso: { server: 'http://vault.vault.svc:8200' } });
    expect(synth({ catalog, vault: { tls: { disabled: true } } }).map((o) => o.metadata.name)).toStrictEqual(['vault', 'external-secrets', 'reloader']);
  });

  test('matches the snapshot', () => {
    expect(synth({ vault: { storageClass: 'nfs-client', storageSize: '10Gi', ingress: { host: 'vault.homelab.local' } } })).toMatchSnapshot();
  });
});
