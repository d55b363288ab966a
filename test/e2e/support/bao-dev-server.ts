import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { engines } from './engines';

/** A `bao server -dev` on loopback, for one test file. */
export interface BaoDevServer {
  /** `http://127.0.0.1:<port>` */
  readonly addr: string;
  readonly rootToken: string;
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

/** Starts the dev server on a free loopback port and waits until /v1/sys/health answers 200. */
export async function startBaoDevServer(timeoutMs = 30_000): Promise<BaoDevServer> {
  const { baoBin } = engines();
  const port = await freePort();
  const addr = `http://127.0.0.1:${port}`;
  const rootToken = `root-${randomBytes(8).toString('hex')}`;
  const child: ChildProcess = spawn(baoBin, ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, `-dev-root-token-id=${rootToken}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BAO_ADDR: addr, VAULT_ADDR: addr },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bao server exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${addr}/v1/sys/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bao server on ${addr} not healthy after ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    addr,
    rootToken,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** A Vault HTTP API call; returns status and parsed JSON body (or undefined). */
export async function vaultApi(
  addr: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
