import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretCatalog } from '../../lib/catalog';
import { EXIT } from '../../lib/cli';
import { SENTINEL, everythingSeen, harness } from './support/cli-harness';

const ADDR = 'http://127.0.0.1:8200';
const ENV = { VAULT_ADDR: ADDR, VAULT_TOKEN: 'test-token' };

/** A KV v2 mount `homelab` held in memory and served the way Vault's HTTP API serves it. */
function fakeVault(secrets: Record<string, Record<string, string>>, requests: string[] = []): typeof fetch {
  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    if ((init?.headers as Record<string, string>)['X-Vault-Token'] !== 'test-token') return json(403, { errors: ['permission denied'] });
    const data = url.pathname.match(/^\/v1\/homelab\/data\/(.+)$/);
    if (method === 'GET' && data) {
      const secret = secrets[decodeURIComponent(data[1])];
      return secret ? json(200, { data: { data: { ...secret }, metadata: { version: 1 } } }) : json(404, { errors: [] });
    }
    const list = url.pathname.match(/^\/v1\/homelab\/metadata\/(.*)$/);
    if (method === 'LIST' && list) {
      const prefix = decodeURIComponent(list[1]);
      const keys = [...new Set(Object.keys(secrets).filter((p) => p.startsWith(prefix)).map((p) => {
        const rest = p.slice(prefix.length);
        return rest.includes('/') ? rest.slice(0, rest.indexOf('/') + 1) : rest;
      }))].sort();
      return keys.length > 0 ? json(200, { data: { keys } }) : json(404, { errors: [] });
    }
    return json(404, { errors: [`no handler for route "${url.pathname.slice(4)}". route entry not found.`] });
  }) as typeof fetch;
}

const CLEAN = {
  'apps/vpn': { USER: SENTINEL, PASSWORD: SENTINEL },
  'apps/chat': { GATEWAY_TOKEN: SENTINEL, HOOKS_TOKEN: SENTINEL, API_KEY: SENTINEL },
};

