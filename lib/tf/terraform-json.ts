// The boundary between the constructs' strings and the Terraform JSON: every string a construct sets
// is written so that Terraform reads back exactly that string, or is refused.
//
// In Terraform's JSON syntax a string in an argument, a provider, a local or an output value is a
// template: `${...}` interpolates and `%{...}` is a directive; `$${` and `%%{` stand for `${` and
// `%{` (hashicorp/hcl: json/spec.md "Expression Evaluation", hclsyntax/spec.md "Template
// Expressions"). A few places are read as written, never as a template: the `terraform` block
// (backend and required_providers: Terraform decodes them without an evaluation context, while
// OpenTofu 1.8+ evaluates the backend), output and variable descriptions, and a variable's default
// and type. There an escape would itself be read as written (or differently by Terraform and OpenTofu),
// so a `${` or `%{` is refused instead.
//
// cdktf writes a reference to another resource as `${type.name.attr}` too, so the synthesized JSON
// alone cannot tell a reference from a literal. The escaping therefore happens in two steps around
// cdktf's own resolution: before it, the literal parts of every string (the parts between cdktf's token
// markers) have their `${` and `%{` replaced by private placeholders that cdktf leaves alone; after it,
// each placeholder becomes the escape, or a refusal where the string is read as written.
import { TerraformElement, TerraformStack, Tokenization } from 'cdktf';
import { type CatalogIssue, CONSTRUCT_SUBJECT, CatalogValidationError, TERRAFORM_LITERAL_RULE, catalogIssue, isPlainMap } from '../catalog';

/** Starts a placeholder; never left in the output (a literal U+E000 is itself written as a placeholder). */
const MARK = '\uE000';
/** MARK + one of these: what the literal held, and what a template must say for it. */
const PLACEHOLDERS = {
  /** U+E000 itself. */
  [MARK]: { literal: MARK, template: MARK },
  /** `${`, escaped as `$${`. */
  i: { literal: '${', template: '$${' },
  /** `%{`, escaped as `%%{`. */
  d: { literal: '%{', template: '%%{' },
  /** Each `$` of a run right before a reference: `$${ref}` would be read as the escape, so each is interpolated. */
  s: { literal: '$', template: '${"$"}' },
} as const;
type Placeholder = keyof typeof PLACEHOLDERS;

/** cdktf's marker of a string token inside a string (tokens/private/encoding.ts). */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** Whether `marker` is a token cdktf will resolve (an unknown one is left in the string as text). */
function isToken(marker: string): boolean {
  const fragments = Tokenization.reverseString(marker);
  return fragments.tokens.length === 1 && fragments.literals.length === 0;
}

/** The literal text between tokens, with its template sequences replaced by placeholders. */
function protectText(text: string, beforeToken: boolean): string {
  let out = text.replace(/\uE000|\$\{|%\{/g, (found) => MARK + (found === MARK ? MARK : found === '${' ? 'i' : 'd'));
  if (beforeToken) out = out.replace(/\$+$/, (run) => `${MARK}s`.repeat(run.length));
  return out;
}

/** A string with every literal part protected and every token marker kept. */
function protectString(value: string): string {
  let out = '';
  let last = 0;
  for (const match of value.matchAll(STRING_TOKEN)) {
    if (!isToken(match[0])) continue;
    out += protectText(value.slice(last, match.index), true) + match[0];
    last = match.index! + match[0].length;
  }
  return out + protectText(value.slice(last), false);
}

/** `value` (an element's unresolved Terraform config) with every literal string and key protected; tokens are left as they are. */
export function protectLiterals(value: unknown): unknown {
  if (typeof value === 'string') return protectString(value);
  if (Array.isArray(value)) return value.map(protectLiterals);
  if (isPlainMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [protectString(k), protectLiterals(v)]));
  return value;
}

/** How Terraform reads the strings at a place of its JSON. */
type Reading = 'template' | 'literal' | 'comment';

/** Output and variable attributes Terraform decodes without an evaluation context. */
const LITERAL_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  output: ['description'],
  variable: ['description', 'default', 'type'],
};

