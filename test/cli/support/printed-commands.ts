// The printed-commands scenarios, run twice: by `npm test` (test/cli/printed-commands.test.ts) and,
// with every execve traced by strace, by `npm run test:e2e` (test/e2e/printed-commands-traced.test.ts).
//
// Every command the CLI prints (new, rebuild, kms-secret, rotate --dry-run) is run through bash as an
// operator would paste it, and every command it spawns (rotate, force-sync) is spawned for real, all
// against recording stand-ins on a PATH that holds nothing else. Sentinel values are fed where the
// operator feeds them (stdin, the file they write); the test then requires that no argv, no printed
// text and no file left behind holds one, and that each value did reach its stand-in on stdin.
// The stand-ins see every program found on PATH; strace also sees what runs by absolute path.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../../../apps/homelab';
import type { SecretCatalog, VaultPath } from '../../../lib/catalog';
import { EXIT, spawnRun } from '../../../lib/cli';
import { SENTINEL, harness } from './cli-harness';

/** The programs the printed commands may run; anything else is "command not found" on this PATH. */
const RECORDED_ONLY = ['vault', 'bao', 'kubectl', 'aws', 'terraform', 'velero', 'npx'];
/** Run for real (their output is the point), behind a recording wrapper. */
const DELEGATED = ['jq', 'base64', 'rm'];

/** What `aws iam create-access-key` prints: the secret key is a sentinel. */
const AWS_SECRET = `${SENTINEL}-aws-secret-access-key`;
const ACCESS_KEY_JSON = JSON.stringify({
  AccessKey: { UserName: 'vault-unseal', AccessKeyId: 'AKIASTANDIN0000000000', Status: 'Active', SecretAccessKey: AWS_SECRET, CreateDate: '2026-01-01T00:00:00Z' },
});
const KMS_OUTPUTS = JSON.stringify({
  key_id: { sensitive: false, type: 'string', value: '1234abcd-12ab-34cd-56ef-1234567890ab' },
  region: { sensitive: false, type: 'string', value: 'eu-central-1' },
  iam_user_name: { sensitive: false, type: 'string', value: 'vault-unseal' },
});
/** A public CA certificate stand-in, as `kubectl get secret vault-tls` returns it (base64). */
const CA_PEM = '-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** One call a stand-in recorded. */
interface Call {
  readonly name: string;
  readonly args: string[];
  readonly stdin: string;
}

interface Machine {
  readonly root: string;
  /** HOME, TMPDIR and working directory of every command: what the operator's machine keeps. */
  readonly work: string;
  readonly env: Record<string, string>;
  calls(): Call[];
  clear(): void;
  /** Every argv of every process, from strace when the suite traces; else undefined. */
  traced(): string | undefined;
  /** Runs `script` with bash as a pasted line; returns what the terminal showed. */
  bash(script: string, stdin?: string): { status: number; output: string };
}

