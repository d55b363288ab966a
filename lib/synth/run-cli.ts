import { CatalogValidationError, formatIssues, isProxy } from '../catalog';
import { issuesOfValidationFailure } from './construct-validation';
import { OutputError } from './output-error';
import { MissingPeerError } from './peer-dependency';
import { describeDeclarationError, describeModuleFailure } from './user-error';

/** The exit codes of a synth entry point (`runSynthMain`, scripts/synth.mjs); docs/library.md lists them. */
export const SYNTH_EXIT = {
  ok: 0,
  /** The declaration is wrong: a catalog, settings or construct mistake, an exception its own code threw, or a peer dependency it uses that the project has not installed. */
  declaration: 1,
  /** An output cannot be written (file system, wrong kind, a file the synth did not write, another synth), or the entry or a module it imports is missing or not a module. */
  output: 2,
  /** A bug in homelab-secrets: printed with its stack. */
  internal: 70,
} as const;

/**
 * The text a user mistake prints, or undefined for a bug. Catalog and settings issues, a construct's
 * refused prop, cdk8s's or cdktf's validation failures and a missing peer dependency all print the same way.
 */
export function describeUserError(error: unknown): string | undefined {
  if (error instanceof CatalogValidationError) return error.message;
  if (error instanceof MissingPeerError) return error.message;
  const issues = issuesOfValidationFailure(error);
  return issues ? formatIssues(issues) : undefined;
}

/** What a synth entry point prints for `error` on stderr, and its exit code. */
export function synthFailure(error: unknown): { readonly exitCode: number; readonly text: string } {
  // A Proxy thrown by the declaration: instanceof below would run its traps.
  if (isProxy(error)) return { exitCode: SYNTH_EXIT.declaration, text: `homelab-secrets: ${describeDeclarationError(error)}\nNothing was written.\n` };
  if (error instanceof OutputError) return { exitCode: SYNTH_EXIT.output, text: `homelab-secrets: ${error.message}\n` };
  const notLoaded = describeModuleFailure(error);
  if (notLoaded !== undefined) return { exitCode: SYNTH_EXIT.output, text: `homelab-secrets: ${notLoaded}\nNothing was written.\n` };
  const text = describeUserError(error) ?? describeDeclarationError(error);
  if (text !== undefined) return { exitCode: SYNTH_EXIT.declaration, text: `homelab-secrets: ${text}\nNothing was written.\n` };
  const stack = error instanceof Error ? error.stack ?? error.message : String(error);
  return { exitCode: SYNTH_EXIT.internal, text: `homelab-secrets: internal error (a bug in homelab-secrets): ${stack}\nNothing was written.\n` };
}

/**
 * Runs a synth entry point. A mistake in the catalog or the settings, a peer dependency the project
 * has not installed (one line), or an exception the declaration's own code threw (with its file and
 * line), is the user's: it prints without a stack trace, exit code 1. An output that cannot be written prints one line, exit code 2. Anything else is
 * a bug: its stack, exit code 70. Either way nothing was written: synthOutputs swaps outputs in only
 * at the end, all or none.
 */
export function runSynthMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    const { exitCode, text } = synthFailure(error);
    process.stderr.write(text);
    process.exitCode = exitCode;
  }
}
