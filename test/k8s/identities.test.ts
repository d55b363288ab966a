import YAML from 'yaml';
import { componentApplications } from '../../lib/argocd';
import { type PlatformSettings, SecretCatalog } from '../../lib/catalog';
import { renderPathFlowchart, renderPathTable, renderSecretsDoc } from '../../lib/docs';
import { manifestsPart } from '../../lib/k8s';
import { terraformPart } from '../../lib/tf';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { fluxTreeObjects, synthFluxTree } from '../support/flux';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { IDENTITY_FIXTURE_EXPECTATIONS, identityFixtureCatalog } from '../support/identity-fixtures';
import { manifestObjects, synthPartToTree } from '../support/synth';
import { TfJson, esoPolicyPaths, policyPaths } from '../tf/support';

const synthesized = new Map<string, Record<string, string>>();
function manifests(settings: PlatformSettings = FIXTURE_SETTINGS): Record<string, string> {
  const key = JSON.stringify(settings);
  const declaration = fixtureDeclaration(identityFixtureCatalog(), settings);
  // under Flux the manifests folder must sit in the cluster folder
  if (!synthesized.has(key)) {
    synthesized.set(key, settings.gitops === 'flux'
      ? synthFluxTree(declaration)
      : synthPartToTree(declaration, (t) => manifestsPart(t, [componentApplications()])));
  }
  return synthesized.get(key)!;
}
const parse = (text: string): any[] => YAML.parseAllDocuments(text).map((d) => d.toJSON());
const ARGO_STORE = { 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };
const ARGO_SA = { 'argocd.argoproj.io/sync-wave': '-1' };

