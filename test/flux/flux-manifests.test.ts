import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Chart } from 'cdk8s';
import YAML from 'yaml';
import { componentApplications } from '../../lib/argocd';
import { type Isolation, type PlatformSettings, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { crdSchemaErrors } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { FLUX_FOLDER, fluxApplyPlan, fluxTreeObjects, homelabFluxDeclaration, synthFluxTree } from '../support/flux';
import { identityFixtureCatalog } from '../support/identity-fixtures';
import { manifestObjects, synthPartToTree } from '../support/synth';

const FLUX: PlatformSettings = { ...FIXTURE_SETTINGS, gitops: 'flux' };

function catalog(isolation: Isolation = 'cluster'): SecretCatalog {
  const c = new SecretCatalog({ mount: 'kv', isolation });
  c.path('apps/db', ['user', 'password']).syncTo({ name: 'db-credentials', namespace: 'apps' });
  c.path('apps/oidc', ['clientSecret']).syncTo({ name: 'portal-secret', namespace: 'portal', creationPolicy: 'Merge' });
  return c;
}

const docs = (content: string): any[] => YAML.parseAllDocuments(content).map((d) => d.toJSON());
const names = (objects: any[]): string[] => objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);

/**
 * What kustomize builds from a folder whose kustomization.yaml lists only `resources` (all the library
 * writes): the objects of each listed file, and of each listed folder, in order. An emulation of
 * `kustomize build` for this one shape, the fast check; the real-cluster suite applies the result.
 */
function kustomizeBuild(dir: string): any[] {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = YAML.parse(readFileSync(file, 'utf8'));
  expect(Object.keys(kustomization).sort()).toStrictEqual(['apiVersion', 'kind', 'resources']);
  expect([kustomization.apiVersion, kustomization.kind]).toStrictEqual(['kustomize.config.k8s.io/v1beta1', 'Kustomization']);
  return kustomization.resources.flatMap((entry: string) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? kustomizeBuild(path) : docs(readFileSync(path, 'utf8'));
  });
}

/**
 * What flux-system's Kustomization applies from the cluster folder, which has no kustomization.yaml:
 * kustomize-controller generates one listing every YAML manifest below it, except that a folder with
 * its own kustomization.yaml is listed as that folder and not descended into (fluxcd/pkg kustomize,
 * generateKustomization). Then it builds it.
 */
function fluxSystemApplies(clusterFolder: string): any[] {
  const resources: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (existsSync(join(path, 'kustomization.yaml'))) resources.push(path);
        else walk(path);
      } else if (/\.ya?ml$/.test(name)) {
        resources.push(path);
      }
    }
  };
  walk(clusterFolder);
  return resources.flatMap((path) => (statSync(path).isDirectory() ? kustomizeBuild(path) : docs(readFileSync(path, 'utf8'))));
}

