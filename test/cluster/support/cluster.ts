import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Server, Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import YAML from 'yaml';
import { fetchTrusting, trustServer } from '../../e2e/support/bao-dev-server';
import { IDENTITY_KINDS, componentReleases, controllerSpec, renderRelease, withFlags } from './charts';
import { ClusterEngines, clusterEngines } from './engines';
import { API_SERVER_NAMES, ClusterPki, VAULT_NAMES, makeClusterPki, pem } from './pki';
import { ProcessExit, Supervisor, startSupervisor } from './supervisor-client';

const ROOT = join(__dirname, '..', '..', '..');

/** Ports inside the cluster's network namespace: the ones the committed manifests name. */
export const CLUSTER_PORTS = { apiServer: 443, etcd: 2379, etcdPeer: 2380, vault: 8200, vaultCluster: 8201, esoMetrics: 8080, esoLive: 8082, reloader: 9090 } as const;

/** The service account token issuer (and default audience) of a cluster with the default DNS domain. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * The API server's Go garbage collector, tuned for a cluster that lives minutes: it collects when its
 * heap has grown tenfold (GOGC=1000) or reaches 1 GiB (GOMEMLIMIT), where the default collects at
 * twice the live heap. Measured over `npm run cluster:up` (a start with the homelab applied), four
 * interleaved pairs: 5.8 CPU-seconds instead of 7.4 (a fifth less), for 1 GiB of memory instead of 0.46.
 * Only the collector's pace changes, not what the API server does; the other components use too
 * little CPU for it to matter.
 */
const API_SERVER_GC = { GOGC: '1000', GOMEMLIMIT: '1GiB' } as const;

/** The Service CIDR the API server allocates from (no Service is routed: nothing runs in a pod). */
const SERVICE_CIDR = '10.96.0.0/24';

/** The components a cluster runs, besides etcd and the API server. */
export type ClusterComponent = 'vault' | 'external-secrets' | 'reloader';

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Namespaces created at start, besides `vault`, `external-secrets` and `reloader`. @default none */
  readonly namespaces?: readonly string[];
  /** The components to run. @default all three: OpenBao, the ESO controller, Reloader */
  readonly components?: readonly ClusterComponent[];
  /** How long each start step may take. @default 90 s */
  readonly stepTimeoutMs?: number;
  /** Also log the API server's TokenReviews (the audit log, {@link Cluster.tokenReviews}). @default false */
  readonly auditTokenReviews?: boolean;
  /** Progress lines (start steps and their times). @default none */
  readonly log?: (line: string) => void;
  /** Records the objects the cluster holds once started, so that {@link Cluster.reset} can return to them. @default false */
  readonly resettable?: boolean;
}

/** What a child process printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An answer of the API server. */
export interface ApiResponse {
  readonly status: number;
  readonly body: any;
}