describe('check', () => {
  test('a mount that matches the catalog exits 0', async () => {
    // GIVEN
    const requests: string[] = [];
    const h = harness({ env: ENV, fetch: fakeVault(CLEAN, requests) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(`Vault ${ADDR}, mount homelab/: no drift. 2 declared paths hold every declared key, and nothing undeclared is there: all 3 rows complete.\n`);
    expect(requests).toStrictEqual([
      'LIST /v1/homelab/metadata/',
      'LIST /v1/homelab/metadata/apps/',
      'GET /v1/homelab/data/apps/vpn',
      'GET /v1/homelab/data/apps/chat',
    ]);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('every kind of drift is reported by name, and exits 1', async () => {
    // GIVEN
    const h = harness({
      env: ENV,
      fetch: fakeVault({
        'apps/chat': { GATEWAY_TOKEN: SENTINEL, API_KEY: SENTINEL, OLD_TOKEN: SENTINEL },
        'apps/old/thing': { X: SENTINEL },
        'infrastructure/extra': { Y: SENTINEL },
      }),
    });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout()).toBe([
      `Vault ${ADDR}, mount homelab/: drift`,
      '  declared paths missing from Vault:',
      '    apps/vpn (USER, PASSWORD)',
      '  declared keys missing from a path:',
      '    apps/chat: HOOKS_TOKEN',
      '  keys in Vault that are not declared:',
      '    apps/chat: OLD_TOKEN',
      '  paths under homelab/ that are not in the catalog:',
      '    apps/old/thing',
      '    infrastructure/extra',
      '  rows missing declared keys (0 of 3 rows complete):',
      '    apps/vpn → vpn-credentials in arr: USER, PASSWORD',
      '    apps/chat → chat-secrets in chat: HOOKS_TOKEN',
      '    apps/chat → hooks-token in monitoring: HOOKS_TOKEN',
      'Fill missing keys with `homelab-secrets seed` (it generates what it can and asks for the rest), or create a path with',
      '`homelab-secrets new <path>` and change a key with `homelab-secrets rotate <path> <key>`;',
      'declare what is undeclared in the catalog, or delete it from Vault.',
      '',
    ].join('\n'));
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('names from Vault are shown as text: a path or key with a line break or an escape cannot forge a line or drive the terminal', async () => {
    // GIVEN paths and a key in Vault that no catalog declares (Vault takes any character in a name)
    const h = harness({
      env: ENV,
      fetch: fakeVault({ ...CLEAN, 'apps/x\nok: no drift': { K: SENTINEL }, 'apps/chat': { ...CLEAN['apps/chat'], 'K\u001b[2J': SENTINEL } }),
    });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout().split('\n').filter((line) => line.startsWith('    apps/'))).toStrictEqual([
      '    apps/chat: K\\x1b[2J',
      '    apps/x\\nok: no drift',
    ]);
  });

  test('--json gives the same findings, machine-readable', async () => {
    // GIVEN
    const h = harness({
      env: ENV,
      fetch: fakeVault({ 'apps/chat': { GATEWAY_TOKEN: SENTINEL, API_KEY: SENTINEL, OLD_TOKEN: SENTINEL }, 'apps/old': { X: SENTINEL } }),
    });

    // WHEN
    const code = await h.cli('check', '--json');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(JSON.parse(h.stdout())).toStrictEqual({
      vault: ADDR,
      mount: 'homelab',
      clean: false,
      missingPaths: ['apps/vpn'],
      missingKeys: [{ path: 'apps/chat', keys: ['HOOKS_TOKEN'] }],
      undeclaredKeys: [{ path: 'apps/chat', keys: ['OLD_TOKEN'] }],
      undeclaredPaths: ['apps/old'],
      rows: [
        { row: 'apps/vpn → vpn-credentials in arr', paths: ['apps/vpn'], complete: false, missingKeys: [{ path: 'apps/vpn', keys: ['USER', 'PASSWORD'] }] },
        { row: 'apps/chat → chat-secrets in chat', paths: ['apps/chat'], complete: false, missingKeys: [{ path: 'apps/chat', keys: ['HOOKS_TOKEN'] }] },
        { row: 'apps/chat → hooks-token in monitoring', paths: ['apps/chat'], complete: false, missingKeys: [{ path: 'apps/chat', keys: ['HOOKS_TOKEN'] }] },
      ],
    });
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('access denied exits 2 and names the endpoint and the capabilities needed', async () => {
    // GIVEN
    const h = harness({ env: { VAULT_ADDR: ADDR, VAULT_TOKEN: 'wrong' }, fetch: fakeVault(CLEAN) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} denied LIST /v1/homelab/metadata/ (403 permission denied): the token needs "read" on homelab/data/* and "list" on homelab/metadata/*\n`);
  });

  test('an unreachable Vault exits 2; with --json the failure is JSON on stdout', async () => {
    // GIVEN
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8200') });
    }) as typeof fetch;
    const h = harness({ env: ENV, fetch: refused });

    // WHEN
    const code = await h.cli('check', '--json');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(JSON.parse(h.stdout())).toStrictEqual({
      vault: ADDR,
      mount: 'homelab',
      error: { kind: 'unreachable', message: `Vault at ${ADDR} is unreachable: connect ECONNREFUSED 127.0.0.1:8200` },
    });
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} is unreachable: connect ECONNREFUSED 127.0.0.1:8200\n`);
  });

  test('a Vault without the mount exits 2', async () => {
    // GIVEN
    const noMount = (async () => new Response(JSON.stringify({ errors: ['no handler for route "homelab/metadata". route entry not found.'] }), { status: 404 })) as typeof fetch;
    const h = harness({ env: ENV, fetch: noMount });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} has no secrets engine at "homelab/" (LIST /v1/homelab/metadata/: no handler for route "homelab/metadata". route entry not found.)\n`);
  });

  test('a sealed Vault (503) exits 2 with Vault\'s error', async () => {
    // GIVEN
    const sealed = (async () => new Response(JSON.stringify({ errors: ['Vault is sealed'] }), { status: 503 })) as typeof fetch;
    const h = harness({ env: ENV, fetch: sealed });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} answered LIST /v1/homelab/metadata/ with 503: Vault is sealed\n`);
  });

  test.each([
    [{ VAULT_TOKEN: 't' }, 'homelab-secrets: VAULT_ADDR is not set: export the address of Vault, e.g. VAULT_ADDR=https://127.0.0.1:8200\n'],
    [{ VAULT_ADDR: 'vault:8200', VAULT_TOKEN: 't' }, 'homelab-secrets: VAULT_ADDR "vault:8200" must be an http:// or https:// URL\n'],
    [{ VAULT_ADDR: ADDR }, 'homelab-secrets: no Vault token: VAULT_TOKEN is not set and ~/.vault-token does not exist; log in with `vault login` (it writes that file) or export VAULT_TOKEN, a token with "read" on homelab/data/* and "list" on homelab/metadata/*\n'],
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 'a b' }, 'homelab-secrets: the token in VAULT_TOKEN holds characters no Vault token has (spaces or control characters)\n'],
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 't', VAULT_SKIP_VERIFY: 'true' }, 'homelab-secrets: VAULT_SKIP_VERIFY is set: homelab-secrets always verifies Vault\'s certificate; set VAULT_CACERT to the file of its CA certificate instead\n'],
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 't', BAO_CAPATH: '/etc/ssl/certs' }, 'homelab-secrets: BAO_CAPATH (a folder of CA certificates) is not supported: set VAULT_CACERT to the file of Vault\'s CA certificate\n'],
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 't', VAULT_CACERT: '/nonexistent/ca.crt' }, 'homelab-secrets: VAULT_CACERT "/nonexistent/ca.crt" cannot be read: no such file or folder (ENOENT)\n'],
    // Found by the sweep: a file name with a terminal escape reached the message raw (through Node's own message), and credentials in the address were printed in every message naming it.
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 't', VAULT_CACERT: '/nonexistent/\u001b[2J.crt' }, 'homelab-secrets: VAULT_CACERT "/nonexistent/\\u001b[2J.crt" cannot be read: no such file or folder (ENOENT)\n'],
    [{ VAULT_ADDR: 'https://admin:hunter2@vault.lan:8200', VAULT_TOKEN: 't' }, 'homelab-secrets: VAULT_ADDR holds a user name or password (https://…@vault.lan:8200): Vault takes a token, not these; remove them from the address\n'],
    [{ VAULT_ADDR: 'https://vault\u202e.lan', VAULT_TOKEN: 't' }, 'homelab-secrets: VAULT_ADDR "https://vault\\u202e.lan" must be an http:// or https:// URL\n'],
    // Found by the sweep: a device is endless to read (and 0 bytes to stat): read up to a cap, and refused past it.
    [{ VAULT_ADDR: ADDR, VAULT_TOKEN: 't', VAULT_CACERT: '/dev/zero' }, 'homelab-secrets: VAULT_CACERT "/dev/zero" holds more than 1 MiB: give the file of Vault\'s CA certificate, a few KiB\n'],
    [{ BAO_ADDR: 'vault:8200', VAULT_TOKEN: 't' }, 'homelab-secrets: BAO_ADDR "vault:8200" must be an http:// or https:// URL\n'],
  ])('without usable settings (%j) it exits 2 before any request', async (env, message) => {
    // GIVEN
    const requests: string[] = [];
    const h = harness({ env, fetch: fakeVault(CLEAN, requests) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(message);
    expect(requests).toStrictEqual([]);
  });
});

describe('check: where the connection comes from', () => {
  /** A fake Vault that records the token and namespace of every request. */
  function recordingVault(seen: string[]): typeof fetch {
    const inner = fakeVault(CLEAN);
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const headers = init?.headers as Record<string, string>;
      seen.push(`${new URL(String(input)).origin} ${headers['X-Vault-Token']} ${headers['X-Vault-Namespace'] ?? '-'}`);
      return inner(input, { ...init, headers: { ...headers, 'X-Vault-Token': 'test-token' } });
    }) as typeof fetch;
  }

  test('the token `vault login` left in ~/.vault-token, when VAULT_TOKEN is not set', async () => {
    // GIVEN
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    writeFileSync(join(home, '.vault-token'), 'from-helper\n');
    const seen: string[] = [];
    const h = harness({ env: { VAULT_ADDR: ADDR, HOME: home }, fetch: recordingVault(seen) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect([...new Set(seen)]).toStrictEqual([`${ADDR} from-helper -`]);
  });

  test('VAULT_* first, then the BAO_* twins OpenBao\'s CLI reads', async () => {
    // GIVEN
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    writeFileSync(join(home, '.vault-token'), 'from-helper\n');
    const seen: string[] = [];
    const bao = harness({ env: { BAO_ADDR: 'http://bao:8200', BAO_TOKEN: 'bao-token', BAO_NAMESPACE: 'team', HOME: home }, fetch: recordingVault(seen) });
    const both = harness({ env: { VAULT_ADDR: ADDR, BAO_ADDR: 'http://bao:8200', VAULT_TOKEN: 'vault-token', BAO_TOKEN: 'bao-token' }, fetch: recordingVault(seen) });

    // WHEN
    await bao.cli('check');
    await both.cli('check');

    // THEN
    expect([...new Set(seen)]).toStrictEqual(['http://bao:8200 bao-token team', `${ADDR} vault-token -`]);
  });

  test('a CA file that holds no certificate is refused before any request', async () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    writeFileSync(join(dir, 'ca.crt'), 'not a certificate\n');
    const requests: string[] = [];
    const h = harness({ env: { ...ENV, VAULT_CACERT: join(dir, 'ca.crt') }, fetch: fakeVault(CLEAN, requests) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: VAULT_CACERT "${join(dir, 'ca.crt')}" holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): give the CA certificate of Vault's TLS certificate\n`);
    expect(requests).toStrictEqual([]);
  });
});

describe('check: each row\'s missing keys', () => {
  /** A Secret fed by two paths, one fed whole (extract), and a path only operators read. */
  function rowsCatalog(): SecretCatalog {
    const catalog = new SecretCatalog({ mount: 'homelab' });
    const db = catalog.path('apps/db', ['user', 'password']);
    const api = catalog.path('apps/api', ['token']);
    catalog.addTarget({ name: 'env', namespace: 'apps', sources: [db.select({ keys: ['password'] }), api.select()] });
    catalog.addTarget({ name: 'db-all', namespace: 'apps', sources: [db.extractAll()] });
    catalog.path('infra/backup-key', ['key'], { readBy: 'operators' });
    return catalog;
  }

  test('names the keys each row lacks, per path where a row reads several', async () => {
    // GIVEN
    const h = harness({ catalog: rowsCatalog(), env: ENV, fetch: fakeVault({ 'apps/db': { user: SENTINEL }, 'infra/backup-key': { key: SENTINEL } }) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout().split('\n').slice(5, 9)).toStrictEqual([
      '  rows missing declared keys (1 of 3 rows complete):',
      '    apps/db + apps/api → env in apps: apps/db: password; apps/api: token',
      '    apps/db → db-all in apps: password',
      'Fill missing keys with `homelab-secrets seed` (it generates what it can and asks for the rest), or create a path with',
    ]);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('drift that leaves every row whole says so', async () => {
    // GIVEN
    const h = harness({ env: ENV, fetch: fakeVault({ ...CLEAN, 'apps/old': { X: SENTINEL } }) });

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout().split('\n').slice(0, 4)).toStrictEqual([
      `Vault ${ADDR}, mount homelab/: drift`,
      '  paths under homelab/ that are not in the catalog:',
      '    apps/old',
      '  every row is complete (3 rows)',
    ]);
  });
});

describe('check: the Vault transport over node:http', () => {
  /**
   * A plain-HTTP server on loopback that records each request's first line and token, and answers with
   * `answer` (raw bytes: node:http's server refuses Vault's LIST method).
   */
  async function server(answer: (socket: import('node:net').Socket) => void, seen: string[]): Promise<{ url: string; close(): Promise<void> }> {
    const net = await import('node:net');
    const srv = net.createServer((socket) => {
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        const token = /\r\nx-vault-token: ([^\r]*)/i.exec(head)?.[1];
        seen.push(`${head.split('\r\n')[0]} ${token}`);
        answer(socket);
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
    const { port } = srv.address() as import('node:net').AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
  }

  test('a redirect is not followed: the token goes to VAULT_ADDR only, and check says where it was sent', async () => {
    // GIVEN Vault redirecting to another address that records what reaches it
    const seenOther: string[] = [];
    const other = await server((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'), seenOther);
    const seen: string[] = [];
    const vault = await server((socket) => socket.end(`HTTP/1.1 307 Temporary Redirect\r\nLocation: ${other.url}/v1/homelab/metadata/\r\nContent-Length: 0\r\n\r\n`), seen);
    const h = harness({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: 'test-token' } });

    // WHEN
    const code = await h.cli('check');
    await Promise.all([vault.close(), other.close()]);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${vault.url} answered LIST /v1/homelab/metadata/ with 307: redirected to ${other.url}/v1/homelab/metadata/\n`);
    expect(seen).toStrictEqual(['LIST /v1/homelab/metadata/ HTTP/1.1 test-token']);
    expect(seenOther).toStrictEqual([]);
  });

  test('an answer larger than any KV answer is cut off: Vault counts as unreachable', async () => {
    // GIVEN
    const seen: string[] = [];
    const vault = await server((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${33 * 1024 * 1024}\r\n\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 33; i++) socket.write(chunk);
      socket.end();
    }, seen);
    const h = harness({ env: { VAULT_ADDR: vault.url, VAULT_TOKEN: 'test-token' } });

    // WHEN
    const code = await h.cli('check');
    await vault.close();

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${vault.url} is unreachable: the answer is larger than 32 MiB\n`);
  });
});

// Found by the sweep, against a fake Vault over HTTP: Vault's error text with a terminal escape and a
// bidi override reached the terminal raw, and a Vault whose every folder lists a folder kept check
// listing forever. What Vault answers is input like any other.
describe('check: a Vault that answers with hostile text or without end', () => {
  const answering = (answer: (url: URL, method: string) => Response): typeof fetch =>
    (async (input: string | URL | Request, init?: RequestInit) => answer(new URL(String(input)), init?.method ?? 'GET')) as typeof fetch;

  test('its errors are shown escaped, on one line', async () => {
    const h = harness({ env: ENV, fetch: answering(() => new Response(JSON.stringify({ errors: ['1 error occurred:\n\t* boom \u001b[31mred\u202e\n\n'] }), { status: 500 })) });
    expect(await h.cli('check')).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} answered LIST /v1/homelab/metadata/ with 500: boom \\x1b[31mred\\u202e\n`);
  });

  test('folders nested deeper than 64 levels are refused, not listed forever', async () => {
    const requests: string[] = [];
    const h = harness({ env: ENV, fetch: answering((url, method) => {
      requests.push(`${method} ${url.pathname}`);
      return new Response(JSON.stringify({ data: { keys: ['a/'] } }), { status: 200 });
    }) });
    expect(await h.cli('check')).toBe(EXIT.usage);
    expect(requests).toHaveLength(65);
    expect(h.stderr()).toMatch(new RegExp(`^homelab-secrets: Vault at ${ADDR.replace(/\./g, '\\.')} lists folders more than 64 levels deep \\(LIST /v1/homelab/metadata/(a/){20}[a/]*…\\): no KV mount of a homelab nests so; check VAULT_ADDR\n$`));
  });
});