/** How the strings under `path` (keys from the document's root) are read. */
function readingAt(path: readonly (string | number)[], inherited: Reading): Reading {
  if (inherited !== 'template') return inherited;
  const key = path[path.length - 1];
  if (key === '//') return 'comment';
  if (path.length === 1 && key === 'terraform') return 'literal';
  if (path.length === 3 && LITERAL_ATTRIBUTES[path[0]]?.includes(String(key))) return 'literal';
  return 'template';
}

/** `terraform.backend.local.path`, `resource.aws_kms_key.key.tags["a b"]`, `x[0]`. */
function showPath(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`)).join('');
}

/** A protected string as written for `reading`, and whether it held a template sequence the user wrote. */
function unprotect(value: string, reading: Reading): { text: string; original: string; sequence: boolean } {
  let text = '';
  let original = '';
  let sequence = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== MARK) {
      text += value[i];
      original += value[i];
      continue;
    }
    const placeholder = PLACEHOLDERS[value[++i] as Placeholder];
    if (placeholder === undefined) throw new Error(`internal: unknown Terraform JSON placeholder after U+E000 in ${JSON.stringify(value)}`);
    if (placeholder.literal === '${' || placeholder.literal === '%{') sequence = true;
    text += reading === 'template' ? placeholder.template : placeholder.literal;
    original += placeholder.literal;
  }
  return { text, original, sequence };
}

/** Whether a resolved string holds a template sequence outside the placeholders: one cdktf wrote, a reference. */
const RESOLVED_SEQUENCE = /\$\{|%\{/;

/**
 * The stack's resolved JSON, its placeholders turned into escapes where strings are templates; a
 * CatalogValidationError listing every `${` or `%{` where strings are read as written, and every one
 * in an object key.
 */
export function finishTerraformJson(stackName: string, json: unknown): unknown {
  const issues: CatalogIssue[] = [];
  const row = `Terraform stack "${stackName}"`;
  const walk = (value: unknown, path: (string | number)[], reading: Reading): unknown => {
    if (typeof value === 'string') {
      const { text, original, sequence } = unprotect(value, reading);
      if (reading === 'literal' && (sequence || RESOLVED_SEQUENCE.test(text))) issues.push(catalogIssue(row, showPath(path), original, TERRAFORM_LITERAL_RULE));
      return text;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], reading));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [protectedKey, item] of Object.entries(value)) {
        const key = unprotect(protectedKey, 'literal');
        if (reading !== 'comment' && (key.sequence || RESOLVED_SEQUENCE.test(key.text))) {
          issues.push(catalogIssue(row, `${showPath(path)} key`, key.original, 'must not contain "${" or "%{": Terraform reads an object key as a name or as a template, never both'));
        }
        const at = [...path, key.text];
        out[key.text] = walk(item, at, readingAt(at, reading));
      }
      return out;
    }
    return value;
  };
  const finished = walk(json, [], 'template');
  if (issues.length > 0) throw new CatalogValidationError(issues, CONSTRUCT_SUBJECT);
  return finished;
}

/**
 * The Terraform JSON of `stack`, as `synthesize` (its own `toTerraform`) makes it, with every literal
 * string escaped or refused ({@link protectLiterals}, {@link finishTerraformJson}). cdktf 0.21 has no
 * hook between an element's config and its resolution, so each element's `toTerraform` (and the
 * stack's own overrides) are wrapped for the duration of the call.
 */
export function literalTerraformJson(stack: TerraformStack, synthesize: () => unknown): unknown {
  const elements = stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c) && TerraformStack.of(c) === stack);
  const restore: (() => void)[] = [];
  const wrap = (target: object, key: string, replacement: unknown): void => {
    const own = Object.prototype.hasOwnProperty.call(target, key);
    const previous = (target as Record<string, unknown>)[key];
    (target as Record<string, unknown>)[key] = replacement;
    restore.push(() => {
      if (own) (target as Record<string, unknown>)[key] = previous;
      else delete (target as Record<string, unknown>)[key];
    });
  };
  try {
    for (const element of elements) {
      const toTerraform = element.toTerraform;
      wrap(element, 'toTerraform', function (this: TerraformElement) {
        return protectLiterals(toTerraform.call(this));
      });
    }
    wrap(stack, 'rawOverrides', protectLiterals((stack as unknown as { rawOverrides: unknown }).rawOverrides));
    return finishTerraformJson(stack.node.id, synthesize());
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
