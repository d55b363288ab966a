import { type GitOpsFlavour, type ResolvedStore, type SyncTarget, namespaceIdentity } from '../../catalog';
import type { StoreServiceAccountProps } from '../store-service-account';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES, gitOpsAnnotations } from '../sync-waves';
import type { VaultSecretStoreProps } from '../vault-secret-store';
import type { VaultClusterSecretStoreProps } from '../vault-cluster-secret-store';
import type { VaultExternalSecretProps } from '../vault-external-secret';

/** Reloader's search mode restarts workloads that opted in when a Secret with this annotation changes. */
export const RELOADER_MATCH_ANNOTATION = 'reloader.stakater.com/match';

/** The props of the ExternalSecret of one catalog target: the mapping from catalog to construct. */
export function externalSecretProps(
  target: SyncTarget,
  storeName: string,
  flavour: GitOpsFlavour = 'argocd',
  storeKind: 'ClusterSecretStore' | 'SecretStore' = 'ClusterSecretStore',
): VaultExternalSecretProps {
  const data: NonNullable<VaultExternalSecretProps['data']>[number][] = [];
  const extract: string[] = [];
  for (const source of target.sources) {
    if (source.kind === 'extract') {
      extract.push(source.path.path);
      continue;
    }
    for (const key of source.keys) {
      data.push({ secretKey: source.renames[key] ?? key, remoteKey: source.path.path, property: key });
    }
  }
  const annotations = { ...target.annotations };
  if (target.reloaderMatch) annotations[RELOADER_MATCH_ANNOTATION] = 'true';
  return {
    name: target.externalSecretName,
    namespace: target.namespace,
    storeName,
    storeKind,
    secretName: target.name,
    data,
    extract,
    refreshInterval: target.refreshInterval,
    creationPolicy: target.creationPolicy,
    deletionPolicy: target.deletionPolicy,
    // With creationPolicy None ESO writes no Secret, so there is no template (the catalog refuses one).
    template: target.writesSecret
      ? { type: target.type, labels: target.labels, annotations, data: target.templateData, mergePolicy: target.templateMergePolicy }
      : undefined,
    annotations: gitOpsAnnotations(flavour, SYNC_WAVES.externalSecrets),
  };
}

/** The props of the ClusterSecretStore: the mount, the resolved access settings, the catalog's namespaces. */
export function clusterSecretStoreProps(mount: string, store: ResolvedStore, namespaces: readonly string[], flavour: GitOpsFlavour = 'argocd'): VaultClusterSecretStoreProps {
  return {
    annotations: gitOpsAnnotations(flavour, SYNC_WAVES.store),
    name: store.storeName,
    server: store.server,
    caProvider: store.caProvider,
    mount,
    authMountPath: store.authMountPath,
    role: store.role,
    serviceAccountName: store.serviceAccountName,
    serviceAccountNamespace: store.serviceAccountNamespace,
    audience: store.audience,
    namespaces,
  };
}

/** The ConfigMap holding Vault's CA in every namespace (its name derives from Vault's TLS Secret). */
export function caConfigMapName(tlsSecretName: string): string {
  return `${tlsSecretName}-ca`;
}

/** The ServiceAccount and SecretStore of one namespace in namespace isolation. */
export function namespaceStoreProps(
  mount: string,
  store: ResolvedStore,
  namespace: string,
  flavour: GitOpsFlavour,
): { serviceAccount: StoreServiceAccountProps; secretStore: VaultSecretStoreProps } {
  const identity = namespaceIdentity(store, namespace);
  return {
    serviceAccount: {
      name: identity.serviceAccountName,
      namespace,
      // A core kind: it needs its wave, but no dry-run exception for a missing CRD.
      annotations: flavour === 'argocd' ? { [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.store) } : {},
    },
    secretStore: {
      name: identity.storeName,
      namespace,
      server: store.server,
      caConfigMap: store.caProvider ? { name: caConfigMapName(store.caProvider.name), key: store.caProvider.key } : undefined,
      mount,
      authMountPath: store.authMountPath,
      role: identity.role,
      serviceAccountName: identity.serviceAccountName,
      audience: store.audience,
      annotations: gitOpsAnnotations(flavour, SYNC_WAVES.store),
    },
  };
}
