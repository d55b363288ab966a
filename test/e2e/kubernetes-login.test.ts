import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import { SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { terraformPart } from '../../lib/tf';
import { BaoDevServer, POD_SERVICE_ACCOUNT_DIR, startBaoDevServer, vaultApi } from './support/bao-dev-server';
import { API_SERVER_ISSUER, ServiceAccount, TokenReviewServer, VAULT_SERVICE_ACCOUNT, startTokenReviewServer } from './support/token-review-server';
import { type OutputName, manifestObjects, synthesizedOutput, vaultStackOf } from './support/outputs';
import { applyWithVaultApi } from './support/vault-stack';
import { IDENTITY_FIXTURE_EXPECTATIONS, identityFixtureCatalog } from '../support/identity-fixtures';

/**
 * Logins through OpenBao's real Kubernetes auth method, as ESO makes them: a token of the store's
 * ServiceAccount for the store's audiences (TokenRequest), then `POST auth/<mountPath>/login` with the
 * store's role. OpenBao reviews it with the TokenReview endpoint of a stand-in API server
 * (support/token-review-server.ts), reached at the synthesized `kubernetes_host` through the pod's CA
 * file; the Vault stack is applied exactly as synthesized.
 */

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

/**
 * The manifests and the Terraform of the catalog with the homelab's settings, as users synthesize them:
 * for a named declaration the output the suites share (a mutated copy under `npm run test:mutations`),
 * else a fresh synth of `catalog`.
 */
function synthesize(catalog: SecretCatalog, outdir: string, output?: OutputName): { vault: any; identities: StoreIdentity[] } {
  let manifestsDir = join(outdir, 'manifests');
  let terraformDir = join(outdir, 'cdktf.out');
  if (output === undefined) synthOutputs({ catalog, settings: HOMELAB_SETTINGS }, [manifestsPart(manifestsDir), terraformPart(terraformDir)]);
  else ({ manifestsDir, terraformDir } = synthesizedOutput(output, outdir));
  const vault = vaultStackOf(terraformDir).json;
  const objects = manifestObjects(manifestsDir);
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
  return { vault, identities };
}

/** Placeholder content: key → "placeholder-<key>". Not secret, never printed. */
const placeholders = (keys: readonly string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, `placeholder-${k}`]));

/**
 * An undeclared path under every first segment of a declared one and at the top of the mount, and each
 * declared path's last segment under every other first segment, an undeclared one and none: what a
 * glob such as `+/minio` would let through.
 */
function undeclared(catalog: SecretCatalog): string[] {
  const prefixes = [...new Set(['', 'e2e-other', ...catalog.pathNames.map((p) => p.split('/')[0])])];
  const under = (prefix: string, leaf: string): string => (prefix ? `${prefix}/${leaf}` : leaf);
  const leaves = catalog.pathNames.map((p) => p.split('/').pop()!);
  const declared = new Set(catalog.pathNames);
  return [...new Set([...prefixes.map((p) => under(p, 'e2e-undeclared')), ...prefixes.flatMap((p) => leaves.map((leaf) => under(p, leaf)))])]
    .filter((path) => !declared.has(path)).sort();
}

/** The real server with the synthesized stack applied, its stand-in API server, and ESO's way in. */
class LoginStack {
  server!: BaoDevServer;
  kube!: TokenReviewServer;
  vault: any;
  identities: StoreIdentity[] = [];
  private work = '';
  private readonly accounts = new Map<string, ServiceAccount>();

  /** @param output the shared output of this catalog's declaration, if it is one (see support/outputs.ts) */
  constructor(readonly catalog: SecretCatalog, private readonly output?: OutputName) {}

