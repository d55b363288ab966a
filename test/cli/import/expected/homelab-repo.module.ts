// Imported by `homelab-secrets import` from 7 ExternalSecrets (test/cli/import/fixtures/homelab-repo).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({
    mount: 'kv',
    eso: { storeName: 'vault', authMountPath: 'k8s', role: 'eso-reader', serviceAccountName: 'eso' },
  });

  // --- apps -------------------------------------------------------------------------------------
  const db = catalog.path('apps/db', ['user', 'password', 'db-name']);
  db.syncTo({
    name: 'db-credentials',
    namespace: 'apps',
    creationPolicy: 'Orphan',
    deletionPolicy: 'Merge',
    type: 'Opaque',
    labels: { 'app.kubernetes.io/name': 'db' },
    annotations: { owner: 'data-team' },
    reloaderMatch: true,
    template: (v) => ({
      DATABASE_URL: 'postgres://' + v.user + ':' + v.password + '@db.apps.svc:5432/app',
      'config.ini': `[db]
user = ${v.user}
password = {{ .password | b64enc }}
`,
      'db-name': v['db-name'],
    }),
    templateMergePolicy: 'Merge',
  });
  // dataFrom.extract takes every key of apps/registry, which the YAML does not list: replace the placeholder with them.
  const registry = catalog.path('apps/registry', ['TODO-keys-of-apps-registry']);
  catalog.addTarget({
    name: 'registry-pull',
    namespace: 'apps',
    externalSecretName: 'registry',
    deletionPolicy: 'Delete',
    type: 'kubernetes.io/dockerconfigjson',
    template: () => ({
      '.dockerconfigjson': '{{ .config }}',
    }),
    sources: [registry.extractAll()],
  });
  db.syncTo({ name: 'db-probe', namespace: 'apps', keys: ['user'], creationPolicy: 'None' });

  // --- media ------------------------------------------------------------------------------------
  const sonarr = catalog.path('apps/sonarr', ['api-key']);
  sonarr.syncTo({ name: 'sonarr', namespace: 'media', refreshInterval: '15m', labels: { 'app.kubernetes.io/name': 'sonarr' } });
  const radarr = catalog.path('apps/radarr', ['api-key']);
  radarr.syncTo({ name: 'radarr', namespace: 'media', externalSecretName: 'radarr-es', renames: { 'api-key': 'RADARR_API_KEY' } });
  // dataFrom.extract takes every key of apps/shared, which the YAML does not list: replace the placeholder with them.
  const shared = catalog.path('apps/shared', ['TODO-keys-of-apps-shared']);
  catalog.addTarget({
    name: 'media-stack',
    namespace: 'media',
    sources: [sonarr.select({ renames: { 'api-key': 'SONARR_KEY' } }), radarr.select({ renames: { 'api-key': 'RADARR_KEY' } }), shared.extractAll()],
  });

  // --- staging ----------------------------------------------------------------------------------
  db.syncTo({
    name: 'db-credentials',
    namespace: 'staging',
    keys: ['user'],
    creationPolicy: 'Merge',
    refreshInterval: '0',
    allowZeroRefreshInterval: true,
  });

  return catalog;
}

/**
 * Where Vault is and how the manifests are applied, read from the store. Add the rest
 * (kms, the Vault install's storage, argocd, terraform) as docs/library.md describes.
 */
export const IMPORTED_SETTINGS: PlatformSettings = {
  gitops: 'plain',
  vault: { namespace: 'vault-system', tls: { disabled: true } },
};

/** The imported declaration: what the synth entry points and the CLI work from. */
export function importedDeclaration(): Declaration {
  return { catalog: importedCatalog(), settings: IMPORTED_SETTINGS };
}
