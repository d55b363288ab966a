import { CatalogValidationError, SettingsError, formatIssues } from '../catalog';
import { issuesOfValidationFailure } from './construct-validation';
import { MissingPeerError } from './peer-dependency';

/**
 * The text a user mistake prints, or undefined for a bug. Catalog and settings issues, a construct's
 * SettingsError, cdk8s's or cdktf's validation failures and a missing peer dependency all print the same way.
 */
export function describeUserError(error: unknown): string | undefined {
  if (error instanceof CatalogValidationError) return error.message;
  if (error instanceof MissingPeerError) return error.message;
  if (error instanceof SettingsError) return `invalid setting: ${error.message}`;
  const issues = issuesOfValidationFailure(error);
  return issues ? formatIssues(issues) : undefined;
}

/**
 * Runs a synth entry point. A mistake in the catalog or the settings is the user's, so it prints as
 * a list with a count, exit code 1 and no stack trace; anything else is a bug and keeps its trace.
 * Either way nothing was written: synthOutputs swaps outputs in only at the end.
 */
export function runSynthMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    const text = describeUserError(error);
    if (text === undefined) throw error;
    process.stderr.write(`homelab-secrets: ${text}\nNothing was written.\n`);
    process.exitCode = 1;
  }
}
