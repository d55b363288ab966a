// `homelab-secrets seed` against a real OpenBao serving TLS only (`npm run engines` first). In process
// (the harness, over the CLI's own Vault transport and VAULT_CACERT) for what it writes; then as the
// operator runs it: the package's bin in a child process, at a real terminal (`script`), under strace,
// on a freshly initialized OpenBao set up exactly as `rebuild` says, until `check` finds every row complete.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homelabCatalog } from '../../apps/homelab';
import { type GeneratedValue, type SecretCatalog, generatedShape } from '../../lib/catalog';
import { EXIT, VaultKvClient, VaultRequestError, vaultConnection } from '../../lib/cli';
import { renderOperatorLoginCommand, renderOperatorUserCommand } from '../../lib/tf/operator-login-names';
import { SENTINEL, everythingSeen, harness } from '../cli/support/cli-harness';
import { findProgram } from '../cli/support/printed-commands';
import { BaoDevServer, remountKvV2, startBaoDevServer, vaultApi } from './support/bao-dev-server';
import { engines } from './support/engines';
import { applyWithVaultApi, synthVaultStack } from './support/vault-stack';

const ROOT = join(__dirname, '..', '..');
const MOUNT = 'homelab';
const strace = findProgram('strace');
if (!strace && process.env.CI === 'true') throw new Error('CI needs strace for the traced seed test: apt-get install strace');

/** Every declared key whose origin is generated(), with it. */
function generatedKeys(catalog: SecretCatalog): { path: string; key: string; origin: GeneratedValue }[] {
  return catalog.paths.flatMap((path) => path.keys.flatMap((key) => {
    const origin = path.originOf(key);
    return origin?.kind === 'generated' ? [{ path: path.path, key, origin }] : [];
  }));
}

/** A regular expression that matches exactly the values of `origin`'s shape: its length, and only its alphabet. */
function shapePattern(origin: GeneratedValue): RegExp {
  const { length, alphabet } = generatedShape(origin);
  const escaped = [...alphabet].map((ch) => ch.replace(/[\\\]^-]/g, '\\$&')).join('');
  return new RegExp(`^[${escaped}]{${length}}$`, 'u');
}

/** Every file under `dir`, with its content. */
function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path, 'utf8')] as [string, string]];
  });
}

