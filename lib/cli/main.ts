import type { Declaration } from '../catalog';
import { nodeContext } from './node-context';
import { runCli } from './program';

/** Options of `cliMain`. */
export interface CliMainOptions {
  /** The folder the Terraform stacks are synthesized into. @default 'cdktf.out' */
  readonly terraformOutdir?: string;
}

/**
 * Runs the operator CLI over `declaration` with this process's arguments, streams and environment,
 * and sets the exit code: a project's whole CLI entry point is `cliMain(myDeclaration())`.
 */
export function cliMain(declaration: Declaration, options: CliMainOptions = {}): Promise<void> {
  // `homelab-secrets table | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  return runCli(nodeContext(declaration, options), process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