/** OpenBao as the cluster runs it: `https://vault.vault.svc:8200` inside, a relay on the harness's loopback. */
export interface ClusterVault {
  /** `https://127.0.0.1:<port>`: the relay to OpenBao, for the harness and the CLI. */
  readonly addr: string;
  /** The CA that signed OpenBao's certificate (the Secret `vault/vault-tls` holds it as `ca.crt`). */
  readonly caFile: string;
  readonly caCert: string;
  readonly rootToken: string;
  /** A fetch that trusts exactly `caCert`. */
  readonly fetch: typeof fetch;
  /** A Vault API call with the root token (or `token`); the parsed body. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse>;
}

/** One TokenReview the API server answered, from its audit log. */
export interface TokenReviewRecord {
  /** The token reviewed (a test's own short-lived tokens: the audit log is in the cluster's folder). */
  readonly token: string | null;
  /** Who asked (`system:serviceaccount:vault:vault` for OpenBao). */
  readonly user: string;
  readonly code: number;
  readonly audiences: readonly string[] | null;
  readonly authenticated: boolean | null;
  readonly username: string | null;
  readonly error: string | null;
}

/** A running cluster: etcd, kube-apiserver, OpenBao, the ESO controller and Reloader. */
export interface Cluster {
  /** The harness's folder: certificates, kubeconfigs, logs; removed by stop(). */
  readonly dir: string;
  /** The pid of `unshare`, whose child is the first process of the cluster's namespaces. */
  readonly pid: number;
  readonly engines: ClusterEngines;
  readonly pki: ClusterPki;
  /** `https://127.0.0.1:<port>`: the relay to the API server on the harness's loopback. */
  readonly server: string;
  /** A kubeconfig for `server` as `system:masters`, whose current context is the cluster. */
  readonly kubeconfig: string;
  /** The environment for a CLI child: KUBECONFIG, KUBECACHEDIR, PATH with the engines first, VAULT_ADDR/VAULT_CACERT and their BAO_* twins (no token). */
  readonly env: Readonly<Record<string, string>>;
  readonly vault: ClusterVault;
  /** Milliseconds each start step took, and `total`. */
  readonly timings: Readonly<Record<string, number>>;
  /** Runs kubectl (the engines') against the cluster. Rejects on a non-zero exit unless `allowFailure`. */
  kubectl(args: readonly string[], options?: { readonly input?: string; readonly allowFailure?: boolean }): Promise<CommandResult>;
  /** `kubectl apply --server-side` of objects, YAML text or files (kubectl's own field manager). */
  apply(what: readonly object[] | string | { readonly files: readonly string[] }): Promise<void>;
  /** Applies CustomResourceDefinitions from files (server-side) and waits until each is Established. */
  applyCrds(files: readonly string[]): Promise<void>;
  /** A raw API request as `system:masters`. */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse>;
  /** GET `path`; undefined on 404. */
  get(path: string): Promise<any>;
  /**
   * Polls `probe` (every 100 ms, after 2 s every 500 ms: {@link pollDelayMs}) until it returns a
   * value other than undefined, null or false, and returns it. Fails at the timeout, or at once when a
   * component of the cluster has died, with `observe()`'s last answer (never a Secret's data) and the
   * tail of the dead component's log.
   */
  waitFor<T>(description: string, probe: () => Promise<T | undefined | null | false>, options?: { readonly timeoutMs?: number; readonly observe?: () => Promise<unknown> }): Promise<T>;
  /** A token of a ServiceAccount (TokenRequest). */
  createToken(namespace: string, serviceAccount: string, options?: { readonly audiences?: readonly string[]; readonly seconds?: number }): Promise<string>;
  /** `bao kv put -mount=<mount> <path> -`: the values reach OpenBao as JSON on the CLI's stdin, never in argv. */
  seedVault(mount: string, path: string, values: Readonly<Record<string, string>>): Promise<void>;
  /** Stops OpenBao (its data stays) and waits for it to exit. */
  stopVault(): Promise<void>;
  /** Starts OpenBao again; it unseals itself (static seal) as an auto-unsealed Vault does. Waits until it is active. */
  startVault(): Promise<void>;
  /**
   * Replaces OpenBao by a new one: stops it, removes its data, starts and initializes it again (a new
   * root token in `vault.rootToken`). What the cluster holds for it (its ServiceAccount, the pod's
   * token, the `vault-tls` Secret) stays: a cluster's suites run one after the other over it.
   */
  resetVault(): Promise<void>;
  /**
   * Returns the cluster to what it held when it had started (needs `resettable`), for the next suite
   * over the same cluster: stops the ESO controller and Reloader, deletes every object made since
   * (events included; finalizers removed first, as no controller would run them; namespaces finalized
   * by hand), replaces OpenBao by a new one (resetVault), and starts the controllers again. Fails if an
   * object of the start was deleted or replaced, or if the API server does not come to hold exactly
   * the objects of the start (by uid).
   */
  reset(): Promise<void>;
  /** The TokenReviews answered so far, since the start or the last reset() (needs `auditTokenReviews`). */
  tokenReviews(): TokenReviewRecord[];
  /** The last `lines` lines of a process's log (etcd, kube-apiserver, vault, external-secrets, reloader). */
  logTail(name: string, lines?: number): string;
  /** Stops every process (and waits for each), closes the relays, removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/** Where the API server serves each kind the harness applies itself: group/version, plural, namespaced. */
const RESOURCES: Readonly<Record<string, readonly [groupVersion: string, plural: string, namespaced: boolean]>> = {
  Namespace: ['v1', 'namespaces', false],
  ServiceAccount: ['v1', 'serviceaccounts', true],
  Secret: ['v1', 'secrets', true],
  ConfigMap: ['v1', 'configmaps', true],
  ClusterRole: ['rbac.authorization.k8s.io/v1', 'clusterroles', false],
  ClusterRoleBinding: ['rbac.authorization.k8s.io/v1', 'clusterrolebindings', false],
  Role: ['rbac.authorization.k8s.io/v1', 'roles', true],
  RoleBinding: ['rbac.authorization.k8s.io/v1', 'rolebindings', true],
  CustomResourceDefinition: ['apiextensions.k8s.io/v1', 'customresourcedefinitions', false],
};

/** The CRD files of ESO a cluster starts with: the vendored four, and the generator CRDs ESO watches (from its source). */
export function esoCrdFiles(engines: ClusterEngines): string[] {
  return [
    ...readdirSync(join(ROOT, 'crds', 'external-secrets')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'crds', 'external-secrets', f)),
    ...readdirSync(engines.externalSecretsCrds).filter((f) => f.startsWith('generators.external-secrets.io_')).map((f) => join(engines.externalSecretsCrds, f)),
  ];
}

/** A CRD file to apply: its name and its YAML text. */
interface CrdFile {
  readonly file: string;
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string };
  readonly text: string;
}

/**
 * Reads a file that holds one apiextensions.k8s.io/v1 CustomResourceDefinition. Only its head (the
 * lines before `spec:`) is parsed here, for the name; the API server parses the whole text, as it does
 * what `kubectl apply` sends. The schemas are most of the bytes: the yaml package took 1.6
 * CPU-seconds a cluster start to parse ESO's 23 CRDs (1.9 MB), read the same by YAML 1.1 and 1.2.
 */
