import YAML from 'yaml';
import { componentApplications } from '../../lib/argocd';
import { type GitOpsFlavour, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { synthFluxTree } from '../support/flux';
import { manifestObjects, synthPartToTree } from '../support/synth';

/** Every shape issue 12 adds: a renamed ExternalSecret, every creation policy, every deletion policy. */
function shapesCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  const db = catalog.path('apps/keycloak-db', ['user', 'password']);
  db.syncTo({ name: 'keycloak-db-secret', namespace: 'auth', externalSecretName: 'keycloak-db-externalsecret' });
  db.syncTo({ name: 'keycloak-db-orphan', namespace: 'auth', creationPolicy: 'Orphan', deletionPolicy: 'Delete' });
  db.syncTo({ name: 'shared-config', namespace: 'auth', creationPolicy: 'Merge', deletionPolicy: 'Merge', keys: ['user'] });
  db.syncTo({ name: 'keycloak-db-check', namespace: 'auth', creationPolicy: 'None' });
  catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
  return catalog;
}

/** The manifests; under Flux the files of its store and ExternalSecret stages, by file name (the rest is test/flux's). */
function synth(gitops: GitOpsFlavour): Record<string, string> {
  const declaration = fixtureDeclaration(shapesCatalog(), { ...FIXTURE_SETTINGS, gitops });
  if (gitops !== 'flux') return synthPartToTree(declaration, (t) => manifestsPart(t, [componentApplications()]));
  const stages = Object.entries(synthFluxTree(declaration, [componentApplications()]))
    .filter(([file]) => /^(store|externalsecrets)\/(?!kustomization\.yaml$)/.test(file));
  return Object.fromEntries(stages.map(([file, content]) => [file.slice(file.indexOf('/') + 1), content]).sort(([a], [b]) => a.localeCompare(b)));
}

const ARGO = { 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };
const TEMPLATE = { engineVersion: 'v2', mergePolicy: 'Replace', metadata: {} };
const DATA = [
  { secretKey: 'user', remoteRef: { key: 'apps/keycloak-db', property: 'user' } },
  { secretKey: 'password', remoteRef: { key: 'apps/keycloak-db', property: 'password' } },
];

describe('the manifests under each GitOps flavour', () => {
  test.each(['argocd', 'flux', 'plain'] as const)('%s: every object passes its CRD schema and ESO\'s webhook, and is its own defaulted form', (gitops) => {
    const objects = manifestObjects(synth(gitops));
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
  });

  test('argocd: the ExternalSecrets carry the sync wave, with their names, policies and the template ESO needs', () => {
    const tree = synth('argocd');
    const es = YAML.parseAllDocuments(tree['externalsecrets-auth.yaml']).map((d) => d.toJSON());
    const spec = (creationPolicy: string, deletionPolicy: string, template: unknown = TEMPLATE) => ({
      creationPolicy, deletionPolicy, ...(template ? { template } : {}),
    });
    expect(es).toStrictEqual([
      {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
        metadata: { name: 'keycloak-db-externalsecret', namespace: 'auth', annotations: ARGO },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' }, target: { name: 'keycloak-db-secret', ...spec('Owner', 'Retain') }, data: DATA },
      },
      {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
        metadata: { name: 'keycloak-db-orphan', namespace: 'auth', annotations: ARGO },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' }, target: { name: 'keycloak-db-orphan', ...spec('Orphan', 'Delete') }, data: DATA },
      },
      {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
        metadata: { name: 'shared-config', namespace: 'auth', annotations: ARGO },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' }, target: { name: 'shared-config', ...spec('Merge', 'Merge') }, data: [DATA[0]] },
      },
      {
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
        metadata: { name: 'keycloak-db-check', namespace: 'auth', annotations: ARGO },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-backend' }, target: { name: 'keycloak-db-check', ...spec('None', 'Retain', null) }, data: DATA },
      },
    ]);
  });

  test.each(['flux', 'plain'] as const)('%s: no GitOps annotation on any object, and no Argo CD Application', (gitops) => {
    const tree = synth(gitops);
    expect(Object.keys(tree)).toStrictEqual(['cluster-secret-store.yaml', 'externalsecrets-auth.yaml']);
    const objects = manifestObjects(tree);
    expect(objects.filter((o) => o.metadata.annotations !== undefined)).toStrictEqual([]);
    expect(Object.values(tree).join('\n')).not.toContain('argocd.argoproj.io');
  });

  test('flux and plain differ from argocd only by the annotations and the Applications', () => {
    const strip = (tree: Record<string, string>): unknown[] => manifestObjects(tree)
      .filter((o) => o.kind !== 'Application')
      .map((o) => ({ ...o, metadata: { ...o.metadata, annotations: undefined } }));
    expect(strip(synth('flux'))).toStrictEqual(strip(synth('argocd')));
    expect(synth('plain')).toStrictEqual(synth('flux'));
  });

  test('a path read by operators only gets no ExternalSecret', () => {
    const objects = manifestObjects(synth('argocd'));
    expect(JSON.stringify(objects)).not.toContain('infra/backup-key');
  });
});
