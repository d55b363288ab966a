// A Vault that answers what a case wants, on a free loopback port, for the commands that talk to Vault
// themselves (check, seed --dry-run): its answers are input too, and hostile ones must be refused in one
// line, shown escaped, and never make the CLI print a value it read. A small HTTP/1.1 server of its
// own over node:net: node:http refuses Vault's LIST method (400) before any handler sees it.
import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A request as the handler sees it. */
export interface VaultRequest {
  readonly method: string;
  /** The path and query, decoded. */
  readonly url: string;
}

/** Where the handler answers: a status, headers and a body, or nothing at all (a Vault that hangs). */
export interface VaultResponse {
  writeHead(status: number, headers?: Readonly<Record<string, string>>): void;
  end(body?: string): void;
}

export type VaultHandler = (request: VaultRequest, response: VaultResponse) => void;

/** A JSON answer. */
export function json(response: VaultResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * The answers of a healthy KV v2 mount `kv` that holds `paths` (path → keys → value), for every
 * request `override` leaves unanswered (it returns false).
 */
export function kvMount(paths: Readonly<Record<string, Readonly<Record<string, string>>>>, override: (request: VaultRequest, response: VaultResponse) => boolean = () => false): VaultHandler {
  return (request, response) => {
    if (override(request, response)) return;
    const { url } = request;
    if (url === '/v1/sys/internal/ui/mounts/kv') return json(response, 200, { data: { type: 'kv', options: { version: '2' } } });
    if (request.method === 'LIST' && url.startsWith('/v1/kv/metadata/')) {
      const prefix = url.slice('/v1/kv/metadata/'.length);
      const below = Object.keys(paths).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
      const keys = [...new Set(below.map((rest) => (rest.includes('/') ? `${rest.split('/')[0]}/` : rest)))];
      return keys.length === 0 ? json(response, 404, { errors: [] }) : json(response, 200, { data: { keys } });
    }
    if (request.method === 'GET' && url.startsWith('/v1/kv/data/')) {
      const data = paths[url.slice('/v1/kv/data/'.length)];
      return data === undefined ? json(response, 404, { errors: [] }) : json(response, 200, { data: { data, metadata: { version: 1 } } });
    }
    json(response, 404, { errors: [`no handler for route "${url}"`] });
  };
}

const REASONS: Readonly<Record<number, string>> = { 200: 'OK', 307: 'Temporary Redirect', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

/** Serves one request on `socket`: reads its head and body, then lets `handler` answer (and close). */
function serve(socket: Socket, handler: VaultHandler, seen: VaultRequest[]): void {
  let buffered = Buffer.alloc(0);
  let handled = false;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    if (handled) return;
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffered.subarray(0, end).toString('latin1').split('\r\n');
    const length = Number(/^content-length:\s*(\d+)/im.exec(head.join('\n'))?.[1] ?? 0);
    if (buffered.length < end + 4 + length) return;
    handled = true;
    const [method, target] = head[0].split(' ');
    const request = { method, url: decodeURIComponent(target) };
    seen.push(request);
    let status = 200;
    let headers: Readonly<Record<string, string>> = {};
    const response: VaultResponse = {
      writeHead: (s, h = {}) => {
        status = s;
        headers = h;
      },
      end: (body = '') => {
        const bytes = Buffer.from(body);
        const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${bytes.length}`, 'Connection: close', '', ''];
        socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), bytes]));
      },
    };
    try {
      handler(request, response);
    } catch {
      socket.destroy();
    }
  });
}

/** Starts `handler` on 127.0.0.1; returns its address, the requests it saw, and a function that stops it. */
export async function startVault(handler: VaultHandler): Promise<{ addr: string; seen: VaultRequest[]; stop: () => Promise<void> }> {
  const seen: VaultRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, handler, seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `http://127.0.0.1:${port}`,
    seen,
    stop: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
