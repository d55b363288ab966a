// The one error type of a user's mistake, and how its issues read. Everything that refuses an input
// (the catalog's and the settings' validator, a construct's own prop checks, a construct validation
// of cdk8s or cdktf) raises a CatalogValidationError, so the synth prints every one of them the same
// way, without a stack trace; any other error is a bug and keeps its trace.

/** One broken rule: which row, which field, what was received, and the rule. */
export interface CatalogIssue {
  /** `apps/db → db-credentials in apps`, a path, `mount`, `identity <name>`, `settings.kms`, a construct, or a construct path. */
  readonly row: string;
  readonly field: string;
  readonly value: unknown;
  readonly rule: string;
  /** `row: field <value> rule`, one line. */
  readonly message: string;
}

/** What the issues of a declaration are about, in the first line of their message. */
export const DECLARATION_SUBJECT = 'the secret catalog and its settings';

/** What the issues a construct raises about its own props are about. */
export const CONSTRUCT_SUBJECT = 'the props of a construct';

/** A user's mistake: the declaration or a construct's props break rules. Lists every one of them. */
export class CatalogValidationError extends Error {
  /**
   * @param issues every broken rule, in the order found
   * @param subject what they are about, for the message's first line @default 'the secret catalog and its settings'
   */
  constructor(public readonly issues: readonly CatalogIssue[], subject: string = DECLARATION_SUBJECT) {
    super(formatIssues(issues, subject));
    this.name = 'CatalogValidationError';
  }
}

/** The issues as people read them: a count and what they are about, then one per line. */
export function formatIssues(issues: readonly CatalogIssue[], subject: string = DECLARATION_SUBJECT): string {
  const count = `${issues.length} error${issues.length === 1 ? '' : 's'} in ${subject}`;
  return [`${count}:`, ...issues.map((issue) => `  - ${issue.message}`)].join('\n');
}

/** How every message shows the value it is about: strings quoted, anything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One issue as people read it: `row: field <value> rule` (`row: rule` without a field). */
export function catalogIssue(row: string, field: string, value: unknown, rule: string): CatalogIssue {
  const head = field === '' ? `${row}:` : `${row}: ${field} ${showValue(value)}`;
  return { row, field, value, rule, message: `${head} ${rule}` };
}

/**
 * Throws a CatalogValidationError with one issue about a construct's own prop: `<owner>: <field>
 * <value> <rule>`. The synth validates every declaration before any construct is made, so in a synth
 * this fires only for constructs used directly.
 */
export function invalidProp(owner: string, field: string, value: unknown, rule: string): never {
  throw new CatalogValidationError([catalogIssue(owner, field, value, rule)], CONSTRUCT_SUBJECT);
}
