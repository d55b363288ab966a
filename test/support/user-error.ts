import { CatalogValidationError } from '../../lib/catalog';

/**
 * The issue lines of the user-mistake error `run` throws. Fails when it throws nothing, or anything
 * but the one error type of user mistakes (a plain Error would print a stack trace in a synth).
 */
export function userErrorOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogValidationError) return error.issues.map((issue) => issue.message);
    throw new Error(`expected a CatalogValidationError, got ${String(error)}`);
  }
  throw new Error('expected a CatalogValidationError, but nothing was thrown');
}
