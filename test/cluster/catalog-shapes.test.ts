// The catalog shapes the homelab does not use, synthesized from a fixture catalog and run on a real
// cluster (kube-apiserver, the ESO v2.9.0 controller, OpenBao): a template target, dataFrom.extract,
// several paths into one Secret, creationPolicy Orphan and None, deletionPolicy Delete and Retain, and a
// row's type, labels, annotations and Reloader match annotation.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOMELAB_SETTINGS } from '../../apps/homelab';
import { SecretCatalog, SyncTarget } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../lib/tf';
import { applyWithVaultApi } from '../e2e/support/vault-stack';
import { Cluster, startCluster } from './support/cluster';
import { conditionOf, externalSecretsPath, fingerprints, manifestFiles, objectsOf, readSecret, seedValues } from './support/objects';

const NAMESPACE = 'shapes';
const SYNC_TIMEOUT_MS = 60_000;

function shapesCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  const db = catalog.path('apps/db', ['user', 'password']);
  const api = catalog.path('apps/api', ['key', 'unused']);
  const registry = catalog.path('apps/registry', ['username', 'token']);
  // a template target: one key rendered from two
  db.syncTo({ name: 'db-url', namespace: NAMESPACE, template: (v) => ({ URL: `postgres://${v.user}:${v.password}@db.invalid/app` }) });
  // every key of a path, whatever is there at sync time
  catalog.addTarget({ name: 'registry', namespace: NAMESPACE, sources: [registry.extractAll()] });
  // several paths into one Secret, one of them renamed
  catalog.addTarget({ name: 'combined', namespace: NAMESPACE, sources: [db.select(), api.select({ keys: ['key'], renames: { key: 'API_KEY' } })] });
  // the Secret's type, labels and annotations, and Reloader's search-mode match
  catalog.addTarget({
    name: 'registry-pull', namespace: NAMESPACE, sources: [registry.select()], type: 'kubernetes.io/dockerconfigjson',
    labels: { 'app.kubernetes.io/name': 'registry' }, annotations: { 'example.invalid/owner': 'platform' }, reloaderMatch: true,
    template: (v) => ({ '.dockerconfigjson': `{"auths":{"registry.invalid":{"username":"${v.username}","password":"${v.token}"}}}` }),
  });
  catalog.path('apps/orphan', ['value']).syncTo({ name: 'orphaned', namespace: NAMESPACE, creationPolicy: 'Orphan' });
  catalog.path('apps/none', ['value']).syncTo({ name: 'not-written', namespace: NAMESPACE, creationPolicy: 'None' });
  catalog.path('apps/deleted', ['value']).syncTo({ name: 'deleted-with-path', namespace: NAMESPACE, deletionPolicy: 'Delete' });
  catalog.path('apps/retained', ['value']).syncTo({ name: 'retained', namespace: NAMESPACE, deletionPolicy: 'Retain' });
  return catalog;
}

