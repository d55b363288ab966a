import { Testing } from 'cdk8s';
import type { PlatformSettings } from '../../lib/catalog';
import { componentReleases } from '../../lib/components';
import { FLUX_COMPONENTS_CHART_ID, FluxComponentsChart } from '../../lib/flux';
import { crdSchemaErrors } from '../support/crd-schema';
import { FIXTURE_SETTINGS, resolvedFixture } from '../support/fixtures';

function synth(settings: PlatformSettings = { ...FIXTURE_SETTINGS, gitops: 'flux' }): { objects: any[]; chart: FluxComponentsChart } {
  const chart = new FluxComponentsChart(Testing.app(), FLUX_COMPONENTS_CHART_ID, { declaration: resolvedFixture(undefined, settings) });
  return { objects: Testing.synth(chart), chart };
}

describe('FluxComponentsChart', () => {
  test('holds a HelmRepository and a HelmRelease per component, in Flux\'s namespace, each from the component\'s release', () => {
    const { objects } = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toStrictEqual([
      'HelmRepository flux-system/vault', 'HelmRelease flux-system/vault',
      'HelmRepository flux-system/external-secrets', 'HelmRelease flux-system/external-secrets',
      'HelmRepository flux-system/reloader', 'HelmRelease flux-system/reloader',
    ]);
    const releases = componentReleases(resolvedFixture(undefined, { ...FIXTURE_SETTINGS, gitops: 'flux' }), 'HelmRelease');
    const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    for (const release of [releases.vault!, releases.externalSecrets!, releases.reloader!]) {
      const helmRelease = byName('HelmRelease', release.name);
      expect([helmRelease.spec.releaseName, helmRelease.spec.targetNamespace, helmRelease.spec.values]).toStrictEqual([release.name, release.namespace, release.values]);
      expect(byName('HelmRepository', release.name).spec.url).toBe(release.chart.repoUrl);
    }
    for (const object of objects) expect(crdSchemaErrors(object)).toStrictEqual([]);
  });

  test('Vault\'s release does not wait for its pod, which is Ready only once Vault is initialized and unsealed; ESO\'s and Reloader\'s do', () => {
    const { chart } = synth();
    const waits = [chart.vault!, chart.externalSecrets!, chart.reloader!].map((r) => {
      const { spec } = Testing.synth(chart).find((o: any) => o.kind === 'HelmRelease' && o.metadata.name === r.name);
      return [r.name, spec.install.disableWait ?? false, spec.upgrade.disableWait ?? false];
    });
    expect(waits).toStrictEqual([['vault', true, true], ['external-secrets', false, false], ['reloader', false, false]]);
  });

  test('each component can be left out, which removes exactly its HelmRepository and HelmRelease', () => {
    const { objects } = synth({ ...FIXTURE_SETTINGS, gitops: 'flux', components: { vault: false, reloader: false } });
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toStrictEqual(['HelmRepository external-secrets', 'HelmRelease external-secrets']);
  });
});
