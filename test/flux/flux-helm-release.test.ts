import { Chart, Testing } from 'cdk8s';
import type { ComponentRelease } from '../../lib/components';
import { FluxHelmRelease, FluxHelmReleaseProps } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';

const RELEASE: ComponentRelease = {
  name: 'demo',
  namespace: 'demo-system',
  chart: { chart: 'demo-chart', repoUrl: 'https://charts.example.org', version: '1.2.3' },
  values: { replicas: 2, nested: { list: ['a', { b: false }] } },
};

function synth(props: Partial<FluxHelmReleaseProps> = {}): any {
  const chart = new Chart(Testing.app(), 'test');
  new FluxHelmRelease(chart, 'Release', { release: RELEASE, namespace: 'flux-system', repository: { name: 'demo', namespace: 'flux-system' }, ...props });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('FluxHelmRelease', () => {
  test('installs the pinned chart under the release name into its namespace, with the values as given', () => {
    // GIVEN a component release
    // WHEN synthesized with its HelmRepository
    const release = synth();

    // THEN
    expect(release).toStrictEqual({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'demo', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        releaseName: 'demo',
        targetNamespace: 'demo-system',
        chart: { spec: { chart: 'demo-chart', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'demo', namespace: 'flux-system' } } },
        install: { createNamespace: true, crds: 'CreateReplace', strategy: { name: 'RetryOnFailure' } },
        upgrade: { crds: 'CreateReplace', strategy: { name: 'RetryOnFailure' } },
        values: { replicas: 2, nested: { list: ['a', { b: false }] } },
      },
    });
    expect(crdSchemaErrors(release)).toStrictEqual([]);
  });

  test('without waiting, neither install nor upgrade waits for the resources', () => {
    const { spec } = synth({ wait: false });
    expect([spec.install.disableWait, spec.upgrade.disableWait]).toStrictEqual([true, true]);
    expect(crdSchemaErrors(synth({ wait: false, interval: '1h30m' }))).toStrictEqual([]);
  });

  test('refuses names, namespaces, versions and intervals Flux or Helm would refuse, naming each', () => {
    const build = (props: Partial<FluxHelmReleaseProps>) => () => synth(props);
    expect(build({ release: { ...RELEASE, name: 'Demo' } })).toThrow('HelmRelease name "Demo" must be a DNS-1123 label');
    expect(build({ namespace: 'flux_system' })).toThrow('namespace "flux_system" of HelmRelease "demo" must be a DNS-1123 label');
    expect(build({ release: { ...RELEASE, namespace: 'Demo' } })).toThrow('target namespace "Demo" of HelmRelease "demo" must be a DNS-1123 label');
    expect(build({ repository: { name: 'Demo Repo', namespace: 'flux-system' } })).toThrow('HelmRepository name "Demo Repo" of HelmRelease "demo" must be a DNS-1123 subdomain');
    expect(build({ release: { ...RELEASE, chart: { ...RELEASE.chart, version: '1.x' } } })).toThrow('chart version "1.x" of HelmRelease "demo" must be an exact version such as 1.2.3');
    expect(build({ interval: '10 minutes' })).toThrow('interval "10 minutes" of HelmRelease "demo" must be a duration such as "10m" or "1h30m"');
  });
});
