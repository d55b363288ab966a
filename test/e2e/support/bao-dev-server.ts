import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from './engines';

/**
 * Where Vault's (and OpenBao's) Kubernetes auth reads the API server's CA when the config names none:
 * the service account CA of the pod it runs in (`localCACertPath` of builtin/credential/kubernetes).
 * The path is a constant; no setting or variable moves it.
 */
export const POD_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A throwaway OpenBao server on loopback, serving TLS with a CA made for it, for one test file. */
export interface BaoDevServer {
  /** `https://127.0.0.1:<port>` */
  readonly addr: string;
  readonly rootToken: string;
  /** The PEM of the CA that signed the server's certificate: the only one a client should trust. */
  readonly caCert: string;
  /** A file holding `caCert`, for the bao CLI (BAO_CACERT / VAULT_CACERT). */
  readonly caFile: string;
  /** A `fetch` that trusts exactly `caCert` and nothing else. */
  readonly fetch: typeof fetch;
  /** BAO_ADDR, BAO_CACERT and their VAULT_* twins, for a CLI child. */
  readonly cliEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on (the kernel picked it free a moment ago). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const openssl = (args: string[], cwd: string): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A CA (key kept in `dir`) and a certificate it signed for `sans`; EC P-256, valid one day. */
export function makeCa(dir: string, name: string, sans?: string): { caFile: string; certFile?: string; keyFile?: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', `${name}-ca.key`, '-out', `${name}-ca.crt`, '-days', '1', '-subj', `/CN=homelab-secrets e2e ${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  if (sans === undefined) return { caFile: join(dir, `${name}-ca.crt`) };
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n`);
  openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${name}-ca.crt`, '-CAkey', `${name}-ca.key`, '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`], dir);
  return { caFile: join(dir, `${name}-ca.crt`), certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
}

/** CA PEMs of the servers started here, by origin: vaultApi trusts the one CA of the server it calls. */
const trusted = new Map<string, string>();

/** Lets vaultApi (and so applyWithVaultApi) call a server started elsewhere (the cluster's OpenBao), trusting exactly `caCert`. */
export function trustServer(addr: string, caCert: string): void {
  trusted.set(new URL(addr).origin, caCert);
}

/** Raised like fetch's own network errors: a TypeError whose cause says why. */
function fetchFailed(cause: Error): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

/** A minimal `fetch` over node:https that trusts `ca` only (no system roots); enough for the Vault API. */
export function fetchTrusting(ca: string | undefined): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers, ...(ca === undefined ? {} : { ca }), signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(new Response([204, 304].includes(status) ? null : text, { status }));
        });
        res.on('error', (error) => reject(fetchFailed(error)));
      });
      req.on('error', (error) => reject(error.name === 'AbortError' ? error : fetchFailed(error)));
      req.end(body);
    });
  }) as typeof fetch;
}