describe('the catalog\'s other shapes on a real cluster (fixture catalog)', () => {
  const catalog = shapesCatalog();
  let cluster: Cluster;
  let manifests: string[];
  let values: Record<string, Record<string, string>>;
  const target = (name: string): SyncTarget => catalog.targets.find((t) => t.name === name)!;
  const externalSecret = (name: string): Promise<any> => cluster.get(externalSecretsPath(NAMESPACE, name));
  const ready = async (name: string) => conditionOf(await externalSecret(name), 'Ready');
  const forceSync = (name: string): Promise<unknown> =>
    cluster.kubectl(['annotate', 'externalsecret', '-n', NAMESPACE, name, `force-sync=${Date.now()}`, '--overwrite']);
  const summary = async (): Promise<unknown> => (await cluster.get(externalSecretsPath(NAMESPACE))).items
    .map((es: any) => `${es.metadata.name}: ${conditionOf(es, 'Ready')?.reason} ${conditionOf(es, 'Ready')?.message ?? ''}`);

  beforeAll(async () => {
    expect(catalog.validate()).toStrictEqual([]);
    const out = mkdtempSync(join(tmpdir(), 'homelab-secrets-shapes-'));
    synthOutputs({ catalog, settings: HOMELAB_SETTINGS }, [manifestsPart(join(out, 'manifests')), terraformPart(join(out, 'cdktf.out'))]);
    manifests = manifestFiles(join(out, 'manifests'));
    cluster = await startCluster({ namespaces: [NAMESPACE], components: ['vault', 'external-secrets'] });
    const vaultStack = JSON.parse(readFileSync(join(out, 'cdktf.out', 'stacks', TERRAFORM_STACKS.vault, 'cdk.tf.json'), 'utf8'));
    await applyWithVaultApi(vaultStack, { addr: cluster.vault.addr, rootToken: cluster.vault.rootToken });
    values = seedValues(catalog);
    // The registry's values go into JSON text (.dockerconfigjson) unescaped, as a registry token would: no quotes or newlines.
    values['apps/registry'] = { username: `user-${Date.now()}`, token: `token-${Math.random().toString(36).slice(2)}` };
    await Promise.all(catalog.paths.map((path) => cluster.seedVault(catalog.mount, path.path, values[path.path])));
    await cluster.apply({ files: manifests });
    await cluster.waitFor('every ExternalSecret to sync', async () => {
      const items = (await cluster.get(externalSecretsPath(NAMESPACE))).items;
      return items.length === catalog.targets.length && items.every((es: any) => conditionOf(es, 'Ready')?.status === 'True');
    }, { timeoutMs: SYNC_TIMEOUT_MS, observe: summary });
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  test('the fixture synthesizes each shape; every ExternalSecret is Ready, and zero drift for all of them', async () => {
    const objects = objectsOf(manifests).filter((o) => o.kind === 'ExternalSecret');
    const spec = (name: string) => objects.find((o) => o.metadata.name === name).spec;
    expect(spec('db-url').target.template.data).toStrictEqual({ URL: 'postgres://{{ .user }}:{{ .password }}@db.invalid/app' });
    expect(spec('registry').dataFrom).toStrictEqual([{ extract: { key: 'apps/registry' } }]);
    expect(spec('combined').data.map((d: any) => [d.remoteRef.key, d.secretKey])).toStrictEqual([['apps/db', 'user'], ['apps/db', 'password'], ['apps/api', 'API_KEY']]);
    expect(['orphaned', 'not-written', 'deleted-with-path', 'retained'].map((n) => [spec(n).target.creationPolicy, spec(n).target.deletionPolicy]))
      .toStrictEqual([['Orphan', 'Retain'], ['None', 'Retain'], ['Owner', 'Delete'], ['Owner', 'Retain']]);
    const reasons = Object.fromEntries((await cluster.get(externalSecretsPath(NAMESPACE))).items.map((es: any) => [es.metadata.name, conditionOf(es, 'Ready')?.reason]));
    expect(reasons).toStrictEqual(Object.fromEntries(catalog.targets.map((t) => [t.externalSecretName, 'SecretSynced'])));
    const diff = await cluster.kubectl(['diff', '--server-side', ...manifests.flatMap((f) => ['-f', f])], { allowFailure: true });
    expect({ code: diff.code, stdout: diff.stdout, stderr: diff.stderr }).toStrictEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a template target holds exactly the template\'s keys, rendered from the path\'s values', async () => {
    const secret = (await readSecret(cluster, NAMESPACE, 'db-url'))!;
    const { user, password } = values['apps/db'];
    expect(fingerprints(secret.data)).toStrictEqual(fingerprints({ URL: `postgres://${user}:${password}@db.invalid/app` }));
  });

  test('dataFrom.extract copies every key at the path, a key added in Vault too', async () => {
    expect(fingerprints((await readSecret(cluster, NAMESPACE, 'registry'))!.data)).toStrictEqual(fingerprints(values['apps/registry']));
    const added = { ...values['apps/registry'], mirror: `added-${Math.random()}` };
    await cluster.seedVault(catalog.mount, 'apps/registry', added);
    await forceSync('registry');
    await cluster.waitFor('the added key to arrive', async () =>
      JSON.stringify(fingerprints((await readSecret(cluster, NAMESPACE, 'registry'))!.data)) === JSON.stringify(fingerprints(added)), { observe: () => ready('registry') });
    values['apps/registry'] = added;
  });

  test('several paths feed one Secret, each key from its own path, one renamed', async () => {
    const secret = (await readSecret(cluster, NAMESPACE, 'combined'))!;
    expect(fingerprints(secret.data)).toStrictEqual(fingerprints({ ...values['apps/db'], API_KEY: values['apps/api'].key }));
  });

  test('a row\'s type, labels and annotations reach the Secret, with Reloader\'s match annotation', async () => {
    const secret = (await readSecret(cluster, NAMESPACE, 'registry-pull'))!;
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(Object.keys(secret.data)).toStrictEqual(['.dockerconfigjson']);
    expect(JSON.parse(secret.data['.dockerconfigjson'].toString('utf8')).auths['registry.invalid'].username).toBe(values['apps/registry'].username);
    expect(Object.fromEntries(Object.entries(secret.metadata.labels).filter(([k]) => !k.startsWith('reconcile.external-secrets.io/'))))
      .toStrictEqual({ 'app.kubernetes.io/name': 'registry' });
    expect(Object.keys(secret.metadata.annotations).sort())
      .toStrictEqual(['example.invalid/owner', 'reconcile.external-secrets.io/data-hash', 'reloader.stakater.com/match']);
    expect([secret.metadata.annotations['example.invalid/owner'], secret.metadata.annotations['reloader.stakater.com/match']]).toStrictEqual(['platform', 'true']);
    expect(target('registry-pull').reloaderMatch).toBe(true);
  });

  test('creationPolicy Orphan: the Secret has no owner, and outlives its ExternalSecret', async () => {
    const secret = (await readSecret(cluster, NAMESPACE, 'orphaned'))!;
    expect([secret.metadata.ownerReferences, fingerprints(secret.data)]).toStrictEqual([undefined, fingerprints(values['apps/orphan'])]);
    await cluster.kubectl(['delete', 'externalsecret', '-n', NAMESPACE, 'orphaned', '--wait=true']);
    expect(fingerprints((await readSecret(cluster, NAMESPACE, 'orphaned'))!.data)).toStrictEqual(fingerprints(values['apps/orphan']));
  });

  test('creationPolicy None: ESO reads the path (Ready) but writes no Secret', async () => {
    expect([(await ready('not-written'))?.status, (await ready('not-written'))?.reason]).toStrictEqual(['True', 'SecretSynced']);
    expect(await readSecret(cluster, NAMESPACE, 'not-written')).toBeUndefined();
  });

  test('deletionPolicy Delete: the path deleted from Vault, ESO deletes the Secret; Retain: the Secret keeps its values', async () => {
    for (const path of ['apps/deleted', 'apps/retained']) {
      expect((await cluster.vault.api('DELETE', `${catalog.mount}/metadata/${path}`)).status).toBe(204);
    }
    await forceSync('deleted-with-path');
    await forceSync('retained');
    await cluster.waitFor('ESO to delete the Secret of the Delete row', async () => (await readSecret(cluster, NAMESPACE, 'deleted-with-path')) === undefined,
      { observe: () => ready('deleted-with-path') });
    await cluster.waitFor('the Retain row to see the path gone', async () => (await ready('retained'))?.reason !== 'SecretSynced' || undefined,
      { observe: () => ready('retained') });
    expect(fingerprints((await readSecret(cluster, NAMESPACE, 'retained'))!.data)).toStrictEqual(fingerprints(values['apps/retained']));
    expect([(await ready('deleted-with-path'))?.reason, (await ready('retained'))?.reason]).toStrictEqual(['SecretDeleted', 'SecretSyncedError']);
  });
});
