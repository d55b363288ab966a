// Imported by `homelab-secrets import` from 6 ExternalSecrets (test/cli/import/fixtures/flux-repo).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'secrets', eso: { role: 'eso' } });

  // --- identities -------------------------------------------------------------------------------
  const media = catalog.identity('media', {
    store: { kind: 'SecretStore', name: 'vault', namespaces: ['downloads', 'media'] },
    serviceAccount: { name: 'vault-reader' },
  });

  // --- downloads --------------------------------------------------------------------------------
  const indexer = catalog.path('media/indexer', ['api-key']);
  indexer.syncTo({ name: 'indexer', namespace: 'downloads', identity: media, labels: { 'app.kubernetes.io/part-of': 'media' } });

  // --- media ------------------------------------------------------------------------------------
  indexer.syncTo({ name: 'indexer', namespace: 'media', identity: media, labels: { 'app.kubernetes.io/part-of': 'media' } });
  catalog.path('media/sonarr', ['api-key'])
    .syncTo({ name: 'sonarr', namespace: 'media', identity: media });

  // --- monitoring -------------------------------------------------------------------------------
  catalog.path('monitoring/slack', ['webhook-url'])
    .syncTo({ name: 'alertmanager-slack', namespace: 'monitoring' });
  catalog.path('monitoring/grafana', ['admin-password'])
    .syncTo({ name: 'grafana-admin', namespace: 'monitoring' });

  // --- tools ------------------------------------------------------------------------------------
  catalog.path('tools/renovate', ['token'])
    .syncTo({ name: 'renovate-token', namespace: 'tools' });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'flux',
  components: { vault: false },
  vault: { address: 'https://vault.lan:8200', tls: { storeTrust: 'system' } },
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
