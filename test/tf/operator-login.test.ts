import { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { onlyResource } from './support';
import { OperatorLogin, OperatorPolicy, operatorPolicyName, renderOperatorLoginCommand, renderOperatorUserCommand } from '../../lib/tf';
import { userErrorOf } from '../support/user-error';

Testing.setupJest();

/** The tune fields the provider binding writes out as null (unset) when not given. */
const UNSET_TUNE = {
  allowed_response_headers: null,
  audit_non_hmac_request_keys: null,
  audit_non_hmac_response_keys: null,
  listing_visibility: null,
  passthrough_request_headers: null,
  token_type: null,
};

describe('OperatorLogin', () => {
  test('declares a userpass backend with short-lived tokens, and no user or password', () => {
    // GIVEN / WHEN
    const synthesized = Testing.synthScope((scope) => {
      new OperatorLogin(scope, 'OperatorLogin');
    });

    // THEN the one resource is the backend; users are never Terraform resources (their password would be in the state)
    expect(onlyResource(synthesized, 'vault_auth_backend')).toStrictEqual({
      type: 'userpass',
      path: 'userpass',
      description: 'Operator logins (userpass, homelab-operator policy); managed by homelab-secrets',
      tune: [{ ...UNSET_TUNE, default_lease_ttl: '1h', max_lease_ttl: '8h' }],
    });
    expect(Object.keys(JSON.parse(synthesized).resource)).toStrictEqual(['vault_auth_backend']);
    expect(synthesized).not.toContain('password');
  });

  test('takes its path and token lifetimes', () => {
    const synthesized = Testing.synthScope((scope) => {
      new OperatorLogin(scope, 'OperatorLogin', { path: 'humans', tokenTtl: '30m', tokenMaxTtl: '2h' });
    });
    expect(synthesized).toHaveResourceWithProperties(AuthBackend, { path: 'humans', tune: [{ ...UNSET_TUNE, default_lease_ttl: '30m', max_lease_ttl: '2h' }] });
  });

  test('refuses a path or lifetime Vault would not take', () => {
    const build = (props: object) => Testing.synthScope((scope) => new OperatorLogin(scope, 'OperatorLogin', props));
    expect(userErrorOf(() => build({ path: 'auth/userpass' }))).toStrictEqual(['OperatorLogin: path "auth/userpass" must be one auth path segment of a-z, 0-9, "-" and "_"']);
    expect(userErrorOf(() => build({ tokenTtl: '1 hour' }))).toStrictEqual(['OperatorLogin: tokenTtl "1 hour" must be a duration such as 1h, 30m or 90s']);
    expect(userErrorOf(() => build({ tokenMaxTtl: '0h' }))).toStrictEqual(['OperatorLogin: tokenMaxTtl "0h" must be a duration such as 1h, 30m or 90s']);
  });

  test('the bootstrap command binds the policy OperatorPolicy names, and reads the password from stdin', () => {
    // GIVEN the policy's own name
    let policy!: OperatorPolicy;
    Testing.synthScope((scope) => (policy = new OperatorPolicy(scope, 'OperatorPolicy', { mount: 'homelab' })));

    // THEN
    expect(operatorPolicyName('homelab')).toStrictEqual(policy.name);
    expect(renderOperatorUserCommand('homelab')).toStrictEqual(
      "( printf 'New Vault password for %s: ' \"$USER\" >&2; IFS= read -rs p; echo >&2; printf '%s' \"$p\" ) | vault write auth/userpass/users/\"$USER\" password=- token_policies=homelab-operator");
    expect(renderOperatorLoginCommand()).toStrictEqual('vault login -no-print -method=userpass -path=userpass username="$USER"');
  });
});
