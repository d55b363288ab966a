import { Chart, Testing } from 'cdk8s';
import { FluxHelmRepository, FluxHelmRepositoryProps } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';
import { userErrorOf } from '../support/user-error';

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
    expect(userErrorOf(() => synth({ url: 'oci://ghcr.io/example/charts' }))).toStrictEqual(['HelmRepository "demo": url "oci://ghcr.io/example/charts" must be an https:// Helm repository URL']);
    expect(userErrorOf(() => synth({ url: 'http://charts.example.org' }))).toStrictEqual(['HelmRepository "demo": url "http://charts.example.org" must be an https:// Helm repository URL']);
    expect(userErrorOf(() => synth({ name: 'Demo' }))).toStrictEqual(['HelmRepository "Demo": name "Demo" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters']);
    expect(userErrorOf(() => synth({ namespace: 'a.b' }))).toStrictEqual(['HelmRepository "demo": namespace "a.b" must be a DNS-1123 label (^[a-z0-9]([-a-z0-9]*[a-z0-9])?$) of at most 63 characters']);
    expect(userErrorOf(() => synth({ interval: '1d' }))).toStrictEqual(['HelmRepository "demo": interval "1d" must be a duration such as "10m" or "1h30m"']);
  });
});