/** Whether this machine lets an unprivileged process make a user and mount namespace (util-linux unshare). */
function unshareWorks(): boolean {
  return spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts OpenBao on a free loopback port with a TLS listener only, serving a certificate from a CA
 * made here, initialises and unseals it (one key share, in-memory storage), and waits until
 * /v1/sys/health answers 200. Not `-dev`: dev mode always adds a plain-HTTP listener.
 *
 * The server runs in its own mount namespace in which a throwaway Kubernetes CA sits at
 * POD_SERVICE_ACCOUNT_DIR/ca.crt, as it does in Vault's pod, so that the Kubernetes auth config
 * is accepted exactly as synthesized (it names no CA and relies on that file). `podCa: false` starts
 * it without, as a control.
 */
export async function startBaoDevServer(options: {
  readonly podCa?: boolean;
  readonly timeoutMs?: number;
} = {}): Promise<BaoDevServer> {
  const { baoBin } = engines();
  const podCa = options.podCa ?? true;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (podCa && !unshareWorks()) throw new Error('`unshare --user --map-root-user --mount` is refused on this machine: the e2e server needs a mount namespace to place the pod CA');
  const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-bao-'));
  const port = await freePort();
  const addr = `https://127.0.0.1:${port}`;
  const server = makeCa(dir, 'vault', 'IP:127.0.0.1,DNS:vault.vault.svc');
  const kubernetes = makeCa(dir, 'kubernetes');
  const caCert = readFileSync(server.caFile, 'utf8');
  writeFileSync(join(dir, 'server.hcl'), [
    'disable_mlock = true',
    `api_addr      = "${addr}"`,
    'storage "inmem" {}',
    'listener "tcp" {',
    `  address         = "127.0.0.1:${port}"`,
    `  tls_cert_file   = "${server.certFile}"`,
    `  tls_key_file    = "${server.keyFile}"`,
    '  tls_min_version = "tls12"',
    '}',
    '',
  ].join('\n'));
  // A private /run (so /var/run) in the server's mount namespace: nothing outside it changes.
  const script = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    `mkdir -p ${POD_SERVICE_ACCOUNT_DIR}`,
    `cp "$1" ${POD_SERVICE_ACCOUNT_DIR}/ca.crt`,
    'exec "$2" server -config="$3"',
  ].join('\n');
  const child: ChildProcess = podCa
    ? spawn('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', kubernetes.caFile, baoBin, join(dir, 'server.hcl')], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(baoBin, ['server', `-config=${join(dir, 'server.hcl')}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    trusted.delete(addr);
    rmSync(dir, { recursive: true, force: true });
  };

  trusted.set(addr, caCert);
  const tlsFetch = fetchTrusting(caCert);
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await tlsFetch(`${addr}/v1/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const deadline = Date.now() + timeoutMs;
  const waitFor = async (ready: (status: number) => boolean): Promise<void> => {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`bao server exited with ${child.exitCode}: ${stderr}`);
      try {
        if (ready((await call('GET', 'sys/health')).status)) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`bao server on ${addr} not ready after ${timeoutMs} ms: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  // 501: not initialised.
  await waitFor((status) => status === 501);
  const init = await call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  if (init.status !== 200) throw new Error(`sys/init: ${init.status}`);
  const unseal = await call('PUT', 'sys/unseal', { key: init.body.keys_base64[0] });
  if (unseal.status !== 200 || unseal.body.sealed !== false) throw new Error(`sys/unseal: ${unseal.status}`);
  await waitFor((status) => status === 200);

  return {
    addr,
    rootToken: init.body.root_token,
    caCert,
    caFile: server.caFile,
    fetch: tlsFetch,
    cliEnv: { BAO_ADDR: addr, VAULT_ADDR: addr, BAO_CACERT: server.caFile, VAULT_CACERT: server.caFile },
    stop,
  };
}

/**
 * Mounts a fresh KV version 2 at `mount` (removing whatever is mounted there) and waits until it takes
 * requests: a new kv-v2 mount upgrades its storage first and answers 400 "Upgrading from
 * non-versioned to versioned data" until done, which under load lasts long enough for the next write
 * to hit it. Clients wait for it; so do the tests.
 */
export async function remountKvV2(addr: string, token: string, mount: string): Promise<void> {
  await vaultApi(addr, token, 'DELETE', `sys/mounts/${mount}`);
  const mounted = await vaultApi(addr, token, 'POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '2' } });
  if (mounted.status !== 204) throw new Error(`POST sys/mounts/${mount}: ${mounted.status} ${JSON.stringify(mounted.body?.errors)}`);
  for (let attempt = 1; ; attempt++) {
    const { status, body } = await vaultApi(addr, token, 'GET', `${mount}/config`);
    if (status === 200) return;
    const upgrading = JSON.stringify(body?.errors ?? []).includes('Upgrading from non-versioned to versioned data');
    if (!upgrading || attempt === 100) throw new Error(`GET ${mount}/config: ${status} ${JSON.stringify(body?.errors)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Vault HTTP API call to a server started here, trusting exactly its CA; returns status and parsed JSON body. */
export async function vaultApi(
  addr: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const ca = trusted.get(new URL(addr).origin);
  if (ca === undefined) throw new Error(`no server started here at ${addr}`);
  const response = await fetchTrusting(ca)(`${addr}/v1/${path}`, {
    method,
    // KV v2's PATCH takes only a JSON merge patch.
    headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
