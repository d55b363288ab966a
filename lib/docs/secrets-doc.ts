import type { SecretCatalog } from '../catalog';
import { renderPathFlowchart, renderPathTable } from './path-table';

/** Where `npm run synth` writes {@link renderSecretsDoc}, relative to the repository root. */
export const SECRETS_DOC_PATH = 'docs/secrets.md';

/**
 * The path table and the path → Secret → namespace flowchart as one Markdown document: what
 * `homelab-secrets table` prints and what `npm run synth` writes to docs/secrets.md.
 */
export function renderSecretsDoc(catalog: SecretCatalog): string {
  return [
    '<!-- Generated from apps/homelab.ts by `npm run synth`; do not edit. `npx homelab-secrets table` prints the same. -->',
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
