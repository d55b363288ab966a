import { EventEmitter } from 'node:events';
import { SecretCatalog } from '../../lib/catalog';
import { CliError, EXIT, HiddenLineReader, RawModeInput, spawnRun } from '../../lib/cli';
import { harness } from './support/cli-harness';

const COMMANDS = ['table', 'new', 'rotate', 'force-sync', 'check', 'seed', 'status', 'kms-secret', 'rebuild', 'import'];

/** The last lines of each command's help: its exit codes, as lib/cli/exit-codes.ts renders them. */
const HELP_EXIT_CODES: Record<string, string> = {
  'table': [
    'Exit codes: 0 printed; 2 a usage error (unknown command or option, missing argument) or an invalid',
    '  catalog; 70 a bug (an internal error, printed with its stack).',
  ].join('\n'),
  'new': [
    'Exit codes: 0 printed; 2 unknown path, or a usage error (unknown command or option, missing',
    '  argument) or an invalid catalog; 70 a bug (an internal error, printed with its stack).',
  ].join('\n'),
  'rotate': [
    'Exit codes: 0 patched and force-synced; 1 `vault kv patch` failed (nothing changed) or a `kubectl`',
    '  call failed (the values are changed); 2 unknown path, undeclared or repeated key, missing, empty',
    '  or non-UTF-8 value, stdin over 32 MiB (nothing changed), or a usage error (unknown command or',
    '  option, missing argument) or an invalid catalog; 70 a bug (an internal error, printed with its',
    '  stack); 130 Ctrl-C at a prompt (nothing changed).',
  ].join('\n'),
  'force-sync': [
    'Exit codes: 0 all annotated; 1 a `kubectl` call failed (the others still ran); 2 nothing matches, or',
    '  a usage error (unknown command or option, missing argument) or an invalid catalog; 70 a bug (an',
    '  internal error, printed with its stack).',
  ].join('\n'),
  'check': [
    'Exit codes: 0 no drift; 1 drift; 2 Vault unreachable, access denied, no such mount, no Vault address',
    '  or token, or an unreadable `VAULT_CACERT`, or a usage error (unknown command or option, missing',
    '  argument) or an invalid catalog; 70 a bug (an internal error, printed with its stack).',
  ].join('\n'),
  'seed': [
    'Exit codes: 0 every declared key is in Vault (with `--dry-run`: the plan is printed); 1 keys are',
    '  still missing: not entered (listed with where to get them; without a terminal none is asked for),',
    '  or on a path seed may not write (a deleted current version); 2 Vault unreachable, access denied,',
    '  no such mount or not KV version 2, no Vault address or token, an unreadable `VAULT_CACERT`, or a',
    '  typed value that is not UTF-8 (what was written stays), or a usage error (unknown command or',
    '  option, missing argument) or an invalid catalog; 70 a bug (an internal error, printed with its',
    '  stack); 130 Ctrl-C at a prompt (what was written stays).',
  ].join('\n'),
  'status': [
    'Exit codes: 0 every row synced; 1 a row is not synced (each named on stderr); 2 no current context,',
    '  the cluster unreachable or refusing, ESO\'s CRDs missing, or kubectl not on PATH, or a usage error',
    '  (unknown command or option, missing argument) or an invalid catalog; 70 a bug (an internal error,',
    '  printed with its stack).',
  ].join('\n'),
  'kms-secret': [
    'Exit codes: 0 printed; 2 no input, unreadable file, input over 1 MiB, not JSON, missing or malformed',
    '  output, or a usage error (unknown command or option, missing argument) or an invalid catalog; 70 a',
    '  bug (an internal error, printed with its stack).',
  ].join('\n'),
  'rebuild': [
    'Exit codes: 0 printed; 2 a usage error (unknown command or option, missing argument) or an invalid',
    '  catalog; 70 a bug (an internal error, printed with its stack).',
  ].join('\n'),
  'import': [
    'Exit codes: 0 written (with `--verify`: and every ExternalSecret, store, ServiceAccount, role and',
    '  policy synthesizes the same); 1 written, but `--verify` found a difference, or the module does not',
    '  load; 2 something the library cannot express, no namespace, unreadable, oversized or invalid',
    '  input, an `--out` that exists (without `--force`), is a link or an input, or cannot be written',
    '  (nothing written), or a usage error (unknown command or option, missing argument) or an invalid',
    '  catalog; 70 a bug (an internal error, printed with its stack).',
  ].join('\n'),
};

