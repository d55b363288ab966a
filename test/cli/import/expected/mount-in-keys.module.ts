// Imported by `homelab-secrets import` from 2 ExternalSecrets (test/cli/import/fixtures/mount-in-keys).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'secret', eso: { role: 'eso' } });

  // --- docs -------------------------------------------------------------------------------------
  const paperless = catalog.path('apps/paperless', ['secret-key']);
  const paperlessDb = catalog.path('apps/paperless-db', ['password']);
  catalog.addTarget({
    name: 'paperless',
    namespace: 'docs',
    sources: [paperless.select({ renames: { 'secret-key': 'PAPERLESS_SECRET_KEY' } }), paperlessDb.extractAll()],
  });
  paperlessDb.syncTo({ name: 'paperless-db', namespace: 'docs' });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'plain',
  vault: { namespace: 'secrets', releaseName: 'openbao', tls: { secretName: 'openbao-ca' } },
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
