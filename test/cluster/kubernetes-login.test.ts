// Kubernetes auth as ESO uses it, on a real cluster: TokenRequest and TokenReview by the real
// kube-apiserver, OpenBao's Kubernetes auth configured exactly as synthesized (the API server by its
// in-cluster name, trusted through the pod's CA file, reviewed with the pod's own token), and in
// namespace isolation the real ESO controller syncing each namespace through its own SecretStore.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import { SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { TERRAFORM_STACKS, terraformPart } from '../../lib/tf';
import { POD_SERVICE_ACCOUNT_DIR } from '../e2e/support/bao-dev-server';
import { applyWithVaultApi } from '../e2e/support/vault-stack';
import { Cluster, SERVICE_ACCOUNT_ISSUER, startCluster } from './support/cluster';
import { conditionOf, externalSecretsPath, fingerprints, manifestFiles, readSecret, seedValues } from './support/objects';

/** What one store logs in as, read from the synthesized manifests. */
interface StoreIdentity {
  /** `ClusterSecretStore/vault-backend` or `SecretStore/<namespace>/vault-backend`. */
  readonly store: string;
  readonly mountPath: string;
  readonly role: string;
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  readonly audiences: readonly string[];
  /** Every `remoteRef.key` / `extract.key` of the ExternalSecrets that use the store, sorted. */
  readonly paths: readonly string[];
}

/** Synthesizes the manifests and the Terraform with the homelab's settings, as users do. */
function synthesize(catalog: SecretCatalog): { vault: any; identities: StoreIdentity[]; manifests: string[]; objects: any[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'homelab-secrets-login-'));
  synthOutputs({ catalog, settings: HOMELAB_SETTINGS }, [manifestsPart(join(outdir, 'manifests')), terraformPart(join(outdir, 'cdktf.out'))]);
  const vault = JSON.parse(readFileSync(join(outdir, 'cdktf.out', 'stacks', TERRAFORM_STACKS.vault, 'cdk.tf.json'), 'utf8'));
  const manifests = manifestFiles(join(outdir, 'manifests'));
  const objects: any[] = readdirSync(join(outdir, 'manifests')).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => YAML.parseAllDocuments(readFileSync(join(outdir, 'manifests', f), 'utf8')).map((d) => d.toJSON()));
  const externalSecrets = objects.filter((o) => o.kind === 'ExternalSecret');
  const identities = objects.filter((o) => o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore').map((store): StoreIdentity => {
    const auth = store.spec.provider.vault.auth.kubernetes;
    const cluster = store.kind === 'ClusterSecretStore';
    const users = externalSecrets.filter((es) => es.spec.secretStoreRef.kind === store.kind && es.spec.secretStoreRef.name === store.metadata.name
      && (cluster || es.metadata.namespace === store.metadata.namespace));
    const paths = users.flatMap((es) => [
      ...(es.spec.data ?? []).map((d: any) => d.remoteRef.key),
      ...(es.spec.dataFrom ?? []).map((d: any) => d.extract.key),
    ]);
    return {
      store: cluster ? `${store.kind}/${store.metadata.name}` : `${store.kind}/${store.metadata.namespace}/${store.metadata.name}`,
      mountPath: auth.mountPath,
      role: auth.role,
      // A SecretStore's ServiceAccount is in its own namespace; a ClusterSecretStore names it.
      serviceAccount: { namespace: cluster ? auth.serviceAccountRef.namespace : store.metadata.namespace, name: auth.serviceAccountRef.name },
      audiences: auth.serviceAccountRef.audiences,
      paths: [...new Set<string>(paths)].sort(),
    };
  });
  return { vault, identities, manifests, objects };
}

/** An undeclared path under every first segment of a declared one, and at the top of the mount. */
function undeclared(catalog: SecretCatalog): string[] {
  return [...new Set(['', ...catalog.pathNames.map((p) => p.split('/')[0])])].map((prefix) => (prefix ? `${prefix}/e2e-undeclared` : 'e2e-undeclared')).sort();
}