  async start(): Promise<void> {
    this.work = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-login-'));
    ({ vault: this.vault, identities: this.identities } = synthesize(this.catalog, this.work, this.output));
    this.kube = await startTokenReviewServer({ kubernetesHost: this.config().kubernetes_host });
    this.server = await startBaoDevServer({ kubernetesApi: this.kube });
    await applyWithVaultApi(this.vault, this.server);
    for (const path of this.catalog.paths) {
      const { status } = await vaultApi(this.server.addr, this.server.rootToken, 'POST', `${this.catalog.mount}/data/${path.path}`, { data: placeholders(path.keys) });
      expect([path.path, status]).toStrictEqual([path.path, 200]);
    }
    // Data at every undeclared path, so that a widened policy would answer 200, not 404.
    for (const path of undeclared(this.catalog)) {
      const { status } = await vaultApi(this.server.addr, this.server.rootToken, 'POST', `${this.catalog.mount}/data/${path}`, { data: { k: 'placeholder' } });
      expect([path, status]).toStrictEqual([path, 200]);
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.kube?.stop();
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }

  /** The synthesized Kubernetes auth config, as applied. */
  config(): Record<string, any> {
    return Object.values(this.vault.resource.vault_kubernetes_auth_backend_config)[0] as Record<string, any>;
  }

  /** The API server's ServiceAccount `namespace/name`, created once. */
  account(namespace: string, name: string): ServiceAccount {
    const key = `${namespace}/${name}`;
    if (!this.accounts.has(key)) this.accounts.set(key, this.kube.createServiceAccount(namespace, name));
    return this.accounts.get(key)!;
  }

  /** Deletes the ServiceAccount and creates it again: same name, a new uid. */
  recreate(namespace: string, name: string): ServiceAccount {
    this.accounts.set(`${namespace}/${name}`, this.kube.createServiceAccount(namespace, name));
    return this.accounts.get(`${namespace}/${name}`)!;
  }

  /** `POST auth/<mountPath>/login` with a role and a JWT, without a token, as ESO sends it. */
  async login(mountPath: string, role: string, jwt: string): Promise<{ status: number; body: any }> {
    const response = await this.server.fetch(`${this.server.addr}/v1/auth/${mountPath}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ role, jwt }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** ESO's login for a store: a token of its ServiceAccount for its audiences, its role. Returns the client token. */
  async loginAs(identity: StoreIdentity): Promise<{ token: string; auth: any }> {
    const jwt = this.kube.requestToken(this.account(identity.serviceAccount.namespace, identity.serviceAccount.name), identity.audiences);
    const { status, body } = await this.login(identity.mountPath, identity.role, jwt);
    expect([identity.store, status, body.errors]).toStrictEqual([identity.store, 200, undefined]);
    return { token: body.auth.client_token, auth: body.auth };
  }

  async read(token: string, path: string): Promise<number> {
    return (await vaultApi(this.server.addr, token, 'GET', `${this.catalog.mount}/data/${path}`)).status;
  }

  /** Every declared and undeclared path with the status a read by `token` gets. */
  async readAll(token: string): Promise<[string, number][]> {
    const all = [...this.catalog.pathNames, ...undeclared(this.catalog)].sort();
    const result: [string, number][] = [];
    for (const path of all) result.push([path, await this.read(token, path)]);
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

/** A TokenReview request straight to the stand-in API server, trusting its CA, as OpenBao sends one. */
function tokenReview(kube: TokenReviewServer, bearer: string | undefined, spec: Record<string, unknown>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: kube.socketPath,
      servername: kube.hostname,
      ca: readFileSync(kube.caFile),
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      headers: { 'Content-Type': 'application/json', Host: kube.hostname, ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec }));
  });
}

/** OpenBao's answers to a login its Kubernetes auth refuses, by where the refusal happens. */
const REFUSED = {
  name: [403, ['service account name not authorized']],
  namespace: [403, ['namespace not authorized']],
  audience: [403, ['invalid audience (aud) claim: audience claim does not match any expected audience']],
  // The claims pass, the TokenReview says no: OpenBao answers only "permission denied".
  review: [403, ['permission denied']],
} as const;

describe('Kubernetes-auth logins on a real OpenBao, reviewed by a stand-in API server', () => {
  describe('cluster isolation (the homelab)', () => {
    const stack = new LoginStack(homelabCatalog(), 'homelab');
    let eso: StoreIdentity;
    beforeAll(async () => {
      await stack.start();
      expect(stack.identities.map((i) => i.store)).toStrictEqual(['ClusterSecretStore/vault-backend']);
      eso = stack.identities[0];
    });
    afterAll(() => stack.stop());

    test('the Kubernetes auth config is the synthesized one, unmodified: the API server is found by name, trusted through the pod\'s CA', async () => {
      expect(Object.keys(stack.config()).filter((k) => k !== '//').sort()).toStrictEqual(['backend', 'kubernetes_host']);
      expect(stack.kube.hostname).toBe(new URL(stack.config().kubernetes_host).hostname);
      const { body } = await vaultApi(stack.server.addr, stack.server.rootToken, 'GET', `auth/${eso.mountPath}/config`);
      expect({ host: body.data.kubernetes_host, ca: body.data.kubernetes_ca_cert, reviewer: body.data.token_reviewer_jwt_set, local: body.data.disable_local_ca_jwt })
        .toStrictEqual({ host: 'https://kubernetes.default.svc', ca: '', reviewer: false, local: false });
      expect(POD_SERVICE_ACCOUNT_DIR).toBe('/var/run/secrets/kubernetes.io/serviceaccount');
    });

    test('ESO\'s identity logs in with the store\'s role; Vault reviews the token with its own ServiceAccount; the token carries exactly the role\'s policy', async () => {
      expect(eso).toStrictEqual({
        store: 'ClusterSecretStore/vault-backend',
        mountPath: 'kubernetes',
        role: 'external-secrets',
        serviceAccount: { namespace: 'external-secrets', name: 'external-secrets' },
        audiences: ['vault'],
        paths: stack.catalog.esoPathNames.slice().sort(),
      });
      const before = stack.kube.reviews.length;
      const { auth } = await stack.loginAs(eso);
      expect({ policies: auth.policies, tokenPolicies: auth.token_policies, metadata: auth.metadata, ttl: auth.lease_duration }).toStrictEqual({
        policies: ['homelab-eso-read'],
        tokenPolicies: ['homelab-eso-read'],
        metadata: {
          role: 'external-secrets',
          service_account_name: 'external-secrets',
          service_account_namespace: 'external-secrets',
          service_account_secret_name: '',
          service_account_uid: stack.account('external-secrets', 'external-secrets').uid,
        },
        ttl: 900,
      });
      expect(stack.catalog.vaultRole.tokenTtlSeconds).toBe(900);
      // One review, asked by Vault's ServiceAccount (the pod's token file), for the role's audience.
      expect(stack.kube.reviews.slice(before)).toStrictEqual([{
        status: 201,
        reviewer: `system:serviceaccount:${VAULT_SERVICE_ACCOUNT.namespace}:${VAULT_SERVICE_ACCOUNT.name}`,
        audiences: ['vault'],
        authenticated: true,
        username: 'system:serviceaccount:external-secrets:external-secrets',
      }]);
    });

    test('ESO\'s login reads every path its ExternalSecrets read, and nothing undeclared', async () => {
      const { token } = await stack.loginAs(eso);
      expect(await stack.readAll(token)).toStrictEqual(stack.expected(eso.paths));
      for (const path of eso.paths) {
        const { body } = await vaultApi(stack.server.addr, token, 'GET', `${stack.catalog.mount}/data/${path}`);
        expect([path, Object.keys(body.data.data).sort()]).toStrictEqual([path, [...stack.catalog.paths.find((p) => p.path === path)!.keys].sort()]);
      }
    });

    test('ESO\'s login carries no default policy: it looks itself up and revokes itself, as ESO does, and is denied what the default policy grants', async () => {
      const { token } = await stack.loginAs(eso);
      // What ESO's store validation calls (checkToken): the token's own lookup.
      const self = await vaultApi(stack.server.addr, token, 'GET', 'auth/token/lookup-self');
      expect([self.status, self.body.data.policies, self.body.data.path]).toStrictEqual([200, ['homelab-eso-read'], 'auth/kubernetes/login']);
      const attempts: [string, string, unknown][] = [
        ['POST', 'sys/capabilities-self', { paths: [`${stack.catalog.mount}/data/apps/vpn`] }],
        ['POST', 'cubbyhole/e2e', { k: 'placeholder' }],
        ['POST', 'auth/token/renew-self', {}],
        ['POST', 'sys/wrapping/wrap', { k: 'placeholder' }],
      ];
      for (const [method, path, body] of attempts) {
        const answer = await vaultApi(stack.server.addr, token, method, path, body);
        expect([path, answer.status, answer.body.errors]).toStrictEqual([path, 403, ['1 error occurred:\n\t* permission denied\n\n']]);
      }
      // What ESO does when it closes its client: revoke its token; then the token is gone.
      expect((await vaultApi(stack.server.addr, token, 'PUT', 'auth/token/revoke-self', {})).status).toBe(204);
      expect((await vaultApi(stack.server.addr, token, 'GET', 'auth/token/lookup-self')).status).toBe(403);
    });

    test('the stand-in API server reviews as kube-apiserver does: only for a reviewer, only for the asked audiences', async () => {
      const esoAccount = stack.account(eso.serviceAccount.namespace, eso.serviceAccount.name);
      const jwt = stack.kube.requestToken(esoAccount, ['vault']);
      const vaultToken = readFileSync(stack.kube.reviewerTokenFile, 'utf8');
      // No bearer, or a token meant for Vault (not for the API server) as the bearer: unauthenticated.
      for (const bearer of [undefined, jwt]) {
        const unauthorized = await tokenReview(stack.kube, bearer, { token: jwt, audiences: ['vault'] });
        expect([unauthorized.status, unauthorized.body.reason]).toStrictEqual([401, 'Unauthorized']);
      }
      // ESO's own ServiceAccount, with a token for the API server, may not review tokens (no system:auth-delegator).
      const forbidden = await tokenReview(stack.kube, stack.kube.requestToken(esoAccount, [API_SERVER_ISSUER]), { token: jwt, audiences: ['vault'] });
      expect([forbidden.status, forbidden.body.message]).toStrictEqual([403,
        'tokenreviews.authentication.k8s.io is forbidden: User "system:serviceaccount:external-secrets:external-secrets" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope']);
      const reviewed = await tokenReview(stack.kube, vaultToken, { token: jwt, audiences: ['vault', 'other'] });
      expect([reviewed.status, reviewed.body.status]).toStrictEqual([201, {
        authenticated: true,
        user: {
          username: 'system:serviceaccount:external-secrets:external-secrets',
          uid: esoAccount.uid,
          groups: ['system:serviceaccounts', 'system:serviceaccounts:external-secrets', 'system:authenticated'],
          extra: { 'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^JTI=[0-9a-f-]{36}$/)] },
        },
        audiences: ['vault'],
      }]);
      for (const audiences of [['other'], []]) {
        const wrong = await tokenReview(stack.kube, vaultToken, { token: jwt, audiences });
        expect([audiences, wrong.status, wrong.body.status.authenticated, wrong.body.status.error]).toStrictEqual([audiences, 201, undefined,
          `[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ${JSON.stringify(audiences.length ? audiences : ['https://kubernetes.default.svc.cluster.local'])}, unknown]`]);
      }
    });

    test('a token of another ServiceAccount name, another namespace or another audience, a forged one and a deleted account\'s are refused at login', async () => {
      const { namespace, name } = eso.serviceAccount;
      const token = (ns: string, sa: string, audiences = eso.audiences) => stack.kube.requestToken(stack.account(ns, sa), audiences);
      const deleted = stack.kube.requestToken(stack.account(namespace, name), eso.audiences);
      const cases: [string, string, readonly [number, readonly string[]]][] = [
        ['another name in ESO\'s namespace', token(namespace, 'default'), REFUSED.name],
        ['ESO\'s name in another namespace', token('arr', name), REFUSED.namespace],
        ['ESO\'s ServiceAccount, another audience', token(namespace, name, ['https://kubernetes.default.svc.cluster.local']), REFUSED.audience],
        ['ESO\'s claims, signed by another key', stack.kube.forgeToken(stack.account(namespace, name), eso.audiences), REFUSED.review],
      ];
      for (const [label, jwt, [status, errors]] of cases) {
        const answer = await stack.login(eso.mountPath, eso.role, jwt);
        expect([label, answer.status, answer.body.errors]).toStrictEqual([label, status, errors]);
      }
      // A ServiceAccount deleted and recreated under the same name: the old token's uid is gone.
      stack.recreate(namespace, name);
      const answer = await stack.login(eso.mountPath, eso.role, deleted);
      expect([answer.status, answer.body.errors]).toStrictEqual(REFUSED.review);
      expect(stack.kube.reviews.slice(-2).map((r) => r.error)).toStrictEqual([
        '[invalid bearer token, square/go-jose: error in cryptographic primitive, unknown]',
        `[invalid bearer token, service account ${namespace}/${name} has been deleted, unknown]`,
      ]);
    });
  });

  describe('namespace isolation (A = web, B = jobs, C = batch)', () => {
    const stack = new LoginStack(isolatedCatalog());
    const identity = (namespace: string): StoreIdentity => stack.identities.find((i) => i.store === `SecretStore/${namespace}/vault-backend`)!;
    beforeAll(() => stack.start());
    afterAll(() => stack.stop());

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
      const { body: list } = await vaultApi(stack.server.addr, stack.server.rootToken, 'LIST', 'auth/kubernetes/role');
      expect(list.data.keys.sort()).toStrictEqual(['external-secrets-batch', 'external-secrets-jobs', 'external-secrets-web']);
      for (const namespace of ['batch', 'jobs', 'web']) {
        const { body } = await vaultApi(stack.server.addr, stack.server.rootToken, 'GET', `auth/kubernetes/role/external-secrets-${namespace}`);
        expect([namespace, body.data.bound_service_account_names, body.data.bound_service_account_namespaces, body.data.audience, body.data.token_policies])
          .toStrictEqual([namespace, ['vault-backend'], [namespace], 'vault', [`kv-eso-read-${namespace}`]]);
      }
    });

    test('each namespace\'s identity reads exactly its own paths: A is denied B\'s, including the path B shares with C', async () => {
      for (const store of stack.identities) {
        const { token, auth } = await stack.loginAs(store);
        const namespace = store.serviceAccount.namespace;
        expect([store.store, auth.policies, auth.metadata.service_account_namespace]).toStrictEqual([store.store, [`kv-eso-read-${namespace}`], namespace]);
        expect([store.store, await stack.readAll(token)]).toStrictEqual([store.store, stack.expected(store.paths)]);
      }
      // Spelled out: A (web) reads its own and the path it shares with B, and none of B's others.
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
          const jwt = stack.kube.requestToken(stack.account(other.serviceAccount.namespace, other.serviceAccount.name), other.audiences);
          const answer = await stack.login(role.mountPath, role.role, jwt);
          expect([role.role, other.store, answer.status, answer.body.errors]).toStrictEqual([role.role, other.store, ...REFUSED.namespace]);
        }
        const eso = await stack.login(role.mountPath, role.role, stack.kube.requestToken(stack.account('external-secrets', 'external-secrets'), ['vault']));
        expect([role.role, eso.status, eso.body.errors]).toStrictEqual([role.role, ...REFUSED.name]);
      }
      const web = identity('web');
      const cases: [string, string, readonly [number, readonly string[]]][] = [
        ['another name in web', stack.kube.requestToken(stack.account('web', 'default'), ['vault']), REFUSED.name],
        ['web\'s ServiceAccount, another audience', stack.kube.requestToken(stack.account('web', 'vault-backend'), ['https://kubernetes.default.svc.cluster.local']), REFUSED.audience],
        ['web\'s claims, signed by another key', stack.kube.forgeToken(stack.account('web', 'vault-backend'), ['vault']), REFUSED.review],
      ];
      for (const [label, jwt, [status, errors]] of cases) {
        const answer = await stack.login(web.mountPath, web.role, jwt);
        expect([label, answer.status, answer.body.errors]).toStrictEqual([label, status, errors]);
      }
      // Cluster isolation's role does not exist here.
      const cluster = await stack.login('kubernetes', 'external-secrets', stack.kube.requestToken(stack.account('external-secrets', 'external-secrets'), ['vault']));
      expect([cluster.status, cluster.body.errors]).toStrictEqual([400, ['invalid role name "external-secrets"']]);
    });
  });

  describe('identities: several stores in one namespace, custom role and ServiceAccount names (default too), a role shared by two namespaces', () => {
    const stack = new LoginStack(identityFixtureCatalog(), 'identities');
    const expectations = Object.entries(IDENTITY_FIXTURE_EXPECTATIONS);
    /** `SecretStore media/vault-sonarr`, as the fixture's expectations name stores. */
    const label = (store: StoreIdentity): string => store.store.replace(/^(\w+)\/(?:([^/]+)\/)?([^/]+)$/, (_m, kind, ns, name) => `${kind} ${ns ? `${ns}/` : ''}${name}`);
    const storesOf = (role: string): StoreIdentity[] => stack.identities.filter((i) => i.role === role);
    beforeAll(() => stack.start());
    afterAll(() => stack.stop());

    test('the server holds exactly one role per identity, each bound to exactly its ServiceAccounts, namespaces and audience, with its own policy', async () => {
      const { body: list } = await vaultApi(stack.server.addr, stack.server.rootToken, 'LIST', 'auth/kubernetes/role');
      expect(list.data.keys.sort()).toStrictEqual(expectations.map(([, e]) => e.role).sort());
      for (const [name, expected] of expectations) {
        const { body } = await vaultApi(stack.server.addr, stack.server.rootToken, 'GET', `auth/kubernetes/role/${expected.role}`);
        const bound = (body.data.bound_service_account_namespaces as string[]).flatMap((ns) => (body.data.bound_service_account_names as string[]).map((n) => `${ns}/${n}`)).sort();
        expect([name, bound, body.data.audience, body.data.token_policies]).toStrictEqual([name, [...expected.serviceAccounts], expected.audience, [expected.policy]]);
      }
    });

    test('every synthesized store logs in as its identity: its role, its ServiceAccount, its audience', () => {
      expect(stack.identities.map((store) => store.role).sort()).toStrictEqual(expectations.flatMap(([, e]) => e.stores.map(() => e.role)).sort());
      for (const [name, expected] of expectations) {
        const stores = storesOf(expected.role);
        expect([name, stores.map(label).sort()]).toStrictEqual([name, [...expected.stores].sort()]);
        expect([name, [...new Set(stores.map((s) => `${s.serviceAccount.namespace}/${s.serviceAccount.name}`))].sort(), stores.map((s) => s.audiences)])
          .toStrictEqual([name, [...expected.serviceAccounts], stores.map(() => [expected.audience])]);
        // What the stores' ExternalSecrets read is exactly what the identity's policy grants: not one path more.
        expect([name, [...new Set(stores.flatMap((s) => s.paths))].sort()]).toStrictEqual([name, [...expected.paths]]);
      }
    });

    test('each identity reads exactly its paths, through every store it has; a test fails if any identity can read another\'s path', async () => {
      for (const [name, expected] of expectations) {
        for (const store of storesOf(expected.role)) {
          const { token, auth } = await stack.loginAs(store);
          expect([name, store.store, auth.policies]).toStrictEqual([name, store.store, [expected.policy]]);
          expect([name, store.store, await stack.readAll(token)]).toStrictEqual([name, store.store, stack.expected(expected.paths)]);
        }
      }
      // Spelled out: two identities of namespace media, and the path two identities share.
      const [sonarr] = storesOf('media-sonarr');
      const { token } = await stack.loginAs(sonarr);
      expect([await stack.read(token, 'apps/sonarr'), await stack.read(token, 'apps/radarr'), await stack.read(token, 'apps/indexer')]).toStrictEqual([200, 403, 403]);
      for (const role of ['external-secrets', 'observability']) {
        const { token: reader } = await stack.loginAs(storesOf(role)[0]);
        expect([role, await stack.read(reader, 'infra/smtp'), await stack.read(reader, 'ops/backup-key')]).toStrictEqual([role, 200, 403]);
      }
    });

    test('no identity\'s ServiceAccount logs in with another identity\'s role', async () => {
      const accounts = expectations.flatMap(([name, e]) => e.serviceAccounts.map((sa) => ({ name, sa })));
      for (const [name, expected] of expectations) {
        for (const other of accounts.filter((a) => a.name !== name)) {
          const [namespace, account] = other.sa.split('/');
          const answer = await stack.login('kubernetes', expected.role, stack.kube.requestToken(stack.account(namespace, account), ['vault']));
          expect([expected.role, other.sa, answer.status, [REFUSED.name[1], REFUSED.namespace[1]].some((errors) => JSON.stringify(errors) === JSON.stringify(answer.body.errors))])
            .toStrictEqual([expected.role, other.sa, 403, true]);
        }
      }
    });
  });
});