describe('identities in the manifests', () => {
  test('each namespace holds the ServiceAccounts and SecretStores of its identities; the ClusterSecretStores share one file', () => {
    const tree = manifests();
    expect(Object.keys(tree)).toStrictEqual([
      'argocd-applications.yaml', 'cluster-secret-store.yaml', 'externalsecrets-apps.yaml', 'externalsecrets-downloads.yaml',
      'externalsecrets-logging.yaml', 'externalsecrets-media.yaml', 'externalsecrets-monitoring.yaml',
    ]);
    const media = parse(tree['externalsecrets-media.yaml']);
    expect(media.map((o) => `${o.kind} ${o.metadata.name}`)).toStrictEqual([
      // `default` exists in every namespace: logged in as, never written.
      'ServiceAccount radarr-vault', 'ServiceAccount arr-eso',
      'SecretStore vault-sonarr', 'SecretStore vault-radarr', 'SecretStore vault-arr',
      'ExternalSecret sonarr', 'ExternalSecret radarr', 'ExternalSecret indexer',
    ]);
    expect(media[0]).toStrictEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'radarr-vault', namespace: 'media', annotations: ARGO_SA }, automountServiceAccountToken: false });
    expect(media[2]).toStrictEqual({
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore',
      metadata: { name: 'vault-sonarr', namespace: 'media', annotations: ARGO_STORE },
      spec: {
        provider: {
          vault: {
            server: 'https://vault.vault.svc:8200', path: 'kv', version: 'v2',
            caProvider: { type: 'ConfigMap', name: 'vault-tls-ca', key: 'ca.crt' },
            auth: { kubernetes: { mountPath: 'kubernetes', role: 'media-sonarr', serviceAccountRef: { name: 'default', audiences: ['vault'] } } },
          },
        },
      },
    });
    expect(media.slice(5).map((es) => [es.metadata.name, es.spec.secretStoreRef])).toStrictEqual([
      ['sonarr', { kind: 'SecretStore', name: 'vault-sonarr' }],
      ['radarr', { kind: 'SecretStore', name: 'vault-radarr' }],
      ['indexer', { kind: 'SecretStore', name: 'vault-arr' }],
    ]);
    // The shared role's store, in its other namespace, logs in with the same role and ServiceAccount name.
    const downloads = parse(tree['externalsecrets-downloads.yaml']);
    expect(downloads.map((o) => `${o.kind} ${o.metadata.name}`)).toStrictEqual(['ServiceAccount arr-eso', 'SecretStore vault-arr', 'ExternalSecret indexer', 'ExternalSecret sabnzbd']);
    expect(downloads[1].spec.provider.vault.auth.kubernetes).toStrictEqual({ mountPath: 'kubernetes', role: 'arr', serviceAccountRef: { name: 'arr-eso', audiences: ['vault'] } });

    const cluster = parse(tree['cluster-secret-store.yaml']);
    expect(cluster.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toStrictEqual([
      'ServiceAccount external-secrets/vault-observability', 'ClusterSecretStore /vault-backend', 'ClusterSecretStore /vault-observability',
    ]);
    expect([cluster[1].spec.conditions, cluster[2].spec.conditions]).toStrictEqual([[{ namespaces: ['apps'] }], [{ namespaces: ['logging', 'monitoring'] }]]);
    expect(cluster[2].spec.provider.vault.auth.kubernetes).toStrictEqual({
      mountPath: 'kubernetes', role: 'observability', serviceAccountRef: { name: 'vault-observability', namespace: 'external-secrets', audiences: ['vault'] },
    });
    expect(parse(tree['externalsecrets-monitoring.yaml']).map((es) => es.spec.secretStoreRef)).toStrictEqual([
      { kind: 'ClusterSecretStore', name: 'vault-observability' }, { kind: 'ClusterSecretStore', name: 'vault-observability' },
    ]);
  });

  test.each(['argocd', 'flux', 'plain'] as const)('%s: every store and ExternalSecret is schema-valid, webhook-valid and its own defaulted form', (gitops) => {
    const tree = manifests({ ...FIXTURE_SETTINGS, gitops });
    const objects = gitops === 'flux' ? fluxTreeObjects(tree) : manifestObjects(tree);
    // every flavour writes the same stores, ServiceAccounts and ExternalSecrets (Flux in its stage folders)
    const esoObjects = (list: any[]): string[] => list
      .filter((o) => o.apiVersion === 'external-secrets.io/v1' || o.kind === 'ServiceAccount')
      .map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
    expect(esoObjects(objects)).toStrictEqual(esoObjects(manifestObjects(manifests())));
    for (const object of objects.filter((o) => o.kind !== 'ServiceAccount')) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect([name, crdSchemaErrors(object)]).toStrictEqual([name, []]);
      expect([name, esoWebhookViolations(object)]).toStrictEqual([name, []]);
      // Argo CD's drift check needs the defaulted form; Flux's objects are applied server-side as they are
      if (!object.apiVersion.includes('.toolkit.fluxcd.io/')) expect(withCrdDefaults(object)).toStrictEqual(object);
    }
    if (gitops !== 'argocd') expect(objects.filter((o) => o.metadata.annotations !== undefined)).toStrictEqual([]);
  });

  test('ESO\'s Application writes out the serviceaccounts/token grant the identities\' ServiceAccounts rely on', () => {
    const eso = parse(manifests()['argocd-applications.yaml']).find((a) => a.metadata.name === 'external-secrets');
    expect(eso.spec.source.helm.valuesObject.rbac).toStrictEqual({ serviceAccountTokenCreate: true });
  });

  test('stores trust what they say: the system CAs, a Secret of their own namespace, a ConfigMap the ClusterSecretStore names', () => {
    const catalog = new SecretCatalog({ mount: 'kv' });
    const system = catalog.identity('system', { store: { kind: 'SecretStore', name: 'public', namespaces: ['web'], trust: 'system' } });
    const secret = catalog.identity('secret', { store: { kind: 'SecretStore', name: 'own-ca', namespaces: ['web'], trust: { secret: { name: 'vault-ca' } } } });
    const cm = catalog.identity('cm', { store: { kind: 'ClusterSecretStore', name: 'cm', namespaces: ['web'], trust: { configMap: { name: 'root', key: 'root.pem', namespace: 'certs' } } } });
    for (const [name, identity] of [['a', system], ['b', secret], ['c', cm]] as const) catalog.path(`p/${name}`, ['k']).syncTo({ name, namespace: 'web', identity });
    const objects = manifestObjects(synthPartToTree(fixtureDeclaration(catalog), (t) => manifestsPart(t)));
    const providers = objects.filter((o) => o.kind.endsWith('SecretStore')).map((o) => [o.metadata.name, o.spec.provider.vault.caProvider]);
    expect(providers).toStrictEqual([
      ['cm', { type: 'ConfigMap', name: 'root', namespace: 'certs', key: 'root.pem' }],
      ['public', undefined],
      ['own-ca', { type: 'Secret', name: 'vault-ca', key: 'ca.crt' }],
    ]);
    for (const store of objects.filter((o) => o.kind.endsWith('SecretStore'))) expect(crdSchemaErrors(store)).toStrictEqual([]);
  });
});

