import { CatalogValidationError } from '../catalog';

/**
 * Runs a synth entry point. A catalog mistake is the user's, so it prints as a readable list with a
 * count and exit code 1, without a stack trace; anything else is a bug and keeps its trace.
 */
export function runSynthMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (error instanceof CatalogValidationError) {
      process.stderr.write(`homelab-secrets: ${error.message}\nNothing was written.\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
