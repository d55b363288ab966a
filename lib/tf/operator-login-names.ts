// The operator login's names, apart from the construct so that the CLI (`rebuild`) can quote them
// without loading cdktf and the vault provider.
import { shellQuote } from '../cli/shell';

/** Where humans log in, and how long their tokens live. */
export const OPERATOR_LOGIN_DEFAULTS = {
  /** Path of the userpass auth backend. */
  authPath: 'userpass',
  /** Lifetime of a login's token, and the most it can be renewed to: a working session, not a standing credential. */
  tokenTtl: '1h',
  tokenMaxTtl: '8h',
} as const;

/** The operator policy of a mount, as OperatorPolicy names it by default. */
export function operatorPolicyName(mount: string): string {
  return `${mount}-operator`;
}

/**
 * The one bootstrap command that creates or resets an operator's userpass login: the password is read
 * at a prompt without echo and reaches `vault write` on stdin (`password=-`), so it is in no argv, no
 * shell history and no Terraform state. `$USER` is the operator's own login name; any name works.
 */
export function renderOperatorUserCommand(mount: string, authPath: string = OPERATOR_LOGIN_DEFAULTS.authPath): string {
  return `( printf 'New Vault password for %s: ' "$USER" >&2; IFS= read -rs p; echo >&2; printf '%s' "$p" ) | vault write ${shellQuote(`auth/${authPath}/users/`)}"$USER" password=- ${shellQuote(`token_policies=${operatorPolicyName(mount)}`)}`;
}

/** How an operator logs in: the CLI prompts for the password without echo, and `-no-print` keeps the token off the terminal. */
export function renderOperatorLoginCommand(authPath: string = OPERATOR_LOGIN_DEFAULTS.authPath): string {
  return `vault login -no-print -method=userpass ${shellQuote(`-path=${authPath}`)} username="$USER"`;
}
