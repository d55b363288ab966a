// Imported by `homelab-secrets import` from 15 ExternalSecrets (manifests).
// Synthesized, it writes the same ExternalSecrets, stores, ServiceAccounts, Vault roles and policies
// (`homelab-secrets import --verify` compares them).
import type { Declaration, PlatformSettings } from 'homelab-secrets';
import { SecretCatalog } from 'homelab-secrets';

/** The imported path table: every Vault path the ExternalSecrets read, its keys, and the Secrets it feeds. */
export function importedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });

  // --- argocd -----------------------------------------------------------------------------------
  catalog.path('infrastructure/argocd-oidc', ['oidc.authentik.clientSecret'])
    .syncTo({ name: 'argocd-secret', namespace: 'argocd', creationPolicy: 'Merge' });
  catalog.path('infrastructure/argocd-notifications-slack', ['slack-token'])
    .syncTo({ name: 'argocd-notifications-secret', namespace: 'argocd', creationPolicy: 'Merge' });

  // --- arr --------------------------------------------------------------------------------------
  catalog.path('apps/vpn', ['OPENVPN_USER', 'OPENVPN_PASSWORD'])
    .syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  catalog.path('apps/recyclarr', ['SONARR_API_KEY', 'RADARR_API_KEY'])
    .syncTo({ name: 'recyclarr-secrets', namespace: 'arr' });
  catalog.path('apps/exportarr', ['SONARR_API_KEY', 'RADARR_API_KEY', 'PROWLARR_API_KEY'])
    .syncTo({ name: 'exportarr-secrets', namespace: 'arr' });
  catalog.path('apps/unpackerr', ['UN_SONARR_0_API_KEY', 'UN_RADARR_0_API_KEY'])
    .syncTo({ name: 'unpackerr-secrets', namespace: 'arr' });
  catalog.path('apps/homepage', ['HOMEPAGE_VAR_SONARR_API_KEY', 'HOMEPAGE_VAR_RADARR_API_KEY'])
    .syncTo({ name: 'homepage-secrets', namespace: 'arr' });

  // --- auth -------------------------------------------------------------------------------------
  catalog.path('infrastructure/authentik', ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_POSTGRESQL__PASSWORD'])
    .syncTo({ name: 'authentik-credentials', namespace: 'auth' });

  // --- backups ----------------------------------------------------------------------------------
  catalog.path('infrastructure/minio', ['rootUser', 'rootPassword'])
    .syncTo({ name: 'minio-credentials', namespace: 'backups' });
  catalog.path('infrastructure/velero', ['cloud'])
    .syncTo({ name: 'velero-cloud-credentials', namespace: 'backups' });

  // --- monitoring -------------------------------------------------------------------------------
  catalog.path('infrastructure/grafana', ['admin-user', 'admin-password'])
    .syncTo({ name: 'grafana-admin', namespace: 'monitoring' });
  catalog.path('infrastructure/grafana-oidc', ['GF_AUTH_GENERIC_OAUTH_CLIENT_ID', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET'])
    .syncTo({ name: 'grafana-oidc-secret', namespace: 'monitoring' });
  catalog.path('infrastructure/alertmanager-slack', ['webhook-url'])
    .syncTo({ name: 'alertmanager-slack-webhook', namespace: 'monitoring' });
  const openclaw = catalog.path('apps/openclaw', ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_HOOKS_TOKEN', 'ANTHROPIC_API_KEY']);
  openclaw.syncTo({
    name: 'alertmanager-openclaw-hooks-token',
    namespace: 'monitoring',
    keys: ['OPENCLAW_HOOKS_TOKEN'],
    renames: { OPENCLAW_HOOKS_TOKEN: 'token' },
  });

  // --- openclaw ---------------------------------------------------------------------------------
  openclaw.syncTo({ name: 'openclaw-secrets', namespace: 'openclaw' });

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
