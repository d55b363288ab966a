import YAML from 'yaml';
import { homelabCatalog, HOMELAB_SETTINGS } from '../../apps/homelab';
import { componentApplications } from '../../lib/argocd';
import { type PlatformSettings, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { FIXTURE_SETTINGS } from '../support/fixtures';
import { fluxTreeObjects, synthFluxTree } from '../support/flux';
import { synthPartToTree } from '../support/synth';

// For the same declaration, each Flux HelmRelease installs what the Argo CD Application of the same
// name installs: the same release, namespace, chart, version and repository, and values that are
// deep-equal once both files are parsed back.

function fixtureCatalog(options: ConstructorParameters<typeof SecretCatalog>[0] = { mount: 'kv' }): () => SecretCatalog {
  return () => {
    const catalog = new SecretCatalog(options);
    catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'web' });
    catalog.path('apps/queue', ['url']).syncTo({ name: 'queue', namespace: 'jobs' });
    return catalog;
  };
}

const CASES: [string, () => SecretCatalog, PlatformSettings][] = [
  ['the reference homelab', homelabCatalog, HOMELAB_SETTINGS],
  ['the fixture settings', fixtureCatalog(), FIXTURE_SETTINGS],
  ['no KMS key, plain HTTP, Vault in its own namespace and release', fixtureCatalog(), { vault: { namespace: 'secrets', releaseName: 'bao', tls: { disabled: true } } }],
  ['an ingress with a class, annotations and its own TLS Secret', fixtureCatalog(), { ...FIXTURE_SETTINGS, vault: { ingress: { host: 'vault.example.lan', className: 'traefik', tlsSecretName: 'wildcard', annotations: { 'a/b': 'c' } } } }],
  ['namespace isolation and ESO under its own name', fixtureCatalog({ mount: 'kv', isolation: 'namespace', eso: { serviceAccountName: 'eso', serviceAccountNamespace: 'eso-system' } }), FIXTURE_SETTINGS],
  ['Reloader left out', fixtureCatalog(), { ...FIXTURE_SETTINGS, components: { reloader: false } }],
];

interface Installed {
  readonly releaseName: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: unknown;
}

function argoInstalls(catalog: SecretCatalog, settings: PlatformSettings): Record<string, Installed> {
  const tree = synthPartToTree({ catalog, settings: { ...settings, gitops: 'argocd' } }, (t) => manifestsPart(t, [componentApplications()]));
  const apps = YAML.parseAllDocuments(tree['argocd-applications.yaml']).map((d) => d.toJSON());
  return Object.fromEntries(apps.map((app) => [app.metadata.name, {
    releaseName: app.spec.source.helm.releaseName,
    namespace: app.spec.destination.namespace,
    chart: app.spec.source.chart,
    version: app.spec.source.targetRevision,
    repository: app.spec.source.repoURL,
    values: app.spec.source.helm.valuesObject,
  }]));
}

function fluxInstalls(catalog: SecretCatalog, settings: PlatformSettings): Record<string, Installed> {
  const objects = fluxTreeObjects(synthFluxTree({ catalog, settings: { ...settings, gitops: 'flux' } }));
  const repositories = new Map(objects.filter((o) => o.kind === 'HelmRepository').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.spec.url]));
  return Object.fromEntries(objects.filter((o) => o.kind === 'HelmRelease').map((release) => {
    const { chart } = release.spec;
    return [release.metadata.name, {
      releaseName: release.spec.releaseName,
      namespace: release.spec.targetNamespace,
      chart: chart.spec.chart,
      version: chart.spec.version,
      repository: repositories.get(`${chart.spec.sourceRef.namespace}/${chart.spec.sourceRef.name}`),
      values: release.spec.values,
    }];
  }));
}

describe('the Flux HelmReleases and the Argo CD Applications', () => {
  test.each(CASES)('%s: install the same releases with deep-equal values', (_, catalog, settings) => {
    const argo = argoInstalls(catalog(), settings);
    const flux = fluxInstalls(catalog(), settings);
    expect(Object.keys(argo).length).toBeGreaterThan(1);
    expect(Object.keys(flux).sort()).toStrictEqual(Object.keys(argo).sort());
    for (const name of Object.keys(argo)) expect([name, flux[name]]).toStrictEqual([name, argo[name]]);
  });

  test('the comparison sees a difference: one changed value fails it', () => {
    const argo = argoInstalls(homelabCatalog(), HOMELAB_SETTINGS);
    const flux = fluxInstalls(homelabCatalog(), { ...HOMELAB_SETTINGS, vault: { ...HOMELAB_SETTINGS.vault, storageSize: '11Gi' } });
    expect(flux.vault).not.toStrictEqual(argo.vault);
    expect(flux['external-secrets']).toStrictEqual(argo['external-secrets']);
  });
});
