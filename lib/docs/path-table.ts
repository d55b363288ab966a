import { type EsoIdentity, type SecretCatalog, type SourcePath, type SyncSource, type SyncTarget, type VaultPath, describeGenerated, renamedKey, summarizeGenerated } from '../catalog';

/** Text as Markdown shows it literally, also inside a table cell: every character Markdown reads as syntax is escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (ch) => `\\${ch}`);
}

/** An https URL as a Markdown link that shows it: the characters that would end the link or the cell are percent-encoded. */
function markdownLink(url: string): string {
  const target = url.replace(/[()<>|]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${markdownText(url)}](${target})`;
}

/** Whether any path of the catalog says where a key's value comes from; without, the tables keep their old columns. */
function declaresOrigins(catalog: SecretCatalog): boolean {
  return catalog.paths.some((path) => Array.isArray(path.keys) && path.keys.some((key) => path.originOf(key) !== undefined));
}

/** One key's origin in a few words: `generated (32, alnum)`, `external`, or `—` when the key declares none. */
function summarizeOrigin(path: SourcePath, key: string): string {
  const origin = path.originOf(key);
  if (origin === undefined) return '—';
  return origin.kind === 'generated' ? `generated (${summarizeGenerated(origin)})` : 'external';
}

/** The origin cell of keys of one path: said once when every key has the same, else per key in key order. */
function summarizeOrigins(path: SourcePath, keys: readonly string[]): string {
  const each = keys.map((key) => summarizeOrigin(path, key));
  return new Set(each).size === 1 ? each[0] : each.join(', ');
}

/** The Vault keys a source reads, in output order. */
function sourceVaultKeys(source: SyncSource): readonly string[] {
  return source.kind === 'extract' ? source.path.keys : source.keys;
}

/** The origin cell of a target: as its keys cell, per source when it has several and they differ. */
function describeTargetOrigins(target: SyncTarget): string {
  const cells = target.sources.map((s) => summarizeOrigins(s.path, sourceVaultKeys(s)));
  if (new Set(cells).size === 1) return cells[0];
  return target.sources.map((s, i) => `${s.path.path}: ${cells[i]}`).join('; ');
}

/** The keys a source contributes, as the docs show them; a whole-path extract reads "all keys". */
function describeSource(source: SyncSource): string {
  if (source.kind === 'extract') return 'all keys';
  return source.keys
    .map((key) => (renamedKey(source, key) !== key ? `\`${key}\` → \`${renamedKey(source, key)}\`` : `\`${key}\``))
    .join(', ');
}

function describeKeys(target: SyncTarget): string {
  if (target.sources.length === 1) return describeSource(target.sources[0]);
  return target.sources.map((s) => `${s.path.path}: ${describeSource(s)}`).join('; ');
}

/** The Secret cell: the Secret, and its ExternalSecret where that is named differently. */
function describeSecret(target: SyncTarget): string {
  const secret = target.writesSecret ? `\`${target.name}\`` : `\`${target.name}\` (not written: creation policy None)`;
  return target.renamesExternalSecret ? `${secret} (ExternalSecret \`${target.externalSecretName}\`)` : secret;
}

/** The policy cell: the creation policy, and the deletion policy where it is not the default Retain. */
function describePolicy(target: SyncTarget): string {
  return target.deletionPolicy === 'Retain' ? target.creationPolicy : `${target.creationPolicy}, deletion ${target.deletionPolicy}`;
}

/** The store and Vault role of an identity: `SecretStore \`vault\`, role \`media\``. */
function describeStore(identity: EsoIdentity): string {
  return `${identity.store.kind} \`${identity.store.name}\`, role \`${identity.role}\``;
}

/** Whether one store and one role serve every Secret: the cluster's shorthand identity alone, which the secrets doc names once. */
export function readsThroughOneClusterStore(catalog: SecretCatalog): boolean {
  return catalog.identities.every((identity) => identity.origin.kind === 'isolation' && identity.origin.isolation === 'cluster');
}

/**
 * The Vault path table as Markdown: one row per Secret in catalog order, then the paths only operators
 * read. When any key says where its value comes from, an Origin column follows the keys (details in
 * {@link renderOriginTable}). Where Secrets read through different identities, a last column names the
 * store and role of each; when one ClusterSecretStore and one role serve them all, the secrets doc says so once.
 */
