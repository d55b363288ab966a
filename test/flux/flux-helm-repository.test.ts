import { Chart, Testing } from 'cdk8s';
import { FluxHelmRepository, FluxHelmRepositoryProps } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';

function synth(props: Partial<FluxHelmRepositoryProps> = {}): any {
  const chart = new Chart(Testing.app(), 'test');
  new FluxHelmRepository(chart, 'Repo', { name: 'demo', namespace: 'flux-system', url: 'https://charts.example.org', ...props });
  return Testing.synth(chart)[0];
}

describe('FluxHelmRepository', () => {
  test('fetches the https Helm repository index hourly', () => {
    const repository = synth();
    expect(repository).toStrictEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'demo', namespace: 'flux-system' },
      spec: { interval: '1h', url: 'https://charts.example.org' },
    });
    expect(crdSchemaErrors(repository)).toStrictEqual([]);
  });

  test('refuses a URL that is not an https Helm repository, and bad names', () => {
    expect(() => synth({ url: 'oci://ghcr.io/example/charts' })).toThrow('url "oci://ghcr.io/example/charts" of HelmRepository "demo" must be an https:// Helm repository URL');
    expect(() => synth({ url: 'http://charts.example.org' })).toThrow('must be an https:// Helm repository URL');
    expect(() => synth({ name: 'Demo' })).toThrow('HelmRepository name "Demo" must be a DNS-1123 subdomain');
    expect(() => synth({ namespace: 'a.b' })).toThrow('namespace "a.b" of HelmRepository "demo" must be a DNS-1123 label');
    expect(() => synth({ interval: '1d' })).toThrow('interval "1d" of HelmRepository "demo" must be a duration such as "10m" or "1h30m"');
  });
});