/** Where `name` is on this machine's PATH, or undefined. */
export function findProgram(name: string): string | undefined {
  return spawnSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

function which(name: string): string {
  const found = findProgram(name);
  if (!found) throw new Error(`${name} is not installed: the printed commands need it`);
  return found;
}

function machine(strace: string | undefined): Machine {
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-printed-'));
  const bin = join(root, 'bin');
  const logs = join(root, 'logs');
  const work = join(root, 'work');
  for (const dir of [bin, logs, work]) mkdirSync(dir);
  const traceLog = join(logs, 'strace.log');
  // With seccomp-bpf (strace 5.3+) the traced processes stop only at execve, not at every syscall:
  // the same log, each paste about three times faster. An older strace refuses the flag and traces
  // without it.
  const traceFlags = ['-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-s', '1000000', '-A'];
  if (strace && spawnSync(strace, ['--seccomp-bpf', ...traceFlags, '-o', '/dev/null', '/bin/true']).status === 0) traceFlags.unshift('--seccomp-bpf');

  const responses: Record<string, string> = {
    aws: `case "$1 $2" in "iam create-access-key") printf '%s\\n' '${ACCESS_KEY_JSON}';; *) echo '{"AccessKeyMetadata": []}';; esac`,
    kubectl: [
      'case "$*" in',
      `  *"get secret vault-tls"*) printf '%s' '${b64(CA_PEM)}';;`,
      `  *"get secret vault-aws-kms"*) printf '%s' '${JSON.stringify({ AWS_ACCESS_KEY_ID: b64('AKIASTANDIN0000000000'), AWS_REGION: b64('eu-central-1'), AWS_SECRET_ACCESS_KEY: b64(AWS_SECRET), VAULT_AWSKMS_SEAL_KEY_ID: b64('1234abcd') })}';;`,
      '  *"apply"*) echo "secret/vault-aws-kms serverside-applied";;',
      'esac',
    ].join('\n'),
    vault: 'if [ "$1 $2" = "print token" ]; then echo stand-in-token; fi',
    bao: 'if [ "$1 $2" = "print token" ]; then echo stand-in-token; fi',
    terraform: `case "$*" in *"output -json"*) printf '%s\\n' '${KMS_OUTPUTS}';; esac`,
  };
  for (const name of [...RECORDED_ONLY, ...DELEGATED]) {
    const real = DELEGATED.includes(name) ? which(name) : undefined;
    const script = [
      '#!/bin/bash',
      `id=${JSON.stringify(join(logs, name))}.$$`,
      'printf \'%s\\0\' "$@" > "$id.argv"',
      // bash's own read and printf keep stdin: no cat process per call (each costs strace time)
      'IFS= read -r -d \'\' input; printf \'%s\' "$input" > "$id.stdin"',
      real ? `exec ${real} "$@" < "$id.stdin"` : responses[name] ?? ':',
      '',
    ].join('\n');
    writeFileSync(join(bin, name), script);
    chmodSync(join(bin, name), 0o755);
  }

  const env = { PATH: bin, HOME: work, TMPDIR: work, USER: 'operator', LANG: 'C' };
  return {
    root,
    work,
    env,
    calls() {
      return readdirSync(logs)
        .filter((f) => f.endsWith('.argv'))
        .map((f) => {
          const base = join(logs, f.slice(0, -'.argv'.length));
          const argv = readFileSync(`${base}.argv`, 'utf8');
          return { name: f.split('.')[0], args: argv === '' ? [] : argv.slice(0, -1).split('\0'), stdin: readFileSync(`${base}.stdin`, 'utf8') };
        });
    },
    clear() {
      for (const f of readdirSync(logs)) rmSync(join(logs, f));
    },
    traced: () => (strace && existsSync(traceLog) ? readFileSync(traceLog, 'utf8') : undefined),
    bash(script, stdin = '') {
      const [cmd, args] = strace
        ? [strace, [...traceFlags, '-o', traceLog, '/bin/bash', '-c', script]]
        : ['/bin/bash', ['-c', script]];
      const result = spawnSync(cmd, args, { cwd: work, env, input: stdin, encoding: 'utf8' });
      return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
    },
  };
}

/** Every file under `dir`, with its content. */
function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path, 'utf8')] as [string, string]];
  });
}

/** The sentinel value the operator types for `key` of `path`. */
const valueOf = (path: VaultPath, key: string): string => `${SENTINEL}-${path.path}-${key}`;

