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
    expect(h.stdout()).toBe(`Vault ${ADDR}, mount homelab/: no drift. 2 declared paths hold every declared key, and nothing undeclared is there.\n`);
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
      'Create a missing path with `homelab-secrets new <path>`; add a missing key with `homelab-secrets rotate <path> <key>`;',
      'declare what is undeclared in the catalog, or delete it from Vault.',
      '',
    ].join('\n'));
    expect(everythingSeen(h)).not.toContain(SENTINEL);
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
    [{ VAULT_ADDR: ADDR }, 'homelab-secrets: VAULT_TOKEN is not set: export a token with read on <mount>/data/* and list on <mount>/metadata/* (e.g. after `vault login`: VAULT_TOKEN=$(vault print token))\n'],
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