describe('the program', () => {
  test.each(COMMANDS)('`%s --help` prints its usage, ends with its exit codes, and exits 0', async (command) => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli(command, '--help');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toMatch(new RegExp(`^Usage: homelab-secrets ${command} `));
    expect(h.stdout().endsWith(`\n\n${HELP_EXIT_CODES[command]}\n\n`)).toBe(true);
    expect(h.stdout().match(/Exit codes/g)).toStrictEqual(['Exit codes']);
    expect(h.runs).toStrictEqual([]);
  });

  test('`rebuild --help` is exactly its usage, example and exit codes', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    await h.cli('rebuild', '--help');

    // THEN
    expect(h.stdout()).toBe([
      'Usage: homelab-secrets rebuild [options]',
      '',
      'print the disaster-recovery order as a checklist of exact commands: KMS Secret,',
      'Argo CD bootstrap, Velero restore or init, seed, sync and check',
      '',
      'Options:',
      '  -h, --help  display help for command',
      '',
      'Example:',
      '  $ npx homelab-secrets rebuild > rebuild.txt',
      '',
      HELP_EXIT_CODES.rebuild,
      '',
      '',
    ].join('\n'));
  });

  test('--help ends with what each exit code means for the whole CLI', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    await h.cli('--help');

    // THEN
    expect(h.stdout().endsWith([
      '  help [command]                    display help for command',
      '',
      'Exit codes: 0 success; 1 ran, and found or caused a problem (drift, a failed vault or kubectl call);',
      '  2 could not run as asked (usage error, invalid catalog, unknown path, key or Secret, Vault',
      '  unreachable or denying access); 70 a bug (an internal error, printed with its stack); 130 Ctrl-C',
      '  at a prompt. `<command> --help` has each command\'s own.',
      '',
      '',
    ].join('\n'))).toBe(true);
  });

  test('--help lists every command', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('--help');

    // THEN
    expect(code).toBe(EXIT.ok);
    const commands = h.stdout().split('\nCommands:\n')[1].split('\n\n')[0];
    // A command's line starts two spaces in; its summary's wrapped lines are indented further.
    const listed = commands.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(listed).toStrictEqual([...COMMANDS, 'help']);
  });

  test('`help rotate` is `rotate --help`', async () => {
    // GIVEN
    const viaHelp = harness();
    const viaOption = harness();

    // WHEN
    const code = await viaHelp.cli('help', 'rotate');
    await viaOption.cli('rotate', '--help');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(viaHelp.stdout()).toBe(viaOption.stdout());
  });

  test('no command prints the help on stderr and exits 2', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli();

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toMatch(/^Usage: homelab-secrets \[options\] \[command\]/);
  });

  test.each([
    [['rotat', 'apps/vpn'], "error: unknown command 'rotat'\n(Did you mean rotate?)\n"],
    [['rotate', 'apps/vpn'], "error: missing required argument 'key'\n"],
    [['new', 'apps/vpn', 'extra'], "error: too many arguments for 'new'. Expected 1 argument but got 2.\n"],
    [['check', '--jsn'], "error: unknown option '--jsn'\n(Did you mean --json?)\n"],
  ])('usage error %j exits 2 with commander\'s message', async (argv, message) => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli(...argv);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`${message}(add --help for usage)\n`);
    expect(h.runs).toStrictEqual([]);
  });

  test('an invalid catalog is reported before any command runs', async () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'Bad', namespace: 'arr' });
    const h = harness({ catalog });

    // WHEN
    const code = await h.cli('force-sync', 'apps/a');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: 1 error in the secret catalog and its settings:\n  - apps/a → Bad in arr: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('a settings mistake is reported with the catalog\'s before any command runs', async () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'homelab' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'Bad', namespace: 'arr' });
    const h = harness({ catalog, settings: { kms: { region: 'eu-central' } } });

    // WHEN
    const code = await h.cli('rebuild');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - apps/a → Bad in arr: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      '  - settings.kms: region "eu-central" must be an AWS region such as "eu-central-1"',
      '',
    ].join('\n'));
    expect(h.stdout()).toBe('');
  });

  test('anything else is a bug: exit 70 with the stack', async () => {
    // GIVEN
    const h = harness({ run: () => { throw new Error('boom'); } });

    // WHEN
    const code = await h.cli('force-sync', 'apps/vpn');

    // THEN
    expect(code).toBe(EXIT.internal);
    expect(h.stderr()).toMatch(/^homelab-secrets: internal error: Error: boom\n {4}at /);
  });
});

