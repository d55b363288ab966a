import { type SecretCatalog, type SyncSource, type SyncTarget, namespaceIdentity } from '../catalog';

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

/** Which store and Vault role serve the Secrets of `namespace` (namespace isolation). */
function describeStore(catalog: SecretCatalog, namespace: string): string {
  const identity = namespaceIdentity(catalog.eso, namespace);
  return `SecretStore \`${identity.storeName}\`, role \`${identity.role}\``;
}

/**
 * The Vault path table as Markdown: one row per Secret in catalog order, then the paths only operators
 * read. In namespace isolation a last column names the store and role of each Secret; in cluster
 * isolation one store and one role serve them all, which the secrets doc says once.
 */
export function renderPathTable(catalog: SecretCatalog): string {
  const perNamespace = catalog.isolation === 'namespace';
  const rows = catalog.targets.map((target) =>
    `| ${target.paths.map((p) => `\`${p}\``).join(' + ')} | ${describeKeys(target)} | ${describeSecret(target)} | \`${target.namespace}\` | ${describePolicy(target)} |${perNamespace ? ` ${describeStore(catalog, target.namespace)} |` : ''}`,
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
  const store = (ns: string): string => {
    const identity = namespaceIdentity(catalog.eso, ns);
    return catalog.isolation === 'namespace' ? `: SecretStore ${identity.storeName}, role ${identity.role}` : '';
  };
  namespaces.forEach((ns, i) => lines.push(`  n${i}(["namespace ${ns}${store(ns)}"])`));
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
