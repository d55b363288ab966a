import { Chart, Testing } from 'cdk8s';
import type { ComponentRelease } from '../../lib/components';
import { FluxHelmRelease, FluxHelmReleaseProps } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';
import { userErrorOf } from '../support/user-error';

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
    expect(userErrorOf(build({ release: { ...RELEASE, name: 'Demo' } }))).toStrictEqual(['HelmRelease "Demo": name "Demo" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(build({ namespace: 'flux_system' }))).toStrictEqual(['HelmRelease "demo": namespace "flux_system" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(build({ release: { ...RELEASE, namespace: 'Demo' } }))).toStrictEqual(['HelmRelease "demo": target namespace "Demo" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(build({ repository: { name: 'Demo Repo', namespace: 'flux-system' } }))).toStrictEqual(['HelmRelease "demo": HelmRepository name "Demo Repo" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters']);
    expect(userErrorOf(build({ release: { ...RELEASE, chart: { ...RELEASE.chart, version: '1.x' } } }))).toStrictEqual(['HelmRelease "demo": chart version "1.x" must be an exact version such as 1.2.3']);
    expect(userErrorOf(build({ interval: '10 minutes' }))).toStrictEqual(['HelmRelease "demo": interval "10 minutes" must be a duration such as "10m" or "1h30m"']);
  });

  test('refuses a null value, which cdk8s would drop from the HelmRelease, naming its path', () => {
    const build = () => synth({ release: { ...RELEASE, values: { nested: { removeDefault: null } } as never } });
    expect(userErrorOf(build)).toStrictEqual([
      'HelmRelease "demo": values.nested.removeDefault null is null, which cdk8s leaves out of the manifest, so Helm would keep the chart\'s default: set the value to use instead, or leave the key out to keep the default',
    ]);
  });
});