/** A terminal's input in raw mode, driven by the test. */
class FakeTty extends EventEmitter implements RawModeInput {
  public readonly rawModes: boolean[] = [];
  public setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
  public setEncoding(): this {
    return this;
  }
  public resume(): this {
    return this;
  }
  public pause(): this {
    return this;
  }
  public type(text: string): void {
    this.emit('data', text);
  }
}

describe('HiddenLineReader', () => {
  test('reads a line in raw mode without echoing it; Backspace deletes', async () => {
    // GIVEN
    const tty = new FakeTty();
    let written = '';
    const reader = new HiddenLineReader(tty, { write: (t) => (written += t) });

    // WHEN
    const line = reader.read('Value: ');
    tty.type('s3cr');
    tty.type('x\u007fet\r');

    // THEN
    await expect(line).resolves.toBe('s3cret');
    expect(written).toBe('Value: \n');
    expect(tty.rawModes).toStrictEqual([true, false]);
    expect(tty.listenerCount('data')).toBe(0);
  });

  test('turns echo off before it shows the prompt, so a value typed at once is never echoed', async () => {
    // GIVEN a terminal that records the order of mode changes and output
    const tty = new FakeTty();
    const order: string[] = [];
    const setRawMode = tty.setRawMode.bind(tty);
    tty.setRawMode = (mode: boolean) => {
      order.push(`raw ${mode}`);
      return setRawMode(mode);
    };
    const reader = new HiddenLineReader(tty, { write: (t) => order.push(`write ${JSON.stringify(t)}`) });

    // WHEN
    const line = reader.read('Value: ');
    tty.type('v\r');
    await line;

    // THEN
    expect(order).toStrictEqual(['raw true', 'write "Value: "', 'raw false', 'write "\\n"']);
  });

  test('keeps what follows a line for the next read, and counts CR LF once', async () => {
    // GIVEN
    const tty = new FakeTty();
    const reader = new HiddenLineReader(tty, { write: () => undefined });

    // WHEN
    const first = reader.read('Value: ');
    tty.type('one\r\ntwo\r');
    const lines = [await first, await reader.read('Repeat: ')];

    // THEN
    expect(lines).toStrictEqual(['one', 'two']);
    expect(tty.rawModes).toStrictEqual([true, false, true, false]);
  });

  test('Ctrl-C aborts with exit 130 and leaves raw mode', async () => {
    // GIVEN
    const tty = new FakeTty();
    const reader = new HiddenLineReader(tty, { write: () => undefined });

    // WHEN
    const line = reader.read('Value: ');
    tty.type('abc\u0003');

    // THEN
    await expect(line).rejects.toStrictEqual(new CliError('interrupted; nothing was changed', EXIT.interrupted));
    expect(tty.rawModes).toStrictEqual([true, false]);
  });
});

describe('spawnRun', () => {
  test('passes an argument array and stdin to the child, without a shell', async () => {
    // GIVEN
    const run = spawnRun(process.env);

    // WHEN
    const result = await run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout); process.stderr.write(process.argv[1])', '$(echo not-a-shell) *'], { input: 'from stdin' });

    // THEN
    expect(result).toStrictEqual({ exitCode: 0, stdout: 'from stdin', stderr: '$(echo not-a-shell) *' });
  });

  test('a program that cannot be started gives 127', async () => {
    // GIVEN
    const run = spawnRun({ PATH: '/nonexistent' });

    // WHEN
    const result = await run('kubectl', ['version']);

    // THEN
    expect(result).toStrictEqual({ exitCode: 127, stdout: '', stderr: 'kubectl: spawn kubectl ENOENT' });
  });
});
