/**
 * The CLI's exit codes, written once. The program's help, every command's help and the exit-code
 * table of docs/operations.md are rendered from here (test/readme.test.ts keeps the docs equal).
 * This module imports nothing, so the docs test and the help read it without loading a command.
 */

/**
 * Exit codes shared by every command. 1 means "ran, and found or caused a problem" (drift, a failed
 * vault/kubectl call); 2 means "could not run as asked" (bad input, unknown path or key, Vault
 * unreachable or denying access).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** A bug: anything thrown that is not a CliError. */
  internal: 70,
  /** Ctrl-C at a hidden prompt. */
  interrupted: 130,
} as const;

/** One of the codes in {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One exit code and what it means. */
export interface ExitCodeMeaning {
  readonly code: ExitCode;
  readonly meaning: string;
}

/** What each code means for the CLI as a whole: the program's `--help`. */
export const EXIT_CODE_MEANINGS: readonly ExitCodeMeaning[] = [
  { code: EXIT.ok, meaning: 'success' },
  { code: EXIT.failed, meaning: 'ran, and found or caused a problem (drift, a failed vault or kubectl call)' },
  { code: EXIT.usage, meaning: 'could not run as asked (usage error, invalid catalog, unknown path, key or Secret, Vault unreachable or denying access)' },
  { code: EXIT.internal, meaning: 'a bug (an internal error, printed with its stack)' },
  { code: EXIT.interrupted, meaning: 'Ctrl-C at a prompt' },
];

/** The codes every command can exit with, besides its own. */
export const COMMON_EXIT_CODES: readonly ExitCodeMeaning[] = [
  { code: EXIT.usage, meaning: 'a usage error (unknown command or option, missing argument) or an invalid catalog' },
  { code: EXIT.internal, meaning: 'a bug (an internal error, printed with its stack)' },
];

/** The operator commands, in the order the program lists them. */
export const COMMAND_NAMES = ['table', 'new', 'rotate', 'force-sync', 'check', 'seed', 'status', 'kms-secret', 'rebuild', 'import'] as const;

/** The name of one operator command. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Each command's own exit codes; {@link COMMON_EXIT_CODES} apply to every command as well. */
export const COMMAND_EXIT_CODES: Readonly<Record<CommandName, readonly ExitCodeMeaning[]>> = {
  'table': [
    { code: EXIT.ok, meaning: 'printed' },
  ],
  'new': [
    { code: EXIT.ok, meaning: 'printed' },
    { code: EXIT.usage, meaning: 'unknown path' },
  ],
  'rotate': [
    { code: EXIT.ok, meaning: 'patched and force-synced' },
    { code: EXIT.failed, meaning: '`vault kv patch` failed (nothing changed) or a `kubectl` call failed (the values are changed)' },
    { code: EXIT.usage, meaning: 'unknown path, undeclared or repeated key, missing, empty or non-UTF-8 value, stdin over 32 MiB (nothing changed)' },
    { code: EXIT.interrupted, meaning: 'Ctrl-C at a prompt (nothing changed)' },
  ],
  'force-sync': [
    { code: EXIT.ok, meaning: 'all annotated' },
    { code: EXIT.failed, meaning: 'a `kubectl` call failed (the others still ran)' },
    { code: EXIT.usage, meaning: 'nothing matches' },
  ],
  'check': [
    { code: EXIT.ok, meaning: 'no drift' },
    { code: EXIT.failed, meaning: 'drift' },
    { code: EXIT.usage, meaning: 'Vault unreachable, access denied, no such mount, no Vault address or token, or an unreadable `VAULT_CACERT`' },
  ],
  'seed': [
    { code: EXIT.ok, meaning: 'every declared key is in Vault (with `--dry-run`: the plan is printed)' },
    { code: EXIT.failed, meaning: 'keys are still missing: not entered (listed with where to get them; without a terminal none is asked for), or on a path seed may not write (a deleted current version)' },
    { code: EXIT.usage, meaning: 'Vault unreachable, access denied, no such mount or not KV version 2, no Vault address or token, an unreadable `VAULT_CACERT`, or a typed value that is not UTF-8 (what was written stays)' },
    { code: EXIT.interrupted, meaning: 'Ctrl-C at a prompt (what was written stays)' },
  ],
  'status': [
    { code: EXIT.ok, meaning: 'every row synced' },
    { code: EXIT.failed, meaning: 'a row is not synced (each named on stderr)' },
    { code: EXIT.usage, meaning: 'no current context, the cluster unreachable or refusing, ESO\'s CRDs missing, or kubectl not on PATH' },
  ],
  'kms-secret': [
    { code: EXIT.ok, meaning: 'printed' },
    { code: EXIT.usage, meaning: 'no input, unreadable file, input over 1 MiB, not JSON, missing or malformed output' },
  ],
  'rebuild': [
    { code: EXIT.ok, meaning: 'printed' },
  ],
  'import': [
    { code: EXIT.ok, meaning: 'written (with `--verify`: and every ExternalSecret, store, ServiceAccount, role and policy synthesizes the same)' },
    { code: EXIT.failed, meaning: 'written, but `--verify` found a difference, or the module does not load' },
    { code: EXIT.usage, meaning: 'something the library cannot express, no namespace, unreadable, oversized or invalid input, an `--out` that exists (without `--force`), is a link or an input, or cannot be written (nothing written)' },
  ],
};

/** Whether `name` is one of {@link COMMAND_NAMES}. */
export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** A command's codes with the common ones merged in: one entry per code, in ascending order. */
export function exitCodesOf(command: CommandName): ExitCodeMeaning[] {
  const byCode = new Map<ExitCode, string[]>();
  for (const { code, meaning } of [...COMMAND_EXIT_CODES[command], ...COMMON_EXIT_CODES]) {
    byCode.set(code, [...byCode.get(code) ?? [], meaning]);
  }
  return [...byCode].sort(([a], [b]) => a - b).map(([code, meanings]) => ({ code, meaning: meanings.join(', or ') }));
}

/** `0 printed; 2 unknown path` */
function joinCodes(codes: readonly ExitCodeMeaning[]): string {
  return codes.map(({ code, meaning }) => `${code} ${meaning}`).join('; ');
}

/** Width the help text is wrapped to; continuation lines are indented by two spaces. */
const HELP_WIDTH = 100;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length > HELP_WIDTH && line !== '') {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = candidate;
    }
  }
  return [...lines, line];
}

/** The `Exit codes: ...` lines of one command's `--help`, ending with a blank line. */
export function renderCommandExitCodes(command: CommandName): string {
  return [...wrap(`Exit codes: ${joinCodes(exitCodesOf(command))}.`), ''].join('\n');
}

/** The `Exit codes: ...` lines of the program's `--help`, between blank lines. */
export function renderProgramExitCodes(): string {
  return ['', ...wrap(`Exit codes: ${joinCodes(EXIT_CODE_MEANINGS)}. \`<command> --help\` has each command's own.`), ''].join('\n');
}

/** The Markdown table of every command's exit codes, as docs/operations.md holds it between its markers. */
export function renderExitCodeTable(): string {
  return [
    '| Command | Exit codes |',
    '|---|---|',
    ...COMMAND_NAMES.map((command) => `| \`${command}\` | ${joinCodes(COMMAND_EXIT_CODES[command])} |`),
    `| every command | ${joinCodes(COMMON_EXIT_CODES)} |`,
    '',
  ].join('\n');
}
