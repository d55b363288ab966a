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
import { EXIT, printable, spawnRun } from '../../../lib/cli';
import { SENTINEL, harness } from './cli-harness';
import { fakeKv2 } from './fake-kv2';
import {
  HOSTILE_ADDRESS, HOSTILE_GENERATED_PATHS, HOSTILE_HINT, HOSTILE_IDENTITY, HOSTILE_MOUNT, HOSTILE_PATHS, HOSTILE_SETTINGS, HOSTILE_URL, assertAccepted, hostileCatalog,
} from './hostile-catalog';

/**
 * The programs the printed commands may run; anything else is "command not found" on this PATH. `id`
 * is the canary: the command a hostile catalog got to run before its names were quoted.
 */
const RECORDED_ONLY = ['vault', 'bao', 'kubectl', 'aws', 'terraform', 'velero', 'npx', 'id'];
/** Run for real (their output is the point), behind a recording wrapper. */
const DELEGATED = ['jq', 'base64', 'rm', 'mktemp'];

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
  /** `$EDITOR`: records its argv and the mode of the file's folder, then fills the file (see {@link Machine.editorWrites}). */
  readonly editor: string;
  /** What the editor does next: write `content` into the file it opens, fail (exit 1), or interrupt its shell (SIGINT). */
  editorWrites(action: { readonly content: string | Buffer } | 'fail' | 'interrupt'): void;
  /** Makes `vault` exit 1 (after reading its stdin), or succeed again. */
  vaultFails(fails: boolean): void;
  /** The mode of the folder the editor's file was in, as the editor saw it (e.g. `700`). */
  editedFolderMode(): string;
  /** HOME, TMPDIR and working directory of every command: what the operator's machine keeps. */
  readonly work: string;
  readonly env: Record<string, string>;
  calls(): Call[];
  clear(): void;
  /** Every argv of every process, from strace when the suite traces; else undefined. */
  traced(): string | undefined;
  /** Runs `script` with bash as a pasted line; returns what the terminal showed. */
  bash(script: string, stdin?: string | Buffer): { status: number; output: string };
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
    vault: `if [ "$1 $2" = "print token" ]; then echo stand-in-token; fi; if [ -e ${JSON.stringify(join(root, 'vault-fails'))} ]; then exit 1; fi`,
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

  // The editor is named by path in $EDITOR, as an operator's is; it is not on PATH.
  const editor = join(root, 'editor');
  const editorAction = join(root, 'editor-action');
  const editorInput = join(root, 'editor-input');
  const editorFolderMode = join(logs, 'editor-folder-mode');
  writeFileSync(editor, [
    '#!/bin/bash',
    `id=${JSON.stringify(join(logs, 'editor'))}.$$`,
    'printf \'%s\\0\' "$@" > "$id.argv"; : > "$id.stdin"',
    `/usr/bin/stat -c %a "\${1%/*}" > ${JSON.stringify(editorFolderMode)}`,
    `case "$(< ${JSON.stringify(editorAction)})" in`,
    '  fail) exit 1;;',
    '  interrupt) kill -INT "$PPID"; exit 0;;',
    `  *) IFS= read -r -d '' content < ${JSON.stringify(editorInput)}; printf '%s' "$content" > "$1";;`,
    'esac',
    '',
  ].join('\n'));
  chmodSync(editor, 0o755);

  const env = { PATH: bin, HOME: work, TMPDIR: work, USER: 'operator', LANG: 'C', EDITOR: editor };
  return {
    root,
    editor,
    editorWrites(action) {
      writeFileSync(editorAction, typeof action === 'string' ? action : 'write');
      if (typeof action !== 'string') writeFileSync(editorInput, action.content);
    },
    vaultFails(fails) {
      if (fails) writeFileSync(join(root, 'vault-fails'), '');
      else rmSync(join(root, 'vault-fails'), { force: true });
    },
    editedFolderMode: () => readFileSync(editorFolderMode, 'utf8').trim(),
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

    /** The file form of `new` for `path`: the hint line after `#   `. */
    async function fileForm(c: SecretCatalog, path: string): Promise<string> {
      const h = harness({ catalog: c });
      expect(await h.cli('new', ...(path.startsWith('-') ? ['--'] : []), path)).toBe(EXIT.ok);
      shown.push(h.stdout(), h.stderr());
      return h.stderr().split('\n').find((l) => l.startsWith('#   '))!.slice(4);
    }

    /** The temp folders left in the operator's TMPDIR. */
    const tempFolders = (): string[] => readdirSync(m.work).filter((name) => name.startsWith('tmp.'));

    test('new: the file form edits the values in a private temp folder, sends the file on stdin and removes the folder', async () => {
      // GIVEN the hint, and what the operator types into their editor
      const line = await fileForm(catalog, 'infrastructure/velero');
      const values = { cloud: `[default]\naws_access_key_id=x\naws_secret_access_key=${SENTINEL}-velero\n` };
      m.editorWrites({ content: JSON.stringify(values) });

      // WHEN
      paste(line);

      // THEN vault got the file on stdin; the editor had it in a fresh folder of mode 700 in TMPDIR, now gone
      const put = m.calls().filter((c) => c.name === 'vault');
      expect(put.map((c) => c.args)).toStrictEqual([['kv', 'put', '-mount=homelab', 'infrastructure/velero', '-']]);
      expect(JSON.parse(put[0].stdin)).toStrictEqual(values);
      const edited = m.calls().find((c) => c.name === 'editor')!.args;
      expect(edited).toHaveLength(1);
      expect(edited[0]).toMatch(new RegExp(`^${m.work}/tmp\\.[A-Za-z0-9]+/infrastructure-velero\\.json$`));
      expect(m.editedFolderMode()).toBe('700');
      expect(tempFolders()).toStrictEqual([]);
      expect(m.calls().map((c) => c.name).sort()).toStrictEqual(['editor', 'jq', 'mktemp', 'rm', 'vault']);
      expectNoValueExposed();
    });

    test.each([
      ['vault fails', { content: `{"cloud": "${SENTINEL}-velero"}` }, true, 1],
      ['the editor fails', 'fail', false, 0],
      ['the shell is interrupted (Ctrl-C) while the editor runs', 'interrupt', false, 0],
    ] as const)('new: the file form removes its temp folder when %s', async (_case, editorAction, vaultFails, puts) => {
      // GIVEN
      const line = await fileForm(catalog, 'infrastructure/velero');
      m.editorWrites(editorAction);
      m.vaultFails(vaultFails);

      // WHEN
      const { status, output } = m.bash(line);
      m.vaultFails(false);
      shown.push(output);

      // THEN it failed, the folder and the file in it are gone, and vault got the file only when it was written
      expect(status).not.toBe(0);
      expect(tempFolders()).toStrictEqual([]);
      expect(m.calls().filter((c) => c.name === 'vault')).toHaveLength(puts);
      expect(m.calls().filter((c) => c.name === 'rm').map((c) => c.args[0])).toContain('-rf');
      expectNoValueExposed();
    });

    test('new: a typed value reaches vault exactly, and one that is not UTF-8 reaches it not at all', async () => {
      // GIVEN
      const path = catalog.paths.find((p) => p.path === 'apps/vpn')!;
      const h = harness({ catalog });
      await h.cli('new', path.path);
      shown.push(h.stdout(), h.stderr());
      const line = h.stdout().trim();

      // WHEN values with blanks, quotes, backslashes, a CR and non-ASCII text are typed
      const odd = [` ${SENTINEL} \\n 'q' "d" $x \t`, `${SENTINEL}-é€😀\r`];
      paste(line, odd.map((v) => `${v}\n`).join(''));

      // THEN vault got them as they were typed
      expect(JSON.parse(m.calls().find((c) => c.name === 'vault')!.stdin)).toStrictEqual({ OPENVPN_USER: odd[0], OPENVPN_PASSWORD: odd[1] });

      // WHEN a Latin-1 terminal sends "café" (jq would read U+FFFD)
      m.clear();
      const { status, output } = m.bash(line, Buffer.concat([Buffer.from(`${SENTINEL}\ncaf`), Buffer.from([0xe9]), Buffer.from('\n')]));
      shown.push(output);

      // THEN jq stops with the reason, and vault gets no JSON (the real one then fails and writes nothing:
      // test/e2e/cli-rotate.test.ts; this stand-in exits 0, which the pipeline's status is)
      expect([status, output]).toStrictEqual([0, 'OPENVPN_USER: \nOPENVPN_PASSWORD: \njq: error (at <stdin>:2): a value is not UTF-8 text; nothing was sent to vault\n']);
      expect(m.calls().filter((c) => c.name === 'vault').map((c) => c.stdin)).toStrictEqual(['']);
      expectNoValueExposed();
    });

    test('new: a values file that is not UTF-8 never reaches vault, and its folder is removed', async () => {
      // GIVEN
      const line = await fileForm(catalog, 'infrastructure/velero');
      m.editorWrites({ content: Buffer.concat([Buffer.from(`{"cloud": "${SENTINEL}-caf`), Buffer.from([0xe9]), Buffer.from('"}')]) });

      // WHEN
      const { status, output } = m.bash(line);
      shown.push(output);

      // THEN
      expect(status).not.toBe(0);
      expect(output).toContain('a value is not UTF-8 text; nothing was sent to vault');
      expect(m.calls().filter((c) => c.name === 'vault')).toStrictEqual([]);
      expect(tempFolders()).toStrictEqual([]);
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
        const stdin = command.includes('password=-') ? `${password}\n` : command === 'vault login -no-print' ? `${rootToken}\n` : '';
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

    describe('a hostile catalog: every printed line runs exactly the intended argv, and its names never run as commands', () => {
      let hostile: SecretCatalog;
      const M = HOSTILE_MOUNT;
      /** `--` before the operands when one looks like an option, as the CLI prints it. */
      const ops = (...values: string[]): string[] => (values.some((v) => v.startsWith('-') && v !== '-') ? ['--', ...values] : values);
      const jqProgram = (keys: readonly string[]): string => `{${keys.map((k) => `${JSON.stringify(k)}: input`).join(', ')}}`
        + ' | if any(.[]; index("\\ufffd") != null) then error("a value is not UTF-8 text; nothing was sent to vault") else . end';
      const putArgv = (path: string): string[] => ['vault', 'kv', 'put', `-mount=${M}`, ...ops(path, '-')];

      beforeAll(() => {
        assertAccepted();
        hostile = hostileCatalog();
      });

      /** Pastes `line` and returns the argv of every program it ran, by program name (a pipeline's order is not recorded). */
      function argvOf(line: string, stdin = ''): string[][] {
        m.clear();
        paste(line, stdin);
        return m.calls().map((c) => [c.name, ...c.args]).sort((a, b) => a[0].localeCompare(b[0]));
      }

      afterEach(() => expect(m.calls().filter((c) => c.name === 'id')).toStrictEqual([]));

      test('new: every path, with values typed at the prompts', async () => {
        for (const path of hostile.paths) {
          // GIVEN
          const h = harness({ catalog: hostile });
          expect(await h.cli('new', ...ops(path.path))).toBe(EXIT.ok);
          shown.push(h.stdout(), h.stderr());

          // WHEN
          const ran = argvOf(h.stdout().trim(), path.keys.map((k) => `${valueOf(path, k)}\n`).join(''));

          // THEN
          expect([path.path, ran]).toStrictEqual([path.path, [['jq', '-Rn', jqProgram(path.keys)], putArgv(path.path)]]);
          expect(JSON.parse(m.calls().find((c) => c.name === 'vault')!.stdin)).toStrictEqual(Object.fromEntries(path.keys.map((k) => [k, valueOf(path, k)])));
        }
        expectNoValueExposed();
      });

      test('new: the file form', async () => {
        for (const path of [HOSTILE_PATHS[0], HOSTILE_PATHS[3], '-tls-skip-verify']) {
          // GIVEN
          const line = await fileForm(hostile, path);
          m.editorWrites({ content: '{"k": "v"}' });

          // WHEN
          const ran = argvOf(line);

          // THEN
          const file = ran.find(([name]) => name === 'editor')![1];
          const check = ['jq', 'if any(.. | strings; index("\\ufffd") != null) then error("a value is not UTF-8 text; nothing was sent to vault") else . end'];
          expect(ran).toStrictEqual([['editor', file], check, ['mktemp', '-d'], ['rm', '-rf', '--', file.slice(0, file.lastIndexOf('/'))], putArgv(path)]);
          expect(file.slice(file.lastIndexOf('/') + 1)).toBe(`${path.replace(/\//g, '-')}.json`);
        }
      });

      test('rebuild, Vault outside the cluster at a hostile address: every checklist line in order', async () => {
        // GIVEN
        const h = harness({ catalog: hostile, settings: HOSTILE_SETTINGS });
        expect(await h.cli('rebuild')).toBe(EXIT.ok);
        shown.push(h.stdout(), h.stderr());
        // every identity's real role, the declared one's odd name included, inside the comment
        expect(h.stdout()).toContain(`      # the Vault stack creates the ${HOSTILE_MOUNT}/ mount, ESO's auth roles _r.@-x_, 9@x.y-z_, the policies and the userpass login\n`);
        // and the store of each, in the title of the sync step
        expect(h.stdout()).toContain('ESO recreates every Secret through the store of its identity (ClusterSecretStore vault-backend for ns, role _r.@-x_; SecretStore v.a--ult in n-2, ns, role 9@x.y-z_).');
        // where to get each key a person enters: the hint and link stay inside their comment line
        expect(h.stdout()).toContain(`      #   ${HOSTILE_PATHS[0]} a.b: ${HOSTILE_HINT} (${HOSTILE_URL})\n      #   ${HOSTILE_PATHS[0]} --: (no origin declared)\n`);
        expect(h.stdout()).toContain(`      #   ${HOSTILE_PATHS[1]} k: ${HOSTILE_HINT}\n`);
        const lines = checklistCommands(h.stdout());

        // WHEN each line is pasted (an export with a printf of what it set)
        const ran: string[][][] = [];
        const exported: string[] = [];
        for (const line of lines) {
          const stdin = line.includes('password=-') ? 'password\n' : '';
          const name = /^export ([A-Z_]+)=/.exec(line)?.[1];
          ran.push(argvOf(name ? `${line}\nprintf '%s\\n' "$${name}" >&2` : line, stdin));
          if (name) exported.push(`${name}=${shown[shown.length - 1]}`);
        }

        // THEN
        expect(exported).toStrictEqual([
          `VAULT_ADDR=${HOSTILE_ADDRESS}\n`,
          `VAULT_CACERT=${m.work}/vault-ca.crt\n`,
          'VAULT_TOKEN=stand-in-token\n',
        ]);
        expect(ran).toStrictEqual([
          [['kubectl', '-n', 'external-secrets', 'get', 'pods']],
          [],
          [['base64', '-d'], ['kubectl', '-n', 'vault', 'get', 'secret', 'vault-tls', '-o', 'jsonpath={.data.ca\\.crt}']],
          [],
          [['vault', 'login', '-no-print']],
          [['vault', 'print', 'token']],
          [['npx', 'cdktf', 'deploy', 'vault']],
          [['vault', 'write', 'auth/userpass/users/operator', 'password=-', `token_policies=${M}-operator`]],
          [['vault', 'token', 'revoke', '-self']],
          [],
          [['vault', 'login', '-no-print', '-method=userpass', '-path=userpass', 'username=operator']],
          [['npx', 'homelab-secrets', 'seed']],
          ...HOSTILE_PATHS.map((path) => [['npx', 'homelab-secrets', 'force-sync', ...ops(path)]]),
          [['kubectl', 'get', 'clustersecretstore', 'vault-backend']],
          [['kubectl', 'get', 'secretstore', '-A', '--field-selector', `metadata.name=${HOSTILE_IDENTITY.store}`]],
          [['kubectl', 'get', 'externalsecret', '-A']],
          [['npx', 'homelab-secrets', 'check']],
        ]);
        expectNoValueExposed();
      });

      test('rebuild, Vault in the cluster with KMS: every line runs, with the mount and paths as they are', async () => {
        // GIVEN
        const h = harness({ catalog: hostile, settings: HOMELAB_SETTINGS });
        expect(await h.cli('rebuild')).toBe(EXIT.ok);
        shown.push(h.stdout(), h.stderr());

        // WHEN
        const ran = checklistCommands(h.stdout()).flatMap((line) => argvOf(line.replace('<BACKUP>', 'vault-daily-20260101'), line.includes('password=-') ? 'password\n' : ''));

        // THEN
        expect(ran.filter(([name, verb]) => name === 'vault' && (verb === 'kv' || verb === 'write'))).toStrictEqual([
          ['vault', 'write', 'auth/userpass/users/operator', 'password=-', `token_policies=${M}-operator`],
        ]);
        expect(ran.filter(([name, , verb]) => name === 'npx' && verb === 'seed')).toStrictEqual([['npx', 'homelab-secrets', 'seed']]);
        expect(ran.filter(([name, , verb]) => name === 'npx' && verb === 'force-sync')).toStrictEqual(HOSTILE_PATHS.map((path) => ['npx', 'homelab-secrets', 'force-sync', ...ops(path)]));
      });

      test('rotate: what it spawns, and what --dry-run and force-sync --dry-run print, pasted', async () => {
        // GIVEN the CLI spawning real processes on the stand-ins' PATH
        const env = { ...m.env };
        const rotate = harness({ catalog: hostile, stdin: `${SENTINEL}-a\n${SENTINEL}-b\n`, env, run: spawnRun(env) });
        m.clear();
        expect(await rotate.cli('rotate', '--', '-tls-skip-verify', 'k')).toBe(EXIT.ok);
        expect(await rotate.cli('rotate', HOSTILE_PATHS[0], '--', '-n', 'a.b')).toBe(EXIT.ok);
        const spawned = m.calls().map((c) => [c.name, ...c.args]).sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
        const dry = harness({ catalog: hostile });
        expect(await dry.cli('rotate', '--dry-run', '--', '-tls-skip-verify', 'k')).toBe(EXIT.ok);
        expect(await dry.cli('force-sync', '--dry-run', HOSTILE_PATHS[2])).toBe(EXIT.ok);
        shown.push(rotate.stdout(), rotate.stderr(), dry.stdout(), dry.stderr());

        // WHEN
        const pasted = dry.stdout().split('\n').filter((l) => l && !l.startsWith('#')).map((line) => argvOf(line, line.startsWith('vault') ? '{"k": "v"}' : ''));

        // THEN
        expect(spawned).toStrictEqual([
          ['kubectl', 'annotate', 'externalsecret', '-n', 'ns', 't0', 'force-sync=1700000000000', '--overwrite'],
          ['kubectl', 'annotate', 'externalsecret', '-n', 'ns', 't4', 'force-sync=1700000000000', '--overwrite'],
          ['vault', 'kv', 'patch', `-mount=${M}`, '--', '-tls-skip-verify', '-'],
          ['vault', 'kv', 'patch', `-mount=${M}`, HOSTILE_PATHS[0], '-'],
        ]);
        expect(pasted).toStrictEqual([
          [['vault', 'kv', 'patch', `-mount=${M}`, '--', '-tls-skip-verify', '-']],
          [['kubectl', 'annotate', 'externalsecret', '-n', 'ns', 't4', 'force-sync=1700000000000', '--overwrite']],
          [['kubectl', 'annotate', 'externalsecret', '-n', 'ns', 't2', 'force-sync=1700000000000', '--overwrite']],
        ]);
        expectNoValueExposed();
      });

      test('seed: the commands its advice on a deleted path prints, with and without --dry-run, pasted; its prose shows no control character', async () => {
        // GIVEN a Vault where every other path with a generated key has its current version deleted;
        // seed writes into the rest and advises on these
        const vault = fakeKv2({ mount: M });
        const deleted = HOSTILE_GENERATED_PATHS.filter((_, index) => index % 2 === 0);
        for (const path of deleted) {
          vault.put(path, { old: 'x' });
          vault.deleteCurrent(path);
        }
        const env = { VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 'test-token' };
        const dry = harness({ catalog: hostile, env, fetch: vault.fetch });
        expect(await dry.cli('seed', '--dry-run')).toBe(EXIT.ok);
        const run = harness({ catalog: hostile, env, fetch: vault.fetch });
        expect(await run.cli('seed')).toBe(EXIT.failed);
        const printed = [dry.stdout(), dry.stderr(), run.stdout(), run.stderr()];
        shown.push(...printed);
        const advice = (stderr: string): string[] => stderr.split('\n').flatMap((line) => {
          const found = /^homelab-secrets: .*?: its current version 1 is deleted, so nothing is written there: restore it with `(.*)`, or remove the path with every version \(`(.*)`\), then run seed again \(the operator policy grants neither: .*\)$/.exec(line);
          return found ? [found[1], found[2]] : [];
        });

        // WHEN each command of the advice is pasted
        const ran = [...advice(dry.stderr()), ...advice(run.stderr())].map((line) => argvOf(line));

        // THEN each runs exactly the vault command meant, for the path as it is
        const meant = deleted.flatMap((path) => [
          [['vault', 'kv', 'undelete', `-mount=${M}`, '-versions=1', ...ops(path)]],
          [['vault', 'kv', 'metadata', 'delete', `-mount=${M}`, ...ops(path)]],
        ]);
        expect(ran).toStrictEqual([...meant, ...meant]);
        // the prose names the mount, paths and hints as text, and no control character reaches the terminal
        // eslint-disable-next-line no-control-regex
        expect(printed.filter((text) => /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text))).toStrictEqual([]);
        expect(dry.stdout()).toContain(`, mount ${printable(M)}/:\n`);
        expect(run.stdout()).toContain(`  ${HOSTILE_PATHS[1]} k: ${HOSTILE_HINT}\n`);
        expect(HOSTILE_GENERATED_PATHS.filter((path) => !deleted.includes(path)).map((path) => vault.current(path))).toStrictEqual([
          { k: expect.stringMatching(/^[A-Za-z0-9]{8}$/) }, { k: expect.stringMatching(/^[A-Za-z0-9]{8}$/) }, { k: expect.stringMatching(/^[A-Za-z0-9]{8}$/) },
        ]);
      });

      test('the help examples of new, rotate and force-sync', async () => {
        // GIVEN
        const h = harness({ catalog: hostile });
        for (const command of ['new', 'rotate', 'force-sync']) await h.cli(command, '--help');
        shown.push(h.stdout(), h.stderr());
        const examples = h.stdout().split('\n').filter((l) => l.startsWith('  $ ')).map((l) => l.slice(4));

        // WHEN
        const ran = examples.map((line) => argvOf(line).filter(([name]) => name === 'npx'));

        // THEN
        expect(ran).toStrictEqual([
          [['npx', 'homelab-secrets', 'new', HOSTILE_PATHS[0]]],
          [['npx', 'homelab-secrets', 'rotate', '--', HOSTILE_PATHS[0], '-n']],
          [['npx', 'homelab-secrets', 'rotate', '--', HOSTILE_PATHS[0], '-n', 'a.b']],
          [['npx', 'homelab-secrets', 'rotate', '--dry-run', '--', HOSTILE_PATHS[0], '-n']],
          [['npx', 'homelab-secrets', 'force-sync', HOSTILE_PATHS[0]]],
          [['npx', 'homelab-secrets', 'force-sync', 't0', '--dry-run']],
        ]);
      });

      test('the check can fail: an unquoted name runs id', () => {
        // GIVEN the line `new` printed before names were quoted
        paste("vault kv put -mount=homelab apps/$(id) -");

        // THEN
        expect(m.calls().filter((c) => c.name === 'id')).toHaveLength(1);
        m.clear();
      });
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
