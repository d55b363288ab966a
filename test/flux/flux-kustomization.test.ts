import { Chart, Testing } from 'cdk8s';
import { FluxKustomization, FluxKustomizationProps } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';
import { userErrorOf } from '../support/user-error';

const SOURCE = { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } as const;

function synth(props: Partial<FluxKustomizationProps> = {}): any {
  const chart = new Chart(Testing.app(), 'test');
  new FluxKustomization(chart, 'Stage', { name: 'stage', namespace: 'flux-system', path: './clusters/home/secrets/store', sourceRef: SOURCE, ...props });
  return Testing.synth(chart)[0];
}

describe('FluxKustomization', () => {
  test('applies one folder of the source without pruning, retrying every minute', () => {
    const kustomization = synth();
    expect(kustomization).toStrictEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'stage', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        path: './clusters/home/secrets/store',
        prune: false,
        sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      },
    });
    expect(crdSchemaErrors(kustomization)).toStrictEqual([]);
  });

  test('writes dependsOn, wait, health checks and an OCIRepository source as given', () => {
    const kustomization = synth({
      dependsOn: ['before'],
      wait: true,
      sourceRef: { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' },
    });
    expect(kustomization.spec).toMatchObject({ dependsOn: [{ name: 'before' }], wait: true, sourceRef: { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' } });
    const checked = synth({ healthChecks: [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'eso', namespace: 'flux-system' }] });
    expect(checked.spec.healthChecks).toStrictEqual([{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'eso', namespace: 'flux-system' }]);
    expect(checked.spec.wait).toBeUndefined();
    const exprs = synth({ wait: true, healthCheckExprs: [{ apiVersion: 'example.org/v1', kind: 'Thing', current: "status.phase == 'Ready'", failed: "status.phase == 'Failed'" }] });
    expect(exprs.spec.healthCheckExprs).toStrictEqual([{ apiVersion: 'example.org/v1', kind: 'Thing', current: "status.phase == 'Ready'", failed: "status.phase == 'Failed'" }]);
    for (const object of [kustomization, checked, exprs]) expect(crdSchemaErrors(object)).toStrictEqual([]);
  });

  test('refuses a path outside the source, bad names and intervals', () => {
    expect(userErrorOf(() => synth({ path: 'clusters/home' }))).toStrictEqual(['Kustomization "stage": path "clusters/home" must start with "./" and stay inside the source']);
    expect(userErrorOf(() => synth({ path: './clusters/../../etc' }))).toStrictEqual(['Kustomization "stage": path "./clusters/../../etc" must start with "./" and stay inside the source']);
    expect(userErrorOf(() => synth({ name: 'Stage' }))).toStrictEqual(['Kustomization "Stage": name "Stage" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters']);
    expect(userErrorOf(() => synth({ dependsOn: ['Before'] }))).toStrictEqual(['Kustomization "stage": dependsOn "Before" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters']);
    expect(userErrorOf(() => synth({ retryInterval: '-1m' }))).toStrictEqual(['Kustomization "stage": retryInterval "-1m" must be a duration such as "10m" or "1h30m"']);
  });
});
