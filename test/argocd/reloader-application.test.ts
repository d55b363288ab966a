import { Chart, Testing } from 'cdk8s';
import { ReloaderApplication, ReloaderApplicationProps } from '../../lib/argocd';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';

function synth(props?: ReloaderApplicationProps): any {
  const chart = new Chart(Testing.app(), 'test');
  new ReloaderApplication(chart, 'Reloader', props);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('ReloaderApplication', () => {
  test('installs the chart of Reloader v1.4.21 with the annotations strategy', () => {
    // GIVEN no settings
    // WHEN synthesized
    const app = synth();

    // THEN the pinned chart restarts workloads through a pod template annotation
    expect(app.metadata.name).toStrictEqual('reloader');
    expect(app.spec.source).toStrictEqual({
      repoURL: 'https://stakater.github.io/stakater-charts',
      chart: 'reloader',
      targetRevision: '2.2.16',
      helm: { releaseName: 'reloader', valuesObject: { reloader: { reloadStrategy: 'annotations' } } },
    });
    expect(app.spec.destination).toStrictEqual({ server: 'https://kubernetes.default.svc', namespace: 'reloader' });
    expect(app.spec.ignoreDifferences).toBeUndefined();
  });

  test('takes its namespace from its props', () => {
    expect(synth({ namespace: 'kube-tools' }).spec.destination.namespace).toStrictEqual('kube-tools');
  });

  test('passes the Application CRD schema and is its own defaulted form', () => {
    const app = synth();
    expect(crdSchemaErrors(app)).toStrictEqual([]);
    expect(withCrdDefaults(app)).toStrictEqual(app);
  });
});
