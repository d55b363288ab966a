import type { SecretCatalog } from '../catalog';
import { readsThroughOneClusterStore, renderOriginTable, renderPathFlowchart, renderPathTable } from './path-table';

/**
 * The path table and the path → Secret → namespace flowchart as one Markdown document: what
 * `homelab-secrets table` prints and what `docsPart` writes.
 */
export function renderSecretsDoc(catalog: SecretCatalog): string {
  const origins = renderOriginTable(catalog);
  return [
    '<!-- Generated from the secret catalog by homelab-secrets; do not edit. `homelab-secrets table` prints the same. -->',
    `# Secrets under \`${catalog.mount}/\``,
    '',
    `Every path of the KV v2 mount \`${catalog.mount}/\` (relative to the mount, as ESO's \`remoteRef.key\` takes it),`,
    'its keys, and the Kubernetes Secrets the External Secrets Operator writes from it. Names only: the values live in Vault.',
    '',
    describeAccess(catalog),
    '',
    renderPathTable(catalog),
    '```mermaid',
    renderPathFlowchart(catalog) + '```',
    '',
    ...(origins === '' ? [] : [
      '## Where the values come from',
      '',
      '`npx homelab-secrets seed` writes every missing generated value straight into Vault (made in the CLI with a CSPRNG,',
      'never shown, never on disk) and, at a terminal, asks for each missing external one, showing where to get it.',
      '',
      origins,
    ]),
  ].join('\n');
}

/** How ESO reads the Secrets: one sentence for the cluster's or the namespaces' shorthand identities, another for declared ones. */
function describeAccess(catalog: SecretCatalog): string {
  if (readsThroughOneClusterStore(catalog)) {
    return `Cluster isolation: every Secret is read through the ClusterSecretStore \`${catalog.eso.storeName}\`, logged in as ESO's service account \`${catalog.eso.serviceAccountNamespace}/${catalog.eso.serviceAccountName}\` with the Vault role \`${catalog.eso.role}\`, whose policy reads every path ESO reads.`;
  }
  if (catalog.identities.every((identity) => identity.origin.kind === 'isolation')) {
    return 'Namespace isolation: each namespace reads through its own SecretStore, logged in as its own ServiceAccount with its own Vault role, whose policy reads exactly that namespace\'s paths.';
  }
  return 'Identities: each Secret is read through the store of its identity (last column), logged in as that identity\'s ServiceAccount with its Vault role, whose policy reads exactly the paths its Secrets read.';
}
