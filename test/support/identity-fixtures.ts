// A catalog shaped like a real Argo CD homelab's access: several stores in one namespace, roles and
// ServiceAccounts under their own names (`default` included), one role shared by two namespaces, a
// ClusterSecretStore limited to two namespaces, and the catalog's default identity beside them. The
// expectations say exactly what each identity may read; the unit tests and the real-cluster proof
// (test/cluster/kubernetes-login.test.ts: logins and the real ESO) check against them.
import { SecretCatalog } from '../../lib/catalog';

/** What one identity is, as Vault and Kubernetes see it, and exactly what it may read. */
export interface IdentityExpectation {
  /** The Vault role, in the `kubernetes` auth mount. */
  readonly role: string;
  /** Its policy's name. */
  readonly policy: string;
  /** Its stores: `SecretStore <namespace>/<name>` or `ClusterSecretStore <name>`. */
  readonly stores: readonly string[];
  /** Every ServiceAccount `namespace/name` that logs in with the role. */
  readonly serviceAccounts: readonly string[];
  /** The audience its tokens carry. */
  readonly audience: string;
  /** The paths under `kv/` its token reads; every other path of the mount is denied. */
  readonly paths: readonly string[];
}

/** The mount of the identity fixture. */
export const IDENTITY_FIXTURE_MOUNT = 'kv';

/**
 * The identity fixture:
 * - `sonarr` and `radarr`: single-purpose SecretStores in `media`, logging in as `default` and as
 *   `radarr-vault` with the roles `media-sonarr` and `media-radarr`;
 * - `arr-shared`: the SecretStore `vault-arr` in `media` and `downloads`, one role `arr` for both;
 * - `observability`: the ClusterSecretStore `vault-observability` for `monitoring` and `logging`,
 *   logging in as `external-secrets/vault-observability`;
 * - the default identity (cluster isolation) for the Secrets of `apps`;
 * - `infra/smtp` is read by two identities, `ops/backup-key` by operators only.
 */
export function identityFixtureCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: IDENTITY_FIXTURE_MOUNT });
  const sonarr = catalog.identity('sonarr', {
    store: { kind: 'SecretStore', name: 'vault-sonarr', namespaces: ['media'] },
    serviceAccount: { name: 'default' },
    role: 'media-sonarr',
  });
  const radarr = catalog.identity('radarr', {
    store: { kind: 'SecretStore', name: 'vault-radarr', namespaces: ['media'] },
    serviceAccount: { name: 'radarr-vault' },
    role: 'media-radarr',
  });
  const arr = catalog.identity('arr-shared', {
    store: { kind: 'SecretStore', name: 'vault-arr', namespaces: ['media', 'downloads'] },
    serviceAccount: { name: 'arr-eso' },
    role: 'arr',
  });
  const observability = catalog.identity('observability', {
    store: { kind: 'ClusterSecretStore', name: 'vault-observability', namespaces: ['monitoring', 'logging'] },
    serviceAccount: { name: 'vault-observability', namespace: 'external-secrets' },
  });

  catalog.path('apps/sonarr', ['api-key']).syncTo({ name: 'sonarr', namespace: 'media', identity: sonarr });
  catalog.path('apps/radarr', ['api-key']).syncTo({ name: 'radarr', namespace: 'media', identity: radarr });
  const indexer = catalog.path('apps/indexer', ['api-key']);
  indexer.syncTo({ name: 'indexer', namespace: 'media', identity: arr });
  indexer.syncTo({ name: 'indexer', namespace: 'downloads', identity: arr });
  catalog.path('apps/sabnzbd', ['api-key', 'username']).syncTo({ name: 'sabnzbd', namespace: 'downloads', identity: arr, keys: ['api-key'] });
  catalog.path('infra/grafana', ['admin-password']).syncTo({ name: 'grafana-admin', namespace: 'monitoring', identity: observability });
  catalog.addTarget({ name: 'loki-s3', namespace: 'logging', identity: observability, sources: [catalog.path('infra/loki', ['access-key', 'secret-key']).extractAll()] });
  const smtp = catalog.path('infra/smtp', ['password']);
  smtp.syncTo({ name: 'alertmanager-smtp', namespace: 'monitoring', identity: observability });
  smtp.syncTo({ name: 'app-smtp', namespace: 'apps' });
  catalog.path('apps/db', ['password']).syncTo({ name: 'db', namespace: 'apps' });
  catalog.path('ops/backup-key', ['key'], { readBy: 'operators' });
  return catalog;
}

/** Exactly what each identity of {@link identityFixtureCatalog} is and reads, by identity name. */
export const IDENTITY_FIXTURE_EXPECTATIONS: Readonly<Record<string, IdentityExpectation>> = {
  'external-secrets': {
    role: 'external-secrets',
    policy: 'kv-eso-read',
    stores: ['ClusterSecretStore vault-backend'],
    serviceAccounts: ['external-secrets/external-secrets'],
    audience: 'vault',
    paths: ['apps/db', 'infra/smtp'],
  },
  'sonarr': {
    role: 'media-sonarr',
    policy: 'kv-eso-read-sonarr',
    stores: ['SecretStore media/vault-sonarr'],
    serviceAccounts: ['media/default'],
    audience: 'vault',
    paths: ['apps/sonarr'],
  },
  'radarr': {
    role: 'media-radarr',
    policy: 'kv-eso-read-radarr',
    stores: ['SecretStore media/vault-radarr'],
    serviceAccounts: ['media/radarr-vault'],
    audience: 'vault',
    paths: ['apps/radarr'],
  },
  'arr-shared': {
    role: 'arr',
    policy: 'kv-eso-read-arr-shared',
    stores: ['SecretStore downloads/vault-arr', 'SecretStore media/vault-arr'],
    serviceAccounts: ['downloads/arr-eso', 'media/arr-eso'],
    audience: 'vault',
    paths: ['apps/indexer', 'apps/sabnzbd'],
  },
  'observability': {
    role: 'observability',
    policy: 'kv-eso-read-observability',
    stores: ['ClusterSecretStore vault-observability'],
    serviceAccounts: ['external-secrets/vault-observability'],
    audience: 'vault',
    paths: ['infra/grafana', 'infra/loki', 'infra/smtp'],
  },
};
