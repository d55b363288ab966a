import type { SecretCatalog } from '../catalog';
import { renderPathFlowchart, renderPathTable } from './path-table';

/**
 * The path table and the path → Secret → namespace flowchart as one Markdown document: what
 * `homelab-secrets table` prints and what `docsPart` writes.
 */
export function renderSecretsDoc(catalog: SecretCatalog): string {
  return [
    '<!-- Generated from the secret catalog by homelab-secrets; do not edit. `homelab-secrets table` prints the same. -->',
    `# Secrets under \`${catalog.mount}/\``,
    '',
    `Every path of the KV v2 mount \`${catalog.mount}/\` (relative to the mount, as ESO's \`remoteRef.key\` takes it),`,
    'its keys, and the Kubernetes Secrets the External Secrets Operator writes from it. Names only: the values live in Vault.',
    '',
    renderPathTable(catalog),
    '```mermaid',
    renderPathFlowchart(catalog) + '```',
    '',
  ].join('\n');
}
