import { checkPolicyText, invalidProp } from '../catalog';

/** Every capability a Vault ACL policy can grant, in the order Vault's documentation lists them. */
export const VAULT_CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe'] as const;

/** One Vault ACL capability. */
export type VaultCapability = (typeof VAULT_CAPABILITIES)[number];

/** One `path "..." { capabilities = [...] }` block. */
export interface VaultPolicyRule {
  /** The API path the rule matches, such as `secrets/data/apps/db`; `*` and `+` are globs. */
  readonly path: string;
  /** What the rule grants on the path. */
  readonly capabilities: readonly VaultCapability[];
}

/** Properties for `VaultPolicyDocument`. */
export interface VaultPolicyDocumentProps {
  /** Comment lines written above the rules (without `#`), for whoever runs `vault policy read`. @default - none */
  readonly comment?: readonly string[];
}

/**
 * A Vault ACL policy as typed data, rendered to HCL at synth time. Unlike the provider's
 * `vault_policy_document` data source it needs no Vault to render, so the exact text can be
 * reviewed in the synthesized JSON and asserted in tests. Rules are sorted by path and capabilities
 * put in Vault's order, so the text does not depend on declaration order.
 */
export class VaultPolicyDocument {
  /** The rules, sorted by path, each with its capabilities in {@link VAULT_CAPABILITIES} order. */
  public readonly rules: readonly VaultPolicyRule[];
  public readonly comment: readonly string[];

  constructor(rules: readonly VaultPolicyRule[], options: VaultPolicyDocumentProps = {}) {
    if (rules.length === 0) invalidProp('VaultPolicyDocument', 'rules', [], 'must hold at least one rule');
    const seen = new Set<string>();
    for (const rule of rules) {
      checkPath(rule.path);
      if (seen.has(rule.path)) invalidProp('VaultPolicyDocument', 'rule path', rule.path, 'is declared twice; merge its capabilities into one rule');
      seen.add(rule.path);
      checkCapabilities(rule);
    }
    this.comment = [...(options.comment ?? [])];
    for (const line of this.comment) {
      if (/[\r\n]/.test(line)) invalidProp('VaultPolicyDocument', 'comment line', line, 'must not contain a line break');
    }
    this.rules = [...rules]
      .map((rule) => ({
        path: rule.path,
        capabilities: VAULT_CAPABILITIES.filter((c) => rule.capabilities.includes(c)),
      }))
      .sort((a, b) => compareCodeUnits(a.path, b.path));
  }

  /** The policy as HCL, as `vault policy write` takes it; ends with a newline. */
  public toHcl(): string {
    const header = this.comment.map((line) => (line ? `# ${line}` : '#'));
    const blocks = this.rules.map((rule) =>
      [
        `path ${JSON.stringify(rule.path)} {`,
        `  capabilities = [${rule.capabilities.map((c) => JSON.stringify(c)).join(', ')}]`,
        '}',
      ].join('\n'),
    );
    return [...(header.length > 0 ? [header.join('\n')] : []), ...blocks].join('\n\n') + '\n';
  }
}

function checkPath(path: string): void {
  if (typeof path !== 'string' || path === '') invalidProp('VaultPolicyDocument', 'rule path', path, 'must not be empty');
  if (path.startsWith('/')) invalidProp('VaultPolicyDocument', 'rule path', path, 'must not start with "/": Vault policy paths have no leading slash');
  // `"` and `\` would need escaping in HCL, and Terraform would read `${` and `%{` in the JSON as a template.
  const syntax = checkPolicyText(path);
  if (syntax !== undefined) invalidProp('VaultPolicyDocument', 'rule path', path, syntax);
}

function checkCapabilities(rule: VaultPolicyRule): void {
  if (rule.capabilities.length === 0) invalidProp(`VaultPolicyDocument rule "${rule.path}"`, 'capabilities', [], 'must grant at least one capability');
  for (const capability of rule.capabilities) {
    if (!(VAULT_CAPABILITIES as readonly string[]).includes(capability)) {
      invalidProp(`VaultPolicyDocument rule "${rule.path}"`, 'capability', capability, `must be one of ${VAULT_CAPABILITIES.join(', ')}`);
    }
  }
  if (rule.capabilities.includes('deny') && rule.capabilities.length > 1) {
    invalidProp(`VaultPolicyDocument rule "${rule.path}"`, 'capabilities', rule.capabilities, 'combine "deny" with others; deny overrides them all');
  }
}

/** Locale-independent ordering, so that the output is the same on every machine. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
