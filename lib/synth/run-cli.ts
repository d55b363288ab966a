import { CatalogValidationError } from '../catalog';
import { SettingsError } from '../platform/settings-error';

/**
 * Runs a synth entry point. A catalog or settings mistake is the user's, so it prints readably (the
 * catalog's as a list with a count) with exit code 1 and no stack trace; anything else is a bug and
 * keeps its trace. Either way nothing was written: synthOutputs swaps outputs in only at the end.
 */
export function runSynthMain(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (error instanceof CatalogValidationError || error instanceof SettingsError) {
      const what = error instanceof SettingsError ? 'invalid setting: ' : '';
      process.stderr.write(`homelab-secrets: ${what}${error.message}\nNothing was written.\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
