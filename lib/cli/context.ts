import { type PlatformSettings, type ResolvedPlatformSettings, type SecretCatalog, resolveSettings, settingsProblems } from '../catalog';
import { DEFAULT_TERRAFORM_OUTDIR, TERRAFORM_STACKS, stackDir } from '../tf/stack-names';

import { EXIT } from './exit-codes';

/** Moved to exit-codes.ts, where every command's codes are written; re-exported so imports keep working. */
export { EXIT };

/** A user-facing error: its message is printed as is (no stack trace), then the CLI exits with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes its text. */
export interface CliOutput {
  write(text: string): void;
}

/** Where a command reads values and documents from. */
export interface CliStdin {
  /** Whether stdin is a terminal; rotate then prompts without echo instead of reading lines. */
  readonly isTTY: boolean;
  /** All of stdin as UTF-8 text, up to end of input; a CliError when it is not UTF-8 (see {@link stdinText}). */
  readAll(): Promise<string>;
  /**
   * All of stdin as bytes, up to end of input: `rotate` frames and checks its values itself. With
   * `limit`, reading stops once more than `limit` bytes have arrived (the caller refuses those).
   */
  readBytes(limit?: number): Promise<Uint8Array>;
  /** The identity (`<device>:<inode>`) of the file stdin is redirected from, if it is one: `import --out` never overwrites it. @default - none */
  fileId?(): string | undefined;
  /** One line typed at the terminal, not echoed, as UTF-8 text (a CliError when it is not); the prompt goes to the terminal, not to stdout. */
  readHidden(prompt: string): Promise<string>;
}

/** Options of a child process. */
export interface RunOptions {
  /** Written to the child's stdin, which is then closed. @default nothing (stdin closed at once) */
  readonly input?: string;
  /** The child's environment. @default - the context's `env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a child process did. Its output is captured, never passed through. */
export interface RunResult {
  /** The exit code; 127 when the program could not be started (not found, not executable). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Everything a command touches outside itself. The real CLI builds it from `process`
 * ({@link nodeContext}); unit tests pass fakes, so no command needs a terminal, a cluster or a spawn.
 */
export interface CliContext {
  /** The declaration every command works from. */
  readonly catalog: SecretCatalog;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliStdin;
  /** Environment variables (VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, VAULT_BIN, HOME, PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds since the epoch; the force-sync annotation's value derives from it. */
  now(): number;
  /** Runs `cmd` with `args` as an argument array, without a shell. */
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Makes HTTP requests to Vault (tests pass a fake). @default - node:https trusting exactly VAULT_CACERT when set, else the system roots (vaultFetch) */
  readonly fetch?: typeof fetch;
  /** The settings beyond the catalog (KMS key, Vault install) that `rebuild` and `kms-secret` quote. @default - the generic defaults, without a KMS region */
  readonly settings?: PlatformSettings;
  /** The folder the Terraform stacks are synthesized into. @default 'cdktf.out' */
  readonly terraformOutdir?: string;
}

/** The KMS stack's folder for `ctx`, where `terraform output` runs. */
export function kmsStackDir(ctx: CliContext): string {
  return stackDir(TERRAFORM_STACKS.kmsUnseal, ctx.terraformOutdir ?? DEFAULT_TERRAFORM_OUTDIR);
}

/** Settings quoted when a context has none: every generic default, and a region nobody can mistake for one. */
const NO_SETTINGS: PlatformSettings = { kms: { region: '<region>' } };

/**
 * The context's settings with defaults resolved. Invalid settings resolve as the defaults: the
 * program refuses them before any command runs, but builds its help (which quotes them) first.
 */
export function cliSettings(ctx: CliContext): ResolvedPlatformSettings & { readonly regionKnown: boolean } {
  const valid = ctx.settings !== undefined && settingsProblems(ctx.settings).length === 0;
  return { ...resolveSettings(valid ? ctx.settings! : NO_SETTINGS), regionKnown: valid };
}

/** How a command's action hands its exit code to the program. */
export type ReportExit = (exitCode: number) => void;
