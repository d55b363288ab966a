/**
 * A setting given to a construct (a prop from apps/platform.ts or apps/components.ts) breaks a rule.
 * It is the user's mistake, not a bug: the synth prints its message without a stack trace and writes
 * nothing, as it does for catalog errors.
 */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}
