import { CatalogIssue, CatalogValidationError, catalogIssue, isProxy } from '../catalog';
import { dataProperty } from './user-error';

/** The part of a construct tree this needs; structural, so lib/synth imports no construct library. */
export interface ValidatableNode {
  readonly node: { readonly path: string; validate(): string[]; findAll(): readonly ValidatableNode[] };
}

/**
 * The validation errors of every construct under `root`, in the catalog's format: the construct
 * path is the row. Renderers call {@link assertConstructsValid} before synthesizing, so that a
 * failure from cdk8s or cdktf prints like a catalog mistake instead of a stack trace.
 */
export function constructIssues(root: ValidatableNode): CatalogIssue[] {
  return root.node.findAll().flatMap((child) =>
    child.node.validate().map((message) => catalogIssue(child.node.path || '(app)', '', undefined, message)));
}

/** Throws a CatalogValidationError listing every construct validation error under `root`. */
export function assertConstructsValid(root: ValidatableNode): void {
  const issues = constructIssues(root);
  if (issues.length > 0) throw new CatalogValidationError(issues);
}

const CONSTRUCT_VALIDATION = /^Validation failed with the following errors:\n([\s\S]*?)(?:\n\nIf you wish to ignore these validations[\s\S]*)?$/;

/**
 * The issues of an error that cdk8s's or cdktf's own `synth()` threw for failed validations
 * (`Validation failed with the following errors:` and one `[path] message` line each), or undefined
 * for any other error.
 */
export function issuesOfValidationFailure(error: unknown): CatalogIssue[] | undefined {
  // Only an Error's own message, read without running a getter: what the user's code threw may be anything.
  const message = !isProxy(error) && error instanceof Error ? dataProperty(error, 'message') : undefined;
  if (typeof message !== 'string') return undefined;
  const match = CONSTRUCT_VALIDATION.exec(message);
  if (!match) return undefined;
  return match[1].split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => {
    const entry = /^\[([^\]]*)\] ([\s\S]*)$/.exec(line);
    return entry ? catalogIssue(entry[1] || '(app)', '', undefined, entry[2]) : catalogIssue('(app)', '', undefined, line);
  });
}