describe('seed against OpenBao', () => {
  let bao: BaoDevServer;
  let catalog: SecretCatalog;
  const api = (method: string, path: string, body?: unknown) => vaultApi(bao.addr, bao.rootToken, method, path, body);

  beforeAll(async () => {
    bao = await startBaoDevServer();
    catalog = homelabCatalog();
  });
  afterAll(async () => {
    await bao?.stop();
  });

  describe('in process, over the CLI\'s own transport trusting exactly the server\'s CA', () => {
    beforeEach(async () => {
      await remountKvV2(bao.addr, bao.rootToken, MOUNT);
    });

    const seedHarness = (extra: Record<string, string> = {}) =>
      harness({ catalog: homelabCatalog(), env: { VAULT_ADDR: bao.addr, VAULT_TOKEN: bao.rootToken, VAULT_CACERT: bao.caFile, ...extra } });

    /** Each declared path's current version (0: none) and data. */
    async function snapshot(): Promise<Record<string, { version: number; data: Record<string, string> | undefined }>> {
      const entries = await Promise.all(catalog.paths.map(async (path) => {
        const { status, body } = await api('GET', `${MOUNT}/data/${path.path}`);
        return [path.path, status === 200 ? { version: body.data.metadata.version, data: body.data.data } : { version: 0, data: undefined }] as const;
      }));
      return Object.fromEntries(entries);
    }

    test('fills exactly the missing generated keys, each of its declared length and alphabet; an existing value is untouched', async () => {
      // GIVEN Grafana's path with its admin password already set, and an undeclared key beside it
      const grafana = { 'admin-user': `${SENTINEL}-admin`, 'admin-password': `${SENTINEL}-password`, legacy: `${SENTINEL}-legacy` };
      expect((await api('POST', `${MOUNT}/data/infrastructure/grafana`, { data: grafana })).status).toBe(200);
      const h = seedHarness();

      // WHEN
      const code = await h.cli('seed');

      // THEN Grafana's path is exactly as it was, still version 1
      const after = await snapshot();
      expect(after['infrastructure/grafana']).toStrictEqual({ version: 1, data: grafana });
      // every other generated key is there, of its shape; nothing else was written
      const expected: Record<string, string[]> = {};
      for (const { path, key, origin } of generatedKeys(catalog).filter((g) => g.path !== 'infrastructure/grafana')) {
        expect([path, key, after[path].data?.[key]]).toStrictEqual([path, key, expect.stringMatching(shapePattern(origin))]);
        expected[path] = [...expected[path] ?? [], key];
      }
      expect(Object.fromEntries(Object.entries(after).filter(([path]) => path !== 'infrastructure/grafana' && after[path].data !== undefined)
        .map(([path, { version, data }]) => [path, [version, Object.keys(data!).sort()]]))).toStrictEqual(
        Object.fromEntries(Object.entries(expected).map(([path, keys]) => [path, [1, [...keys].sort()]])));
      expect(expected).toStrictEqual({
        'infrastructure/minio': ['rootPassword'],
        'infrastructure/authentik': ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_POSTGRESQL__PASSWORD'],
        'apps/openclaw': ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_HOOKS_TOKEN'],
      });
      // external keys are listed with their hints, and without a terminal seed exits 1
      expect(code).toBe(EXIT.failed);
      expect(h.stdout().split('\n').slice(0, 7)).toStrictEqual([
        `Vault ${bao.addr}, mount homelab/:`,
        '  generated into infrastructure/minio (a new path): rootPassword',
        '  generated into infrastructure/authentik (a new path): AUTHENTIK_SECRET_KEY, AUTHENTIK_POSTGRESQL__PASSWORD',
        '  generated into apps/openclaw (a new path): OPENCLAW_GATEWAY_TOKEN, OPENCLAW_HOOKS_TOKEN',
        '5 generated keys written; 1 already there.',
        'Still missing, for a person to enter (19 keys in 12 paths):',
        '  infrastructure/minio rootUser: a MinIO root user name of your choice, at least 3 characters (the console login; not "minioadmin")',
      ]);
      expect(h.stdout()).toContain('\n  apps/openclaw ANTHROPIC_API_KEY: Anthropic Console → Settings → API Keys → Create Key (https://console.anthropic.com/settings/keys)\n');
      expect(h.stdout()).not.toContain('infrastructure/grafana admin-user');
      expect(h.stderr()).toBe('homelab-secrets: 19 keys still missing and stdin is not a terminal, so none was asked for: run seed at a terminal to enter them at hidden prompts, or `homelab-secrets rotate <path> <key>` for a path that exists\n');
      const values = generatedKeys(catalog).map(({ path, key }) => after[path].data![key]);
      expect(values.filter((value) => everythingSeen(h).includes(value))).toStrictEqual([]);
    });

    test('a second run leaves every version number unchanged', async () => {
      // GIVEN
      await seedHarness().cli('seed');
      const before = await snapshot();
      const h = seedHarness();

      // WHEN
      const code = await h.cli('seed');

      // THEN
      expect(code).toBe(EXIT.failed);
      expect(await snapshot()).toStrictEqual(before);
      expect(h.stdout().split('\n').slice(0, 2)).toStrictEqual([`Vault ${bao.addr}, mount homelab/:`, 'every generated key is already there (6 keys): nothing written.']);
    });

    test('a path holding some keys gets the missing generated ones as a patch of its version; its values stay', async () => {
      // GIVEN
      const openclaw = { OPENCLAW_HOOKS_TOKEN: `${SENTINEL}-hooks`, ANTHROPIC_API_KEY: `${SENTINEL}-anthropic` };
      await api('POST', `${MOUNT}/data/apps/openclaw`, { data: openclaw });
      await api('POST', `${MOUNT}/data/apps/openclaw`, { data: openclaw });

      // WHEN
      const h = seedHarness();
      await h.cli('seed');

      // THEN
      const after = (await snapshot())['apps/openclaw'];
      expect(after).toStrictEqual({ version: 3, data: { ...openclaw, OPENCLAW_GATEWAY_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      expect(h.stdout()).toContain('\n  generated into apps/openclaw (version 2): OPENCLAW_GATEWAY_TOKEN\n');
      expect(everythingSeen(h)).not.toContain(SENTINEL);
    });

    test('OpenBao refuses a check-and-set write onto a version that is no longer current, and a create where a version exists', async () => {
      // GIVEN
      await api('POST', `${MOUNT}/data/apps/vpn`, { data: { OPENVPN_USER: `${SENTINEL}-1` } });
      await api('POST', `${MOUNT}/data/apps/vpn`, { data: { OPENVPN_USER: `${SENTINEL}-2` } });
      const client = new VaultKvClient({ ...vaultConnection({ VAULT_ADDR: bao.addr, VAULT_TOKEN: bao.rootToken, VAULT_CACERT: bao.caFile }, ''), mount: MOUNT });

      // WHEN
      // (both settled before either is looked at: a rejection nobody awaits yet fails the test on its own)
      const [stale, create] = await Promise.allSettled([
        client.patch('apps/vpn', { OPENVPN_PASSWORD: `${SENTINEL}-p` }, 1),
        client.create('apps/vpn', { OPENVPN_PASSWORD: `${SENTINEL}-p` }),
      ]);

      // THEN
      expect(stale).toStrictEqual({ status: 'rejected', reason: new VaultRequestError('conflict',
        `Vault at ${bao.addr} refused PATCH /v1/homelab/data/apps/vpn: check-and-set parameter did not match the current version (another writer changed the path meanwhile)`) });
      expect(create).toMatchObject({ status: 'rejected', reason: { kind: 'conflict' } });
      expect(await client.stateOf('apps/vpn')).toStrictEqual({ kind: 'present', version: 2, keys: ['OPENVPN_USER'] });
      expect(await client.patch('apps/vpn', { OPENVPN_PASSWORD: `${SENTINEL}-p` }, 2)).toBe(3);
    });

    test('a soft-deleted current version is left alone, and a KV version 1 mount is refused before any write', async () => {
      // GIVEN
      await api('POST', `${MOUNT}/data/infrastructure/minio`, { data: { rootUser: `${SENTINEL}-u` } });
      await api('DELETE', `${MOUNT}/data/infrastructure/minio`);
      const h = seedHarness();

      // WHEN
      const code = await h.cli('seed');

      // THEN
      expect(code).toBe(EXIT.failed);
      expect(h.stderr()).toContain('homelab-secrets: infrastructure/minio: its current version 1 is deleted, so nothing is written there: restore it with `vault kv undelete -mount=homelab -versions=1 infrastructure/minio`');
      expect((await api('GET', `${MOUNT}/metadata/infrastructure/minio`)).body.data.current_version).toBe(1);

      // GIVEN a KV version 1 mount
      await api('DELETE', `sys/mounts/${MOUNT}`);
      await api('POST', `sys/mounts/${MOUNT}`, { type: 'kv', options: { version: '1' } });
      const v1 = seedHarness();

      // WHEN
      const v1Code = await v1.cli('seed');

      // THEN
      expect(v1Code).toBe(EXIT.usage);
      expect(v1.stderr()).toBe(`homelab-secrets: Vault at ${bao.addr} has a kv version 1 secrets engine at "homelab/", not KV version 2: nothing was written\n`);
      expect((await api('LIST', `${MOUNT}/`)).status).toBe(404);
    });

    test('--dry-run writes nothing', async () => {
      // WHEN
      const h = seedHarness();
      const code = await h.cli('seed', '--dry-run');

      // THEN
      expect(code).toBe(EXIT.ok);
      expect((await api('LIST', `${MOUNT}/metadata/`)).status).toBe(404);
      expect(h.stdout()).toContain('\n  would generate into apps/openclaw (a new path): OPENCLAW_GATEWAY_TOKEN (32 random bytes as hex: 64 characters of 0-9a-f), OPENCLAW_HOOKS_TOKEN (32 random bytes as hex: 64 characters of 0-9a-f)\n');
    });

    test('a server whose certificate VAULT_CACERT does not sign is refused: exit 2, nothing written', async () => {
      // GIVEN a CA of its own
      const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-other-ca-'));
      spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'ca.crt'), '-days', '1', '-subj', '/CN=other'], { stdio: 'ignore' });
      const h = seedHarness({ VAULT_CACERT: join(dir, 'ca.crt') });

      // WHEN
      const code = await h.cli('seed');

      // THEN
      expect(code).toBe(EXIT.usage);
      expect(h.stderr()).toBe(`homelab-secrets: Vault at ${bao.addr} is unreachable: unable to verify the first certificate\n`);
      expect((await api('LIST', `${MOUNT}/metadata/`)).status).toBe(404);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('as the operator runs it after a fresh init: the bin at a real terminal, traced', () => {
    let work: string;
    let home: string;
    let fresh: BaoDevServer;

    beforeAll(async () => {
      // A fresh OpenBao (init and unseal by the helper, as `vault operator init` does), the synthesized
      // Vault stack applied, the operator's login created and used exactly as `rebuild` prints them.
      fresh = await startBaoDevServer();
      work = mkdtempSync(join(tmpdir(), 'homelab-secrets-e2e-seed-'));
      const stack = synthVaultStack(catalog, join(work, 'cdktf.out'));
      await applyWithVaultApi(stack.json, fresh);
      home = join(work, 'home');
      const bin = join(work, 'bin');
      spawnSync('mkdir', ['-p', home, bin]);
      symlinkSync(engines().baoBin, join(bin, 'vault'));
      const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, USER: 'operator', ...fresh.cliEnv };
      const password = `${SENTINEL}-operator-password`;
      const create = spawnSync('bash', ['-c', renderOperatorUserCommand(MOUNT)], { env: { ...env, BAO_TOKEN: fresh.rootToken }, input: `${password}\n`, encoding: 'utf8' });
      expect(create.status).toBe(0);
      const login = spawnSync('script', ['-qec', renderOperatorLoginCommand(), '/dev/null'], { env, input: `${password}\n`, encoding: 'utf8' });
      expect(login.status).toBe(0);
      expect(existsSync(join(home, '.vault-token'))).toBe(true);
    });
    afterAll(async () => {
      await fresh?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    /**
     * Runs `homelab-secrets seed` (the bin over the TypeScript sources) inside a terminal that `script`
     * makes, traced by strace when it is installed, answering each hidden prompt with `answer(prompt)`
     * once the prompt is on the screen, as a person would. Returns the exit code and the screen.
     */
    async function seedAtTerminal(answer: (prompt: string) => string, traceLog: string): Promise<{ code: number; screen: string }> {
      const node = [process.execPath, '-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), 'seed'];
      // Only the CLI's process is traced, not `script`, which copies the keystrokes into the terminal.
      const traced = strace
        ? [strace, '-f', '-qq', '-s', '1000000', '-o', traceLog,
          '-e', 'trace=execve,execveat,write,writev,pwrite64,pwritev,pwritev2,sendto,sendmsg,sendmmsg,openat,open,creat,rename,renameat,renameat2', ...node]
        : node;
      const command = traced.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
      const env = {
        PATH: '/usr/bin:/bin',
        HOME: home,
        TMPDIR: work,
        VAULT_ADDR: fresh.addr,
        VAULT_CACERT: fresh.caFile,
        HOMELAB_SECRETS_DECLARATION: join(ROOT, 'apps/homelab.ts'),
        // libuv may write files through io_uring, which strace does not see; the plain syscalls it does.
        UV_USE_IO_URING: '0',
      };
      const child: ChildProcess = spawn('script', ['-qec', command, '/dev/null'], { cwd: work, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      let answered = 0;
      const prompts = /(homelab\/\S+ \S+): [^\n]*\r?\n {2}value \(hidden; empty to skip\): |  the same again: /g;
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        screen += chunk;
        const seen = [...screen.matchAll(prompts)];
        while (answered < seen.length) {
          const match = seen[answered++];
          const key = match[1] ?? seen.slice(0, answered).reverse().find((m) => m[1])![1];
          child.stdin!.write(`${answer(key)}\r`);
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
      const code = await new Promise<number>((resolve) => child.once('close', (status) => resolve(status ?? 1)));
      return { code, screen };
    }

    test('seed, then only the external keys at its prompts, and check reports every row complete; no value in any argv, output or file', async () => {
      // GIVEN the operator types one value per external key, each twice
      const typed = new Map<string, string>();
      const answer = (prompt: string): string => {
        const value = `${SENTINEL}-${prompt.replace(/[^A-Za-z0-9]/g, '-')}`;
        typed.set(prompt, value);
        return value;
      };
      const traceLog = join(work, 'strace.log');

      // WHEN
      const { code, screen } = await seedAtTerminal(answer, traceLog);
      const check = harness({ catalog: homelabCatalog(), env: { VAULT_ADDR: fresh.addr, VAULT_CACERT: fresh.caFile, HOME: home } });
      const checkCode = await check.cli('check');

      // THEN seed exited 0, and check finds every row complete
      expect([code, screen.includes('Every declared key of the 14 paths is in Vault.')]).toStrictEqual([EXIT.ok, true]);
      expect([checkCode, check.stdout()]).toStrictEqual([EXIT.ok,
        `Vault ${fresh.addr}, mount homelab/: no drift. 14 declared paths hold every declared key, and nothing undeclared is there: all 15 rows complete.\n`]);
      // exactly the external keys were asked for, each twice
      const external = catalog.paths.flatMap((p) => p.keys.filter((k) => p.originOf(k)?.kind === 'external').map((k) => `homelab/${p.path} ${k}`));
      expect([...typed.keys()]).toStrictEqual(external);
      // Vault holds the typed values and the generated ones, of their shapes
      const stored = await Promise.all(catalog.paths.map(async (p) => [p.path, (await vaultApi(fresh.addr, fresh.rootToken, 'GET', `${MOUNT}/data/${p.path}`)).body.data.data] as const));
      const data = Object.fromEntries(stored) as Record<string, Record<string, string>>;
      for (const p of catalog.paths) {
        for (const k of p.keys) {
          const origin = p.originOf(k)!;
          expect([p.path, k, data[p.path][k]]).toStrictEqual([p.path, k, origin.kind === 'generated' ? expect.stringMatching(shapePattern(origin)) : typed.get(`homelab/${p.path} ${k}`)]);
        }
      }
      // no value on the screen, in a file, or (under strace) in any argv, write or file opened
      const values = Object.values(data).flatMap((d) => Object.values(d));
      expect(values).toHaveLength(26);
      expect(values.filter((v) => screen.includes(v))).toStrictEqual([]);
      expect(filesUnder(work).filter(([file, content]) => file !== traceLog && values.some((v) => content.includes(v))).map(([file]) => file)).toStrictEqual([]);
      if (strace) {
        const trace = readFileSync(traceLog, 'utf8');
        // the trace holds what the CLI wrote (so a value written anywhere would be in it), and no value
        expect(trace.split('\n').filter((l) => /^\d+ +write\(/.test(l) && l.includes('Every declared key of the 14 paths is in Vault.'))).toHaveLength(1);
        expect(trace.split('\n').filter((l) => values.some((v) => l.includes(v)))).toStrictEqual([]);
        // seed starts no program: the one execve is the CLI's own
        expect(trace.split('\n').filter((l) => /execve(at)?\(/.test(l)).map((l) => l.replace(/^\d+ +/, '').slice(0, 40))).toStrictEqual([`execve("${process.execPath}", ["${process.execPath}"`.slice(0, 40)]);
        // it opened no file for writing: the terminal aside, and the cache @swc/core keeps its native
        // binary in, which only this test's way of running the TypeScript sources (swc-register) needs
        const opened = trace.split('\n').filter((l) => /open(at)?\(.*O_(WRONLY|RDWR|CREAT)/.test(l));
        expect(opened.filter((l) => !/"\/dev\/(tty|pts\/\d+|null)"/.test(l) && !l.includes(`"${home}/.cache/swc-native-`))).toStrictEqual([]);
      }
    });

    test('a second run at the terminal asks nothing, writes nothing, and exits 0', async () => {
      // GIVEN
      const versions = async () => Promise.all(catalog.paths.map(async (p) => (await vaultApi(fresh.addr, fresh.rootToken, 'GET', `${MOUNT}/metadata/${p.path}`)).body.data.current_version));
      const before = await versions();

      // WHEN
      const { code, screen } = await seedAtTerminal(() => {
        throw new Error('no prompt expected');
      }, join(work, 'strace-2.log'));

      // THEN
      expect(code).toBe(EXIT.ok);
      expect(screen).toContain('every generated key is already there (6 keys): nothing written.');
      expect(await versions()).toStrictEqual(before);
    });
  });
});

if (!strace) {
  test.skip('strace is not installed: the seed run at a terminal is traced in CI only', () => undefined);
}
