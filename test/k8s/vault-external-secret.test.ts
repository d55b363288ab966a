import { Chart, Testing } from 'cdk8s';
import { SecretCatalog, SyncTarget } from '../../lib/catalog';
import { VaultExternalSecret, VaultExternalSecretProps } from '../../lib/k8s';
import { externalSecretProps } from '../../lib/k8s/private/catalog-mapping';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';

/** Renders the construct from its own props. */
function renderProps(props: VaultExternalSecretProps): any {
  const chart = new Chart(Testing.app(), 'test');
  new VaultExternalSecret(chart, 'Es', props);
  const object = JSON.parse(JSON.stringify(Testing.synth(chart)[0]));
  // Every rendered ExternalSecret must pass the CRD schema and ESO's webhook, and show no Argo CD diff.
  expect(crdSchemaErrors(object)).toStrictEqual([]);
  expect(esoWebhookViolations(object)).toStrictEqual([]);
  expect(withCrdDefaults(object)).toStrictEqual(object);
  return object;
}

/** Renders a catalog target through the mapper, as the synth does. */
function render(target: SyncTarget): any {
  return renderProps(externalSecretProps(target, { kind: 'ClusterSecretStore', name: 'vault-backend' }));
}

const ANNOTATIONS = {
  'argocd.argoproj.io/sync-wave': '0',
  'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
};
const STORE_REF = { kind: 'ClusterSecretStore', name: 'vault-backend' };
const PLAIN_TEMPLATE = { engineVersion: 'v2', mergePolicy: 'Replace', metadata: {} };

describe('VaultExternalSecret', () => {
  test('takes its own props: a name other than the Secret\'s, copied keys and an extracted path', () => {
    // WHEN
    const es = renderProps({
      name: 'db-externalsecret',
      namespace: 'apps',
      storeName: 'vault',
      secretName: 'db',
      data: [{ secretKey: 'DB_USER', remoteKey: 'apps/db', property: 'user' }],
      extract: ['apps/shared'],
    });

    // THEN
    expect(es).toStrictEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db-externalsecret', namespace: 'apps', annotations: ANNOTATIONS },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
        target: { name: 'db', creationPolicy: 'Owner', deletionPolicy: 'Retain', template: PLAIN_TEMPLATE },
        data: [{ secretKey: 'DB_USER', remoteRef: { key: 'apps/db', property: 'user' } }],
        dataFrom: [{ extract: { key: 'apps/shared' } }],
      },
    });
  });

  test('an Owner target copies each declared key with remoteRef.key inside the mount', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const target = catalog.path('infrastructure/minio', ['rootUser', 'rootPassword']).syncTo({ name: 'minio-credentials', namespace: 'backups' });

    // WHEN
    const es = render(target);

    // THEN
    expect(es).toStrictEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'minio-credentials', namespace: 'backups', annotations: ANNOTATIONS },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: STORE_REF,
        target: { name: 'minio-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain', template: PLAIN_TEMPLATE },
        data: [
          { secretKey: 'rootUser', remoteRef: { key: 'infrastructure/minio', property: 'rootUser' } },
          { secretKey: 'rootPassword', remoteRef: { key: 'infrastructure/minio', property: 'rootPassword' } },
        ],
      },
    });
  });

  test('a Merge target with a renamed subset, a refresh interval and the Reloader match annotation', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const target = catalog.path('infrastructure/argocd-oidc', ['oidc.authentik.clientSecret', 'unused']).syncTo({
      name: 'argocd-secret',
      namespace: 'argocd',
      creationPolicy: 'Merge',
      keys: ['oidc.authentik.clientSecret'],
      renames: { 'oidc.authentik.clientSecret': 'oidc.clientSecret' },
      refreshInterval: '15m',
      reloaderMatch: true,
    });

    // WHEN
    const es = render(target);

    // THEN
    expect(es.spec).toStrictEqual({
      refreshInterval: '15m',
      secretStoreRef: STORE_REF,
      target: {
        name: 'argocd-secret',
        creationPolicy: 'Merge',
        deletionPolicy: 'Retain',
        template: { engineVersion: 'v2', mergePolicy: 'Replace', metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
      },
      data: [{ secretKey: 'oidc.clientSecret', remoteRef: { key: 'infrastructure/argocd-oidc', property: 'oidc.authentik.clientSecret' } }],
    });
  });

  test('a Secret composed from two paths lists both in data[]', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const db = catalog.path('apps/db', ['user', 'password']);
    const api = catalog.path('apps/api', ['token']);
    const target = catalog.addTarget({ name: 'app-env', namespace: 'apps', sources: [db.select(), api.select({ renames: { token: 'API_TOKEN' } })] });

    // WHEN
    const es = render(target);

    // THEN
    expect(es.spec.data).toStrictEqual([
      { secretKey: 'user', remoteRef: { key: 'apps/db', property: 'user' } },
      { secretKey: 'password', remoteRef: { key: 'apps/db', property: 'password' } },
      { secretKey: 'API_TOKEN', remoteRef: { key: 'apps/api', property: 'token' } },
    ]);
    expect(es.spec.dataFrom).toBeUndefined();
  });

  test('"all keys" of a path becomes dataFrom.extract, with a Secret type, labels and annotations', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const registry = catalog.path('apps/registry', ['.dockerconfigjson']);
    const target = catalog.addTarget({
      name: 'registry-pull',
      namespace: 'apps',
      sources: [registry.extractAll()],
      type: 'kubernetes.io/dockerconfigjson',
      labels: { 'app.kubernetes.io/part-of': 'registry' },
      annotations: { 'example.com/owner': 'ops' },
    });

    // WHEN
    const es = render(target);

    // THEN
    expect(es.spec.data).toBeUndefined();
    expect(es.spec.dataFrom).toStrictEqual([{ extract: { key: 'apps/registry' } }]);
    expect(es.spec.target.template).toStrictEqual({
      engineVersion: 'v2',
      mergePolicy: 'Replace',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { labels: { 'app.kubernetes.io/part-of': 'registry' }, annotations: { 'example.com/owner': 'ops' } },
    });
  });

  test('templated values render into target.template.data', () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const target = catalog.path('apps/db', ['user', 'password']).syncTo({
      name: 'db-url',
      namespace: 'apps',
      templateMergePolicy: 'Merge',
      template: (v) => ({ DATABASE_URL: `postgres://${v.user}:${v.password}@db:5432/app` }),
    });

    // WHEN
    const es = render(target);

    // THEN
    expect(es.spec.target.template).toStrictEqual({
      engineVersion: 'v2',
      mergePolicy: 'Merge',
      metadata: {},
      data: { DATABASE_URL: 'postgres://{{ .user }}:{{ .password }}@db:5432/app' },
    });
  });
});

