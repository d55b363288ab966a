import YAML from 'yaml';
import { homelabCatalog, homelabDeclaration, HOMELAB_SETTINGS } from '../../apps/homelab';
import { homelabManifestsPart } from '../../apps/manifests';
import { componentApplications } from '../../lib/argocd';
import { type Isolation, type PlatformSettings, SecretCatalog } from '../../lib/catalog';
import { renderPathFlowchart, renderPathTable } from '../../lib/docs';
import { manifestsPart } from '../../lib/k8s';
import { terraformPart } from '../../lib/tf';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { synthFluxTree } from '../support/flux';
import { manifestObjects, synthPartToTree } from '../support/synth';
import { TfJson, esoPolicyPaths, policyPaths } from '../tf/support';

/** Three namespaces; `apps/shared` is read by web and jobs, `apps/db` by web only, `apps/queue` by jobs only. */
function threeNamespaces(isolation: Isolation): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv', isolation });
  catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'web' });
  const shared = catalog.path('apps/shared', ['token']);
  shared.syncTo({ name: 'shared', namespace: 'web' });
  shared.syncTo({ name: 'shared', namespace: 'jobs' });
  catalog.path('apps/queue', ['url']).syncTo({ name: 'queue', namespace: 'jobs' });
  catalog.path('apps/lonely', ['x']).syncTo({ name: 'lonely', namespace: 'batch' });
  return catalog;
}

/** Each synth runs once per file; the tests only read what it wrote. */
const synthesized = new Map<string, Record<string, string>>();
function once(key: string, synth: () => Record<string, string>): Record<string, string> {
  if (!synthesized.has(key)) synthesized.set(key, synth());
  return synthesized.get(key)!;
}

/** The manifests; under Flux its tree without the kustomization.yaml files and the Flux objects (test/flux checks those). */
function manifests(isolation: Isolation, settings: PlatformSettings = FIXTURE_SETTINGS): Record<string, string> {
  return once(`manifests ${isolation} ${JSON.stringify(settings)}`, () => {
    const declaration = fixtureDeclaration(threeNamespaces(isolation), settings);
    if (settings.gitops !== 'flux') return synthPartToTree(declaration, (t) => manifestsPart(t, [componentApplications()]));
    return Object.fromEntries(Object.entries(synthFluxTree(declaration, [componentApplications()]))
      .filter(([file]) => /^(store|externalsecrets)\/(?!kustomization\.yaml$)/.test(file)));
  });
}

function vaultStack(isolation: Isolation): TfJson {
  return JSON.parse(once(`terraform ${isolation}`, () => synthPartToTree(fixtureDeclaration(threeNamespaces(isolation)), terraformPart))['stacks/vault/cdk.tf.json']);
}

