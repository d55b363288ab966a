// `homelab-secrets rotate` against a real OpenBao dev server (`npm run engines` first). The real
// `bao` does the patching, behind a wrapper named `vault` that records its argv; `kubectl` is the
// one stand-in, recording its argv too (no cluster runs here).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { homelabCatalog } from '../../apps/homelab';
import { EXIT, renderPutCommand, spawnRun } from '../../lib/cli';
import { DECLARATION_ENV } from '../../lib/cli/bin';
import { Harness, RecordingCommand, SENTINEL, everythingSeen, harness, recordingCommand } from '../cli/support/cli-harness';
import { BaoDevServer, remountKvV2, startBaoDevServer, vaultApi } from './support/bao-dev-server';
import { engines } from './support/engines';

const MOUNT = 'homelab';
const OLD = {
  OPENCLAW_GATEWAY_TOKEN: `${SENTINEL}-old-gateway`,
  OPENCLAW_HOOKS_TOKEN: `${SENTINEL}-old-hooks`,
  ANTHROPIC_API_KEY: `${SENTINEL}-old-anthropic`,
};
const ANNOTATE_OPENCLAW = ['annotate', 'externalsecret', '-n', 'openclaw', 'openclaw-secrets', 'force-sync=1700000000000', '--overwrite'];
const ANNOTATE_ALERTMANAGER = ['annotate', 'externalsecret', '-n', 'monitoring', 'alertmanager-openclaw-hooks-token', 'force-sync=1700000000000', '--overwrite'];

