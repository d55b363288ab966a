// Kubernetes auth as ESO uses it, on a real cluster: TokenRequest and TokenReview by the real
// kube-apiserver, OpenBao's Kubernetes auth configured exactly as synthesized (the API server by its
// in-cluster name, trusted through the pod's CA file, reviewed with the pod's own token), and, with
// namespace isolation and with the identity fixture, the real ESO controller syncing through each store.
// The homelab's and the identity fixture's output are the ones the suites share (test/e2e/support/
// outputs.ts): a mutated copy under `npm run test:mutations`, which these tests must then fail on.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../apps/homelab';
import { SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import { terraformPart } from '../../lib/tf';
import { POD_SERVICE_ACCOUNT_DIR } from '../e2e/support/bao-dev-server';
import { type OutputName, forEachOutput, manifestObjects, synthesizedOutput, vaultStackOf } from '../e2e/support/outputs';
import { applyWithVaultApi } from '../e2e/support/vault-stack';
import { IDENTITY_FIXTURE_EXPECTATIONS, identityFixtureCatalog } from '../support/identity-fixtures';
import { Cluster, SERVICE_ACCOUNT_ISSUER, SharedCluster, startCluster } from './support/cluster';
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

/**
 * The manifests and the Terraform of the catalog with the homelab's settings, as users synthesize them:
 * for a named declaration the output the suites share (under `npm run test:mutations` the copy in
 * `root`), else a fresh synth of `catalog`.
 */
function synthesize(catalog: SecretCatalog, outdir: string, output?: OutputName, root?: string): { vault: any; identities: StoreIdentity[]; manifests: string[]; objects: any[] } {
  let manifestsDir = join(outdir, 'manifests');
  let terraformDir = join(outdir, 'cdktf.out');
  if (output === undefined) synthOutputs({ catalog, settings: HOMELAB_SETTINGS }, [manifestsPart(manifestsDir), terraformPart(terraformDir)]);
  else ({ manifestsDir, terraformDir } = synthesizedOutput(output, outdir, root));
  const vault = vaultStackOf(terraformDir).json;
  const manifests = manifestFiles(manifestsDir);
  const objects = manifestObjects(manifestsDir).filter((o) => o?.kind);
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

/** The claims of `jwt`, signed again by a key the API server does not have (the same `kid`). */
function forge(jwt: string): string {
  const [header, claims] = jwt.split('.');
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: createPrivateKey(stranger.privateKey.export({ type: 'pkcs8', format: 'pem' })), dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${signature.toString('base64url')}`;
}

/** How long a test waits for a TokenReview in the audit log, written before the review is answered. */
const AUDIT_TIMEOUT_MS = 10_000;

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
  private work = '';

  /**
   * @param options.output the shared output of this catalog's declaration, if it is one (support/outputs.ts)
   * @param options.root the mutation suite's output folder to read `output` from (forEachOutput)
   * @param options.eso whether the ESO controller runs (the manifests are then applied by the test)
   * @param options.shared a cluster shared with the other stacks of the file, reset for each (its options must
   *   cover this stack's namespaces, and run ESO if `eso`); else one of its own
   */
  constructor(readonly catalog: SecretCatalog, private readonly options: {
    readonly output?: OutputName;
    readonly root?: string;
    readonly eso: boolean;
    readonly shared?: SharedCluster;
  }) {}

  async start(): Promise<void> {
    this.work = mkdtempSync(join(tmpdir(), 'homelab-secrets-login-'));
    ({ vault: this.vault, identities: this.identities, manifests: this.manifests, objects: this.objects } = synthesize(this.catalog, this.work, this.options.output, this.options.root));
    this.cluster = this.options.shared ? await this.options.shared.take() : await startCluster({
      namespaces: [...new Set([...this.catalog.namespaces, 'arr'])],
      components: this.options.eso ? ['vault', 'external-secrets'] : ['vault'],
      auditTokenReviews: true,
    });
    await applyWithVaultApi(this.vault, { addr: this.cluster.vault.addr, rootToken: this.cluster.vault.rootToken });
    this.values = seedValues(this.catalog);
    await Promise.all(this.catalog.paths.map((path) => this.cluster.seedVault(this.catalog.mount, path.path, this.values[path.path])));
    // Data at every undeclared path, so that a widened policy would answer 200, not 404 (placeholders,
    // not values: straight through the API, side by side).
    await Promise.all(undeclared(this.catalog).map(async (path) => {
      const { status } = await this.cluster.vault.api('POST', `${this.catalog.mount}/data/${path}`, { data: { k: 'placeholder' } });
      expect([path, status]).toStrictEqual([path, 200]);
    }));
  }

  /** Stops the cluster unless it is shared (its SharedCluster stops it), and removes the synthesized output. */
  async stop(): Promise<void> {
    if (!this.options.shared) await this.cluster?.stop();
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }

  /**
   * What a cluster has before the manifests: Vault's CA in every namespace (as trust-manager's Bundle
   * distributes it, docs/isolation.md) and each namespace's `default` ServiceAccount (no controller
   * manager runs here to create it). Then the manifests, as Argo CD applies them.
   */
  async applyManifests(): Promise<void> {
    await this.cluster.apply(this.catalog.namespaces.flatMap((namespace) => [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vault-tls-ca', namespace }, data: { 'ca.crt': this.cluster.vault.caCert } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } },
    ]));
    await this.cluster.apply({ files: this.manifests });
  }

  /** Waits until every ExternalSecret of the manifests reports SecretSynced. */
  async waitForSync(): Promise<void> {
    await this.cluster.waitFor('every ExternalSecret to sync', async () => {
      const items = (await this.cluster.get(externalSecretsPath())).items;
      return items.length === this.catalog.targets.length && items.every((es: any) => conditionOf(es, 'Ready')?.reason === 'SecretSynced');
    }, { timeoutMs: 60_000, observe: async () => (await this.cluster.get(externalSecretsPath())).items.map((es: any) => [es.metadata.namespace, es.metadata.name, conditionOf(es, 'Ready')]) });
  }

  /** The key → value the row's Secret must hold: its keys, renamed, from the seeded paths. */
  expectedData(namespace: string, name: string): Record<string, string> {
    const row = this.catalog.targets.find((t) => t.namespace === namespace && t.name === name);
    if (!row) throw new Error(`the catalog has no target ${namespace}/${name}`);
    return Object.fromEntries(row.sources.flatMap((s) => (s.kind === 'extract' ? Object.entries(this.values[s.path.path])
      : s.keys.map((k) => [s.renames[k] ?? k, this.values[s.path.path][k]]))));
  }

  /** The synthesized Kubernetes auth config, as applied. */
  config(): Record<string, any> {
    return Object.values(this.vault.resource.vault_kubernetes_auth_backend_config)[0] as Record<string, any>;
  }

  /** Creates the ServiceAccount if it does not exist (no controller makes `default` here); returns its uid. */
  async account(namespace: string, name: string): Promise<string> {
    // server-side apply straight to the API: a kubectl process per token made the login tests slow
    const answer = await this.cluster.request('PATCH', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}?fieldManager=homelab-secrets-test&force=true`,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace, name } }, 'application/apply-patch+yaml');
    if (answer.status >= 300) throw new Error(`apply ServiceAccount ${namespace}/${name}: ${answer.status} ${answer.body?.message ?? ''}`);
    return answer.body.metadata.uid;
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
    return Promise.all([...this.catalog.pathNames, ...undeclared(this.catalog)].sort().map(async (path): Promise<[string, number]> => [path, await this.read(token, path)]));
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
  // One cluster for the file's stacks (and every output of the mutation suite), reset for each: every
  // catalog's namespaces, ESO running (the homelab's stack applies nothing for it to do).
  const shared = new SharedCluster({
    namespaces: [...new Set([...homelabCatalog().namespaces, ...isolatedCatalog().namespaces, ...identityFixtureCatalog().namespaces, 'arr'])],
    components: ['vault', 'external-secrets'],
    auditTokenReviews: true,
  });
  afterAll(() => shared.stop());

  describe('cluster isolation (the homelab)', () => {
    forEachOutput((root) => {
      const stack = new LoginStack(homelabCatalog(), { output: 'homelab', root, eso: false, shared });
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
          policies: ['homelab-eso-read'],
          tokenPolicies: ['homelab-eso-read'],
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
          // The audit log is written before the review is answered (--audit-log-mode=blocking).
        }, { timeoutMs: AUDIT_TIMEOUT_MS });
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
        for (const path of eso.paths) {
          const { body } = await stack.cluster.vault.api('GET', `${stack.catalog.mount}/data/${path}`, undefined, token);
          expect([path, Object.keys(body.data.data).sort()]).toStrictEqual([path, [...stack.catalog.paths.find((p) => p.path === path)!.keys].sort()]);
        }
      });

      test('ESO\'s login carries no default policy: it looks itself up and revokes itself, as ESO does, and is denied what the default policy grants', async () => {
        const { token } = await stack.loginAs(eso);
        const api = (method: string, path: string, body?: unknown) => stack.cluster.vault.api(method, path, body, token);
        // What ESO's store validation calls (checkToken): the token's own lookup.
        const self = await api('GET', 'auth/token/lookup-self');
        expect([self.status, self.body.data.policies, self.body.data.path]).toStrictEqual([200, ['homelab-eso-read'], 'auth/kubernetes/login']);
        const attempts: [string, string, unknown][] = [
          ['POST', 'sys/capabilities-self', { paths: [`${stack.catalog.mount}/data/apps/vpn`] }],
          ['POST', 'cubbyhole/e2e', { k: 'placeholder' }],
          ['POST', 'auth/token/renew-self', {}],
          ['POST', 'sys/wrapping/wrap', { k: 'placeholder' }],
        ];
        for (const [method, path, body] of attempts) {
          const answer = await api(method, path, body);
          expect([path, answer.status, answer.body.errors]).toStrictEqual([path, 403, ['1 error occurred:\n\t* permission denied\n\n']]);
        }
        // What ESO does when it closes its client: revoke its token; then the token is gone.
        expect((await api('PUT', 'auth/token/revoke-self', {})).status).toBe(204);
        expect((await api('GET', 'auth/token/lookup-self')).status).toBe(403);
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

      test('the API server reviews only for an authenticated reviewer, and only for the audiences asked', async () => {
        const jwt = await stack.token('external-secrets', 'external-secrets', ['vault']);
        const vault = await stack.cluster.createToken('vault', 'vault');
        const review = (bearer: string | undefined, audiences: readonly string[]) =>
          reviewRequest(stack.cluster, bearer, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: jwt, audiences } });
        // No bearer, or a token meant for Vault (not for the API server) as the bearer: unauthenticated.
        for (const bearer of [undefined, jwt]) {
          const unauthorized = await review(bearer, ['vault']);
          expect([bearer === undefined ? 'no bearer' : 'Vault\'s token', unauthorized.status, unauthorized.body.reason])
            .toStrictEqual([bearer === undefined ? 'no bearer' : 'Vault\'s token', bearer === undefined ? 403 : 401, bearer === undefined ? 'Forbidden' : 'Unauthorized']);
        }
        const reviewed = await review(vault, ['vault', 'other']);
        expect([reviewed.status, reviewed.body.status]).toStrictEqual([201, {
          authenticated: true,
          user: {
            username: 'system:serviceaccount:external-secrets:external-secrets',
            uid: await stack.account('external-secrets', 'external-secrets'),
            groups: ['system:serviceaccounts', 'system:serviceaccounts:external-secrets', 'system:authenticated'],
            extra: { 'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^JTI=[0-9a-f-]{36}$/)] },
          },
          audiences: ['vault'],
        }]);
        for (const audiences of [['other'], []]) {
          const wrong = await review(vault, audiences);
          expect([audiences, wrong.status, wrong.body.status.authenticated, wrong.body.status.error]).toStrictEqual([audiences, 201, undefined,
            `[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ${JSON.stringify(audiences.length ? audiences : [SERVICE_ACCOUNT_ISSUER])}]`]);
        }
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
        }, { timeoutMs: AUDIT_TIMEOUT_MS });
        // Not authenticated, each for its own reason, in the API server's words.
        const recreatedUid = await stack.account(namespace, 'recreated');
        const oldUid = JSON.parse(Buffer.from(old.split('.')[1], 'base64url').toString('utf8'))['kubernetes.io'].serviceaccount.uid;
        expect(reviewed.map((r) => [r.code, r.authenticated, r.error])).toStrictEqual([
          [201, null, '[invalid bearer token, go-jose/go-jose: error in cryptographic primitive]'],
          [201, null, `[invalid bearer token, service account UID (${recreatedUid}) does not match claim (${oldUid})]`],
        ]);
      });
    });
  });

  describe('namespace isolation (A = web, B = jobs, C = batch), with the ESO controller', () => {
    const stack = new LoginStack(isolatedCatalog(), { eso: true, shared });
    const identity = (namespace: string): StoreIdentity => stack.identities.find((i) => i.store === `SecretStore/${namespace}/vault-backend`)!;
    beforeAll(async () => {
      await stack.start();
      await stack.applyManifests();
      await stack.waitForSync();
    }, 180_000);
    afterAll(() => stack.stop());

    test('each namespace\'s SecretStore syncs its own paths: every Secret holds its values, and each login was reviewed by the real API server', async () => {
      for (const row of stack.catalog.targets) {
        const secret = await readSecret(stack.cluster, row.namespace, row.name);
        expect([row.row, fingerprints(secret!.data)]).toStrictEqual([row.row, fingerprints(stack.expectedData(row.namespace, row.name))]);
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
        expect([store.store, auth.policies, auth.metadata.service_account_namespace]).toStrictEqual([store.store, [`kv-eso-read-${namespace}`], namespace]);
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

  describe('identities: several stores in one namespace, custom role and ServiceAccount names (default too), a role shared by two namespaces, with the ESO controller', () => {
    forEachOutput((root) => {
      const stack = new LoginStack(identityFixtureCatalog(), { output: 'identities', root, eso: true, shared });
      const expectations = Object.entries(IDENTITY_FIXTURE_EXPECTATIONS);
      /** `SecretStore media/vault-sonarr`, as the fixture's expectations name stores. */
      const label = (store: StoreIdentity): string => store.store.replace(/^(\w+)\/(?:([^/]+)\/)?([^/]+)$/, (_m, kind, ns, name) => `${kind} ${ns ? `${ns}/` : ''}${name}`);
      const storesOf = (role: string): StoreIdentity[] => stack.identities.filter((i) => i.role === role);
      /** The store label an ExternalSecret of the manifests reads through. */
      const storeOf = (es: any): string => `${es.spec.secretStoreRef.kind} ${es.spec.secretStoreRef.kind === 'SecretStore' ? `${es.metadata.namespace}/` : ''}${es.spec.secretStoreRef.name}`;
      /** The identity (by name) whose stores include `store`. */
      const identityOfStore = (store: string): string => expectations.find(([, e]) => e.stores.includes(store))![0];
      const externalSecrets = (): any[] => stack.objects.filter((o) => o.kind === 'ExternalSecret');
      beforeAll(async () => {
        await stack.start();
        await stack.applyManifests();
        await stack.waitForSync();
      }, 180_000);
      afterAll(() => stack.stop());

      test('the server holds exactly one role per identity, each bound to exactly its ServiceAccounts, namespaces and audience, with its own policy', async () => {
        const { body: list } = await stack.cluster.vault.api('LIST', 'auth/kubernetes/role');
        expect(list.data.keys.sort()).toStrictEqual(expectations.map(([, e]) => e.role).sort());
        for (const [name, expected] of expectations) {
          const { body } = await stack.cluster.vault.api('GET', `auth/kubernetes/role/${expected.role}`);
          const bound = (body.data.bound_service_account_namespaces as string[]).flatMap((ns) => (body.data.bound_service_account_names as string[]).map((n) => `${ns}/${n}`)).sort();
          expect([name, bound, body.data.audience, body.data.token_policies, body.data.token_no_default_policy])
            .toStrictEqual([name, [...expected.serviceAccounts], expected.audience, [expected.policy], true]);
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

      test('ESO syncs every ExternalSecret through its own store: each store Valid, each Secret exactly its data, each identity\'s login reviewed as its ServiceAccount', async () => {
        const stores = [
          ...(await stack.cluster.get('/apis/external-secrets.io/v1/secretstores')).items,
          ...(await stack.cluster.get('/apis/external-secrets.io/v1/clustersecretstores')).items,
        ].map((s: any) => [`${s.kind} ${s.metadata.namespace ? `${s.metadata.namespace}/` : ''}${s.metadata.name}`, conditionOf(s, 'Ready')?.status, conditionOf(s, 'Ready')?.reason]);
        expect(stores.sort()).toStrictEqual(expectations.flatMap(([, e]) => e.stores.map((store) => [store, 'True', 'Valid'])).sort());
        expect(externalSecrets().length).toBe(stack.catalog.targets.length);
        for (const es of externalSecrets()) {
          const { namespace, name } = es.metadata;
          const store = storeOf(es);
          const identity = IDENTITY_FIXTURE_EXPECTATIONS[identityOfStore(store)];
          const reads = [...(es.spec.data ?? []).map((d: any) => d.remoteRef.key), ...(es.spec.dataFrom ?? []).map((d: any) => d.extract.key)];
          expect([namespace, name, store, reads.filter((path: string) => !identity.paths.includes(path))]).toStrictEqual([namespace, name, store, []]);
          const live = await stack.cluster.get(externalSecretsPath(namespace, name));
          expect([namespace, name, conditionOf(live, 'Ready')?.reason]).toStrictEqual([namespace, name, 'SecretSynced']);
          const secret = await readSecret(stack.cluster, namespace, es.spec.target.name);
          expect([namespace, name, fingerprints(secret!.data)]).toStrictEqual([namespace, name, fingerprints(stack.expectedData(namespace, es.spec.target.name))]);
        }
        // ESO logged in as each identity's own ServiceAccount (media's `default` included); Vault's asked the API server.
        const reviewed = stack.cluster.tokenReviews().filter((r) => r.authenticated);
        expect([...new Set(reviewed.map((r) => `${r.user} ${r.audiences?.join(',')} ${r.username}`))].sort())
          .toStrictEqual(expectations.flatMap(([, e]) => e.serviceAccounts.map((sa) => `system:serviceaccount:vault:vault vault system:serviceaccount:${sa.replace('/', ':')}`)).sort());
      });

      test('through every store, an ExternalSecret naming another identity\'s path fails with Vault\'s permission error, and no Secret is written', async () => {
        // One thief per store and namespace it serves, each naming a path of another identity (of the
        // same namespace where there is one).
        const thieves = [
          { kind: 'ClusterSecretStore', store: 'vault-backend', namespace: 'apps', stolen: 'infra/grafana' },
          { kind: 'ClusterSecretStore', store: 'vault-observability', namespace: 'monitoring', stolen: 'apps/db' },
          { kind: 'ClusterSecretStore', store: 'vault-observability', namespace: 'logging', stolen: 'apps/sonarr' },
          { kind: 'SecretStore', store: 'vault-sonarr', namespace: 'media', stolen: 'apps/radarr' },
          { kind: 'SecretStore', store: 'vault-radarr', namespace: 'media', stolen: 'apps/sonarr' },
          { kind: 'SecretStore', store: 'vault-arr', namespace: 'media', stolen: 'apps/radarr' },
          { kind: 'SecretStore', store: 'vault-arr', namespace: 'downloads', stolen: 'infra/loki' },
        ].map((t) => ({ ...t, name: `steal-${t.store}` }));
        // Every store, in every namespace it serves, and each path outside the store's identity.
        const served = expectations.flatMap(([, e]) => e.stores.flatMap((store) => {
          const [kind, where] = store.split(' ');
          return kind === 'SecretStore' ? [`${kind} ${where}`]
            : stack.objects.find((o) => o.kind === kind && o.metadata.name === where).spec.conditions.flatMap((c: any) => c.namespaces).map((ns: string) => `${kind} ${ns}/${where}`);
        }));
        expect(thieves.map((t) => `${t.kind} ${t.namespace}/${t.store}`).sort()).toStrictEqual(served.sort());
        for (const t of thieves) {
          const own = IDENTITY_FIXTURE_EXPECTATIONS[identityOfStore(`${t.kind} ${t.kind === 'SecretStore' ? `${t.namespace}/` : ''}${t.store}`)].paths;
          expect([t.store, t.stolen, own.includes(t.stolen), stack.catalog.pathNames.includes(t.stolen)]).toStrictEqual([t.store, t.stolen, false, true]);
        }
        await stack.cluster.apply(thieves.map((t) => ({
          apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: t.name, namespace: t.namespace },
          spec: { refreshInterval: '1h', secretStoreRef: { kind: t.kind, name: t.store },
            target: { name: t.name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
            data: [{ secretKey: 'stolen', remoteRef: { key: t.stolen, property: stack.catalog.paths.find((p) => p.path === t.stolen)!.keys[0] } }] },
        })));
        for (const thief of thieves) {
          // Its first outcome, synced or failed (a synced thief fails the test at once, without waiting).
          const ready = await stack.cluster.waitFor(`${thief.namespace}/${thief.name} to sync or fail`, async () => {
            const condition = conditionOf(await stack.cluster.get(externalSecretsPath(thief.namespace, thief.name)), 'Ready');
            return condition?.status === 'False' || condition?.status === 'True' ? condition : undefined;
          });
          expect([thief.namespace, thief.name, ready.reason, ready.message]).toStrictEqual([thief.namespace, thief.name, 'SecretSyncedError', 'could not get secret data from provider']);
          const events = await stack.cluster.waitFor(`ESO's event on ${thief.namespace}/${thief.name}`, async () => {
            const list = await stack.cluster.get(`/api/v1/namespaces/${thief.namespace}/events?fieldSelector=involvedObject.name%3D${thief.name}`);
            const failed = list.items.filter((e: any) => e.reason === 'UpdateFailed');
            return failed.length > 0 ? failed : undefined;
          });
          expect([thief.namespace, thief.name, events[0].type, events[0].message])
            .toStrictEqual([thief.namespace, thief.name, 'Warning', expect.stringMatching(/Code: 403\. Errors:\s+\* 1 error occurred:\s+\* permission denied/)]);
          expect([thief.namespace, thief.name, await readSecret(stack.cluster, thief.namespace, thief.name)]).toStrictEqual([thief.namespace, thief.name, undefined]);
        }
      });

      test('a ClusterSecretStore serves only the namespaces of its conditions: ESO refuses it elsewhere, before asking Vault', async () => {
        await stack.cluster.apply([{
          apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'outside-conditions', namespace: 'media' },
          spec: { refreshInterval: '1h', secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-observability' },
            target: { name: 'outside-conditions', creationPolicy: 'Owner', deletionPolicy: 'Retain' }, data: [{ secretKey: 'password', remoteRef: { key: 'infra/grafana', property: 'admin-password' } }] },
        }]);
        // Its first outcome: ESO's refusal, or a sync (which fails the test at once, without waiting).
        const { synced, events } = await stack.cluster.waitFor('ESO to refuse or sync it', async () => {
          if (conditionOf(await stack.cluster.get(externalSecretsPath('media', 'outside-conditions')), 'Ready')?.status === 'True') return { synced: true, events: [] };
          const list = await stack.cluster.get('/api/v1/namespaces/media/events?fieldSelector=involvedObject.name%3Doutside-conditions');
          const failed = list.items.filter((e: any) => e.reason === 'UpdateFailed');
          return failed.length > 0 ? { synced: false, events: failed } : undefined;
        });
        expect(synced).toBe(false);
        expect(events[0].message).toContain('using cluster store "vault-observability" is not allowed from namespace "media": denied by spec.condition');
        expect(conditionOf(await stack.cluster.get(externalSecretsPath('media', 'outside-conditions')), 'Ready')?.status).toBe('False');
        expect(await readSecret(stack.cluster, 'media', 'outside-conditions')).toBeUndefined();
      });

      test('each identity reads exactly its paths, through every store it has; a test fails if any identity can read another\'s path', async () => {
        await Promise.all(expectations.flatMap(([name, expected]) => storesOf(expected.role).map(async (store) => {
          const { token, auth } = await stack.loginAs(store);
          expect([name, store.store, auth.policies]).toStrictEqual([name, store.store, [expected.policy]]);
          expect([name, store.store, await stack.readAll(token)]).toStrictEqual([name, store.store, stack.expected(expected.paths)]);
        })));
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
        await Promise.all(expectations.flatMap(([name, expected]) => accounts.filter((a) => a.name !== name).map(async (other) => {
          const [namespace, account] = other.sa.split('/');
          const answer = await stack.login('kubernetes', expected.role, await stack.token(namespace, account, ['vault']));
          expect([expected.role, other.sa, answer.status, [REFUSED.name[1], REFUSED.namespace[1]].some((errors) => JSON.stringify(errors) === JSON.stringify(answer.body.errors))])
            .toStrictEqual([expected.role, other.sa, 403, true]);
        })));
      });
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

function reviewRequest(cluster: Cluster, bearer: string | undefined, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(cluster.server);
    const req = request({
      host: url.hostname, port: Number(url.port), path: '/apis/authentication.k8s.io/v1/tokenreviews', method: 'POST', servername: 'kubernetes.default.svc',
      ca: readFileSync(cluster.pki.ca.certFile), headers: { ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }), 'Content-Type': 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