describe('namespace isolation', () => {
  test('each namespace gets a ServiceAccount and a SecretStore logging in with it, and no ClusterSecretStore is written', () => {
    const tree = manifests('namespace');
    expect(Object.keys(tree)).toStrictEqual(['argocd-applications.yaml', 'externalsecrets-batch.yaml', 'externalsecrets-jobs.yaml', 'externalsecrets-web.yaml']);
    const web = YAML.parseAllDocuments(tree['externalsecrets-web.yaml']).map((d) => d.toJSON());
    expect(web.slice(0, 2)).toStrictEqual([
      {
        apiVersion: 'v1', kind: 'ServiceAccount',
        metadata: { name: 'vault-backend', namespace: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
        automountServiceAccountToken: false,
      },
      {
        apiVersion: 'external-secrets.io/v1', kind: 'SecretStore',
        metadata: {
          name: 'vault-backend', namespace: 'web',
          annotations: { 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
        },
        spec: {
          provider: {
            vault: {
              server: 'https://vault.vault.svc:8200',
              path: 'kv',
              version: 'v2',
              caProvider: { type: 'ConfigMap', name: 'vault-tls-ca', key: 'ca.crt' },
              auth: { kubernetes: { mountPath: 'kubernetes', role: 'external-secrets-web', serviceAccountRef: { name: 'vault-backend', audiences: ['vault'] } } },
            },
          },
        },
      },
    ]);
    expect(web.slice(2).map((es) => [es.metadata.name, es.spec.secretStoreRef])).toStrictEqual([
      ['db', { kind: 'SecretStore', name: 'vault-backend' }],
      ['shared', { kind: 'SecretStore', name: 'vault-backend' }],
    ]);
  });

  test.each(['argocd', 'flux', 'plain'] as const)('%s: every object is schema-valid, webhook-valid and its own defaulted form', (gitops) => {
    const objects = manifestObjects(manifests('namespace', { ...FIXTURE_SETTINGS, gitops }));
    for (const object of objects.filter((o) => o.kind !== 'ServiceAccount')) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
      expect(withCrdDefaults(object)).toStrictEqual(object);
    }
    if (gitops !== 'argocd') expect(objects.filter((o) => o.metadata.annotations !== undefined)).toStrictEqual([]);
  });

  test('each namespace\'s policy reads exactly its own paths; a path two namespaces read is in both policies and no other', () => {
    const vault = vaultStack('namespace');
    const policies = Object.fromEntries(Object.values(vault.resource!.vault_policy).map((p: any) => [p.name, p.policy]));
    expect(Object.keys(policies).sort()).toStrictEqual(['kv-eso-read-batch', 'kv-eso-read-jobs', 'kv-eso-read-web', 'kv-operator']);
    expect(policyPaths(policies['kv-eso-read-web'])).toStrictEqual(esoPolicyPaths('kv/data/apps/db', 'kv/data/apps/shared'));
    expect(policyPaths(policies['kv-eso-read-jobs'])).toStrictEqual(esoPolicyPaths('kv/data/apps/queue', 'kv/data/apps/shared'));
    expect(policyPaths(policies['kv-eso-read-batch'])).toStrictEqual(esoPolicyPaths('kv/data/apps/lonely'));
  });

  test('each namespace\'s role binds exactly its ServiceAccount, namespace and the audience, with predictable names and addresses', () => {
    const roles = vaultStack('namespace').resource!.vault_kubernetes_auth_backend_role;
    expect(Object.keys(roles).sort()).toStrictEqual(['kubernetes_auth_role_batch', 'kubernetes_auth_role_jobs', 'kubernetes_auth_role_web']);
    expect(roles.kubernetes_auth_role_web).toStrictEqual({
      '//': { metadata: { path: 'vault/KubernetesAuth/Role-web', uniqueId: 'kubernetes_auth_role_web' } },
      backend: '${vault_auth_backend.kubernetes_auth.path}',
      role_name: 'external-secrets-web',
      bound_service_account_names: ['vault-backend'],
      bound_service_account_namespaces: ['web'],
      audience: 'vault',
      token_policies: ['${vault_policy.eso_read_policy_web.name}'],
      token_ttl: 900,
      token_max_ttl: 900,
      token_no_default_policy: true,
    });
  });

  test('cluster isolation keeps one role for ESO\'s own service account and one policy', () => {
    const vault = vaultStack('cluster');
    expect(Object.keys(vault.resource!.vault_kubernetes_auth_backend_role)).toStrictEqual(['kubernetes_auth_role']);
    expect(policyPaths(vault.resource!.vault_policy.eso_read_policy.policy)).toStrictEqual(esoPolicyPaths('kv/data/apps/db', 'kv/data/apps/lonely', 'kv/data/apps/queue', 'kv/data/apps/shared'));
  });

  test('the docs name the store and role of each Secret, and the flowchart the namespace\'s', () => {
    const catalog = threeNamespaces('namespace');
    expect(renderPathTable(catalog).split('\n').slice(0, 3)).toStrictEqual([
      '| Vault path | Keys | Secret | Namespace | Creation policy | Store and Vault role |',
      '|---|---|---|---|---|---|',
      '| `apps/db` | `password` | `db` | `web` | Owner | SecretStore `vault-backend`, role `external-secrets-web` |',
    ]);
    expect(renderPathFlowchart(catalog)).toContain('  n2(["namespace web: SecretStore vault-backend, role external-secrets-web"])\n');
  });

  test('ESO\'s Application writes out the chart\'s serviceaccounts/token grant the isolation relies on', () => {
    const apps = YAML.parseAllDocuments(manifests('namespace')['argocd-applications.yaml']).map((d) => d.toJSON());
    const eso = apps.find((a) => a.metadata.name === 'external-secrets');
    expect(eso.spec.source.helm.valuesObject.rbac).toStrictEqual({ serviceAccountTokenCreate: true });
    const clusterApps = YAML.parseAllDocuments(manifests('cluster')['argocd-applications.yaml']).map((d) => d.toJSON());
    expect(clusterApps.find((a) => a.metadata.name === 'external-secrets').spec.source.helm.valuesObject.rbac).toBeUndefined();
  });
});

describe('migrating the homelab from cluster to namespace isolation', () => {
  /** The homelab's catalog, declared again with isolation namespace. */
  function homelabInNamespaceMode(): SecretCatalog {
    const catalog = new SecretCatalog({ mount: 'homelab', isolation: 'namespace' });
    // apps/openclaw is read by two namespaces, each for other keys: in namespace isolation monitoring's
    // identity could read all three (Vault grants whole paths). The operator decides; here: knowingly.
    for (const path of homelabCatalog().paths) {
      catalog.path(path.path, path.keys, { description: path.description, ...(path.path === 'apps/openclaw' ? { identitiesRead: 'whole-path' } : {}) });
    }
    const byPath = new Map(catalog.paths.map((p) => [p.path, p]));
    for (const target of homelabCatalog().targets) {
      const source = target.sources[0];
      if (source.kind !== 'keys') throw new Error('the homelab has only key sources');
      byPath.get(source.path.path)!.syncTo({ name: target.name, namespace: target.namespace, creationPolicy: target.creationPolicy, keys: source.keys, renames: source.renames });
    }
    return catalog;
  }

  test('is refused while two namespaces read different keys of apps/openclaw, until the catalog says so', () => {
    // GIVEN the homelab in namespace isolation, apps/openclaw declared as it is
    const catalog = new SecretCatalog({ mount: 'homelab', isolation: 'namespace' });
    for (const path of homelabCatalog().paths) catalog.path(path.path, path.keys);
    const byPath = new Map(catalog.paths.map((p) => [p.path, p]));
    for (const target of homelabCatalog().targets) {
      const source = target.sources[0];
      if (source.kind !== 'keys') throw new Error('the homelab has only key sources');
      byPath.get(source.path.path)!.syncTo({ name: target.name, namespace: target.namespace, creationPolicy: target.creationPolicy, keys: source.keys, renames: source.renames });
    }

    // THEN
    expect(catalog.validate().map((issue) => issue.message)).toStrictEqual([
      'apps/openclaw: identitiesRead "same-keys" is broken: identity external-secrets-openclaw (apps/openclaw → openclaw-secrets in openclaw) reads "OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_HOOKS_TOKEN", "ANTHROPIC_API_KEY", ' +
      'but identity external-secrets-monitoring (apps/openclaw → alertmanager-openclaw-hooks-token in monitoring) reads "OPENCLAW_HOOKS_TOKEN"; ' +
      'Vault grants whole paths, so each of them can read every key of the path ("OPENCLAW_GATEWAY_TOKEN", "OPENCLAW_HOOKS_TOKEN", "ANTHROPIC_API_KEY"). ' +
      'Split the path so that each identity reads a path of its own, or declare it with { identitiesRead: "whole-path" } to grant the whole path knowingly (docs/isolation.md)',
    ]);
    expect(homelabInNamespaceMode().validate()).toStrictEqual([]);
  });

  test('keeps every Secret name and ExternalSecret name; the only difference is secretStoreRef', () => {
    const before = manifestObjects(synthPartToTree(homelabDeclaration(), homelabManifestsPart)).filter((o) => o.kind === 'ExternalSecret');
    const after = manifestObjects(synthPartToTree({ catalog: homelabInNamespaceMode(), settings: HOMELAB_SETTINGS }, homelabManifestsPart)).filter((o) => o.kind === 'ExternalSecret');
    const key = (o: any): string => `${o.metadata.namespace}/${o.metadata.name}`;
    expect(after.map(key).sort()).toStrictEqual(before.map(key).sort());
    const withoutStore = (o: any): unknown => ({ ...o, spec: { ...o.spec, secretStoreRef: undefined } });
    const afterByKey = new Map(after.map((o) => [key(o), o]));
    for (const es of before) {
      expect(withoutStore(afterByKey.get(key(es)))).toStrictEqual(withoutStore(es));
      expect([es.spec.secretStoreRef, afterByKey.get(key(es)).spec.secretStoreRef]).toStrictEqual([
        { kind: 'ClusterSecretStore', name: 'vault-backend' }, { kind: 'SecretStore', name: 'vault-backend' },
      ]);
      expect(es.spec.target.deletionPolicy).toBe('Retain');
    }
  });
});