describe('VaultExternalSecret used directly refuses what Kubernetes would, with the catalog\'s rules', () => {
  const base: VaultExternalSecretProps = { name: 'db', namespace: 'apps', storeName: 'vault', data: [{ secretKey: 'ok', remoteKey: 'apps/db', property: 'ok' }] };
  const make = (props: Partial<VaultExternalSecretProps>) => () => new VaultExternalSecret(new Chart(Testing.app(), 'test'), 'es', { ...base, ...props });

  test('a Secret key, a template value, a label, the annotations\' size and a duration', () => {
    expect(make({ data: [{ secretKey: '..', remoteKey: 'apps/db', property: 'k' }] }))
      .toThrow('ExternalSecret "db": secretKey ".." must not be "." or "..": Kubernetes refuses them as Secret keys, which name files in a volume');
    expect(make({ template: { data: { out: 1 as never } } })).toThrow('ExternalSecret "db": template.out 1 must be a string');
    expect(make({ template: { labels: { 'a b': 'x' } } })).toThrow('ExternalSecret "db": labels key "a b" must be a Kubernetes qualified name');
    expect(make({ template: { annotations: { a: 'v'.repeat(256 * 1024) } } }))
      .toThrow('ExternalSecret "db": annotations "1 annotation" must hold at most 262144 bytes (256 KiB) of keys and values together, as Kubernetes limits them; these hold 262145');
    expect(make({ refreshInterval: '2562048h' })).toThrow('ExternalSecret "db": refreshInterval "2562048h" must be a Go duration such as "1h", "30m" or "1h0m0s", of at most 2562047h');
  });

  test('keys named constructor and __proto__ render exactly', () => {
    const chart = new Chart(Testing.app(), 'test');
    const data: Record<string, string> = {};
    Object.defineProperty(data, '__proto__', { value: 'p', enumerable: true });
    Object.defineProperty(data, 'constructor', { value: 'c', enumerable: true });
    new VaultExternalSecret(chart, 'es', { ...base, template: { data, labels: { constructor: 'x' } } });
    const template = Testing.synth(chart)[0].spec.target.template;
    expect([Object.entries(template.data), template.metadata.labels]).toStrictEqual([[['__proto__', 'p'], ['constructor', 'c']], { constructor: 'x' }]);
  });
});
