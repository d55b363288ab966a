import { Chart, Testing } from 'cdk8s';
import { HelmApplication, HelmApplicationProps } from '../../lib/argocd';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { userErrorOf } from '../support/user-error';

const CHART = { chart: 'demo', repoUrl: 'https://charts.example.com', version: '1.2.3' };

function synth(props: Partial<HelmApplicationProps> = {}): any {
  const chart = new Chart(Testing.app(), 'test');
  new HelmApplication(chart, 'App', { name: 'demo', namespace: 'demo', chart: CHART, ...props });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

function build(props: Partial<HelmApplicationProps>): void {
  new HelmApplication(new Chart(Testing.app(), 'test'), 'App', { name: 'demo', namespace: 'demo', chart: CHART, ...props });
}

describe('HelmApplication', () => {
  test('renders a pinned chart with structured values, automated sync and the components wave', () => {
    // GIVEN a chart and values
    // WHEN the Application is synthesized with defaults
    const app = synth({ values: { replicas: 2, nested: { enabled: true, list: ['a'] } } });

    // THEN every field is written out, without finalizers
    expect(app).toStrictEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'demo',
        namespace: 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': '-2' },
      },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'demo' },
        source: {
          repoURL: 'https://charts.example.com',
          chart: 'demo',
          targetRevision: '1.2.3',
          helm: { releaseName: 'demo', valuesObject: { nested: { enabled: true, list: ['a'] }, replicas: 2 } },
        },
        syncPolicy: {
          automated: { prune: false, selfHeal: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
  });

  test('passes the vendored Application CRD schema and is its own defaulted form', () => {
    // GIVEN an Application with every optional part set
    const app = synth({
      values: { a: 'b' },
      extraSyncOptions: ['ServerSideApply=true'],
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', name: 'x', jqPathExpressions: ['.spec.replicas'], reason: 'HPA' }],
      prune: true,
    });

    // THEN the schema check finds nothing and the API server would add nothing
    expect(crdSchemaErrors(app)).toStrictEqual([]);
    expect(withCrdDefaults(app)).toStrictEqual(app);
  });

  test('the schema check would catch a field the API server prunes', () => {
    // GIVEN a rendered Application with a misspelt field
    const app = synth();
    app.spec.syncPolicy.syncOption = ['CreateNamespace=true'];

    // THEN the vendored CRD refuses it, so the checks above are not vacuous
    expect(crdSchemaErrors(app)).toStrictEqual([
      '/spec/syncPolicy must NOT have additional properties {"additionalProperty":"syncOption"}',
    ]);
  });

  test('renders ignoreDifferences without their reasons, and extra sync options after CreateNamespace', () => {
    // GIVEN an ignored field with its reason and an extra sync option
    // WHEN synthesized
    const app = synth({
      extraSyncOptions: ['ServerSideApply=true'],
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'], reason: 'an HPA scales it' }],
    });

    // THEN the reason stays in the code and the options keep their order
    expect(app.spec.ignoreDifferences).toStrictEqual([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }]);
    expect(app.spec.syncPolicy.syncOptions).toStrictEqual(['CreateNamespace=true', 'ServerSideApply=true']);
  });

  test('takes the project, destination server, Argo CD namespace and wave from its props', () => {
    // GIVEN non-default destination settings
    // WHEN synthesized
    const app = synth({ project: 'platform', server: 'https://10.0.0.1:6443', argoNamespace: 'gitops', syncWave: -5 });

    // THEN they land where Argo CD reads them
    expect(app.metadata).toStrictEqual({ name: 'demo', namespace: 'gitops', annotations: { 'argocd.argoproj.io/sync-wave': '-5' } });
    expect(app.spec.project).toStrictEqual('platform');
    expect(app.spec.destination).toStrictEqual({ server: 'https://10.0.0.1:6443', namespace: 'demo' });
  });

  test('refuses names Argo CD cannot track, version ranges and fractional waves', () => {
    expect(userErrorOf(() => build({ name: 'Demo' }))).toStrictEqual([
      'Application "Demo": name "Demo" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(() => build({ namespace: 'demo_ns' }))).toStrictEqual([
      'Application "demo": namespace "demo_ns" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(() => build({ chart: { ...CHART, version: '1.2.*' } }))).toStrictEqual([
      'Application "demo": chart version "1.2.*" must be an exact version such as 1.2.3']);
    expect(userErrorOf(() => build({ syncWave: 0.5 }))).toStrictEqual(['Application "demo": sync wave 0.5 must be an integer']);
  });

  test('refuses values the manifest cannot carry as given: every null (cdk8s drops it), undefined in a list, NaN, a function, all at once', () => {
    // GIVEN Helm's "remove the default" idiom, which cdk8s would silently drop from the Application
    const values = { server: { ha: null, replicas: Number.NaN }, list: ['a', undefined, null], hook: (() => 1) as never, kept: undefined } as never;
    // THEN each is named by its path, and nothing renders
    expect(userErrorOf(() => build({ values }))).toStrictEqual([
      'Application "demo": values.server.ha null is null, which cdk8s leaves out of the manifest, so Helm would keep the chart\'s default: set the value to use instead, or leave the key out to keep the default',
      'Application "demo": values.server.replicas NaN is not a number JSON or YAML can write: give a finite number',
      'Application "demo": values.list[1] undefined is undefined in a list: a list of Helm values holds values only',
      'Application "demo": values.list[2] null is null, which cdk8s leaves out of the manifest, so Helm would keep the chart\'s default: set the value to use instead, or leave the key out to keep the default',
      'Application "demo": values.hook a function is not a Helm value: give a string, number, boolean, list or map',
    ]);
  });
});