/** The claims of `jwt`, signed again by a key the API server does not have (the same `kid`). */
function forge(jwt: string): string {
  const [header, claims] = jwt.split('.');
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: createPrivateKey(stranger.privateKey.export({ type: 'pkcs8', format: 'pem' })), dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${signature.toString('base64url')}`;
}

/** OpenBao's answers to a login its Kubernetes auth refuses, by where the refusal happens. */
const REFUSED = {
  name: [403, ['service account name not authorized']],
  namespace: [403, ['namespace not authorized']],
  audience: [403, ['invalid audience (aud) claim: audience claim does not match any expected audience']],
  // The claims pass, the API server's TokenReview says no: OpenBao answers only "permission denied".
  review: [403, ['permission denied']],
} as const;

/** A real cluster with the synthesized Vault stack applied and every path (and undeclared neighbours) seeded. */
class LoginStack {
  cluster!: Cluster;
  vault: any;
  identities: StoreIdentity[] = [];
  manifests: string[] = [];
  objects: any[] = [];
  values: Record<string, Record<string, string>> = {};

  constructor(readonly catalog: SecretCatalog, private readonly withEso: boolean) {}

  async start(): Promise<void> {
    ({ vault: this.vault, identities: this.identities, manifests: this.manifests, objects: this.objects } = synthesize(this.catalog));
    this.cluster = await startCluster({
      namespaces: [...new Set([...this.catalog.namespaces, 'arr'])],
      components: this.withEso ? ['vault', 'external-secrets'] : ['vault'],
      auditTokenReviews: true,
    });
    await applyWithVaultApi(this.vault, { addr: this.cluster.vault.addr, rootToken: this.cluster.vault.rootToken });
    this.values = seedValues(this.catalog);
    for (const path of this.catalog.paths) await this.cluster.seedVault(this.catalog.mount, path.path, this.values[path.path]);
    // Data at every undeclared path, so that a widened policy would answer 200, not 404.
    for (const path of undeclared(this.catalog)) await this.cluster.seedVault(this.catalog.mount, path, { k: 'placeholder' });
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
  }

  /** The synthesized Kubernetes auth config, as applied. */
  config(): Record<string, any> {
    return Object.values(this.vault.resource.vault_kubernetes_auth_backend_config)[0] as Record<string, any>;
  }

  /** Creates the ServiceAccount if it does not exist (no controller makes `default` here); returns its uid. */
  async account(namespace: string, name: string): Promise<string> {
    await this.cluster.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name } }]);
    return (await this.cluster.get(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}`)).metadata.uid;
  }

  /** A TokenRequest token of `namespace/name` for `audiences`, the ServiceAccount created first if needed. */
  async token(namespace: string, name: string, audiences: readonly string[]): Promise<string> {
    await this.account(namespace, name);
    return this.cluster.createToken(namespace, name, { audiences, seconds: 600 });
  }

  /** `POST auth/<mountPath>/login` with a role and a JWT, without a token, as ESO sends it. */
  async login(mountPath: string, role: string, jwt: string): Promise<{ status: number; body: any }> {
    const response = await this.cluster.vault.fetch(`${this.cluster.vault.addr}/v1/auth/${mountPath}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role, jwt }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** ESO's login for a store: a token of its ServiceAccount for its audiences, its role. */
  async loginAs(identity: StoreIdentity): Promise<{ token: string; auth: any; jwt: string }> {
    const jwt = await this.token(identity.serviceAccount.namespace, identity.serviceAccount.name, identity.audiences);
    const { status, body } = await this.login(identity.mountPath, identity.role, jwt);
    expect([identity.store, status, body.errors]).toStrictEqual([identity.store, 200, undefined]);
    return { token: body.auth.client_token, auth: body.auth, jwt };
  }

  async read(token: string, path: string): Promise<number> {
    return (await this.cluster.vault.api('GET', `${this.catalog.mount}/data/${path}`, undefined, token)).status;
  }

  /** Every declared and undeclared path with the status a read by `token` gets. */
  async readAll(token: string): Promise<[string, number][]> {
    const result: [string, number][] = [];
    for (const path of [...this.catalog.pathNames, ...undeclared(this.catalog)].sort()) result.push([path, await this.read(token, path)]);
    return result;
  }

  /** What `readAll` must answer for an identity that may read exactly `allowed`. */
  expected(allowed: readonly string[]): [string, number][] {
    return [...this.catalog.pathNames, ...undeclared(this.catalog)].sort().map((path) => [path, allowed.includes(path) ? 200 : 403]);
  }
}

/**
 * Namespace isolation with three namespaces: `web` (A) reads `web/db` and `shared/web-and-jobs`; `jobs`
 * (B) reads `shared/web-and-jobs`, `jobs/queue` and `shared/jobs-and-batch`, which it shares with
 * `batch` (C); `batch` also reads every key of `batch/settings`. `ops/backup-key` is the operators' only.
 */
function isolatedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });
  catalog.path('web/db', ['password']).syncTo({ name: 'web-db', namespace: 'web' });
  const webAndJobs = catalog.path('shared/web-and-jobs', ['token']);
  webAndJobs.syncTo({ name: 'common-token', namespace: 'web' });
  webAndJobs.syncTo({ name: 'common-token', namespace: 'jobs' });
  catalog.path('jobs/queue', ['url']).syncTo({ name: 'queue', namespace: 'jobs' });
  const jobsAndBatch = catalog.path('shared/jobs-and-batch', ['key']);
  jobsAndBatch.syncTo({ name: 'reports', namespace: 'jobs' });
  jobsAndBatch.syncTo({ name: 'reports', namespace: 'batch' });
  catalog.addTarget({ name: 'batch-settings', namespace: 'batch', sources: [catalog.path('batch/settings', ['a', 'b']).extractAll()] });
  catalog.path('ops/backup-key', ['key'], { readBy: 'operators' });
  return catalog;
}

describe('Kubernetes-auth logins through the real API server', () => {
  describe('cluster isolation (the homelab)', () => {
    const stack = new LoginStack(homelabCatalog(), false);
    let eso: StoreIdentity;
    beforeAll(async () => {
      await stack.start();
      expect(stack.identities.map((i) => i.store)).toStrictEqual(['ClusterSecretStore/vault-backend']);
      eso = stack.identities[0];
    }, 180_000);
    afterAll(() => stack.stop());

    test('the Kubernetes auth config is the synthesized one, unmodified: the API server by its in-cluster name, trusted through the pod\'s CA', async () => {
      expect(Object.keys(stack.config()).filter((k) => k !== '//').sort()).toStrictEqual(['backend', 'kubernetes_host']);
      const { body } = await stack.cluster.vault.api('GET', `auth/${eso.mountPath}/config`);
      expect({ host: body.data.kubernetes_host, ca: body.data.kubernetes_ca_cert, reviewer: body.data.token_reviewer_jwt_set, local: body.data.disable_local_ca_jwt })
        .toStrictEqual({ host: 'https://kubernetes.default.svc', ca: '', reviewer: false, local: false });
      expect(POD_SERVICE_ACCOUNT_DIR).toBe('/var/run/secrets/kubernetes.io/serviceaccount');
    });

    test('ESO\'s identity logs in with the store\'s role; the API server reviews the token for Vault\'s ServiceAccount; the token carries exactly the role\'s policy', async () => {
      expect(eso).toStrictEqual({
        store: 'ClusterSecretStore/vault-backend',
        mountPath: 'kubernetes',
        role: 'external-secrets',
        serviceAccount: { namespace: 'external-secrets', name: 'external-secrets' },
        audiences: ['vault'],
        paths: stack.catalog.esoPathNames.slice().sort(),
      });
      const { auth, jwt } = await stack.loginAs(eso);
      expect({ policies: auth.policies, tokenPolicies: auth.token_policies, metadata: auth.metadata, ttl: auth.lease_duration }).toStrictEqual({
        policies: ['default', 'homelab-eso-read'],
        tokenPolicies: ['default', 'homelab-eso-read'],
        metadata: {
          role: 'external-secrets',
          service_account_name: 'external-secrets',
          service_account_namespace: 'external-secrets',
          service_account_secret_name: '',
          service_account_uid: await stack.account('external-secrets', 'external-secrets'),
        },
        ttl: 900,
      });
      expect(stack.catalog.vaultRole.tokenTtlSeconds).toBe(900);
      // One review of that token, asked by Vault's ServiceAccount (the pod's token file), for the role's audience.
      const reviews = await stack.cluster.waitFor('the review in the API server\'s audit log', async () => {
        const found = stack.cluster.tokenReviews().filter((r) => r.token === jwt);
        return found.length > 0 ? found : undefined;
      });
      expect(reviews.map(({ token: _token, ...review }) => review)).toStrictEqual([{
        user: 'system:serviceaccount:vault:vault',
        code: 201,
        audiences: ['vault'],
        authenticated: true,
        username: 'system:serviceaccount:external-secrets:external-secrets',
        error: null,
      }]);
    });

    test('ESO\'s login reads every path its ExternalSecrets read, and nothing undeclared', async () => {
      const { token } = await stack.loginAs(eso);
      expect(await stack.readAll(token)).toStrictEqual(stack.expected(eso.paths));
    });

    test('only Vault\'s ServiceAccount may review tokens (its chart binds it to system:auth-delegator); ESO\'s may not', async () => {
      const review = (bearer: string, token: string) => fetchReview(stack.cluster, bearer, token);
      const jwt = await stack.token('external-secrets', 'external-secrets', ['vault']);
      const vault = await stack.cluster.createToken('vault', 'vault');
      const esoBearer = await stack.cluster.createToken('external-secrets', 'external-secrets');
      expect(await review(vault, jwt)).toStrictEqual({ code: 201, authenticated: true, username: 'system:serviceaccount:external-secrets:external-secrets' });
      expect(await review(esoBearer, jwt)).toStrictEqual({
        code: 403,
        message: 'tokenreviews.authentication.k8s.io is forbidden: User "system:serviceaccount:external-secrets:external-secrets" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope',
      });
    });

    test('a token of another ServiceAccount name, another namespace or another audience, a forged one and a deleted account\'s are refused at login', async () => {
      const { namespace, name } = eso.serviceAccount;
      const cases: [string, string, readonly [number, readonly string[]]][] = [
        ['another name in ESO\'s namespace', await stack.token(namespace, 'default', eso.audiences), REFUSED.name],
        ['ESO\'s name in another namespace', await stack.token('arr', name, eso.audiences), REFUSED.namespace],
        ['ESO\'s ServiceAccount, another audience', await stack.token(namespace, name, [SERVICE_ACCOUNT_ISSUER]), REFUSED.audience],
        ['ESO\'s claims, signed by another key', forge(await stack.token(namespace, name, eso.audiences)), REFUSED.review],
      ];
      for (const [label, jwt, [status, errors]] of cases) {
        const answer = await stack.login(eso.mountPath, eso.role, jwt);
        expect([label, answer.status, answer.body.errors]).toStrictEqual([label, status, errors]);
      }
      // A ServiceAccount deleted and created again under the same name: the old token's uid is gone.
      await stack.account(namespace, 'recreated');
      const old = await stack.cluster.createToken(namespace, 'recreated', { audiences: eso.audiences });
      await stack.cluster.kubectl(['delete', 'serviceaccount', '-n', namespace, 'recreated', '--wait=true']);
      await stack.account(namespace, 'recreated');
      const answer = await stack.login('kubernetes', await dedicatedRole(stack, namespace, 'recreated'), old);
      expect([answer.status, answer.body.errors]).toStrictEqual(REFUSED.review);
      const reviewed = await stack.cluster.waitFor('both reviews in the API server\'s audit log', async () => {
        const forged = stack.cluster.tokenReviews().find((r) => r.token === cases[3][1]);
        const deleted = stack.cluster.tokenReviews().find((r) => r.token === old);
        return forged && deleted ? [forged, deleted] : undefined;
      });
      // Not authenticated, each for its own reason, in the API server's words.
      const recreatedUid = await stack.account(namespace, 'recreated');
      const oldUid = JSON.parse(Buffer.from(old.split('.')[1], 'base64url').toString('utf8'))['kubernetes.io'].serviceaccount.uid;
      expect(reviewed.map((r) => [r.code, r.authenticated, r.error])).toStrictEqual([
        [201, null, '[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]'],
        [201, null, `[invalid bearer token, service account UID (${recreatedUid}) does not match claim (${oldUid})]`],
      ]);
    });
  });

  describe('namespace isolation (A = web, B = jobs, C = batch), with the ESO controller', () => {
    const stack = new LoginStack(isolatedCatalog(), true);
    const identity = (namespace: string): StoreIdentity => stack.identities.find((i) => i.store === `SecretStore/${namespace}/vault-backend`)!;
    beforeAll(async () => {
      await stack.start();
      // Vault's CA in every namespace, as trust-manager's Bundle distributes it (docs/isolation.md).
      await stack.cluster.apply(stack.catalog.namespaces.map((namespace) => ({
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vault-tls-ca', namespace }, data: { 'ca.crt': stack.cluster.vault.caCert },
      })));
      await stack.cluster.apply({ files: stack.manifests });
      await stack.cluster.waitFor('every ExternalSecret to sync', async () => {
        const items = (await stack.cluster.get(externalSecretsPath())).items;
        return items.length === stack.catalog.targets.length && items.every((es: any) => conditionOf(es, 'Ready')?.reason === 'SecretSynced');
      }, { timeoutMs: 60_000, observe: async () => (await stack.cluster.get(externalSecretsPath())).items.map((es: any) => [es.metadata.namespace, es.metadata.name, conditionOf(es, 'Ready')]) });
    }, 180_000);
    afterAll(() => stack.stop());

    test('each namespace\'s SecretStore syncs its own paths: every Secret holds its values, and each login was reviewed by the real API server', async () => {
      for (const row of stack.catalog.targets) {
        const secret = await readSecret(stack.cluster, row.namespace, row.name);
        const expected = Object.fromEntries(row.sources.flatMap((s) => (s.kind === 'extract' ? Object.entries(stack.values[s.path.path])
          : s.keys.map((k) => [s.renames[k] ?? k, stack.values[s.path.path][k]]))));
        expect([row.row, fingerprints(secret!.data)]).toStrictEqual([row.row, fingerprints(expected)]);
      }
      const stores = await Promise.all(['batch', 'jobs', 'web'].map((ns) => stack.cluster.get(`/apis/external-secrets.io/v1/namespaces/${ns}/secretstores/vault-backend`)));
      expect(stores.map((s) => [s.metadata.namespace, conditionOf(s, 'Ready')?.reason])).toStrictEqual([['batch', 'Valid'], ['jobs', 'Valid'], ['web', 'Valid']]);
      // ESO logged in as each namespace's own ServiceAccount; Vault's ServiceAccount asked the API server.
      const reviewed = stack.cluster.tokenReviews().filter((r) => r.authenticated);
      expect([...new Set(reviewed.map((r) => `${r.user} ${r.audiences?.join(',')} ${r.username}`))].sort()).toStrictEqual([
        'system:serviceaccount:vault:vault vault system:serviceaccount:batch:vault-backend',
        'system:serviceaccount:vault:vault vault system:serviceaccount:jobs:vault-backend',
        'system:serviceaccount:vault:vault vault system:serviceaccount:web:vault-backend',
      ]);
    });

    test('an ExternalSecret in web naming a path of jobs fails with Vault\'s permission error, and no Secret is written', async () => {
      await stack.cluster.apply([{
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'steal-queue', namespace: 'web' },
        spec: { refreshInterval: '1h', secretStoreRef: { kind: 'SecretStore', name: 'vault-backend' },
          target: { name: 'steal-queue', creationPolicy: 'Owner', deletionPolicy: 'Retain' }, data: [{ secretKey: 'url', remoteRef: { key: 'jobs/queue', property: 'url' } }] },
      }]);
      const ready = await stack.cluster.waitFor('the cross-namespace ExternalSecret to fail', async () => {
        const condition = conditionOf(await stack.cluster.get(externalSecretsPath('web', 'steal-queue')), 'Ready');
        return condition?.status === 'False' ? condition : undefined;
      });
      expect([ready.reason, ready.message]).toStrictEqual(['SecretSyncedError', 'could not get secret data from provider']);
      // ESO's event on the ExternalSecret carries Vault's answer.
      const events = await stack.cluster.waitFor('ESO\'s event', async () => {
        const list = await stack.cluster.get('/api/v1/namespaces/web/events?fieldSelector=involvedObject.name%3Dsteal-queue');
        return list.items.length > 0 ? list.items : undefined;
      });
      expect(events.map((e: any) => [e.type, e.reason])).toContainEqual(['Warning', 'UpdateFailed']);
      expect(events.find((e: any) => e.reason === 'UpdateFailed').message).toMatch(/Code: 403\. Errors:\s+\* 1 error occurred:\s+\* permission denied/);
      expect(await readSecret(stack.cluster, 'web', 'steal-queue')).toBeUndefined();
    });

    test('each namespace\'s SecretStore logs in as its own ServiceAccount with its own role; the server holds exactly those roles, each bound to it', async () => {
      const store = (namespace: string, paths: string[]): StoreIdentity => ({
        store: `SecretStore/${namespace}/vault-backend`,
        mountPath: 'kubernetes',
        role: `external-secrets-${namespace}`,
        serviceAccount: { namespace, name: 'vault-backend' },
        audiences: ['vault'],
        paths,
      });
      expect(stack.identities).toStrictEqual([
        store('batch', ['batch/settings', 'shared/jobs-and-batch']),
        store('jobs', ['jobs/queue', 'shared/jobs-and-batch', 'shared/web-and-jobs']),
        store('web', ['shared/web-and-jobs', 'web/db']),
      ]);
      const { body: list } = await stack.cluster.vault.api('LIST', 'auth/kubernetes/role');
      expect(list.data.keys.sort()).toStrictEqual(['external-secrets-batch', 'external-secrets-jobs', 'external-secrets-web']);
      for (const namespace of ['batch', 'jobs', 'web']) {
        const { body } = await stack.cluster.vault.api('GET', `auth/kubernetes/role/external-secrets-${namespace}`);
        expect([namespace, body.data.bound_service_account_names, body.data.bound_service_account_namespaces, body.data.audience, body.data.token_policies])
          .toStrictEqual([namespace, ['vault-backend'], [namespace], 'vault', [`kv-eso-read-${namespace}`]]);
      }
    });

    test('each namespace\'s identity reads exactly its own paths: A is denied B\'s, including the path B shares with C', async () => {
      for (const store of stack.identities) {
        const { token, auth } = await stack.loginAs(store);
        const namespace = store.serviceAccount.namespace;
        expect([store.store, auth.policies, auth.metadata.service_account_namespace]).toStrictEqual([store.store, ['default', `kv-eso-read-${namespace}`], namespace]);
        expect([store.store, await stack.readAll(token)]).toStrictEqual([store.store, stack.expected(store.paths)]);
      }
      const { token: web } = await stack.loginAs(identity('web'));
      expect([await stack.read(web, 'web/db'), await stack.read(web, 'shared/web-and-jobs')]).toStrictEqual([200, 200]);
      expect([await stack.read(web, 'jobs/queue'), await stack.read(web, 'shared/jobs-and-batch'), await stack.read(web, 'batch/settings')]).toStrictEqual([403, 403, 403]);
      for (const reader of ['jobs', 'batch']) {
        const { token } = await stack.loginAs(identity(reader));
        expect([reader, await stack.read(token, 'shared/jobs-and-batch')]).toStrictEqual([reader, 200]);
      }
      const { token: batch } = await stack.loginAs(identity('batch'));
      expect(await stack.read(batch, 'ops/backup-key')).toBe(403);
    });

    test('a namespace\'s token is refused by every other namespace\'s role, ESO\'s own by all; another name, audience, a forged token too', async () => {
      for (const role of stack.identities) {
        for (const other of stack.identities.filter((i) => i !== role)) {
          const jwt = await stack.token(other.serviceAccount.namespace, other.serviceAccount.name, other.audiences);
          const answer = await stack.login(role.mountPath, role.role, jwt);
          expect([role.role, other.store, answer.status, answer.body.errors]).toStrictEqual([role.role, other.store, ...REFUSED.namespace]);
        }
        const eso = await stack.login(role.mountPath, role.role, await stack.token('external-secrets', 'external-secrets', ['vault']));
        expect([role.role, eso.status, eso.body.errors]).toStrictEqual([role.role, ...REFUSED.name]);
      }
      const web = identity('web');
      const cases: [string, string, readonly [number, readonly string[]]][] = [
        ['another name in web', await stack.token('web', 'default', ['vault']), REFUSED.name],
        ['web\'s ServiceAccount, another audience', await stack.token('web', 'vault-backend', [SERVICE_ACCOUNT_ISSUER]), REFUSED.audience],
        ['web\'s claims, signed by another key', forge(await stack.token('web', 'vault-backend', ['vault'])), REFUSED.review],
      ];
      for (const [label, jwt, [status, errors]] of cases) {
        const answer = await stack.login(web.mountPath, web.role, jwt);
        expect([label, answer.status, answer.body.errors]).toStrictEqual([label, status, errors]);
      }
      // Cluster isolation's role does not exist here.
      const cluster = await stack.login('kubernetes', 'external-secrets', await stack.token('external-secrets', 'external-secrets', ['vault']));
      expect([cluster.status, cluster.body.errors]).toStrictEqual([400, ['invalid role name "external-secrets"']]);
    });
  });
});

/** A Vault role bound to exactly one ServiceAccount, with no policy: for the deleted-account case. */
async function dedicatedRole(stack: LoginStack, namespace: string, name: string): Promise<string> {
  const role = `test-${name}`;
  const answer = await stack.cluster.vault.api('POST', `auth/kubernetes/role/${role}`, {
    bound_service_account_names: [name], bound_service_account_namespaces: [namespace], audience: 'vault', token_policies: [],
  });
  expect(answer.status).toBe(204);
  return role;
}

/** A TokenReview straight to the API server with `bearer`, as OpenBao sends one. */
async function fetchReview(cluster: Cluster, bearer: string, token: string): Promise<Record<string, unknown>> {
  const response = await reviewRequest(cluster, bearer, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['vault'] } });
  return response.status === 201
    ? { code: 201, authenticated: response.body.status.authenticated ?? false, username: response.body.status.user?.username }
    : { code: response.status, message: response.body.message };
}

function reviewRequest(cluster: Cluster, bearer: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(cluster.server);
    const req = request({
      host: url.hostname, port: Number(url.port), path: '/apis/authentication.k8s.io/v1/tokenreviews', method: 'POST', servername: 'kubernetes.default.svc',
      ca: readFileSync(cluster.pki.ca.certFile), headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
