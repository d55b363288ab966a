import { invalidProp } from '../catalog';

/** One statement of an AWS IAM or KMS key policy. */
export interface IamPolicyStatement {
  /** Statement id, for people reading the policy in the console. */
  readonly sid: string;
  /** Allow or Deny. @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** AWS principals (ARNs) the statement applies to; key policies need them, identity policies must not have them. @default - none */
  readonly awsPrincipals?: readonly string[];
  /** Actions, such as `kms:Decrypt`. */
  readonly actions: readonly string[];
  /** Resource ARNs; in a key policy `*` means the key itself. */
  readonly resources: readonly string[];
}

/**
 * An IAM policy document as typed data, rendered to JSON at synth time. Values may hold cdktf tokens
 * (a key ARN, the account id); Terraform fills them in. Rendering needs no provider call, unlike the
 * `aws_iam_policy_document` data source, and the tests can parse and compare it exactly.
 */
export class IamPolicyDocument {
  public readonly statements: readonly IamPolicyStatement[];

  constructor(statements: readonly IamPolicyStatement[]) {
    if (statements.length === 0) invalidProp('IamPolicyDocument', 'statements', [], 'must hold at least one statement');
    const sids = new Set<string>();
    for (const statement of statements) {
      if (!/^[A-Za-z0-9]+$/.test(statement.sid)) invalidProp('IamPolicyDocument', 'sid', statement.sid, 'must be alphanumeric');
      if (sids.has(statement.sid)) invalidProp('IamPolicyDocument', 'sid', statement.sid, 'is used twice');
      sids.add(statement.sid);
      if (statement.actions.length === 0) invalidProp(`IamPolicyDocument statement "${statement.sid}"`, 'actions', [], 'must name at least one action');
      if (statement.resources.length === 0) invalidProp(`IamPolicyDocument statement "${statement.sid}"`, 'resources', [], 'must name at least one resource');
    }
    this.statements = statements;
  }

  /** The policy as AWS takes it: `{"Version":"2012-10-17","Statement":[...]}`. */
  public toJson(): string {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: this.statements.map((s) => ({
        Sid: s.sid,
        Effect: s.effect ?? 'Allow',
        ...(s.awsPrincipals ? { Principal: { AWS: [...s.awsPrincipals] } } : {}),
        Action: [...s.actions],
        Resource: [...s.resources],
      })),
    });
  }
}
