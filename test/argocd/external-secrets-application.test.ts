import { Chart, Testing } from 'cdk8s';
import { ExternalSecretsApplication } from '../../lib/argocd';
import { ESO_DEFAULTS, SecretCatalog } from '../../lib/catalog';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

function synth(catalog = new SecretCatalog({ mount: 'homelab' })): any {
  const chart = new Chart(Testing.app(), 'test');
  new ExternalSecretsApplication(chart, 'Eso', { access: catalog.eso });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('ExternalSecretsApplication', () => {
  test('installs the chart that matches the vendored CRDs, into the service account namespace', () => {
    // GIVEN the catalog's default ESO settings
    // WHEN synthesized
    const app = synth();

    // THEN the pinned chart goes to external-secrets
    expect(app.metadata.name).toStrictEqual('external-secrets');
    expect(app.spec.source).toMatchObject({
      repoURL: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      targetRevision: '2.9.0',
      helm: { releaseName: 'external-secrets' },
    });
    expect(app.spec.destination.namespace).toStrictEqual(ESO_DEFAULTS.serviceAccountNamespace);
  });

  test('installs the CRDs and names the service account the Vault role binds', () => {
    // GIVEN the catalog whose resolved ESO settings the store and the Vault role also render
    const catalog = new SecretCatalog({ mount: 'homelab' });

    // WHEN synthesized
    const values = synth(catalog).spec.source.helm.valuesObject;

    // THEN the CRDs come with the chart and the service account is the one shared name
    expect(values).toStrictEqual({
      installCRDs: true,
      crds: { conversion: { enabled: false } },
      serviceAccount: { create: true, name: 'external-secrets' },
    });
    expect(values.serviceAccount.name).toStrictEqual(ESO_DEFAULTS.serviceAccountName);
    expect(values.serviceAccount.name).toStrictEqual(catalog.eso.serviceAccountName);
  });

  test('follows a catalog that renames the service account and its namespace', () => {
    // GIVEN a catalog with its own ESO service account
    const catalog = new SecretCatalog({ mount: 'kv', eso: { serviceAccountName: 'eso', serviceAccountNamespace: 'eso-system' } });

    // WHEN synthesized
    const app = synth(catalog);

    // THEN the chart installs that account where the store and the Vault role expect it
    expect(app.spec.source.helm.valuesObject.serviceAccount).toStrictEqual({ create: true, name: 'eso' });
    expect(app.spec.destination.namespace).toStrictEqual('eso-system');
  });

  test('applies server-side, because the CRDs are too large for a last-applied annotation', () => {
    expect(synth().spec.syncPolicy).toStrictEqual({
      automated: { prune: false, selfHeal: true },
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
    });
  });

  test('ignores only the webhook caBundle the cert-controller injects at runtime', () => {
    expect(synth().spec.ignoreDifferences).toStrictEqual([
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        name: 'secretstore-validate',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        name: 'externalsecret-validate',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
    ]);
  });

  test('passes the Application CRD schema and is its own defaulted form', () => {
    const app = synth();
    expect(crdSchemaErrors(app)).toStrictEqual([]);
    expect(withCrdDefaults(app)).toStrictEqual(app);
  });
});
