import type { EsoIdentity, SecretCatalog, SyncSource, SyncTarget } from '../catalog';

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
 * read. Where Secrets read through different identities, a last column names the store and role of
 * each; when one ClusterSecretStore and one role serve them all, the secrets doc says so once.
 */
export function renderPathTable(catalog: SecretCatalog): string {
  const perNamespace = !readsThroughOneClusterStore(catalog);
  const rows = catalog.targets.map((target) =>
    `| ${target.paths.map((p) => `\`${p}\``).join(' + ')} | ${describeKeys(target)} | ${describeSecret(target)} | \`${target.namespace}\` | ${describePolicy(target)} |${perNamespace ? ` ${describeStore(catalog.identityOf(target))} |` : ''}`,
  );
  for (const path of catalog.operatorPaths) {
    rows.push(`| \`${path.path}\` | ${path.keys.map((k) => `\`${k}\``).join(', ')} | — | — | read by operators and other tools only |${perNamespace ? ' — |' : ''}`);
  }
  if (perNamespace) {
    return ['| Vault path | Keys | Secret | Namespace | Creation policy | Store and Vault role |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
  }
  return ['| Vault path | Keys | Secret | Namespace | Creation policy |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
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