export function readCrdFile(file: string): CrdFile {
  const text = readFileSync(file, 'utf8');
  const [head, ...rest] = text.split(/^spec:/m);
  const meta = rest.length === 1 ? YAML.parse(head) : undefined;
  const documents = text.replace(/^---[ \t]*\n/, '').match(/^(---|\.\.\.)([ \t]|$)/m);
  if (meta?.apiVersion !== 'apiextensions.k8s.io/v1' || meta?.kind !== 'CustomResourceDefinition' || typeof meta?.metadata?.name !== 'string' || documents) {
    throw new Error(`${file}: not one apiextensions.k8s.io/v1 CustomResourceDefinition with its apiVersion, kind and metadata.name before its one top-level spec`);
  }
  return { file, kind: 'CustomResourceDefinition', metadata: { name: meta.metadata.name }, text };
}

/** The API path of one object of a kind in RESOURCES. */
export function objectPath(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  const resource = RESOURCES[object.kind];
  if (!resource) throw new Error(`objectPath: unknown kind ${object.kind}`);
  const [groupVersion, plural, namespaced] = resource;
  const base = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
  return `${base}${namespaced ? `/namespaces/${object.metadata.namespace}` : ''}/${plural}/${object.metadata.name}`;
}

/** A TCP listener on 127.0.0.1 (a port the kernel picks) relaying to a Unix socket. */
async function tcpRelay(target: string): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('relay: no port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A plain HTTP GET over a Unix socket: the status, or 0 when nothing answers. */
function httpStatusOverSocket(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ socketPath, path, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function kubeconfig(server: string, caFile: string, user: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'homelab-secrets-test', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'user', user }],
    contexts: [{ name: 'homelab-secrets-test', context: { cluster: 'homelab-secrets-test', user: 'user' } }],
    'current-context': 'homelab-secrets-test',
  }, null, 2);
}

