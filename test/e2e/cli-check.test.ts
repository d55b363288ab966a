// `homelab-secrets check` against a real OpenBao dev server (`npm run engines` first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homelabCatalog } from '../../apps/homelab';
import { EXIT } from '../../lib/cli';
import { SENTINEL, everythingSeen, harness } from '../cli/support/cli-harness';
import { BaoDevServer, freePort, remountKvV2, startBaoDevServer, vaultApi } from './support/bao-dev-server';

const MOUNT = 'homelab';
const ROOT = join(__dirname, '..', '..');

describe('check against OpenBao', () => {
  let bao: BaoDevServer;
  const api = (method: string, path: string, body?: unknown) => vaultApi(bao.addr, bao.rootToken, method, path, body);

  beforeAll(async () => {
    bao = await startBaoDevServer();
  });
  afterAll(async () => {
    await bao?.stop();
  });

  /** A fresh KV v2 mount holding every declared path with every declared key, the values all sentinels. */
  beforeEach(async () => {
    await remountKvV2(bao.addr, bao.rootToken, MOUNT);
    for (const path of homelabCatalog().paths) {
      const data = Object.fromEntries(path.keys.map((key) => [key, `${SENTINEL}-${key}`]));
      expect((await api('POST', `${MOUNT}/data/${path.path}`, { data })).status).toBe(200);
    }
  });

  /** The CLI over its own Vault transport, trusting exactly the server's CA through VAULT_CACERT, as operators run it. */
  function checkHarness(token = bao.rootToken, addr = bao.addr, extraEnv: Record<string, string | undefined> = { VAULT_CACERT: bao.caFile }) {
    return harness({ catalog: homelabCatalog(), env: { VAULT_ADDR: addr, VAULT_TOKEN: token, ...extraEnv } });
  }

  test('a mount that holds exactly the catalog exits 0', async () => {
    // GIVEN
    const h = checkHarness();

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe(`Vault ${bao.addr}, mount homelab/: no drift. 14 declared paths hold every declared key, and nothing undeclared is there: all 15 rows complete.\n`);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('finds missing, soft-deleted and undeclared paths and keys; exits 1; prints key names only', async () => {
    // GIVEN
    await api('DELETE', `${MOUNT}/metadata/infrastructure/velero`);
    await api('DELETE', `${MOUNT}/data/infrastructure/grafana`);
    await api('POST', `${MOUNT}/data/apps/vpn`, { data: { OPENVPN_USER: SENTINEL } });
    const openclaw = (await api('GET', `${MOUNT}/data/apps/openclaw`)).body.data.data;
    await api('POST', `${MOUNT}/data/apps/openclaw`, { data: { ...openclaw, LEGACY_TOKEN: SENTINEL } });
    await api('POST', `${MOUNT}/data/apps/retired/sonarr`, { data: { API_KEY: SENTINEL } });
    const h = checkHarness();
    const json = checkHarness();

    // WHEN
    const code = await h.cli('check');
    const jsonCode = await json.cli('check', '--json');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(jsonCode).toBe(EXIT.failed);
    expect(JSON.parse(json.stdout())).toStrictEqual({
      vault: bao.addr,
      mount: 'homelab',
      clean: false,
      missingPaths: ['infrastructure/velero', 'infrastructure/grafana'],
      missingKeys: [{ path: 'apps/vpn', keys: ['OPENVPN_PASSWORD'] }],
      undeclaredKeys: [{ path: 'apps/openclaw', keys: ['LEGACY_TOKEN'] }],
      undeclaredPaths: ['apps/retired/sonarr'],
      rows: expect.any(Array),
    });
    expect(JSON.parse(json.stdout()).rows.filter((r: { complete: boolean }) => !r.complete)).toStrictEqual([
      { row: 'infrastructure/velero → velero-cloud-credentials in backups', paths: ['infrastructure/velero'], complete: false, missingKeys: [{ path: 'infrastructure/velero', keys: ['cloud'] }] },
      { row: 'infrastructure/grafana → grafana-admin in monitoring', paths: ['infrastructure/grafana'], complete: false, missingKeys: [{ path: 'infrastructure/grafana', keys: ['admin-user', 'admin-password'] }] },
      { row: 'apps/vpn → vpn-credentials in arr', paths: ['apps/vpn'], complete: false, missingKeys: [{ path: 'apps/vpn', keys: ['OPENVPN_PASSWORD'] }] },
    ]);
    expect(h.stdout()).toBe([
      `Vault ${bao.addr}, mount homelab/: drift`,
      '  declared paths missing from Vault:',
      '    infrastructure/velero (cloud)',
      '    infrastructure/grafana (admin-user, admin-password)',
      '  declared keys missing from a path:',
      '    apps/vpn: OPENVPN_PASSWORD',
      '  keys in Vault that are not declared:',
      '    apps/openclaw: LEGACY_TOKEN',
      '  paths under homelab/ that are not in the catalog:',
      '    apps/retired/sonarr',
      '  rows missing declared keys (12 of 15 rows complete):',
      '    infrastructure/velero → velero-cloud-credentials in backups: cloud',
      '    infrastructure/grafana → grafana-admin in monitoring: admin-user, admin-password',
      '    apps/vpn → vpn-credentials in arr: OPENVPN_PASSWORD',
      'Fill missing keys with `homelab-secrets seed` (it generates what it can and asks for the rest), or create a path with',
      '`homelab-secrets new <path>` and change a key with `homelab-secrets rotate <path> <key>`;',
      'declare what is undeclared in the catalog, or delete it from Vault.',
      '',
    ].join('\n'));
    expect(everythingSeen(h) + everythingSeen(json)).not.toContain(SENTINEL);
  });

  test('a token that may read but not list is denied: exit 2', async () => {
    // GIVEN
    await api('PUT', 'sys/policies/acl/read-only', { policy: `path "${MOUNT}/data/*" { capabilities = ["read"] }` });
    const token = (await api('POST', 'auth/token/create', { policies: ['read-only'], ttl: '10m' })).body.auth.client_token as string;
    const h = checkHarness(token);

    // WHEN
    const code = await h.cli('check', '--json');

    // THEN
    expect(code).toBe(EXIT.usage);
    const message = `Vault at ${bao.addr} denied LIST /v1/homelab/metadata/ (403 permission denied): the token needs "read" on homelab/data/* and "list" on homelab/metadata/*`;
    expect(JSON.parse(h.stdout())).toStrictEqual({ vault: bao.addr, mount: 'homelab', error: { kind: 'denied', message } });
    expect(h.stderr()).toBe(`homelab-secrets: ${message}\n`);
    expect(h.stderr()).not.toContain(token);
  });

  test('a wrong token is denied: exit 2', async () => {
    // GIVEN
    const h = checkHarness('not-a-token');

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toMatch(/^homelab-secrets: Vault at https:\/\/127\.0\.0\.1:\d+ denied LIST \/v1\/homelab\/metadata\/ \(403 /);
    expect(h.stderr()).not.toContain('not-a-token');
  });

  test('an unreachable Vault: exit 2', async () => {
    // GIVEN
    const addr = `https://127.0.0.1:${await freePort()}`;
    const h = checkHarness(bao.rootToken, addr);

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${addr} is unreachable: connect ECONNREFUSED ${addr.slice('https://'.length)}\n`);
  });

  test('a Vault whose certificate the client does not trust is unreachable: exit 2, and no request was answered', async () => {
    // GIVEN no VAULT_CACERT: the system roots only
    const h = checkHarness(bao.rootToken, bao.addr, {});

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${bao.addr} is unreachable: unable to verify the first certificate\n`);
  });

  test('a Vault without the mount: exit 2', async () => {
    // GIVEN
    await api('DELETE', `sys/mounts/${MOUNT}`);
    const h = checkHarness();

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toMatch(/^homelab-secrets: Vault at https:\/\/127\.0\.0\.1:\d+ has no secrets engine at "homelab\/" \(LIST \/v1\/homelab\/metadata\/: no handler for route/);
  });

  test('VAULT_CACERT is the one CA trusted: the server\'s CA in NODE_EXTRA_CA_CERTS does not help when VAULT_CACERT names another', () => {
    // GIVEN the package's bin in a process of its own (NODE_EXTRA_CA_CERTS is read when Node starts), and a CA that did not sign the server
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-other-ca-'));
    spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'ca.crt'), '-days', '1', '-subj', '/CN=other'], { stdio: 'ignore' });
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), 'check'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, HOMELAB_SECRETS_DECLARATION: join(ROOT, 'apps/homelab.ts'), VAULT_ADDR: bao.addr, VAULT_TOKEN: bao.rootToken, NODE_EXTRA_CA_CERTS: bao.caFile, ...env },
    });

    // WHEN
    const other = run({ VAULT_CACERT: join(dir, 'ca.crt') });
    const system = run({});

    // THEN with VAULT_CACERT naming another CA it is refused; without it, the system roots plus NODE_EXTRA_CA_CERTS reach the server
    expect([other.status, other.stderr]).toStrictEqual([EXIT.usage, `homelab-secrets: Vault at ${bao.addr} is unreachable: unable to verify the first certificate\n`]);
    expect([system.status, system.stderr]).toStrictEqual([EXIT.ok, '']);
    rmSync(dir, { recursive: true, force: true });
  });
});