describe('rotate against OpenBao', () => {
  let bao: BaoDevServer;
  let kubectl: RecordingCommand;
  let vault: RecordingCommand;
  const api = (method: string, path: string, body?: unknown) => vaultApi(bao.addr, bao.rootToken, method, path, body);

  beforeAll(async () => {
    bao = await startBaoDevServer();
  });
  afterAll(async () => {
    await bao?.stop();
  });

  beforeEach(async () => {
    kubectl = recordingCommand('kubectl');
    vault = recordingCommand('vault', { dir: kubectl.dir, delegateTo: engines().baoBin });
    await remountKvV2(bao.addr, bao.rootToken, MOUNT);
    expect((await api('POST', `${MOUNT}/data/apps/openclaw`, { data: OLD })).status).toBe(200);
  });
  afterEach(() => rmSync(kubectl.dir, { recursive: true, force: true }));

  /** The CLI as an operator runs it: real child processes, `vault` and `kubectl` found on PATH. */
  function rotateHarness(stdin: string, extraEnv: Record<string, string> = {}): Harness {
    // VAULT_CACERT: the CLI passes it on as BAO_CACERT, so the real bao verifies the server's certificate.
    const env = { ...process.env, PATH: `${kubectl.dir}:${process.env.PATH}`, VAULT_ADDR: bao.addr, VAULT_TOKEN: bao.rootToken, VAULT_CACERT: bao.caFile, ...extraEnv };
    return harness({ catalog: homelabCatalog(), stdin, env, run: spawnRun(env), fetch: bao.fetch });
  }

  async function openclaw(): Promise<{ data: Record<string, string>; version: number }> {
    const response = await api('GET', `${MOUNT}/data/apps/openclaw`);
    return { data: response.body.data.data, version: response.body.data.metadata.version };
  }

  test('patches the named key only, keeps the others, and force-syncs both ExternalSecrets', async () => {
    // GIVEN
    const h = rotateHarness(`${SENTINEL}-new-hooks\n`);

    // WHEN
    const code = await h.cli('rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN');

    // THEN
    expect(h.stderr()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(await openclaw()).toStrictEqual({ data: { ...OLD, OPENCLAW_HOOKS_TOKEN: `${SENTINEL}-new-hooks` }, version: 2 });
    expect(vault.calls()).toStrictEqual([['kv', 'patch', '-mount=homelab', 'apps/openclaw', '-']]);
    expect(kubectl.calls()).toStrictEqual([ANNOTATE_OPENCLAW, ANNOTATE_ALERTMANAGER]);
    expect(h.stdout()).toBe([
      'patched homelab/apps/openclaw: OPENCLAW_HOOKS_TOKEN; its other keys are unchanged',
      'force-sync=1700000000000 on 2 ExternalSecrets fed by apps/openclaw:',
      '  openclaw/openclaw-secrets: annotated',
      '  monitoring/alertmanager-openclaw-hooks-token: annotated',
      '',
    ].join('\n'));
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('several keys, one value per stdin line, in one patch', async () => {
    // GIVEN
    const h = rotateHarness(`${SENTINEL}-new-gateway\n${SENTINEL}-new-anthropic\n`);

    // WHEN
    const code = await h.cli('rotate', 'apps/openclaw', 'OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(await openclaw()).toStrictEqual({
      data: { OPENCLAW_GATEWAY_TOKEN: `${SENTINEL}-new-gateway`, OPENCLAW_HOOKS_TOKEN: OLD.OPENCLAW_HOOKS_TOKEN, ANTHROPIC_API_KEY: `${SENTINEL}-new-anthropic` },
      version: 2,
    });
    expect(vault.calls()).toStrictEqual([['kv', 'patch', '-mount=homelab', 'apps/openclaw', '-']]);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('VAULT_BIN can name OpenBao\'s own CLI', async () => {
    // GIVEN
    const h = rotateHarness(`${SENTINEL}-new-hooks`, { VAULT_BIN: engines().baoBin });

    // WHEN
    const code = await h.cli('rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect((await openclaw()).data).toStrictEqual({ ...OLD, OPENCLAW_HOOKS_TOKEN: `${SENTINEL}-new-hooks` });
    expect(vault.calls()).toStrictEqual([]);
  });

  test('an undeclared key changes nothing in Vault and syncs nothing', async () => {
    // GIVEN
    const h = rotateHarness(`${SENTINEL}-new`);

    // WHEN
    const code = await h.cli('rotate', 'apps/openclaw', 'OPENAI_API_KEY');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: key "OPENAI_API_KEY" is not declared by path "apps/openclaw" (declared: OPENCLAW_GATEWAY_TOKEN, OPENCLAW_HOOKS_TOKEN, ANTHROPIC_API_KEY); nothing was changed\n');
    expect(await openclaw()).toStrictEqual({ data: OLD, version: 1 });
    expect(vault.calls()).toStrictEqual([]);
    expect(kubectl.calls()).toStrictEqual([]);
  });

  test('a path that is not in Vault yet fails in `vault kv patch`, exits 1 and syncs nothing', async () => {
    // GIVEN
    const h = rotateHarness(`${SENTINEL}-new`);

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'OPENVPN_PASSWORD');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stderr()).toContain('homelab-secrets: vault kv patch -mount=homelab apps/vpn - exited with 2: ');
    expect(h.stderr()).toContain('homelab-secrets: nothing was changed and nothing force-synced; create the path first: homelab-secrets new apps/vpn\n');
    expect((await api('GET', `${MOUNT}/data/apps/vpn`)).status).toBe(404);
    expect(kubectl.calls()).toStrictEqual([]);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  describe('values are bytes: what OpenBao holds is exactly what was given', () => {
    const ROOT = join(__dirname, '..', '..');

    /** The package's bin as an operator runs it (over apps/homelab.ts), `stdin` as raw bytes. */
    function bin(args: string[], stdin: Buffer): { status: number | null; stdout: string; stderr: string } {
      const env = { PATH: `${kubectl.dir}:${process.env.PATH}`, VAULT_ADDR: bao.addr, VAULT_TOKEN: bao.rootToken, VAULT_CACERT: bao.caFile, [DECLARATION_ENV]: join(ROOT, 'apps/homelab.ts') };
      return spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), ...args], { input: stdin, encoding: 'utf8', env });
    }

    test.each([
      ['one key: CR LF lines kept inside, the final CR LF dropped', Buffer.from(`${SENTINEL}\r\nline 2\r\n`), ['OPENCLAW_HOOKS_TOKEN'], { OPENCLAW_HOOKS_TOKEN: `${SENTINEL}\r\nline 2` }],
      ['one key: a value that ends with a newline, given with one more', Buffer.from(`${SENTINEL}\n\n`), ['OPENCLAW_HOOKS_TOKEN'], { OPENCLAW_HOOKS_TOKEN: `${SENTINEL}\n` }],
      ['several keys: CR LF lines, a NUL, a U+FEFF and four-byte characters kept', Buffer.from(`${SENTINEL}\u0000a\r\n ${SENTINEL}\ufeff😀 \r\n`), ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY'],
        { OPENCLAW_GATEWAY_TOKEN: `${SENTINEL}\u0000a`, ANTHROPIC_API_KEY: ` ${SENTINEL}\ufeff😀 ` }],
    ])('%s', async (_case, stdin, keys, patched) => {
      // WHEN
      const result = bin(['rotate', 'apps/openclaw', ...keys], stdin);

      // THEN the JSON vault read on its stdin, and what OpenBao returns, are exactly the values
      expect([result.status, result.stderr]).toStrictEqual([EXIT.ok, '']);
      expect(vault.stdins().map((b) => JSON.parse(b.toString('utf8')))).toStrictEqual([patched]);
      expect(await openclaw()).toStrictEqual({ data: { ...OLD, ...patched }, version: 2 });
      expect(result.stdout + result.stderr).not.toContain(SENTINEL);
    });

    test('bytes that are not UTF-8 are refused before vault runs, and OpenBao keeps the old values', async () => {
      // WHEN
      const result = bin(['rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN'], Buffer.concat([Buffer.from(`${SENTINEL}-caf`), Buffer.from([0xe9]), Buffer.from('\n')]));

      // THEN
      expect(result.status).toBe(EXIT.usage);
      expect(result.stderr).toBe(`homelab-secrets: the value of OPENCLAW_HOOKS_TOKEN (all of stdin) is not UTF-8 text (byte 0xe9 at offset ${SENTINEL.length + 4} of the value): Vault keeps values as JSON strings, which cannot hold these bytes as they are; encode binary data first (e.g. base64); nothing was changed\n`);
      expect(vault.calls()).toStrictEqual([]);
      expect(await openclaw()).toStrictEqual({ data: OLD, version: 1 });
    });

    test('the line `new` prints stores typed values exactly, and a value that is not UTF-8 not at all', async () => {
      // GIVEN the printed line, run by bash with the real jq and the real OpenBao CLI as vault
      const catalog = homelabCatalog();
      const line = renderPutCommand(catalog, catalog.paths.find((p) => p.path === 'apps/vpn')!);
      const env = { PATH: `${kubectl.dir}:${process.env.PATH}`, BAO_ADDR: bao.addr, BAO_TOKEN: bao.rootToken, BAO_CACERT: bao.caFile };
      const paste = (stdin: Buffer) => spawnSync('/bin/bash', ['-c', line], { input: stdin, encoding: 'utf8', env });
      const typed = { OPENVPN_USER: ` ${SENTINEL} \\n 'q' "d" $x\t`, OPENVPN_PASSWORD: `${SENTINEL}-é€😀\r` };

      // WHEN
      const stored = paste(Buffer.from(`${typed.OPENVPN_USER}\n${typed.OPENVPN_PASSWORD}\n`));

      // THEN
      expect(stored.status).toBe(0);
      expect((await api('GET', `${MOUNT}/data/apps/vpn`)).body.data.data).toStrictEqual(typed);

      // WHEN a Latin-1 terminal sends "café" for another path
      const refused = spawnSync('/bin/bash', ['-c', line.replace(' apps/vpn -', ' apps/vpn-latin1 -')], {
        input: Buffer.concat([Buffer.from(`${SENTINEL}\ncaf`), Buffer.from([0xe9]), Buffer.from('\n')]), encoding: 'utf8', env,
      });

      // THEN jq names the reason, vault fails on no JSON, and nothing is written
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('a value is not UTF-8 text; nothing was sent to vault');
      expect((await api('GET', `${MOUNT}/data/apps/vpn-latin1`)).status).toBe(404);
    });
  });

  test('after a rotate, check finds no drift on the rotated path', async () => {
    // GIVEN
    for (const path of homelabCatalog().paths.filter((p) => p.path !== 'apps/openclaw')) {
      await api('POST', `${MOUNT}/data/${path.path}`, { data: Object.fromEntries(path.keys.map((k) => [k, SENTINEL])) });
    }
    await rotateHarness(`${SENTINEL}-new`).cli('rotate', 'apps/openclaw', 'ANTHROPIC_API_KEY');
    const h = rotateHarness('');

    // WHEN
    const code = await h.cli('check');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });
});