function run(cmd: string, args: readonly string[], env: Readonly<Record<string, string>>, input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { env: { ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => resolve({ code: 127, stdout, stderr: `${cmd}: ${error.message}` }));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long {@link Cluster.waitFor} sleeps between two probes, `elapsed` ms into its wait: 100 ms for
 * the first 2 s (a start step, most syncs), then 500 ms. A probe costs the API server about 10 ms of
 * CPU (a list of the homelab's ExternalSecrets, measured), so probing every 100 ms through the long
 * waits (ESO's retries while Vault is down, a minute and more) kept it a tenth busy; a long wait now
 * sees its condition at most 0.5 s late.
 */
function pollDelayMs(elapsed: number): number {
  return elapsed < 2000 ? 100 : 500;
}

/**
 * Starts a cluster on loopback, in its own network, mount and pid namespaces, as the committed
 * manifests expect one: the API server at `https://kubernetes.default.svc` (443) with a service
 * account issuer, so TokenRequest and TokenReview are real; OpenBao at `https://vault.vault.svc:8200`
 * with a TLS certificate for that name, run "as in its pod" (the pod's service account folder holds
 * the cluster CA and a token of `vault/vault`, which its chart binds to `system:auth-delegator`); the
 * ESO controller and Reloader out of cluster, each with a kubeconfig for its chart's ServiceAccount and
 * RBAC and the arguments its chart's Deployment passes (the committed Applications' values). ESO's
 * CRDs (the vendored four and the generator CRDs it watches) are applied; the Secret `vault/vault-tls`
 * holds OpenBao's CA for the store's `caProvider`.
 *
 * Ports 443, 8200 and 9090 exist only in the cluster's network namespace; the harness reaches the API
 * server and OpenBao through relays on free ports of its own loopback (`server`, `vault.addr`).
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const t0 = Date.now();
  const log = options.log ?? (() => undefined);
  const stepTimeoutMs = options.stepTimeoutMs ?? 90_000;
  const components = new Set<ClusterComponent>(options.components ?? ['vault', 'external-secrets', 'reloader']);
  const engines = clusterEngines();
  const timings: Record<string, number> = {};
  let stepStart = Date.now();
  const step = (name: string): void => {
    const now = Date.now();
    timings[name] = now - stepStart;
    log(`cluster: ${name} ${timings[name]} ms`);
    stepStart = now;
  };

  const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-cluster-'));
  const logs = join(dir, 'logs');
  const sockets = join(dir, 's');
  const podServiceAccount = join(dir, 'pod-serviceaccount');
  const nsTmp = join(dir, 'ns-tmpfs');
  for (const folder of [logs, sockets, podServiceAccount, nsTmp]) mkdirSync(folder, { recursive: true });
  const relays: { close(): Promise<void> }[] = [];
  let supervisor: Supervisor | undefined;
  let stopped = false;

  const logTail = (name: string, lines = 30): string => {
    const file = join(logs, `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await supervisor?.shutdown();
    for (const relay of relays) await relay.close();
    const keep = process.env.HOMELAB_CLUSTER_LOGS;
    if (keep && existsSync(logs)) {
      mkdirSync(keep, { recursive: true });
      for (const file of readdirSync(logs)) copyFileSync(join(logs, file), join(keep, `${basename(dir)}-${file}`));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pki = makeClusterPki(dir);
    writeFileSync(join(podServiceAccount, 'ca.crt'), pem(pki.ca.certFile));
    writeFileSync(join(dir, 'hosts'), [
      '127.0.0.1 localhost',
      `127.0.0.1 ${[...API_SERVER_NAMES, ...VAULT_NAMES].join(' ')}`,
      '::1 localhost',
      '',
    ].join('\n'));
    step('pki');

    supervisor = await startSupervisor({ tmpfs: nsTmp, podServiceAccount, hosts: join(dir, 'hosts'), control: join(sockets, 'control'), dir }, stepTimeoutMs);
    const sup = supervisor;
    const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
    const startProcess = (name: string, argv: readonly string[], env: Record<string, string> = {}): Promise<number> =>
      sup.start(name, { argv, env: { ...baseEnv, ...env }, cwd: dir, log: join(logs, `${name}.log`) });
    const dead = (): string | undefined => {
      for (const name of ['etcd', 'kube-apiserver', 'vault', 'external-secrets', 'reloader']) {
        const exit: ProcessExit | undefined = sup.exited(name);
        if (exit) return `${name} exited (code ${exit.code}, signal ${exit.signal}${exit.error ? `, ${exit.error}` : ''}):\n${logTail(name)}`;
      }
      return undefined;
    };
    const waitFor = async <T>(description: string, probe: () => Promise<T | undefined | null | false>,
      waitOptions: { readonly timeoutMs?: number; readonly observe?: () => Promise<unknown> } = {}): Promise<T> => {
      const started = Date.now();
      const deadline = started + (waitOptions.timeoutMs ?? stepTimeoutMs);
      for (;;) {
        const value = await probe();
        if (value !== undefined && value !== null && value !== false) return value;
        const died = dead();
        const late = Date.now() > deadline;
        if (died || late) {
          const seen = waitOptions.observe ? await waitOptions.observe().catch((error) => `(observe failed: ${error})`) : undefined;
          throw new Error(`${late ? `timed out after ${waitOptions.timeoutMs ?? stepTimeoutMs} ms` : 'gave up'} waiting for ${description}`
            + `${seen === undefined ? '' : `; last seen: ${typeof seen === 'string' ? seen : JSON.stringify(seen)}`}${died ? `; ${died}` : ''}`);
        }
        await sleep(pollDelayMs(Date.now() - started));
      }
    };
    step('namespaces');

    // etcd, on the namespaces' tmpfs
    await startProcess('etcd', [engines.etcd, '--name', 'etcd', '--data-dir', join(nsTmp, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${CLUSTER_PORTS.etcd}`, '--advertise-client-urls', `http://127.0.0.1:${CLUSTER_PORTS.etcd}`,
      '--listen-peer-urls', `http://127.0.0.1:${CLUSTER_PORTS.etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${CLUSTER_PORTS.etcdPeer}`,
      '--initial-cluster', `etcd=http://127.0.0.1:${CLUSTER_PORTS.etcdPeer}`, '--log-level', 'warn']);
    const etcdSocket = join(sockets, 'etcd');
    await sup.relay(etcdSocket, CLUSTER_PORTS.etcd);
    await waitFor('etcd /health', async () => (await httpStatusOverSocket(etcdSocket, '/health')) === 200);
    step('etcd');

    // kube-apiserver
    const auditPolicy = join(dir, 'audit-policy.yaml');
    writeFileSync(auditPolicy, YAML.stringify({
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'RequestResponse', resources: [{ group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
        { level: 'None' },
      ],
    }));
    const auditLog = join(logs, 'audit.jsonl');
    await startProcess('kube-apiserver', [engines.kubeApiserver,
      `--etcd-servers=http://127.0.0.1:${CLUSTER_PORTS.etcd}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${CLUSTER_PORTS.apiServer}`,
      `--tls-cert-file=${pki.apiServer.certFile}`, `--tls-private-key-file=${pki.apiServer.keyFile}`,
      `--client-ca-file=${pki.ca.certFile}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=RBAC',
      // its own Endpoints would name a loopback address, which it refuses
      '--endpoint-reconciler-type=none',
      ...(options.auditTokenReviews ? [`--audit-policy-file=${auditPolicy}`, `--audit-log-path=${auditLog}`, '--audit-log-format=json', '--audit-log-mode=blocking'] : []),
    ], API_SERVER_GC);
    const apiSocket = join(sockets, 'api');
    await sup.relay(apiSocket, CLUSTER_PORTS.apiServer);
    const apiRelay = await tcpRelay(apiSocket);
    relays.push(apiRelay);
    const server = `https://127.0.0.1:${apiRelay.port}`;
    const ca = readFileSync(pki.ca.certFile);
    const cert = readFileSync(pki.admin.certFile);
    const key = readFileSync(pki.admin.keyFile);
    const request = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> =>
      new Promise((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port: apiRelay.port, servername: 'kubernetes.default.svc', method, path, ca, cert, key,
          headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (readyz)
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      });
    const get = async (path: string): Promise<any> => {
      const answer = await request('GET', path);
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    await waitFor('the API server /readyz', async () => (await request('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200);
    step('kube-apiserver');

    const hostKubeconfig = join(dir, 'kubeconfig');
    writeFileSync(hostKubeconfig, kubeconfig(server, pki.ca.certFile, { 'client-certificate': pki.admin.certFile, 'client-key': pki.admin.keyFile }));
    const enginesBin = dirname(engines.kubectl);
    const vaultEnv = (addr: string): Record<string, string> => ({ VAULT_ADDR: addr, BAO_ADDR: addr, VAULT_CACERT: pki.vaultCa.certFile, BAO_CACERT: pki.vaultCa.certFile });
    const env: Record<string, string> = {
      PATH: `${enginesBin}:${dirname(engines.bao)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? dir,
      KUBECONFIG: hostKubeconfig,
      // kubectl's discovery cache, inside the harness's folder (not ~/.kube/cache)
      KUBECACHEDIR: join(dir, 'kube-cache'),
    };
    const kubectl = async (args: readonly string[], kubectlOptions: { readonly input?: string; readonly allowFailure?: boolean } = {}): Promise<CommandResult> => {
      const result = await run(engines.kubectl, args, env, kubectlOptions.input);
      if (result.code !== 0 && !kubectlOptions.allowFailure) throw new Error(`kubectl ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`);
      return result;
    };
    const apply = async (what: readonly object[] | string | { readonly files: readonly string[] }): Promise<void> => {
      if (typeof what === 'object' && 'files' in what) {
        await kubectl(['apply', '--server-side', ...what.files.flatMap((f) => ['-f', f])]);
      } else {
        // Objects as JSON (a List): YAML would turn a value such as `y` into a boolean on kubectl's side.
        const text = typeof what === 'string' ? what : JSON.stringify({ apiVersion: 'v1', kind: 'List', items: what });
        await kubectl(['apply', '--server-side', '-f', '-'], { input: text });
      }
    };
    const createToken = async (namespace: string, serviceAccount: string, tokenOptions: { readonly audiences?: readonly string[]; readonly seconds?: number } = {}): Promise<string> => {
      const answer = await request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: tokenOptions.audiences ? [...tokenOptions.audiences] : [], expirationSeconds: tokenOptions.seconds ?? 86400 },
      });
      if (answer.status !== 201) throw new Error(`TokenRequest for ${namespace}/${serviceAccount}: ${answer.status} ${answer.body?.message ?? ''}`);
      return answer.body.status.token;
    };

    /** Server-side apply of objects of the kinds in RESOURCES, straight to the API (no kubectl start-up, no discovery). */
    const applyDirect = async (objects: readonly any[]): Promise<void> => {
      await Promise.all(objects.map(async (object) => {
        const answer = await request('PATCH', `${objectPath(object)}?fieldManager=homelab-secrets-harness&force=true`, object, 'application/apply-patch+yaml');
        if (answer.status >= 300) throw new Error(`apply ${object.kind} ${object.metadata.name}: ${answer.status} ${answer.body?.message ?? ''}`);
      }));
    };

    /** Server-side apply of CRD files as their YAML text, which the API server parses (readCrdFile). */
    const applyCrdFiles = async (crds: readonly CrdFile[]): Promise<void> => {
      await Promise.all(crds.map(async (crd) => {
        const answer = await request('PATCH', `${objectPath(crd)}?fieldManager=homelab-secrets-harness&force=true`, crd.text, 'application/apply-patch+yaml');
        if (answer.status >= 300) throw new Error(`apply ${crd.file}: ${answer.status} ${answer.body?.message ?? ''}`);
      }));
    };

    const waitForCrds = (crds: readonly CrdFile[]): Promise<boolean> => waitFor(`CRDs ${crds.map((c) => c.metadata.name).join(', ')} to be established`, async () => {
      for (const crd of crds) {
        const live = await get(objectPath(crd));
        if (!live?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True')) return false;
      }
      return true;
    });

    // ESO's CRDs, applied while the rest starts.
    const crds = esoCrdFiles(engines).map(readCrdFile);
    const established = (async () => {
      await applyCrdFiles(crds);
      await waitForCrds(crds);
      step('crds');
    })();
    // observed here so that a failure before it is awaited is not reported as unhandled
    established.catch(() => undefined);

    // The components' namespaces and the workload namespaces, then the components' identities from their charts.
    const releases = componentReleases();
    const rendered = Object.fromEntries(Object.values(releases).map((r) => [r.name, renderRelease(engines.helm, r)]));
    const namespaces = [...new Set([...Object.values(releases).map((r) => r.namespace), ...(options.namespaces ?? [])])];
    await applyDirect(namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    await applyDirect(Object.values(rendered).flat().filter((o) => IDENTITY_KINDS.includes(o.kind)));
    step('identities');

    // OpenBao, as in its pod
    const vaultServiceAccount = controllerServiceAccount(rendered.vault, 'StatefulSet');
    writeFileSync(join(podServiceAccount, 'token'), await createToken(releases.vault.namespace, vaultServiceAccount));
    writeFileSync(join(podServiceAccount, 'namespace'), releases.vault.namespace);
    const unsealKey = join(dir, 'vault-unseal.key');
    writeFileSync(unsealKey, randomBytes(32), { mode: 0o600 });
    const vaultConfig = join(dir, 'vault.hcl');
    writeFileSync(vaultConfig, [
      `api_addr     = "https://127.0.0.1:${CLUSTER_PORTS.vault}"`,
      `cluster_addr = "https://127.0.0.1:${CLUSTER_PORTS.vaultCluster}"`,
      'storage "raft" {',
      `  path                   = "${join(nsTmp, 'vault')}"`,
      '  node_id                = "vault-0"',
      '  performance_multiplier = 1',
      '}',
      'listener "tcp" {',
      `  address         = "127.0.0.1:${CLUSTER_PORTS.vault}"`,
      `  cluster_address = "127.0.0.1:${CLUSTER_PORTS.vaultCluster}"`,
      `  tls_cert_file   = "${pki.vault.certFile}"`,
      `  tls_key_file    = "${pki.vault.keyFile}"`,
      '  tls_min_version = "tls12"',
      '}',
      // Auto-unseal, as the homelab's awskms seal does: a restarted server unseals itself.
      'seal "static" {',
      '  current_key_id = "homelab-secrets-test"',
      `  current_key    = "file://${unsealKey}"`,
      '}',
      '',
    ].join('\n'));
    const vaultSocket = join(sockets, 'vault');
    const vaultRelay = await tcpRelay(vaultSocket);
    relays.push(vaultRelay);
    const vaultAddr = `https://127.0.0.1:${vaultRelay.port}`;
    const vaultCa = pem(pki.vaultCa.certFile);
    const vaultFetch = fetchTrusting(vaultCa);
    const vaultCall = async (method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse> => {
      const response = await vaultFetch(`${vaultAddr}/v1/${path}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { 'X-Vault-Token': token }),
          ...(body === undefined ? {} : { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
    const vaultHealth = async (): Promise<number> => (await vaultCall('GET', 'sys/health').catch(() => ({ status: 0 }))).status;
    /** Starts OpenBao on its storage folder; `fresh` empties the folder first (a new, uninitialized server). */
    const startVaultProcess = async (fresh = false): Promise<void> => {
      await startProcess('vault', ['sh', '-c', `${fresh ? 'rm -rf "$1" && ' : ''}mkdir -p "$1" && exec "$2" server -config="$3"`, 'sh', join(nsTmp, 'vault'), engines.bao, vaultConfig]);
    };
    let rootToken = '';
    /** Initializes a new OpenBao (one recovery share: the seal is static) and waits until it is active. */
    const initVault = async (): Promise<void> => {
      // 501: not initialized
      await waitFor('OpenBao to listen', async () => (await vaultHealth()) === 501);
      const init = await vaultCall('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
      if (init.status !== 200) throw new Error(`sys/init: ${init.status} ${JSON.stringify(init.body)}`);
      rootToken = init.body.root_token;
      await waitFor('OpenBao to be active', async () => (await vaultHealth()) === 200);
    };
    const resetVault = async (): Promise<void> => {
      if (!components.has('vault')) throw new Error('the cluster runs no OpenBao');
      // killed: its data goes anyway
      await sup.stop('vault', 0);
      await startVaultProcess(true);
      await initVault();
    };
    if (components.has('vault')) {
      await startVaultProcess();
      await sup.relay(vaultSocket, CLUSTER_PORTS.vault);
      await initVault();
      trustServer(vaultAddr, vaultCa);
      // The store's caProvider: the Secret the Vault chart mounts as its TLS (ca.crt).
      await applyDirect([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-tls', namespace: releases.vault.namespace }, type: 'Opaque',
        data: { 'ca.crt': Buffer.from(vaultCa).toString('base64') } }]);
      step('vault');
    }


    /** A kubeconfig for a controller: the API server by its in-cluster name, a token of its ServiceAccount. */
    const controllerKubeconfig = async (name: string, namespace: string, serviceAccount: string): Promise<string> => {
      const tokenFile = join(dir, `${name}.token`);
      writeFileSync(tokenFile, await createToken(namespace, serviceAccount), { mode: 0o600 });
      const file = join(dir, `${name}.kubeconfig`);
      writeFileSync(file, kubeconfig(`https://kubernetes.default.svc:${CLUSTER_PORTS.apiServer}`, pki.ca.certFile, { tokenFile }));
      return file;
    };

    /** The controllers, each started (again, after reset) by its function; the relays to their health endpoints are made once. */
    const controllers = new Map<ClusterComponent, () => Promise<void>>();
    const relayed = new Set<string>();
    const relayOnce = async (socket: string, port: number): Promise<void> => {
      if (relayed.has(socket)) return;
      await sup.relay(socket, port);
      relayed.add(socket);
    };
    if (components.has('external-secrets')) {
      const eso = controllerSpec(rendered['external-secrets'], releases['external-secrets'].releaseName);
      const args = withFlags(eso.args, {
        // every listener on loopback
        'metrics-addr': `127.0.0.1:${CLUSTER_PORTS.esoMetrics}`,
        'live-addr': `127.0.0.1:${CLUSTER_PORTS.esoLive}`,
        // the PushSecret CRDs are not applied (ESO's chart would install them)
        'enable-push-secret-reconciler': 'false',
        'enable-cluster-push-secret-reconciler': 'false',
      });
      controllers.set('external-secrets', async () => {
        const file = await controllerKubeconfig('external-secrets', eso.namespace, eso.serviceAccount);
        // Only these variables: ESO's Vault client takes VAULT_TOKEN from its environment (and revokes it).
        await startProcess('external-secrets', [engines.externalSecrets, ...args], { ...eso.env, KUBECONFIG: file });
        const liveSocket = join(sockets, 'eso');
        await relayOnce(liveSocket, CLUSTER_PORTS.esoLive);
        await waitFor('the ESO controller /healthz', async () => (await httpStatusOverSocket(liveSocket, '/healthz')) === 200);
      });
    }
    if (components.has('reloader')) {
      const reloaderRelease = releases.reloader;
      const deployment = rendered.reloader.find((o) => o.kind === 'Deployment').metadata.name;
      const reloader = controllerSpec(rendered.reloader, deployment);
      controllers.set('reloader', async () => {
        const file = await controllerKubeconfig('reloader', reloader.namespace, reloader.serviceAccount);
        // RELOADER_NAMESPACE comes from the pod's namespace in the chart.
        await startProcess('reloader', [engines.reloader, ...reloader.args], { ...reloader.env, RELOADER_NAMESPACE: reloaderRelease.namespace, KUBECONFIG: file });
        const httpSocket = join(sockets, 'reloader');
        await relayOnce(httpSocket, CLUSTER_PORTS.reloader);
        await waitFor('Reloader /live', async () => (await httpStatusOverSocket(httpSocket, '/live')) === 200);
      });
    }
    await Promise.all([established, ...[...controllers].map(async ([name, start]) => {
      // ESO watches its CRDs: it starts once they are established
      if (name === 'external-secrets') await established;
      await start();
      step(name);
    })]);

    // What reset() returns to: every object the API server holds now, and no TokenReview audited yet.
    let auditFrom = 0;
    const atStart = options.resettable ? await clusterObjects(get) : undefined;
    const reset = async (): Promise<void> => {
      if (!atStart) throw new Error('start the cluster with resettable: true');
      // killed: what they hold in memory goes anyway, and nothing may change while the objects go
      for (const name of controllers.keys()) await sup.stop(name, 0);
      const now = await clusterObjects(get);
      const changed = [...atStart.values()].filter((o) => now.get(o.key)?.uid !== o.uid).map((o) => o.key);
      if (changed.length > 0) throw new Error(`cannot reset the cluster: objects it held at start were deleted or replaced: ${changed.join(', ')}`);
      const extra = [...now.values()].filter((o) => !atStart.has(o.key));
      // Namespaces last: their objects first, then the namespace, finalized by hand (no namespace controller runs here).
      for (const object of [...extra.filter((o) => o.path !== '/api/v1/namespaces'), ...extra.filter((o) => o.path === '/api/v1/namespaces')]) {
        const path = `${object.path}/${object.name}`;
        if (object.finalizers) {
          const patched = await request('PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
          if (patched.status !== 200 && patched.status !== 404) throw new Error(`reset: removing the finalizers of ${object.key}: ${patched.status} ${patched.body?.message ?? ''}`);
        }
        const deleted = await request('DELETE', path);
        if (deleted.status >= 300 && deleted.status !== 404) throw new Error(`reset: deleting ${object.key}: ${deleted.status} ${deleted.body?.message ?? ''}`);
        if (object.path === '/api/v1/namespaces' && deleted.status < 300) {
          const live = await get(path);
          if (live) {
            const finalized = await request('PUT', `${path}/finalize`, { ...live, spec: { finalizers: [] } });
            if (finalized.status !== 200 && finalized.status !== 404) throw new Error(`reset: finalizing ${object.key}: ${finalized.status} ${finalized.body?.message ?? ''}`);
          }
        }
      }
      await waitFor('the cluster to hold exactly its objects of the start', async () => {
        const after = await clusterObjects(get);
        return after.size === atStart.size && [...atStart.values()].every((o) => after.get(o.key)?.uid === o.uid);
      }, { observe: async () => [...(await clusterObjects(get)).keys()].filter((key) => !atStart.has(key)) });
      if (components.has('vault')) await resetVault();
      // The TokenReviews audited so far belong to what went before.
      auditFrom = existsSync(auditLog) ? statSync(auditLog).size : 0;
      for (const start of controllers.values()) await start();
    };
    timings.total = Date.now() - t0;
    log(`cluster: ready in ${timings.total} ms`);

    return {
      dir,
      pid: sup.pid,
      engines,
      pki,
      server,
      kubeconfig: hostKubeconfig,
      env: { ...env, ...vaultEnv(vaultAddr) },
      vault: {
        addr: vaultAddr,
        caFile: pki.vaultCa.certFile,
        caCert: vaultCa,
        // read when asked: resetVault() initializes a new server, with a new root token
        get rootToken() {
          return rootToken;
        },
        fetch: vaultFetch,
        api: (method, path, body, token) => vaultCall(method, path, body, token ?? rootToken),
      },
      timings,
      kubectl,
      apply,
      applyCrds: async (files) => {
        const crds = files.map(readCrdFile);
        await applyCrdFiles(crds);
        await waitForCrds(crds);
      },
      request,
      get,
      waitFor,
      createToken,
      seedVault: async (mount, path, values) => {
        const result = await run(engines.bao, ['kv', 'put', `-mount=${mount}`, path, '-'], { ...env, ...vaultEnv(vaultAddr), BAO_TOKEN: rootToken }, JSON.stringify(values));
        if (result.code !== 0) throw new Error(`bao kv put -mount=${mount} ${path} - exited with ${result.code}: ${result.stderr.trim()}`);
      },
      stopVault: async () => {
        await sup.stop('vault');
      },
      startVault: async () => {
        await startVaultProcess();
        await waitFor('OpenBao to be active again', async () => (await vaultHealth()) === 200);
      },
      resetVault,
      reset,
      tokenReviews: () => {
        if (!options.auditTokenReviews) throw new Error('start the cluster with auditTokenReviews: true');
        if (!existsSync(auditLog)) return [];
        return readFileSync(auditLog).subarray(auditFrom).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
          .filter((event) => event.stage === 'ResponseComplete' && event.objectRef?.resource === 'tokenreviews')
          .map((event): TokenReviewRecord => ({
            token: event.requestObject?.spec?.token ?? null,
            user: event.user?.username,
            code: event.responseStatus?.code,
            audiences: event.requestObject?.spec?.audiences ?? null,
            authenticated: event.responseObject?.status?.authenticated ?? null,
            username: event.responseObject?.status?.user?.username ?? null,
            error: event.responseObject?.status?.error ?? null,
          }));
      },
      logTail,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One cluster that several describe blocks share, one after the other (the outputs of
 * forEachOutput under `npm run test:mutations`, the blocks of a file): the first take() starts it with
 * `options`, each later one resets it to what it held at start (Cluster.reset), so that each block finds
 * the cluster as a fresh one, with a new OpenBao. stop() stops it.
 */
export class SharedCluster {
  private cluster?: Cluster;

  constructor(private readonly options: ClusterOptions = {}) {}

  async take(): Promise<Cluster> {
    if (this.cluster === undefined) this.cluster = await startCluster({ ...this.options, resettable: true });
    else await this.cluster.reset();
    return this.cluster;
  }

  async stop(): Promise<void> {
    await this.cluster?.stop();
    this.cluster = undefined;
  }
}

/** One object the API server holds, as reset() compares and deletes them. */
interface ClusterObject {
  /** `<collection path>/<name>`, with the namespace in the path. */
  readonly key: string;
  /** The collection path: `/api/v1/namespaces/<ns>/secrets`, `/apis/<group>/<version>/<resource>`. */
  readonly path: string;
  readonly name: string;
  readonly uid: string;
  readonly finalizers: boolean;
}

/**
 * Every object of every resource the API server lists and deletes (found by discovery, at each group's
 * preferred version), by key.
 */
async function clusterObjects(get: (path: string) => Promise<any>): Promise<Map<string, ClusterObject>> {
  const groups: string[] = ['/api/v1', ...(await get('/apis')).groups.map((g: any) => `/apis/${g.preferredVersion.groupVersion}`)];
  const found = new Map<string, ClusterObject>();
  await Promise.all(groups.map(async (base) => {
    const resources = ((await get(base))?.resources ?? []).filter((r: any) => !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete'));
    await Promise.all(resources.map(async (resource: any) => {
      for (const item of (await get(`${base}/${resource.name}`))?.items ?? []) {
        const ns = item.metadata.namespace;
        const path = resource.namespaced ? `${base}/namespaces/${ns}/${resource.name}` : `${base}/${resource.name}`;
        const key = `${path}/${item.metadata.name}`;
        found.set(key, { key, path, name: item.metadata.name, uid: item.metadata.uid, finalizers: (item.metadata.finalizers ?? []).length > 0 });
      }
    }));
  }));
  return found;
}

/** The ServiceAccount a chart's workload of `kind` runs as. */
function controllerServiceAccount(objects: readonly any[], kind: string): string {
  const workload = objects.find((o) => o.kind === kind);
  if (!workload) throw new Error(`the chart renders no ${kind}`);
  return workload.spec.template.spec.serviceAccountName;
}
