import { goTemplateRef } from '../../catalog';
import { tsComment, tsPropertyAccess, tsPropertyKey, tsString, tsTemplateText, tsUniqueVariable, tsVariableName } from './typescript-text';
import type { ImportPlan, PlannedKeySource, PlannedPath, PlannedSource, PlannedTarget } from './plan';

/** The package the generated module imports from. */
export const PACKAGE_NAME = 'homelab-secrets';

/** A statement longer than this is written one option per line. */
const LINE_WIDTH = 140;
/** Section headings are padded with dashes to this width, as in the reference declaration. */
const HEADING_WIDTH = 99;

/**
 * A single-quoted TypeScript string literal of exactly `text`: {@link tsString}, the one quoting
 * function of the generated module, under the name the tests and other callers know.
 */
export const quote = tsString;

function stringArray(items: readonly string[]): string {
  return `[${items.map(tsString).join(', ')}]`;
}

function stringRecord(record: Readonly<Record<string, string>>): string {
  const entries = Object.entries(record).map(([k, v]) => `${tsPropertyKey(k)}: ${tsString(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** Any JSON-like value as an inline TypeScript literal. */
function literal(value: unknown): string {
  if (typeof value === 'string') return tsString(value);
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  if (value === null || typeof value !== 'object') return 'null';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${tsPropertyKey(k)}: ${literal(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

const TEMPLATE_REF = /\{\{ (?:\.([A-Za-z_][A-Za-z0-9_]*)|index \. ("(?:[^"\\]|\\.)*")) \}\}/g;

/**
 * One template body as TypeScript: the key references the library writes itself (`{{ .user }}`,
 * `{{ index . "db-name" }}`, for provided keys) become `v.user`, everything else stays text. Returns
 * whether `v` is used.
 */
export function templateExpression(body: string, provided: ReadonlySet<string>): { code: string; usesRefs: boolean } {
  const parts: ({ text: string } | { ref: string })[] = [];
  let at = 0;
  for (const match of body.matchAll(TEMPLATE_REF)) {
    let key: string;
    try {
      key = match[1] ?? (JSON.parse(match[2]) as string);
    } catch {
      continue;
    }
    if (goTemplateRef(key) !== match[0] || !provided.has(key)) continue;
    if (match.index! > at) parts.push({ text: body.slice(at, match.index) });
    parts.push({ ref: key });
    at = match.index! + match[0].length;
  }
  if (at < body.length) parts.push({ text: body.slice(at) });
  const refs = parts.filter((p): p is { ref: string } => 'ref' in p);
  if (refs.length === 0) return { code: tsString(body), usesRefs: false };
  const access = (key: string): string => tsPropertyAccess('v', key);
  // A template literal reads best for a body of several lines, unless a character in it cannot be
  // shown as it is (JavaScript turns a CR in one into LF; a control character would be written raw).
  const texts = parts.map((p) => ('ref' in p ? undefined : tsTemplateText(p.text)));
  if (body.includes('\n') && parts.every((p, i) => 'ref' in p || texts[i] !== undefined)) {
    const text = parts.map((p, i) => ('ref' in p ? `\${${access(p.ref)}}` : texts[i])).join('');
    return { code: `\`${text}\``, usesRefs: true };
  }
  return { code: parts.map((p) => ('ref' in p ? access(p.ref) : tsString(p.text))).join(' + '), usesRefs: true };
}

/** The Secret keys a target's sources provide, which its template may refer to. */
function providedKeys(sources: readonly PlannedSource[], paths: ReadonlyMap<string, PlannedPath>): Set<string> {
  return new Set(sources.flatMap((s) => (s.kind === 'extract' ? [...paths.get(s.path)!.keys] : s.keys.map((k) => s.renames[k] ?? k))));
}

/** The variable of each identity: camelCase of its name, unique, recorded in `taken`. */
function identityVariables(names: readonly string[], taken: Set<string>): Map<string, string> {
  return new Map(names.map((name) => [name, tsUniqueVariable([tsVariableName([name], 'identity')], taken)]));
}

/**
 * The variable of each path: camelCase of its last segment, with more segments while that is taken,
 * never a reserved word nor a name in `taken`.
 */