describe('identities in Vault', () => {
  const vault: TfJson = JSON.parse(synthPartToTree(fixtureDeclaration(identityFixtureCatalog()), terraformPart)['stacks/vault/cdk.tf.json']);

  test('each identity\'s policy reads exactly its paths, and its role binds exactly its ServiceAccounts, namespaces and audience', () => {
    const policies = Object.fromEntries(Object.values(vault.resource!.vault_policy).map((p: any) => [p.name, policyPaths(p.policy)]));
    const roles = Object.values(vault.resource!.vault_kubernetes_auth_backend_role).map((r: any) => ({
      role: r.role_name, accounts: r.bound_service_account_namespaces.flatMap((ns: string) => r.bound_service_account_names.map((n: string) => `${ns}/${n}`)).sort(),
      audience: r.audience, policy: /^\$\{vault_policy\.([a-z0-9_]+)\.name\}$/.exec(r.token_policies[0])![1],
    }));
    for (const [name, expected] of Object.entries(IDENTITY_FIXTURE_EXPECTATIONS)) {
      expect([name, policies[expected.policy]]).toStrictEqual([name, esoPolicyPaths(...expected.paths.map((p) => `kv/data/${p}`))]);
      const role = roles.find((r) => r.role === expected.role)!;
      expect([name, role.accounts, role.audience, vault.resource!.vault_policy[role.policy].name]).toStrictEqual([name, [...expected.serviceAccounts], expected.audience, expected.policy]);
    }
    expect(Object.keys(policies).sort()).toStrictEqual([...Object.values(IDENTITY_FIXTURE_EXPECTATIONS).map((e) => e.policy), 'kv-operator'].sort());
    expect(roles.length).toBe(Object.keys(IDENTITY_FIXTURE_EXPECTATIONS).length);
  });

  test('the default identity keeps the addresses it always had; each declared one is at addresses named after it', () => {
    expect(Object.keys(vault.resource!.vault_kubernetes_auth_backend_role).sort()).toStrictEqual([
      'kubernetes_auth_role', 'kubernetes_auth_role_arr_shared', 'kubernetes_auth_role_observability', 'kubernetes_auth_role_radarr', 'kubernetes_auth_role_sonarr',
    ]);
    expect(Object.keys(vault.resource!.vault_policy).sort()).toStrictEqual([
      'eso_read_policy', 'eso_read_policy_arr_shared', 'eso_read_policy_observability', 'eso_read_policy_radarr', 'eso_read_policy_sonarr', 'operator_policy',
    ]);
  });
});

describe('identities in the docs', () => {
  test('the path table names each Secret\'s store and role; a namespace with several identities names them on its Secrets', () => {
    const catalog = identityFixtureCatalog();
    expect(renderPathTable(catalog).split('\n').slice(0, 4)).toStrictEqual([
      '| Vault path | Keys | Secret | Namespace | Creation policy | Store and Vault role |',
      '|---|---|---|---|---|---|',
      '| `apps/sonarr` | `api-key` | `sonarr` | `media` | Owner | SecretStore `vault-sonarr`, role `media-sonarr` |',
      '| `apps/radarr` | `api-key` | `radarr` | `media` | Owner | SecretStore `vault-radarr`, role `media-radarr` |',
    ]);
    const chart = renderPathFlowchart(catalog);
    expect(chart).toContain('  s0["Secret sonarr via SecretStore vault-sonarr, role media-sonarr"]\n');
    expect(chart).toContain('(["namespace downloads: SecretStore vault-arr, role arr"])\n');
    expect(renderSecretsDoc(catalog)).toContain('\nIdentities: each Secret is read through the store of its identity (last column), logged in as that identity\'s ServiceAccount with its Vault role, whose policy reads exactly the paths its Secrets read.\n');
  });
});
