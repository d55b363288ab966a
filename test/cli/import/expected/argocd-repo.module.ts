// Imported by `homelab-secrets import` from 10 ExternalSecrets (test/cli/import/fixtures/argocd-repo).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });

  // --- identities -------------------------------------------------------------------------------
  const arr = catalog.identity('arr', {
    store: { kind: 'SecretStore', name: 'vault-arr', namespaces: ['downloads', 'media'] },
    serviceAccount: { name: 'arr-eso' },
  });
  const mediaSonarr = catalog.identity('media-sonarr', {
    store: { kind: 'SecretStore', name: 'vault-sonarr', namespaces: ['media'] },
    serviceAccount: { name: 'default' },
  });
  const mediaRadarr = catalog.identity('media-radarr', {
    store: { kind: 'SecretStore', name: 'vault-radarr', namespaces: ['media'], trust: { secret: { name: 'radarr-vault-ca' } } },
    serviceAccount: { name: 'radarr-vault', create: false },
  });
  const observability = catalog.identity('observability', {
    store: { kind: 'ClusterSecretStore', name: 'vault-observability', namespaces: ['logging', 'monitoring'] },
    serviceAccount: { name: 'vault-observability' },
  });

  // --- apps -------------------------------------------------------------------------------------
  const smtp = catalog.path('infra/smtp', ['password']);
  smtp.syncTo({ name: 'app-smtp', namespace: 'apps' });
  catalog.path('apps/db', ['password'])
    .syncTo({ name: 'db', namespace: 'apps' });

  // --- downloads --------------------------------------------------------------------------------
  const indexer = catalog.path('apps/indexer', ['api-key']);
  indexer.syncTo({ name: 'indexer', namespace: 'downloads', identity: arr });
  catalog.path('apps/sabnzbd', ['api-key'])
    .syncTo({ name: 'sabnzbd', namespace: 'downloads', identity: arr });

  // --- logging ----------------------------------------------------------------------------------
  // dataFrom.extract takes every key of infra/loki, which the YAML does not list: replace the placeholder with them.
  const loki = catalog.path('infra/loki', ['TODO-keys-of-infra-loki']);
  catalog.addTarget({ name: 'loki-s3', namespace: 'logging', identity: observability, sources: [loki.extractAll()] });

  // --- media ------------------------------------------------------------------------------------
  catalog.path('apps/sonarr', ['api-key'])
    .syncTo({ name: 'sonarr', namespace: 'media', identity: mediaSonarr });
  catalog.path('apps/radarr', ['api-key'])
    .syncTo({ name: 'radarr', namespace: 'media', identity: mediaRadarr });
  indexer.syncTo({ name: 'indexer', namespace: 'media', identity: arr });

  // --- monitoring -------------------------------------------------------------------------------
  catalog.path('infra/grafana', ['admin-password'])
    .syncTo({ name: 'grafana-admin', namespace: 'monitoring', identity: observability });
  smtp.syncTo({ name: 'alertmanager-smtp', namespace: 'monitoring', identity: observability });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
