import type { ResolvedStore, SyncTarget } from '../../catalog';
import type { VaultClusterSecretStoreProps } from '../vault-cluster-secret-store';
import type { VaultExternalSecretProps } from '../vault-external-secret';

/** Reloader's search mode restarts workloads that opted in when a Secret with this annotation changes. */
export const RELOADER_MATCH_ANNOTATION = 'reloader.stakater.com/match';

/** The props of the ExternalSecret of one catalog target: the mapping from catalog to construct. */
export function externalSecretProps(target: SyncTarget, storeName: string): VaultExternalSecretProps {
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
    name: target.name,
    namespace: target.namespace,
    storeName,
    data,
    extract,
    refreshInterval: target.refreshInterval,
    creationPolicy: target.creationPolicy,
    template: {
      type: target.type,
      labels: target.labels,
      annotations,
      data: target.templateData,
      mergePolicy: target.templateMergePolicy,
    },
  };
}

/** The props of the ClusterSecretStore: the mount, the resolved access settings, the catalog's namespaces. */
export function clusterSecretStoreProps(mount: string, store: ResolvedStore, namespaces: readonly string[]): VaultClusterSecretStoreProps {
  return {
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
