import type { Declaration, PlatformSettings } from '../lib/catalog';
import { SecretCatalog } from '../lib/catalog';

/**
 * The homelab's Vault path table: every path under `homelab/`, its keys, and the Secrets it feeds.
 * Names and keys only: the values live in Vault and nowhere else.
 */
export function homelabCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });

  // --- infrastructure ---------------------------------------------------------------------------
  catalog.path('infrastructure/minio', ['rootUser', 'rootPassword'], { description: 'MinIO root credentials' })
    .syncTo({ name: 'minio-credentials', namespace: 'backups' });
  catalog.path('infrastructure/velero', ['cloud'], { description: 'Velero S3 credentials file (AWS profile format)' })
    .syncTo({ name: 'velero-cloud-credentials', namespace: 'backups' });
  catalog.path('infrastructure/authentik', ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_POSTGRESQL__PASSWORD'], { description: 'Authentik secret key and database password' })
    .syncTo({ name: 'authentik-credentials', namespace: 'auth' });
  // Argo CD's Helm chart owns these two Secrets; ESO only adds its keys.
  catalog.path('infrastructure/argocd-oidc', ['oidc.authentik.clientSecret'], { description: 'Argo CD OIDC client secret for Authentik' })
    .syncTo({ name: 'argocd-secret', namespace: 'argocd', creationPolicy: 'Merge' });
  catalog.path('infrastructure/argocd-notifications-slack', ['slack-token'], { description: 'Argo CD notifications Slack bot token' })
    .syncTo({ name: 'argocd-notifications-secret', namespace: 'argocd', creationPolicy: 'Merge' });
  catalog.path('infrastructure/grafana', ['admin-user', 'admin-password'], { description: 'Grafana admin login' })
    .syncTo({ name: 'grafana-admin', namespace: 'monitoring' });
  catalog.path('infrastructure/grafana-oidc', ['GF_AUTH_GENERIC_OAUTH_CLIENT_ID', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET'], { description: 'Grafana OIDC client for Authentik' })
    .syncTo({ name: 'grafana-oidc-secret', namespace: 'monitoring' });
  catalog.path('infrastructure/alertmanager-slack', ['webhook-url'], { description: 'Alertmanager Slack incoming webhook URL' })
    .syncTo({ name: 'alertmanager-slack-webhook', namespace: 'monitoring' });

  // --- apps -------------------------------------------------------------------------------------
  catalog.path('apps/vpn', ['OPENVPN_USER', 'OPENVPN_PASSWORD'], { description: 'VPN provider login for the download client' })
    .syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  catalog.path('apps/recyclarr', ['SONARR_API_KEY', 'RADARR_API_KEY'], { description: 'Sonarr and Radarr API keys for Recyclarr' })
    .syncTo({ name: 'recyclarr-secrets', namespace: 'arr' });
  catalog.path('apps/exportarr', ['SONARR_API_KEY', 'RADARR_API_KEY', 'PROWLARR_API_KEY'], { description: 'API keys for the *arr Prometheus exporters' })
    .syncTo({ name: 'exportarr-secrets', namespace: 'arr' });
  catalog.path('apps/unpackerr', ['UN_SONARR_0_API_KEY', 'UN_RADARR_0_API_KEY'], { description: 'Sonarr and Radarr API keys for Unpackerr' })
    .syncTo({ name: 'unpackerr-secrets', namespace: 'arr' });
  catalog.path('apps/homepage', ['HOMEPAGE_VAR_SONARR_API_KEY', 'HOMEPAGE_VAR_RADARR_API_KEY'], { description: 'API keys for Homepage widgets' })
    .syncTo({ name: 'homepage-secrets', namespace: 'arr' });
  const openclaw = catalog.path('apps/openclaw', ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_HOOKS_TOKEN', 'ANTHROPIC_API_KEY'], { description: 'OpenClaw gateway, hooks and model API tokens' });
  openclaw.syncTo({ name: 'openclaw-secrets', namespace: 'openclaw' });
  // Alertmanager posts to OpenClaw's hooks endpoint and reads the bearer token from a file named `token`.
  openclaw.syncTo({
    name: 'alertmanager-openclaw-hooks-token',
    namespace: 'monitoring',
    keys: ['OPENCLAW_HOOKS_TOKEN'],
    renames: { OPENCLAW_HOOKS_TOKEN: 'token' },
  });

  return catalog;
}

/**
 * The homelab's settings beyond the catalog, declared once: the KMS unseal key (read by the KMS stack
 * and by Vault's seal stanza), the Vault install (the store's address is derived from it), the Argo CD
 * destination and the Terraform state. State stays local (`state/`, git-ignored); for a remote state
 * use e.g. `stateBackend: { kind: 's3', bucket: 'my-tfstate', region: 'eu-central-1' }`.
 */
export const HOMELAB_SETTINGS: PlatformSettings = {
  kms: {
    region: 'eu-central-1',
    alias: 'alias/vault-unseal',
  },
  vault: {
    namespace: 'vault',
    storageClass: 'nfs-client',
    storageSize: '10Gi',
    ingress: { host: 'vault.homelab.local' },
    kubernetesHost: 'https://kubernetes.default.svc',
    kvMaxVersions: 10,
  },
  argocd: {
    project: 'default',
    server: 'https://kubernetes.default.svc',
    namespace: 'argocd',
  },
  terraform: { stateBackend: { kind: 'local' } },
};

/** The homelab's whole declaration: what every entry point synthesizes and the CLI works from. */
export function homelabDeclaration(): Declaration {
  return { catalog: homelabCatalog(), settings: HOMELAB_SETTINGS };
}

/** What `npx homelab-secrets` works from (package.json `homelabSecrets.declaration` names this module). */
export const declaration = homelabDeclaration;
