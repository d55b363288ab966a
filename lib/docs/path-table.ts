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

/** The Secret cell: the Secret, and its ExternalSecret where that is named differently. */
function describeSecret(target: SyncTarget): string {
  const secret = target.writesSecret ? `\`${target.name}\`` : `\`${target.name}\` (not written: creation policy None)`;
  return target.renamesExternalSecret ? `${secret} (ExternalSecret \`${target.externalSecretName}\`)` : secret;
}

/** The policy cell: the creation policy, and the deletion policy where it is not the default Retain. */
function describePolicy(target: SyncTarget): string {
  return target.deletionPolicy === 'Retain' ? target.creationPolicy : `${target.creationPolicy}, deletion ${target.deletionPolicy}`;
}

/** The Vault path table as Markdown: one row per Secret in catalog order, then the paths only operators read. */
export function renderPathTable(catalog: SecretCatalog): string {
  const rows = catalog.targets.map((target) =>
    `| ${target.paths.map((p) => `\`${p}\``).join(' + ')} | ${describeKeys(target)} | ${describeSecret(target)} | \`${target.namespace}\` | ${describePolicy(target)} |`,
  );
  for (const path of catalog.operatorPaths) {
    rows.push(`| \`${path.path}\` | ${path.keys.map((k) => `\`${k}\``).join(', ')} | — | — | read by operators and other tools only |`);
  }
  return ['| Vault path | Keys | Secret | Namespace | Creation policy |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** A Mermaid flowchart of path → Secret → namespace, and of the paths only operators read. */
export function renderPathFlowchart(catalog: SecretCatalog): string {
  const lines = ['flowchart LR'];
  const pathIds = new Map(catalog.pathNames.map((p, i) => [p, `p${i}`]));
  catalog.pathNames.forEach((path) => lines.push(`  ${pathIds.get(path)}["${catalog.mount}/${path}"]`));
  const namespaces = catalog.namespaces;
  namespaces.forEach((ns, i) => lines.push(`  n${i}(["namespace ${ns}"])`));
  catalog.targets.forEach((target, i) => {
    lines.push(`  s${i}["Secret ${target.name}${target.creationPolicy === 'Owner' ? '' : ` (${target.creationPolicy.toLowerCase()})`}"]`);
    for (const path of target.paths) lines.push(`  ${pathIds.get(path)} --> s${i}`);
    lines.push(`  s${i} --> n${namespaces.indexOf(target.namespace)}`);
  });
  if (catalog.operatorPaths.length > 0) {
    lines.push('  ops(["operators and other tools"])');
    for (const path of catalog.operatorPaths) lines.push(`  ${pathIds.get(path.path)} --> ops`);
  }
  return lines.join('\n') + '\n';
}