function variableNames(paths: readonly string[], taken: Set<string> = new Set()): Map<string, string> {
  return new Map(paths.map((path) => {
    const segments = path.split('/');
    const candidates = segments.map((_s, i) => tsVariableName(segments.slice(-(i + 1)), 'path'));
    return [path, tsUniqueVariable(candidates, taken)];
  }));
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** `{ keys, renames }` of a key source, leaving out what is the default (every declared key, no renames). */
function selection(source: PlannedKeySource, path: PlannedPath): [string, string][] {
  const fields: [string, string][] = [];
  if (!sameKeys(source.keys, path.keys)) fields.push(['keys', stringArray(source.keys)]);
  if (Object.keys(source.renames).length > 0) fields.push(['renames', stringRecord(source.renames)]);
  return fields;
}

interface Rendered {
  /** The option name → value pairs, in the order written. */
  readonly fields: [string, string][];
  /** The template's entries, written one per line when the statement is long. */
  readonly template?: { readonly params: string; readonly entries: [string, string][] };
}

function targetFields(t: PlannedTarget, head: [string, string][], paths: ReadonlyMap<string, PlannedPath>, identities: ReadonlyMap<string, string>): Rendered {
  const fields: [string, string][] = [['name', tsString(t.name)], ['namespace', tsString(t.namespace)]];
  if (t.identity !== undefined) fields.push(['identity', identities.get(t.identity)!]);
  if (t.externalSecretName !== undefined) fields.push(['externalSecretName', tsString(t.externalSecretName)]);
  fields.push(...head);
  if (t.creationPolicy !== undefined) fields.push(['creationPolicy', tsString(t.creationPolicy)]);
  if (t.deletionPolicy !== undefined) fields.push(['deletionPolicy', tsString(t.deletionPolicy)]);
  if (t.refreshInterval !== undefined) fields.push(['refreshInterval', tsString(t.refreshInterval)]);
  if (t.allowZeroRefreshInterval) fields.push(['allowZeroRefreshInterval', 'true']);
  if (t.type !== undefined) fields.push(['type', tsString(t.type)]);
  if (t.labels) fields.push(['labels', stringRecord(t.labels)]);
  if (t.annotations) fields.push(['annotations', stringRecord(t.annotations)]);
  if (t.reloaderMatch) fields.push(['reloaderMatch', 'true']);
  let template: Rendered['template'];
  if (t.templateData) {
    const provided = providedKeys(t.sources, paths);
    const rendered = Object.entries(t.templateData).map(([key, body]) => ({ key, ...templateExpression(body, provided) }));
    const params = rendered.some((r) => r.usesRefs) ? '(v)' : '()';
    template = { params, entries: rendered.map((r) => [tsPropertyKey(r.key), r.code]) };
    fields.push(['template', `${params} => (${template.entries.length === 0 ? '{}' : `{ ${template.entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`})`]);
  }
  if (t.templateMergePolicy) fields.push(['templateMergePolicy', tsString(t.templateMergePolicy)]);
  return { fields, template };
}

/** `prefix{ a: 1, b: 2 }suffix` on one line, or one option per line when that is too long or multi-line. */
function optionsObject(prefix: string, rendered: Rendered, suffix: string, indent: string): string {
  const inline = `${prefix}{ ${rendered.fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }${suffix}`;
  if (inline.length + indent.length <= LINE_WIDTH && !inline.includes('\n')) return `${indent}${inline}`;
  const inner = `${indent}  `;
  const lines = rendered.fields.map(([k, v]) => {
    if (k === 'template' && rendered.template && rendered.template.entries.length > 0) {
      const entries = rendered.template.entries.map(([ek, ev]) => `${inner}  ${ek}: ${ev},`);
      return `${inner}template: ${rendered.template.params} => ({\n${entries.join('\n')}\n${inner}}),`;
    }
    return `${inner}${k}: ${v},`;
  });
  return `${indent}${prefix}{\n${lines.join('\n')}\n${indent}}${suffix}`;
}

function heading(title: string): string {
  const text = `  // --- ${title} `;
  return text.padEnd(HEADING_WIDTH, '-');
}

/** Options of {@link generateModule}. */
export interface GenerateOptions {
  /** What the module was imported from, for its header comment. @default - the number of ExternalSecrets only */
  readonly sources?: readonly string[];
  /**
   * `javascript`: the module's twin as CommonJS, which `--verify` loads where no TypeScript compiler is
   * installed. It is the same text line for line, but for the lines that import, export and declare
   * types: those are written without their types, as `require` and `exports`.
   * @default 'typescript'
   */
  readonly flavour?: 'typescript' | 'javascript';
}

/**
 * The TypeScript module that declares the plan through the public API: one section per namespace,
 * one statement per target, paths declared where they are first used.
 */
export function generateModule(plan: ImportPlan, options: GenerateOptions = {}): string {
  const paths = new Map(plan.paths.map((p) => [p.path, p]));
  const uses = new Map<string, number>();
  for (const t of plan.targets) for (const s of t.sources) uses.set(s.path, (uses.get(s.path) ?? 0) + 1);
  const chained = (t: PlannedTarget): boolean => t.sources.length === 1 && t.sources[0].kind === 'keys' && uses.get(t.sources[0].path) === 1;
  const needVariable = plan.paths.filter((p) => plan.targets.some((t) => t.sources.some((s) => s.path === p.path) && !chained(t)));
  const taken = new Set<string>();
  const identityNames = identityVariables(plan.catalog.identities.map((i) => i.name), taken);
  const names = variableNames(needVariable.map((p) => p.path), taken);
  const declared = new Set<string>();

  const pathCall = (p: PlannedPath): string => `catalog.path(${tsString(p.path)}, ${stringArray(p.keys)})`;
  const placeholderComment = (p: PlannedPath): string[] => (p.keysUnknown
    ? [`  // dataFrom.extract takes every key of ${tsComment(p.path)}, which the YAML does not list: replace the placeholder with them.`]
    : []);

  const body: string[] = [];
  if (plan.catalog.identities.length > 0) {
    body.push('', heading('identities'));
    for (const i of plan.catalog.identities) {
      const fields: [string, string][] = [['store', literal(i.store)]];
      if (i.serviceAccount) fields.push(['serviceAccount', literal(i.serviceAccount)]);
      if (i.role !== undefined) fields.push(['role', tsString(i.role)]);
      if (i.audience !== undefined) fields.push(['audience', tsString(i.audience)]);
      body.push(optionsObject(`const ${identityNames.get(i.name)} = catalog.identity(${tsString(i.name)}, `, { fields }, ');', '  '));
    }
  }
  const namespaces = [...new Set(plan.targets.map((t) => t.namespace))].sort();
  for (const namespace of namespaces) {
    body.push('', heading(namespace));
    for (const t of plan.targets.filter((x) => x.namespace === namespace)) {
      if (chained(t)) {
        const source = t.sources[0] as PlannedKeySource;
        const p = paths.get(source.path)!;
        body.push(...placeholderComment(p));
        body.push(`  ${pathCall(p)}`);
        body.push(optionsObject('.syncTo(', targetFields(t, selection(source, p), paths, identityNames), ');', '    '));
        continue;
      }
      for (const s of t.sources) {
        if (declared.has(s.path)) continue;
        declared.add(s.path);
        const p = paths.get(s.path)!;
        body.push(...placeholderComment(p));
        body.push(`  const ${names.get(s.path)} = ${pathCall(p)};`);
      }
      if (t.sources.length === 1 && t.sources[0].kind === 'keys') {
        const source = t.sources[0];
        body.push(optionsObject(`${names.get(source.path)}.syncTo(`, targetFields(t, selection(source, paths.get(source.path)!), paths, identityNames), ');', '  '));
        continue;
      }
      const sources = t.sources.map((s) => {
        const name = names.get(s.path)!;
        if (s.kind === 'extract') return `${name}.extractAll()`;
        const fields = selection(s, paths.get(s.path)!);
        return `${name}.select(${fields.length === 0 ? '' : `{ ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }`})`;
      });
      const rendered = targetFields(t, [], paths, identityNames);
      body.push(optionsObject('catalog.addTarget(', { ...rendered, fields: [...rendered.fields, ['sources', `[${sources.join(', ')}]`]] }, ');', '  '));
    }
  }

  const eso = plan.catalog.eso;
  const catalogProps = [
    `mount: ${tsString(plan.catalog.mount)}`,
    ...(plan.catalog.isolation ? [`isolation: ${tsString(plan.catalog.isolation)}`] : []),
    ...(Object.keys(eso).length > 0 ? [`eso: ${stringRecord(eso)}`] : []),
  ];
  let constructor = `  const catalog = new SecretCatalog({ ${catalogProps.join(', ')} });`;
  if (constructor.length > LINE_WIDTH) constructor = `  const catalog = new SecretCatalog({\n${catalogProps.map((p) => `    ${p},`).join('\n')}\n  });`;

  const settings = Object.entries(plan.settings as unknown as Record<string, unknown>)
    .filter(([, v]) => !(typeof v === 'object' && v !== null && Object.keys(v).length === 0))
    .map(([k, v]) => `  ${tsPropertyKey(k)}: ${literal(v)},`);
  const count = plan.targets.length;
  const from = options.sources && options.sources.length > 0 ? ` (${tsComment(options.sources.join(', '))})` : '';
  // The only lines that differ between the two flavours: none of them holds anything from the input.
  const js = options.flavour === 'javascript';
  const settingsValue = settings.length === 0 ? '{};' : `{\n${settings.join('\n')}\n};`;
  return [
    // 'use strict' shares the first line, so that a line number means the same line in both flavours.
    `${js ? '\'use strict\'; ' : ''}// Imported by \`${PACKAGE_NAME} import\` from ${count} ExternalSecret${count === 1 ? '' : 's'}${from}.`,
    '// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies',
    '// (`homelab-secrets import --verify` compares them).',
    js ? '' : `import type { Declaration, PlatformSettings } from '${PACKAGE_NAME}';`,
    js ? `const { SecretCatalog } = require(${tsString(PACKAGE_NAME)});` : `import { SecretCatalog } from '${PACKAGE_NAME}';`,
    '',
    '/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */',
    js ? 'exports.importedCatalog = importedCatalog; function importedCatalog() {' : 'export function importedCatalog(): SecretCatalog {',
    constructor,
    ...body,
    '',
    '  return catalog;',
    '}',
    '',
    '/**',
    ' * Where Vault is and how the manifests are applied, read from the store. Add the rest',
    ' * (kms, the Vault install\'s storage, argocd, terraform) as docs/library.md describes.',
    ' */',
    js ? `const IMPORTED_SETTINGS = exports.IMPORTED_SETTINGS = ${settingsValue}` : `export const IMPORTED_SETTINGS: PlatformSettings = ${settingsValue}`,
    '',
    '/** The imported declaration: what the synth entry points and the CLI work from. */',
    js ? 'exports.importedDeclaration = importedDeclaration; function importedDeclaration() {' : 'export function importedDeclaration(): Declaration {',
    '  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };',
    '}',
    '',
  ].join('\n');
}
