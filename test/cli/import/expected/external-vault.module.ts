// Imported by `homelab-secrets import` from 1 ExternalSecret (stdin).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'secret' });

  // --- monitoring -------------------------------------------------------------------------------
  catalog.path('monitoring/grafana', ['user', 'password'])
    .syncTo({
      name: 'grafana-admin',
      namespace: 'monitoring',
      renames: { user: 'admin-user', password: 'admin-password' },
      refreshInterval: '1h0m0s',
    });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'flux',
  components: { vault: false },
  vault: { address: 'https://vault.lan:8200', tls: { secretName: 'vault-ca' } },
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