describe('the manifests folder under gitops flux', () => {
  test('is a tree of stage folders, each with its kustomization.yaml, and the Kustomizations that apply them', () => {
    const tree = synthFluxTree(fixtureDeclaration(catalog(), FLUX));
    expect(Object.keys(tree)).toStrictEqual([
      'components/flux-components.yaml',
      'components/kustomization.yaml',
      'externalsecrets/externalsecrets-apps.yaml',
      'externalsecrets/externalsecrets-portal.yaml',
      'externalsecrets/kustomization.yaml',
      'flux-kustomizations.yaml',
      'kustomization.yaml',
      'store/cluster-secret-store.yaml',
      'store/kustomization.yaml',
    ]);
    expect(YAML.parse(tree['kustomization.yaml'])).toStrictEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['flux-kustomizations.yaml'],
    });
    expect(YAML.parse(tree['externalsecrets/kustomization.yaml']).resources).toStrictEqual(['externalsecrets-apps.yaml', 'externalsecrets-portal.yaml']);
    expect(YAML.parse(tree['store/kustomization.yaml']).resources).toStrictEqual(['cluster-secret-store.yaml']);
    expect(YAML.parse(tree['components/kustomization.yaml']).resources).toStrictEqual(['flux-components.yaml']);
  });

  test('orders the stages with dependsOn: the store after ESO\'s HelmRelease is Ready, the ExternalSecrets after the store', () => {
    const kustomizations = docs(synthFluxTree(fixtureDeclaration(catalog(), FLUX))['flux-kustomizations.yaml']);
    const source = { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' };
    const common = { interval: '10m', retryInterval: '1m', prune: false, sourceRef: source };
    // kstatus reads ESO's objects as healthy once they exist (no observedGeneration): CEL over their Ready condition
    const ready = (kind: string) => ({
      apiVersion: 'external-secrets.io/v1', kind,
      current: "status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'True')",
      failed: "status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'False')",
    });
    expect(kustomizations).toStrictEqual([
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
        metadata: { name: 'secrets-components', namespace: 'flux-system' },
        spec: {
          ...common,
          path: './clusters/my-cluster/secrets/components',
          healthChecks: [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'external-secrets', namespace: 'flux-system' }],
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
        metadata: { name: 'secrets-store', namespace: 'flux-system' },
        spec: { ...common, path: './clusters/my-cluster/secrets/store', dependsOn: [{ name: 'secrets-components' }], wait: true, healthCheckExprs: [ready('ClusterSecretStore')] },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
        metadata: { name: 'secrets-externalsecrets', namespace: 'flux-system' },
        spec: { ...common, path: './clusters/my-cluster/secrets/externalsecrets', dependsOn: [{ name: 'secrets-store' }], wait: true, healthCheckExprs: [ready('ExternalSecret')] },
      },
    ]);
  });

  test('flux bootstrap\'s Kustomization applies only the stage Kustomizations, and each applies exactly its stage', () => {
    // GIVEN a repository laid out by flux bootstrap --path=clusters/my-cluster, with the folder beside flux-system
    let applied: any[] = [];
    const stages: Record<string, any[]> = {};
    synthFluxTree(fixtureDeclaration(catalog(), FLUX), [], (root) => {
      const cluster = join(root, 'clusters', 'my-cluster');
      mkdirSync(join(cluster, 'flux-system'));
      writeFileSync(join(cluster, 'flux-system', 'gotk-sync.yaml'), YAML.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gotk-stand-in', namespace: 'flux-system' } }));
      writeFileSync(join(cluster, 'flux-system', 'kustomization.yaml'), YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['gotk-sync.yaml'] }));

      // WHEN flux-system applies the cluster folder, and each stage Kustomization its path
      applied = fluxSystemApplies(cluster);
      for (const k of applied.filter((o) => o.kind === 'Kustomization')) {
        const dir = join(root, k.spec.path);
        expect(relative(root, dir).startsWith('..')).toBe(false);
        stages[k.metadata.name] = kustomizeBuild(dir);
      }
    });

    // THEN
    expect(names(applied)).toStrictEqual([
      'ConfigMap flux-system/gotk-stand-in',
      'Kustomization flux-system/secrets-components',
      'Kustomization flux-system/secrets-store',
      'Kustomization flux-system/secrets-externalsecrets',
    ]);
    expect(Object.fromEntries(Object.entries(stages).map(([name, objects]) => [name, names(objects)]))).toStrictEqual({
      'secrets-components': [
        'HelmRepository flux-system/vault', 'HelmRelease flux-system/vault',
        'HelmRepository flux-system/external-secrets', 'HelmRelease flux-system/external-secrets',
        'HelmRepository flux-system/reloader', 'HelmRelease flux-system/reloader',
      ],
      'secrets-store': ['ClusterSecretStore /vault-backend'],
      'secrets-externalsecrets': ['ExternalSecret apps/db-credentials', 'ExternalSecret portal/portal-secret'],
    });
  });

  test.each(['cluster', 'namespace'] as const)('%s isolation: every object passes the vendored Flux and ESO CRD schemas and ESO\'s webhook', (isolation) => {
    const objects = fluxTreeObjects(synthFluxTree(fixtureDeclaration(catalog(isolation), FLUX)));
    expect(objects.length).toBeGreaterThan(6);
    for (const object of objects.filter((o) => o.apiVersion !== 'v1')) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
    }
  });

  test.each(['cluster', 'namespace'] as const)('%s isolation: the store and ExternalSecret stages hold exactly the plain flavour\'s objects', (isolation) => {
    const flux = synthFluxTree(fixtureDeclaration(catalog(isolation), FLUX));
    const plain = manifestObjects(synthPartToTree(fixtureDeclaration(catalog(isolation), { ...FIXTURE_SETTINGS, gitops: 'plain' }), (t) => manifestsPart(t)));
    const stage = (folder: string) => Object.entries(flux).filter(([file]) => file.startsWith(`${folder}/`) && !file.endsWith('kustomization.yaml')).flatMap(([, c]) => docs(c));
    const store = stage('store');
    const externalSecrets = stage('externalsecrets');
    expect(externalSecrets.every((o) => o.kind === 'ExternalSecret')).toBe(true);
    expect(store.every((o) => o.kind !== 'ExternalSecret')).toBe(true);
    const byName = (a: any, b: any) => names([a])[0].localeCompare(names([b])[0]);
    expect([...store, ...externalSecrets].sort(byName)).toStrictEqual([...plain].sort(byName));
  });

  test('namespace isolation: each namespace\'s ServiceAccount and SecretStore are in the store stage, in their own files', () => {
    const tree = synthFluxTree(fixtureDeclaration(catalog('namespace'), FLUX));
    expect(Object.keys(tree).filter((f) => f.startsWith('store/'))).toStrictEqual(['store/kustomization.yaml', 'store/secretstore-apps.yaml', 'store/secretstore-portal.yaml']);
    expect(names(docs(tree['store/secretstore-apps.yaml']))).toStrictEqual(['ServiceAccount apps/vault-backend', 'SecretStore apps/vault-backend']);
    expect(docs(tree['flux-kustomizations.yaml']).map((k) => k.spec.healthCheckExprs?.map((e: any) => e.kind))).toStrictEqual([undefined, ['SecretStore'], ['ExternalSecret']]);
    // ESO may ask for tokens of those accounts: the same value the Argo CD Application carries
    expect(docs(tree['components/flux-components.yaml']).find((o) => o.metadata.name === 'external-secrets' && o.kind === 'HelmRelease').spec.values.rbac)
      .toStrictEqual({ serviceAccountTokenCreate: true });
  });

  test('identities: every store and the ServiceAccounts it logs in as in the store stage, several SecretStores a namespace, both kinds waited for', () => {
    // GIVEN the identities fixture: three SecretStores in media, one shared with downloads, two ClusterSecretStores
    const tree = synthFluxTree(fixtureDeclaration(identityFixtureCatalog(), FLUX));

    // THEN the store stage holds the ClusterSecretStores in one file and each namespace's SecretStores in its own
    expect(Object.keys(tree).filter((f) => f.startsWith('store/'))).toStrictEqual([
      'store/cluster-secret-store.yaml', 'store/kustomization.yaml', 'store/secretstore-downloads.yaml', 'store/secretstore-media.yaml',
    ]);
    expect(YAML.parse(tree['store/kustomization.yaml']).resources).toStrictEqual(['cluster-secret-store.yaml', 'secretstore-downloads.yaml', 'secretstore-media.yaml']);
    expect(names(docs(tree['store/cluster-secret-store.yaml']))).toStrictEqual([
      'ServiceAccount external-secrets/vault-observability', 'ClusterSecretStore /vault-backend', 'ClusterSecretStore /vault-observability',
    ]);
    expect(names(docs(tree['store/secretstore-media.yaml']))).toStrictEqual([
      'ServiceAccount media/radarr-vault', 'ServiceAccount media/arr-eso', 'SecretStore media/vault-sonarr', 'SecretStore media/vault-radarr', 'SecretStore media/vault-arr',
    ]);
    expect(names(docs(tree['store/secretstore-downloads.yaml']))).toStrictEqual(['ServiceAccount downloads/arr-eso', 'SecretStore downloads/vault-arr']);
    // the ExternalSecret stage holds only ExternalSecrets, each reading through its identity's store
    expect(Object.keys(tree).filter((f) => f.startsWith('externalsecrets/'))).toStrictEqual([
      'externalsecrets/externalsecrets-apps.yaml', 'externalsecrets/externalsecrets-downloads.yaml', 'externalsecrets/externalsecrets-logging.yaml',
      'externalsecrets/externalsecrets-media.yaml', 'externalsecrets/externalsecrets-monitoring.yaml', 'externalsecrets/kustomization.yaml',
    ]);
    expect(docs(tree['externalsecrets/externalsecrets-media.yaml']).map((es) => [es.kind, es.metadata.name, es.spec.secretStoreRef])).toStrictEqual([
      ['ExternalSecret', 'sonarr', { kind: 'SecretStore', name: 'vault-sonarr' }],
      ['ExternalSecret', 'radarr', { kind: 'SecretStore', name: 'vault-radarr' }],
      ['ExternalSecret', 'indexer', { kind: 'SecretStore', name: 'vault-arr' }],
    ]);
    // the store stage waits for both kinds of store to be Ready
    expect(docs(tree['flux-kustomizations.yaml']).map((k) => k.spec.healthCheckExprs?.map((e: any) => e.kind))).toStrictEqual([
      undefined, ['ClusterSecretStore', 'SecretStore'], ['ExternalSecret'],
    ]);
    // ESO asks for tokens of the identities' ServiceAccounts: the grant is written out, as in the Argo CD Application
    expect(docs(tree['components/flux-components.yaml']).find((o) => o.metadata.name === 'external-secrets' && o.kind === 'HelmRelease').spec.values.rbac)
      .toStrictEqual({ serviceAccountTokenCreate: true });

    // AND every object passes the vendored Flux and ESO CRD schemas and ESO's webhook
    const objects = fluxTreeObjects(tree);
    for (const object of objects.filter((o) => o.apiVersion !== 'v1')) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
    }
    // AND the two stages hold exactly the plain flavour's stores, ServiceAccounts and ExternalSecrets
    const plain = manifestObjects(synthPartToTree(fixtureDeclaration(identityFixtureCatalog(), { ...FIXTURE_SETTINGS, gitops: 'plain' }), (t) => manifestsPart(t)));
    const stages = Object.entries(tree).filter(([file]) => /^(store|externalsecrets)\/(?!kustomization\.yaml)/.test(file)).flatMap(([, c]) => docs(c));
    const byName = (a: any, b: any) => names([a])[0].localeCompare(names([b])[0]);
    expect([...stages].sort(byName)).toStrictEqual([...plain].sort(byName));
  });

  test('without components there is no components stage, and the store depends on nothing', () => {
    const tree = synthFluxTree(fixtureDeclaration(catalog(), { ...FLUX, components: { vault: false, externalSecrets: false, reloader: false } }));
    expect(Object.keys(tree).filter((f) => f.startsWith('components/'))).toStrictEqual([]);
    const [store, externalSecrets] = docs(tree['flux-kustomizations.yaml']);
    expect([store.metadata.name, store.spec.dependsOn, externalSecrets.spec.dependsOn]).toStrictEqual(['secrets-store', undefined, [{ name: 'secrets-store' }]]);
  });

  test('without ESO among the components, the components stage checks no health and holds only the others', () => {
    const tree = synthFluxTree(fixtureDeclaration(catalog(), { ...FLUX, components: { externalSecrets: false } }));
    const [components] = docs(tree['flux-kustomizations.yaml']);
    expect([components.metadata.name, components.spec.healthChecks, components.spec.wait]).toStrictEqual(['secrets-components', undefined, undefined]);
    expect(names(docs(tree['components/flux-components.yaml']))).toStrictEqual([
      'HelmRepository flux-system/vault', 'HelmRelease flux-system/vault', 'HelmRepository flux-system/reloader', 'HelmRelease flux-system/reloader',
    ]);
  });

  test('follows the source, namespace and cluster folder of settings.flux', () => {
    const settings: PlatformSettings = { ...FLUX, flux: { sourceRef: { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' }, clusterPath: 'k8s/clusters/home', namespace: 'gitops' } };
    const tree = synthFluxTree(fixtureDeclaration(catalog(), settings));
    const kustomizations = docs(tree['flux-kustomizations.yaml']);
    expect(kustomizations.map((k) => [k.metadata.namespace, k.spec.path, k.spec.sourceRef])).toStrictEqual([
      ['gitops', './k8s/clusters/home/secrets/components', { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' }],
      ['gitops', './k8s/clusters/home/secrets/store', { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' }],
      ['gitops', './k8s/clusters/home/secrets/externalsecrets', { kind: 'OCIRepository', name: 'homelab', namespace: 'sources' }],
    ]);
    expect(kustomizations[0].spec.healthChecks[0].namespace).toBe('gitops');
    const components = docs(tree['components/flux-components.yaml']);
    expect(components.map((o) => o.metadata.namespace)).toStrictEqual(Array(6).fill('gitops'));
    expect(components.filter((o) => o.kind === 'HelmRelease').map((o) => o.spec.chart.spec.sourceRef.namespace)).toStrictEqual(['gitops', 'gitops', 'gitops']);
    // the repository root as the cluster folder
    expect(docs(synthFluxTree(fixtureDeclaration(catalog(), { ...FLUX, flux: { clusterPath: '.' } }))['flux-kustomizations.yaml'])[0].spec.path).toBe(`./${FLUX_FOLDER}/components`);
  });

  test('contributors add their charts to the components stage; the Argo CD contributor adds none', () => {
    const extra = (app: App) => {
      new Chart(app, 'extra-config');
    };
    const tree = synthFluxTree(fixtureDeclaration(catalog(), FLUX), [componentApplications(), extra]);
    expect(YAML.parse(tree['components/kustomization.yaml']).resources).toStrictEqual(['extra-config.yaml', 'flux-components.yaml']);
    expect(Object.values(tree).join('\n')).not.toContain('argoproj.io');
  });

  test('refuses a folder outside the cluster folder, and a chart that would overwrite a kustomization.yaml, writing nothing', () => {
    const root = join(process.env.HOMELAB_SECRETS_JEST_TMP!, `flux-refused-${process.pid}`);
    const outside = join(root, 'manifests');
    const synth = (target: string, contributors = [] as never[]) => () => synthOutputs(fixtureDeclaration(catalog(), FLUX), [manifestsPart(target, contributors)]);
    expect(synth(outside)).toThrow(
      `manifests: target "${outside}" must be a folder directly inside the cluster folder "./clusters/my-cluster" (settings.flux.clusterPath), such as "clusters/my-cluster/manifests": the Kustomizations point at it there, and flux bootstrap's Kustomization applies that folder`,
    );
    expect(synth(join(root, 'clusters', 'my-cluster', 'nested', 'secrets'))).toThrow('must be a folder directly inside the cluster folder');
    expect(synth(join(root, 'clusters', 'other', 'secrets'))).toThrow('such as "clusters/my-cluster/secrets"');
    const clash = (app: App) => {
      new Chart(app, 'kustomization');
    };
    expect(synth(join(root, 'clusters', 'my-cluster', 'secrets'), [clash as never])).toThrow('chart id "kustomization" would overwrite the folder\'s kustomization.yaml: give the chart another id');
    for (const target of [outside, join(root, 'clusters', 'my-cluster', 'secrets')]) expect(existsSync(target)).toBe(false);
  });
});

describe('the apply plan the real-cluster proof takes (test/support/flux.ts)', () => {
  test('lists a CRD for every kind of the homelab\'s Flux tree, its namespaces, and every object once', () => {
    const tree = synthFluxTree(homelabFluxDeclaration());
    const plan = fluxApplyPlan(tree);
    const crds = plan.crdFiles.map((file) => YAML.parse(readFileSync(file, 'utf8')));
    const served = new Set(crds.flatMap((crd) => crd.spec.versions.filter((v: any) => v.served).map((v: any) => `${crd.spec.group}/${v.name} ${crd.spec.names.kind}`)));
    expect(plan.objects.filter((o) => !served.has(`${o.apiVersion} ${o.kind}`))).toStrictEqual([]);
    expect(plan.namespaces).toStrictEqual(['argocd', 'arr', 'auth', 'backups', 'flux-system', 'monitoring', 'openclaw']);
    expect(plan.objects).toHaveLength(fluxTreeObjects(tree).length);
    expect(names(plan.objects.slice(0, 3))).toStrictEqual([
      'Kustomization flux-system/secrets-components', 'Kustomization flux-system/secrets-store', 'Kustomization flux-system/secrets-externalsecrets',
    ]);
    expect(plan.crdFiles.map((f) => relative(join(__dirname, '..', '..'), f))).toStrictEqual([
      'crds/flux/helm.toolkit.fluxcd.io_helmreleases.yaml',
      'crds/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml',
      'crds/flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
      'crds/external-secrets/external-secrets.io_clusterexternalsecrets.yaml',
      'crds/external-secrets/external-secrets.io_clustersecretstores.yaml',
      'crds/external-secrets/external-secrets.io_externalsecrets.yaml',
      'crds/external-secrets/external-secrets.io_secretstores.yaml',
    ]);
  });
});