/** The lines an operator pastes, from checklist text: indented lines that are not notes. */
function checklistCommands(text: string): string[] {
  return text.split('\n').filter((l) => /^ {6}[^ #]/.test(l)).map((l) => l.trim());
}

/**
 * Defines the scenarios. With `strace` (the path of strace), every execve of every pasted command is
 * traced as well, and no argv there may hold a value either.
 */
export function describePrintedCommands(strace?: string): void {
  describe('every printed or spawned command keeps the values off argv, the terminal and the disk', () => {
    let m: Machine;
    let catalog: SecretCatalog;
    const shown: string[] = [];

    beforeAll(() => {
      m = machine(strace);
      catalog = homelabCatalog();
    });
    afterAll(() => rmSync(m.root, { recursive: true, force: true }));
    beforeEach(() => {
      m.clear();
      shown.length = 0;
    });

    /** No argv (stand-ins' logs, and strace's execve log when there is one), no printed text and no file holds a value. */
    function expectNoValueExposed(): void {
      const argvs = m.calls().map((c) => [c.name, ...c.args].join(' '));
      expect(argvs.filter((a) => a.includes(SENTINEL))).toStrictEqual([]);
      const traced = m.traced();
      if (traced !== undefined) expect(traced.split('\n').filter((l) => l.includes(SENTINEL))).toStrictEqual([]);
      expect(shown.filter((text) => text.includes(SENTINEL))).toStrictEqual([]);
      expect(filesUnder(m.work).filter(([, content]) => content.includes(SENTINEL) || content.includes(b64(AWS_SECRET)))).toStrictEqual([]);
    }

    function paste(script: string, stdin = ''): void {
      const { status, output } = m.bash(script, stdin);
      shown.push(output);
      expect([script, status, output.includes('command not found') ? output : '']).toStrictEqual([script, 0, '']);
    }

    test('kms-secret: the secret key goes aws | jq | kubectl on pipes, and kubectl really receives it', async () => {
      // GIVEN the printed commands
      const h = harness({ stdin: KMS_OUTPUTS });
      expect(await h.cli('kms-secret')).toBe(EXIT.ok);
      shown.push(h.stdout(), h.stderr());

      // WHEN the operator pastes all of them
      paste(h.stdout());

      // THEN kubectl applied a Secret holding the key pair from aws, read from its stdin
      const apply = m.calls().filter((c) => c.name === 'kubectl' && c.args[0] === 'apply');
      expect(apply.map((c) => c.args)).toStrictEqual([['apply', '--server-side', '--field-manager=homelab-secrets', '-f', '-']]);
      const manifest = JSON.parse(apply[0].stdin);
      expect(Object.fromEntries(Object.entries(manifest.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))).toStrictEqual({
        VAULT_AWSKMS_SEAL_KEY_ID: '1234abcd-12ab-34cd-56ef-1234567890ab',
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIASTANDIN0000000000',
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
      });
      expect(m.calls().map((c) => c.name).sort()).toStrictEqual(['aws', 'aws', 'jq', 'jq', 'kubectl', 'kubectl', 'kubectl']);
      expectNoValueExposed();
    });

    test('new: every path\'s line reads the values at prompts and vault gets them as JSON on stdin', async () => {
      for (const path of catalog.paths) {
        // GIVEN
        m.clear();
        const h = harness({ catalog });
        expect(await h.cli('new', path.path)).toBe(EXIT.ok);
        shown.push(h.stdout(), h.stderr());

        // WHEN the operator types one value per prompt
        paste(h.stdout().trim(), path.keys.map((k) => `${valueOf(path, k)}\n`).join(''));

        // THEN vault kv put read exactly those values from stdin, and nothing else ran
        const put = m.calls().filter((c) => c.name === 'vault');
        expect(put.map((c) => c.args)).toStrictEqual([['kv', 'put', `-mount=${catalog.mount}`, path.path, '-']]);
        expect(JSON.parse(put[0].stdin)).toStrictEqual(Object.fromEntries(path.keys.map((k) => [k, valueOf(path, k)])));
        expect(m.calls().map((c) => c.name).sort()).toStrictEqual(['jq', 'vault']);
      }
      expectNoValueExposed();
    });

    test('new: the file form sends the operator\'s JSON file on stdin and deletes it', async () => {
      // GIVEN the hint, and the file the operator wrote with their editor
      const path = catalog.paths.find((p) => p.path === 'infrastructure/velero')!;
      const h = harness({ catalog });
      await h.cli('new', path.path);
      shown.push(h.stdout(), h.stderr());
      const line = h.stderr().split('\n').find((l) => l.startsWith('#   '))!.slice(4);
      const values = { cloud: `[default]\naws_access_key_id=x\naws_secret_access_key=${SENTINEL}-velero\n` };
      writeFileSync(join(m.work, 'infrastructure-velero.json'), JSON.stringify(values));

      // WHEN
      paste(line);

      // THEN
      const put = m.calls().filter((c) => c.name === 'vault');
      expect(put.map((c) => c.args)).toStrictEqual([['kv', 'put', '-mount=homelab', 'infrastructure/velero', '-']]);
      expect(JSON.parse(put[0].stdin)).toStrictEqual(values);
      expect(existsSync(join(m.work, 'infrastructure-velero.json'))).toBe(false);
      expectNoValueExposed();
    });

    test('rebuild: every checklist command, pasted in order with values typed at the prompts', async () => {
      // GIVEN
      const h = harness({ catalog, settings: HOMELAB_SETTINGS });
      expect(await h.cli('rebuild')).toBe(EXIT.ok);
      shown.push(h.stdout(), h.stderr());
      const commands = checklistCommands(h.stdout());
      const password = `${SENTINEL}-operator-password`;
      const rootToken = `${SENTINEL}-root-token`;

      // WHEN each is pasted; the operator replaces the backup placeholder and types what is asked for
      for (const command of commands) {
        const stdin = command.includes('password=-') ? `${password}\n` : command === 'vault login' ? `${rootToken}\n` : '';
        paste(command.replace('<BACKUP>', 'vault-daily-20260101'), stdin);
      }

      // THEN the password reached vault on stdin only, and the values are seed's to write (test/e2e/cli-seed.test.ts)
      const vault = m.calls().filter((c) => c.name === 'vault');
      const user = vault.find((c) => c.args[0] === 'write')!;
      expect([user.args, user.stdin]).toStrictEqual([['write', 'auth/userpass/users/operator', 'password=-', 'token_policies=homelab-operator'], password]);
      expect(m.calls().filter((c) => c.name === 'npx' && c.args[1] === 'seed').map((c) => c.args)).toStrictEqual([['homelab-secrets', 'seed']]);
      expect(new Set(m.calls().map((c) => c.name))).toStrictEqual(new Set(['terraform', 'npx', 'aws', 'kubectl', 'velero', 'base64', 'vault']));
      expectNoValueExposed();
    });

    test('rotate and force-sync: what they spawn, and what --dry-run prints, pasted', async () => {
      // GIVEN the CLI spawning real processes on the stand-ins' PATH
      const values = [`${SENTINEL}-gateway`, `${SENTINEL}-anthropic`];
      const env = { ...m.env };
      const rotate = harness({ catalog, stdin: `${values.join('\n')}\n`, env, run: spawnRun(env) });

      // WHEN
      expect(await rotate.cli('rotate', 'apps/openclaw', 'OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY')).toBe(EXIT.ok);
      const sync = harness({ catalog, env, run: spawnRun(env) });
      expect(await sync.cli('force-sync', 'argocd-secret')).toBe(EXIT.ok);
      const dry = harness({ catalog, stdin: `${values.join('\n')}\n`, env });
      expect(await dry.cli('rotate', 'apps/openclaw', 'OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', '--dry-run')).toBe(EXIT.ok);
      shown.push(rotate.stdout(), rotate.stderr(), sync.stdout(), sync.stderr(), dry.stdout(), dry.stderr());
      const spawned = m.calls();
      for (const line of dry.stdout().split('\n').filter((l) => l && !l.startsWith('#'))) {
        paste(line, line.startsWith('vault') ? JSON.stringify({ OPENCLAW_GATEWAY_TOKEN: values[0], ANTHROPIC_API_KEY: values[1] }) : '');
      }

      // THEN vault kv patch got the values as JSON on stdin, kubectl only annotations
      const patch = spawned.filter((c) => c.name === 'vault');
      expect(patch.map((c) => c.args)).toStrictEqual([['kv', 'patch', '-mount=homelab', 'apps/openclaw', '-']]);
      expect(JSON.parse(patch[0].stdin)).toStrictEqual({ OPENCLAW_GATEWAY_TOKEN: values[0], ANTHROPIC_API_KEY: values[1] });
      expect(spawned.filter((c) => c.name === 'kubectl').map((c) => c.args.slice(0, 5)).sort()).toStrictEqual([
        ['annotate', 'externalsecret', '-n', 'argocd', 'argocd-secret'],
        ['annotate', 'externalsecret', '-n', 'monitoring', 'alertmanager-openclaw-hooks-token'],
        ['annotate', 'externalsecret', '-n', 'openclaw', 'openclaw-secrets'],
      ]);
      expect(m.calls().filter((c) => c.name === 'vault' && c.args[1] === 'patch')).toHaveLength(2);
      expectNoValueExposed();
    });

    test('the check can fail: a value in argv is caught', () => {
      // GIVEN a command that passes a value as an argument, the way kms-secret used to
      paste(`vault kv put -mount=homelab apps/vpn OPENVPN_PASSWORD=${SENTINEL}-leaked`);

      // THEN
      expect(() => expectNoValueExposed()).toThrow();
      shown.length = 0;
      m.clear();
    });

    if (strace) {
      test('strace catches a value passed to a program run by absolute path, which no stand-in sees', () => {
        // GIVEN a command that bypasses PATH
        paste(`/bin/true OPENVPN_PASSWORD=${SENTINEL}-leaked`);

        // THEN the stand-ins recorded nothing, and the execve log holds the argv
        expect(m.calls()).toStrictEqual([]);
        expect(m.traced()!.split('\n').filter((l) => l.includes('execve("/bin/true"') && l.includes(`${SENTINEL}-leaked`))).toHaveLength(1);
        expect(() => expectNoValueExposed()).toThrow();
        m.clear();
      });
    }
  });

  test('the stand-ins\' PATH holds nothing but them', () => {
    const m = machine(strace);
    try {
      expect(m.bash('ls').output).toContain('command not found');
      expect(execFileSync('/bin/bash', ['-c', 'echo "$PATH"'], { env: m.env, encoding: 'utf8' }).trim()).toBe(join(m.root, 'bin'));
    } finally {
      rmSync(m.root, { recursive: true, force: true });
    }
  });
}
