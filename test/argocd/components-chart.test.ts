import { Testing } from 'cdk8s';
import { COMPONENTS_CHART_ID, ComponentsChart } from '../../lib/argocd';
import type { PlatformSettings } from '../../lib/catalog';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { FIXTURE_SETTINGS, resolvedFixture } from '../support/fixtures';

function synth(settings: Partial<PlatformSettings> = {}): any[] {
  const declaration = resolvedFixture(undefined, { ...FIXTURE_SETTINGS, ...settings });
  return Testing.synth(new ComponentsChart(Testing.app(), COMPONENTS_CHART_ID, { declaration }));
}

describe('ComponentsChart', () => {
  test('holds the Applications of Vault, ESO and Reloader, all in the components wave', () => {
    // GIVEN the fixture declaration
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
    for (const object of synth({ vault: { ingress: { host: 'vault.example.lan' } } })) {
      expect(crdSchemaErrors(object)).toStrictEqual([]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('applies the Argo CD settings to every Application', () => {
    // GIVEN another project, cluster and Argo CD namespace
    // WHEN synthesized
    const objects = synth({ argocd: { project: 'platform', server: 'https://10.0.0.1:6443', namespace: 'gitops' } });

    // THEN all three Applications use them
    for (const object of objects) {
      expect(object.metadata.namespace).toStrictEqual('gitops');
      expect(object.spec.project).toStrictEqual('platform');
      expect(object.spec.destination.server).toStrictEqual('https://10.0.0.1:6443');
    }
  });

  test('installs Vault under the declared release and namespace, the address the store derives', () => {
    const declaration = resolvedFixture(undefined, { ...FIXTURE_SETTINGS, vault: { namespace: 'secrets', releaseName: 'bao' } });
    const chart = new ComponentsChart(Testing.app(), COMPONENTS_CHART_ID, { declaration });
    expect([chart.vault!.name, chart.vault!.namespace, chart.vault!.serviceUrl, declaration.identities[0].server]).toStrictEqual([
      'bao', 'secrets', 'https://bao.secrets.svc:8200', 'https://bao.secrets.svc:8200',
    ]);
    expect(declaration.identities[0].caProvider).toStrictEqual({ type: 'Secret', name: 'vault-tls', namespace: 'secrets', key: 'ca.crt' });
  });

  test('a Vault on plain HTTP gives an http:// store without a caProvider, derived, never checked', () => {
    const declaration = resolvedFixture(undefined, { ...FIXTURE_SETTINGS, vault: { tls: { disabled: true } } });
    const chart = new ComponentsChart(Testing.app(), COMPONENTS_CHART_ID, { declaration });
    expect([chart.vault!.serviceUrl, chart.vault!.tlsSecretName, declaration.identities[0].server, declaration.identities[0].caProvider]).toStrictEqual([
      'http://vault.vault.svc:8200', undefined, 'http://vault.vault.svc:8200', undefined,
    ]);
  });

  test('without a storage class or size, leaves both to the chart and the cluster', () => {
    const vault = synth({ vault: {} })[0];
    expect(vault.spec.source.helm.valuesObject.server.dataStorage).toStrictEqual({ enabled: true, mountPath: '/vault/data' });
  });
});