export function renderPathTable(catalog: SecretCatalog): string {
  const perNamespace = !readsThroughOneClusterStore(catalog);
  const origins = declaresOrigins(catalog);
  const originCell = (text: string): string => (origins ? ` ${text} |` : '');
  const rows = catalog.targets.map((target) =>
    `| ${target.paths.map((p) => `\`${p}\``).join(' + ')} | ${describeKeys(target)} |${originCell(describeTargetOrigins(target))} ${describeSecret(target)} | \`${target.namespace}\` | ${describePolicy(target)} |${perNamespace ? ` ${describeStore(catalog.identityOf(target))} |` : ''}`,
  );
  for (const path of catalog.operatorPaths) {
    rows.push(`| \`${path.path}\` | ${path.keys.map((k) => `\`${k}\``).join(', ')} |${originCell(summarizeOrigins(path, path.keys))} — | — | read by operators and other tools only |${perNamespace ? ' — |' : ''}`);
  }
  const columns = ['Vault path', 'Keys', ...(origins ? ['Origin'] : []), 'Secret', 'Namespace', 'Creation policy', ...(perNamespace ? ['Store and Vault role'] : [])];
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---|').join('')}`, ...rows].join('\n') + '\n';
}

/** One key's origin in full: what a generated value looks like, or where to get an external one. */
function describeOrigin(path: VaultPath, key: string): string {
  const origin = path.originOf(key);
  if (origin === undefined) return 'not declared: `seed` asks for it at a terminal, without a hint';
  if (origin.kind === 'generated') return `generated: ${markdownText(describeGenerated(origin))}`;
  return `external: ${markdownText(origin.hint)}${origin.url !== undefined ? ` (${markdownLink(origin.url)})` : ''}`;
}

/**
 * Every declared key and where its value comes from, as a Markdown table: what `seed` generates and
 * what it asks a person for, with the hint. Empty when no key declares an origin.
 */
export function renderOriginTable(catalog: SecretCatalog): string {
  if (!declaresOrigins(catalog)) return '';
  const rows = catalog.paths.flatMap((path) => path.keys.map((key) => `| \`${path.path}\` | \`${key}\` | ${describeOrigin(path, key)} |`));
  return ['| Vault path | Key | Where the value comes from |', '|---|---|---|', ...rows].join('\n') + '\n';
}

/** A Mermaid flowchart of path → Secret → namespace, and of the paths only operators read. */
export function renderPathFlowchart(catalog: SecretCatalog): string {
  const lines = ['flowchart LR'];
  const pathIds = new Map(catalog.pathNames.map((p, i) => [p, `p${i}`]));
  catalog.pathNames.forEach((path) => lines.push(`  ${pathIds.get(path)}["${catalog.mount}/${path}"]`));
  const namespaces = catalog.namespaces;
  const oneStore = readsThroughOneClusterStore(catalog);
  const label = (identity: EsoIdentity): string => `${identity.store.kind} ${identity.store.name}, role ${identity.role}`;
  // A namespace whose Secrets all read through one identity names it; otherwise each Secret names its own.
  const namespaceIdentity = new Map(namespaces.map((ns) => {
    const used = [...new Set(catalog.targets.filter((t) => t.namespace === ns).map((t) => catalog.identityOf(t)))];
    return [ns, used.length === 1 ? used[0] : undefined] as const;
  }));
  namespaces.forEach((ns, i) => {
    const identity = namespaceIdentity.get(ns);
    lines.push(`  n${i}(["namespace ${ns}${oneStore || identity === undefined ? '' : `: ${label(identity)}`}"])`);
  });
  catalog.targets.forEach((target, i) => {
    const via = oneStore || namespaceIdentity.get(target.namespace) !== undefined ? '' : ` via ${label(catalog.identityOf(target))}`;
    lines.push(`  s${i}["Secret ${target.name}${target.creationPolicy === 'Owner' ? '' : ` (${target.creationPolicy.toLowerCase()})`}${via}"]`);
    for (const path of target.paths) lines.push(`  ${pathIds.get(path)} --> s${i}`);
    lines.push(`  s${i} --> n${namespaces.indexOf(target.namespace)}`);
  });
  if (catalog.operatorPaths.length > 0) {
    lines.push('  ops(["operators and other tools"])');
    for (const path of catalog.operatorPaths) lines.push(`  ${pathIds.get(path.path)} --> ops`);
  }
  return lines.join('\n') + '\n';
}
