import type { SecretCatalog } from '../catalog';
import type { ResolvedKmsUnseal } from '../platform';
import { EXIT } from './exit-codes';

/** Moved to exit-codes.ts, where every command's codes are written; re-exported so imports keep working. */
export { EXIT } from './exit-codes';

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
  /** All of stdin as text, up to end of input. */
  readAll(): Promise<string>;
  /** One line typed at the terminal, not echoed; the prompt goes to the terminal, not to stdout. */
  readHidden(prompt: string): Promise<string>;
}

/** Options of a child process. */
export interface RunOptions {
  /** Written to the child's stdin, which is then closed. @default nothing (stdin closed at once) */
  readonly input?: string;
  /** The child's environment. @default the context's `env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a child process did. Its output is captured, never passed through. */
export interface RunResult {
  /** The exit code; 127 when the program could not be started (not found, not executable). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Platform settings beyond the catalog that `rebuild` quotes. */
export interface CliPlatform {
  /** The AWS KMS unseal key. @default the KMS defaults (alias/vault-unseal), region unknown */
  readonly kms?: ResolvedKmsUnseal;
  /** Folder of the KMS stack's synthesized Terraform, where `terraform output` runs. @default DEFAULT_KMS_STACK_DIR */
  readonly kmsStackDir?: string;
}

/**
 * Where `npm run synth` writes the KMS stack (`DEFAULT_TERRAFORM_OUTDIR/stacks/TERRAFORM_STACKS.kmsUnseal`
 * of lib/synth/terraform-part). A literal because importing that module loads cdktf and the AWS
 * provider, 0.4 s on every command; test/cli/rebuild.test.ts keeps the two equal.
 */
export const DEFAULT_KMS_STACK_DIR = 'cdktf.out/stacks/kms-unseal';

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
  /** Environment variables (VAULT_ADDR, VAULT_TOKEN, VAULT_BIN, PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds since the epoch; the force-sync annotation's value derives from it. */
  now(): number;
  /** Runs `cmd` with `args` as an argument array, without a shell. */
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Makes HTTP requests to Vault. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** KMS settings quoted by `rebuild`. @default the KMS defaults, without a region */
  readonly platform?: CliPlatform;
}

/** The KMS stack's folder for `ctx`, default resolved. */
export function kmsStackDir(ctx: CliContext): string {
  return ctx.platform?.kmsStackDir ?? DEFAULT_KMS_STACK_DIR;
}

/** How a command's action hands its exit code to the program. */
export type ReportExit = (exitCode: number) => void;
