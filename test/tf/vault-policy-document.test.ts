import { VaultCapability, VaultPolicyDocument } from '../../lib/tf/vault-policy-document';

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
    [[], 'a Vault policy document must have at least one rule'],
    [[{ path: '', capabilities: ['read'] }], 'rule path "" must not be empty'],
    [[{ path: '/kv/data/a', capabilities: ['read'] }], 'rule path "/kv/data/a" must not start with "/": Vault policy paths have no leading slash'],
    [[{ path: 'kv/data/"a"', capabilities: ['read'] }], 'rule path "kv/data/\\"a\\"" must not contain quotes, backslashes, whitespace, "${" or "%{"'],
    [[{ path: 'kv/data/${var.x}', capabilities: ['read'] }], 'rule path "kv/data/${var.x}" must not contain quotes, backslashes, whitespace, "${" or "%{"'],
    [[{ path: 'kv/data/a b', capabilities: ['read'] }], 'rule path "kv/data/a b" must not contain quotes, backslashes, whitespace, "${" or "%{"'],
    [[{ path: 'kv/data/a', capabilities: ['read'] }, { path: 'kv/data/a', capabilities: ['list'] }], 'rule path "kv/data/a" is declared twice; merge its capabilities into one rule'],
    [[{ path: 'kv/data/a', capabilities: [] }], 'rule path "kv/data/a" must grant at least one capability'],
    [[{ path: 'kv/data/a', capabilities: ['write'] }], 'capability "write" of rule path "kv/data/a" must be one of create, read, update, patch, delete, list, sudo, deny, subscribe'],
    [[{ path: 'kv/data/a', capabilities: ['deny', 'read'] }], 'rule path "kv/data/a" combines "deny" with other capabilities; deny overrides them all'],
  ])('refuses %j', (rules, message) => {
    // GIVEN / WHEN / THEN
    expect(() => new VaultPolicyDocument(rules as never)).toThrow(message);
  });

  test('refuses a comment line with a line break', () => {
    // GIVEN
    const rules = [{ path: 'kv/data/a', capabilities: ['read'] as VaultCapability[] }];

    // WHEN / THEN
    expect(() => new VaultPolicyDocument(rules, { comment: ['a\npath "x" {}'] })).toThrow(
      'comment line "a\\npath \\"x\\" {}" must not contain a line break',
    );
  });
});
