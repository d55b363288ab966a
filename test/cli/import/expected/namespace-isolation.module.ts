// Imported by `homelab-secrets import` from 2 ExternalSecrets (test/cli/import/fixtures/namespace-isolation).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace', eso: { storeName: 'vault', role: 'eso' } });

  // --- apps -------------------------------------------------------------------------------------
  catalog.path('apps/db', ['password'])
    .syncTo({ name: 'db', namespace: 'apps' });

  // --- media ------------------------------------------------------------------------------------
  // dataFrom.extract takes every key of media/sonarr, which the YAML does not list: replace the placeholder with them.
  const sonarr = catalog.path('media/sonarr', ['TODO-keys-of-media-sonarr']);
  catalog.addTarget({ name: 'sonarr', namespace: 'media', sources: [sonarr.extractAll()] });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'plain',
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
