import { VaultCapability, VaultPolicyDocument } from '../../lib/tf/vault-policy-document';
import { userErrorOf } from '../support/user-error';

const POLICY_RULE = 'must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax';

describe('VaultPolicyDocument', () => {
  test('renders HCL sorted by path, capabilities in Vault order, comment first', () => {
    // GIVEN
    const rules = [
      { path: 'kv/metadata/*', capabilities: ['list', 'read'] as VaultCapability[] },
      { path: 'kv/data/a', capabilities: ['update', 'read', 'create'] as VaultCapability[] },
    ];

    // WHEN
    const document = new VaultPolicyDocument(rules, { comment: ['Who uses it.', ''] });

    // THEN
    expect(document.toHcl()).toBe(
      [
        '# Who uses it.',
        '#',
        '',
        'path "kv/data/a" {',
        '  capabilities = ["create", "read", "update"]',
        '}',
        '',
        'path "kv/metadata/*" {',
        '  capabilities = ["read", "list"]',
        '}',
        '',
      ].join('\n'),
    );
    expect(document.rules).toStrictEqual([
      { path: 'kv/data/a', capabilities: ['create', 'read', 'update'] },
      { path: 'kv/metadata/*', capabilities: ['read', 'list'] },
    ]);
  });

  test('declaration order does not change the text', () => {
    // GIVEN
    const a = { path: 'kv/data/a', capabilities: ['read'] as VaultCapability[] };
    const b = { path: 'kv/data/b', capabilities: ['read'] as VaultCapability[] };

    // WHEN / THEN
    expect(new VaultPolicyDocument([b, a]).toHcl()).toBe(new VaultPolicyDocument([a, b]).toHcl());
    expect(new VaultPolicyDocument([a]).toHcl()).toBe('path "kv/data/a" {\n  capabilities = ["read"]\n}\n');
  });

  test.each([
    [[], 'VaultPolicyDocument: rules [] must hold at least one rule'],
    [[{ path: '', capabilities: ['read'] }], 'VaultPolicyDocument: rule path "" must not be empty'],
    [[{ path: '/kv/data/a', capabilities: ['read'] }], 'VaultPolicyDocument: rule path "/kv/data/a" must not start with "/": Vault policy paths have no leading slash'],
    [[{ path: 'kv/data/"a"', capabilities: ['read'] }], `VaultPolicyDocument: rule path "kv/data/\\"a\\"" ${POLICY_RULE}`],
    [[{ path: 'kv/data/${var.x}', capabilities: ['read'] }], `VaultPolicyDocument: rule path "kv/data/\${var.x}" ${POLICY_RULE}`],
    [[{ path: 'kv/data/a b', capabilities: ['read'] }], `VaultPolicyDocument: rule path "kv/data/a b" ${POLICY_RULE}`],
    [[{ path: 'kv/data/a', capabilities: ['read'] }, { path: 'kv/data/a', capabilities: ['list'] }], 'VaultPolicyDocument: rule path "kv/data/a" is declared twice; merge its capabilities into one rule'],
    [[{ path: 'kv/data/a', capabilities: [] }], 'VaultPolicyDocument rule "kv/data/a": capabilities [] must grant at least one capability'],
    [[{ path: 'kv/data/a', capabilities: ['write'] }], 'VaultPolicyDocument rule "kv/data/a": capability "write" must be one of create, read, update, patch, delete, list, sudo, deny, subscribe'],
    [[{ path: 'kv/data/a', capabilities: ['deny', 'read'] }], 'VaultPolicyDocument rule "kv/data/a": capabilities ["deny","read"] combine "deny" with others; deny overrides them all'],
  ])('refuses %j', (rules, message) => {
    // GIVEN / WHEN / THEN
    expect(userErrorOf(() => new VaultPolicyDocument(rules as never))).toStrictEqual([message]);
  });

  test('refuses a comment line with a line break', () => {
    // GIVEN
    const rules = [{ path: 'kv/data/a', capabilities: ['read'] as VaultCapability[] }];

    // WHEN / THEN
    expect(userErrorOf(() => new VaultPolicyDocument(rules, { comment: ['a\npath "x" {}'] }))).toStrictEqual([
      'VaultPolicyDocument: comment line "a\\npath \\"x\\" {}" must not contain a line break',
    ]);
  });
});
