import type { SecretCatalog, SyncSource, SyncTarget } from '../catalog';

/** The keys a source contributes, as the docs show them; a whole-path extract reads "all keys". */
function describeSource(source: SyncSource): string {
  if (source.kind === 'extract') return 'all keys';
  return source.keys
    .map((key) => (source.renames[key] ? `\`${key}\` → \`${source.renames[key]}\`` : `\`${key}\``))
    .join(', ');
}

function describeKeys(target: SyncTarget): string {
  if (target.sources.length === 1) return describeSource(target.sources[0]);
  return target.sources.map((s) => `${s.path.path}: ${describeSource(s)}`).join('; ');
}

/** The Vault path table as Markdown: one row per Secret, in catalog order. */
export function renderPathTable(catalog: SecretCatalog): string {
  const rows = catalog.targets.map((target) =>
    `| ${target.paths.map((p) => `\`${p}\``).join(' + ')} | ${describeKeys(target)} | \`${target.name}\` | \`${target.namespace}\` | ${target.creationPolicy} |`,
  );
  return ['| Vault path | Keys | Secret | Namespace | Creation policy |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** A Mermaid flowchart of path → Secret → namespace. */
export function renderPathFlowchart(catalog: SecretCatalog): string {
  const lines = ['flowchart LR'];
  const pathIds = new Map(catalog.pathNames.map((p, i) => [p, `p${i}`]));
  catalog.pathNames.forEach((path) => lines.push(`  ${pathIds.get(path)}["${catalog.mount}/${path}"]`));
  const namespaces = catalog.namespaces;
  namespaces.forEach((ns, i) => lines.push(`  n${i}(["namespace ${ns}"])`));
  catalog.targets.forEach((target, i) => {
    lines.push(`  s${i}["Secret ${target.name}${target.creationPolicy === 'Merge' ? ' (merge)' : ''}"]`);
    for (const path of target.paths) lines.push(`  ${pathIds.get(path)} --> s${i}`);
    lines.push(`  s${i} --> n${namespaces.indexOf(target.namespace)}`);
  });
  return lines.join('\n') + '\n';
}
