import type { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { Construct } from 'constructs';
import { invalidProp } from '../catalog';
import { OPERATOR_LOGIN_DEFAULTS } from './operator-login-names';
import { vaultProviderClasses } from './providers';

export { OPERATOR_LOGIN_DEFAULTS, operatorPolicyName, renderOperatorLoginCommand, renderOperatorUserCommand } from './operator-login-names';

/** Properties for `OperatorLogin`. */
export interface OperatorLoginProps {
  /** Path of the userpass auth backend. @default 'userpass' */
  readonly path?: string;
  /** Lifetime of a login's token, as a Vault duration. @default '1h' */
  readonly tokenTtl?: string;
  /** The most a login's token can be renewed to. @default '8h' */
  readonly tokenMaxTtl?: string;
}

const DURATION = /^[1-9][0-9]*[smh]$/;

/**
 * The auth method humans log in with, so that nobody works with the root token after bootstrap: a
 * userpass backend with short-lived tokens. The users are not Terraform resources on purpose: userpass
 * needs a password when a user is created, and a password in a resource would be stored in the
 * Terraform state. Each user is created once, by `renderOperatorUserCommand` (printed by `rebuild`),
 * with the operator policy and a password read from stdin.
 */
export class OperatorLogin extends Construct {
  public readonly path: string;
  public readonly resource: AuthBackend;

  constructor(scope: Construct, id: string, props: OperatorLoginProps = {}) {
    super(scope, id);
    this.path = props.path ?? OPERATOR_LOGIN_DEFAULTS.authPath;
    if (!/^[a-z0-9][-a-z0-9_]*$/.test(this.path)) {
      invalidProp('OperatorLogin', 'path', this.path, 'must be one auth path segment of a-z, 0-9, "-" and "_"');
    }
    const tokenTtl = props.tokenTtl ?? OPERATOR_LOGIN_DEFAULTS.tokenTtl;
    const tokenMaxTtl = props.tokenMaxTtl ?? OPERATOR_LOGIN_DEFAULTS.tokenMaxTtl;
    for (const [name, value] of [['tokenTtl', tokenTtl], ['tokenMaxTtl', tokenMaxTtl]] as const) {
      if (!DURATION.test(value)) invalidProp('OperatorLogin', name, value, 'must be a duration such as 1h, 30m or 90s');
    }
    this.resource = new (vaultProviderClasses().AuthBackend)(this, 'Resource', {
      type: 'userpass',
      path: this.path,
      description: 'Operator logins (userpass, homelab-operator policy); managed by homelab-secrets',
      tune: [{ defaultLeaseTtl: tokenTtl, maxLeaseTtl: tokenMaxTtl }],
    });
  }
}
