import type { Declaration, PlatformSettings } from '../lib/catalog';
import { SecretCatalog, external, generated } from '../lib/catalog';

// Where each value comes from. Random strings the homelab made up are generated (`homelab-secrets
// seed` writes them straight into Vault); whatever another system issues is external, with where to
// find it. User names are external too: a person picks them and types them at a login.
/** A password for a login or a database: 32 characters of A-Z a-z 0-9, safe in URLs and env files. */
const PASSWORD = generated({ length: 32 });
/** A bearer token shared between two services: 32 random bytes as hex, as `openssl rand -hex 32` makes. */
const TOKEN = generated({ bytes: 32, encoding: 'hex' });
const ARR_API_KEY = (app: string) => external({ hint: `${app} → Settings → General → Security → API Key` });
const SONARR_API_KEY = ARR_API_KEY('Sonarr');
const RADARR_API_KEY = ARR_API_KEY('Radarr');
const PROWLARR_API_KEY = ARR_API_KEY('Prowlarr');
const SLACK_APPS = 'https://api.slack.com/apps';

/**
 * The homelab's Vault path table: every path under `homelab/`, its keys, and the Secrets it feeds.
 * Names and keys only: the values live in Vault and nowhere else.
 */
export function homelabCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });

  // --- infrastructure ---------------------------------------------------------------------------
  catalog.path('infrastructure/minio', ['rootUser', 'rootPassword'], {
    description: 'MinIO root credentials',
    origins: {
      rootUser: external({ hint: 'a MinIO root user name of your choice, at least 3 characters (the console login; not "minioadmin")' }),
      rootPassword: PASSWORD,
    },
  })
    .syncTo({ name: 'minio-credentials', namespace: 'backups' });
  catalog.path('infrastructure/velero', ['cloud'], {
    description: 'Velero S3 credentials file (AWS profile format)',
    origins: {
      cloud: external({
        hint: 'MinIO console → Access Keys → Create access key (for Velero), written as an AWS credentials file: [default], aws_access_key_id, aws_secret_access_key; several lines, so send it from a file',
        url: 'https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero',
      }),
    },
  })
    .syncTo({ name: 'velero-cloud-credentials', namespace: 'backups' });
  catalog.path('infrastructure/authentik', ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_POSTGRESQL__PASSWORD'], {
    description: 'Authentik secret key and database password',
    // Authentik's docs make the secret key with `openssl rand 60 | base64`: 60 bytes, 80 characters.
    origins: { AUTHENTIK_SECRET_KEY: generated({ bytes: 60, encoding: 'base64' }), AUTHENTIK_POSTGRESQL__PASSWORD: PASSWORD },
  })
    .syncTo({ name: 'authentik-credentials', namespace: 'auth' });
  // Argo CD's Helm chart owns these two Secrets; ESO only adds its keys.
  catalog.path('infrastructure/argocd-oidc', ['oidc.authentik.clientSecret'], {
    description: 'Argo CD OIDC client secret for Authentik',
    origins: { 'oidc.authentik.clientSecret': external({ hint: 'Authentik → Applications → Providers → Argo CD → Edit → Client Secret' }) },
  })
    .syncTo({ name: 'argocd-secret', namespace: 'argocd', creationPolicy: 'Merge' });
  catalog.path('infrastructure/argocd-notifications-slack', ['slack-token'], {
    description: 'Argo CD notifications Slack bot token',
    origins: { 'slack-token': external({ hint: 'Slack → Your Apps → Argo CD notifications → OAuth & Permissions → Bot User OAuth Token (xoxb-…)', url: SLACK_APPS }) },
  })
    .syncTo({ name: 'argocd-notifications-secret', namespace: 'argocd', creationPolicy: 'Merge' });
  catalog.path('infrastructure/grafana', ['admin-user', 'admin-password'], {
    description: 'Grafana admin login',
    origins: { 'admin-user': external({ hint: 'a Grafana admin user name of your choice (the login form\'s user)' }), 'admin-password': PASSWORD },
  })
    .syncTo({ name: 'grafana-admin', namespace: 'monitoring' });
  catalog.path('infrastructure/grafana-oidc', ['GF_AUTH_GENERIC_OAUTH_CLIENT_ID', 'GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET'], {
    description: 'Grafana OIDC client for Authentik',
    origins: {
      GF_AUTH_GENERIC_OAUTH_CLIENT_ID: external({ hint: 'Authentik → Applications → Providers → Grafana → Edit → Client ID' }),
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: external({ hint: 'Authentik → Applications → Providers → Grafana → Edit → Client Secret' }),
    },
  })
    .syncTo({ name: 'grafana-oidc-secret', namespace: 'monitoring' });
  catalog.path('infrastructure/alertmanager-slack', ['webhook-url'], {
    description: 'Alertmanager Slack incoming webhook URL',
    origins: { 'webhook-url': external({ hint: 'Slack → Your Apps → Alertmanager → Incoming Webhooks → Webhook URL of the alerts channel (https://hooks.slack.com/services/…)', url: SLACK_APPS }) },
  })
    .syncTo({ name: 'alertmanager-slack-webhook', namespace: 'monitoring' });

  // --- apps -------------------------------------------------------------------------------------
  catalog.path('apps/vpn', ['OPENVPN_USER', 'OPENVPN_PASSWORD'], {
    description: 'VPN provider login for the download client',
    origins: {
      OPENVPN_USER: external({ hint: 'VPN provider\'s account page → manual / OpenVPN configuration → service credentials: user name (not the account login)' }),
      OPENVPN_PASSWORD: external({ hint: 'VPN provider\'s account page → manual / OpenVPN configuration → service credentials: password (not the account login)' }),
    },
  })
    .syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  catalog.path('apps/recyclarr', ['SONARR_API_KEY', 'RADARR_API_KEY'], {
    description: 'Sonarr and Radarr API keys for Recyclarr',
    origins: { SONARR_API_KEY, RADARR_API_KEY },
  })
    .syncTo({ name: 'recyclarr-secrets', namespace: 'arr' });
  catalog.path('apps/exportarr', ['SONARR_API_KEY', 'RADARR_API_KEY', 'PROWLARR_API_KEY'], {
    description: 'API keys for the *arr Prometheus exporters',
    origins: { SONARR_API_KEY, RADARR_API_KEY, PROWLARR_API_KEY },
  })
    .syncTo({ name: 'exportarr-secrets', namespace: 'arr' });
  catalog.path('apps/unpackerr', ['UN_SONARR_0_API_KEY', 'UN_RADARR_0_API_KEY'], {
    description: 'Sonarr and Radarr API keys for Unpackerr',
    origins: { UN_SONARR_0_API_KEY: SONARR_API_KEY, UN_RADARR_0_API_KEY: RADARR_API_KEY },
  })
    .syncTo({ name: 'unpackerr-secrets', namespace: 'arr' });
  catalog.path('apps/homepage', ['HOMEPAGE_VAR_SONARR_API_KEY', 'HOMEPAGE_VAR_RADARR_API_KEY'], {
    description: 'API keys for Homepage widgets',
    origins: { HOMEPAGE_VAR_SONARR_API_KEY: SONARR_API_KEY, HOMEPAGE_VAR_RADARR_API_KEY: RADARR_API_KEY },
  })
    .syncTo({ name: 'homepage-secrets', namespace: 'arr' });
  const openclaw = catalog.path('apps/openclaw', ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_HOOKS_TOKEN', 'ANTHROPIC_API_KEY'], {
    description: 'OpenClaw gateway, hooks and model API tokens',
    origins: {
      OPENCLAW_GATEWAY_TOKEN: TOKEN,
      OPENCLAW_HOOKS_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: external({ hint: 'Anthropic Console → Settings → API Keys → Create Key', url: 'https://console.anthropic.com/settings/keys' }),
    },
  });
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
