import { type GitOpsFlavour, type ResolvedIdentity, type SyncTarget, renamedKey } from '../../catalog';
import type { StoreServiceAccountProps } from '../store-service-account';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES, gitOpsAnnotations } from '../sync-waves';
import type { VaultClusterSecretStoreProps } from '../vault-cluster-secret-store';
import type { VaultExternalSecretProps } from '../vault-external-secret';
import type { VaultSecretStoreProps } from '../vault-secret-store';

/** Reloader's search mode restarts workloads that opted in when a Secret with this annotation changes. */
export const RELOADER_MATCH_ANNOTATION = 'reloader.stakater.com/match';

/** The props of the ExternalSecret of one catalog target, read through the store of its identity. */
export function externalSecretProps(
  target: SyncTarget,
  store: { readonly kind: 'ClusterSecretStore' | 'SecretStore'; readonly name: string },
  flavour: GitOpsFlavour = 'argocd',
): VaultExternalSecretProps {
  const data: NonNullable<VaultExternalSecretProps['data']>[number][] = [];
  const extract: string[] = [];
  for (const source of target.sources) {
    if (source.kind === 'extract') {
      extract.push(source.path.path);
      continue;
    }
    for (const key of source.keys) {
      data.push({ secretKey: renamedKey(source, key), remoteKey: source.path.path, property: key });
    }
  }
  const annotations = { ...target.annotations };
  if (target.reloaderMatch) annotations[RELOADER_MATCH_ANNOTATION] = 'true';
  return {
    name: target.externalSecretName,
    namespace: target.namespace,
    storeName: store.name,
    storeKind: store.kind,
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

/** The props of an identity's ClusterSecretStore: limited to its namespaces, logging in as its ServiceAccount. */
export function clusterSecretStoreProps(mount: string, resolved: ResolvedIdentity, flavour: GitOpsFlavour = 'argocd'): VaultClusterSecretStoreProps {
  const { identity, caProvider } = resolved;
  return {
    annotations: gitOpsAnnotations(flavour, SYNC_WAVES.store),
    name: identity.store.name,
    server: resolved.server,
    caProvider: caProvider ? { ...(caProvider.type === 'ConfigMap' ? { type: 'ConfigMap' as const } : {}), name: caProvider.name, namespace: caProvider.namespace!, key: caProvider.key } : undefined,
    mount,
    authMountPath: identity.cluster.authMountPath,
    role: identity.role,
    serviceAccountName: identity.serviceAccount.name,
    serviceAccountNamespace: identity.serviceAccount.namespace!,
    audience: identity.audience,
    namespaces: identity.store.namespaces,
  };
}

/** The props of an identity's SecretStore in `namespace`. */
export function secretStoreProps(mount: string, resolved: ResolvedIdentity, namespace: string, flavour: GitOpsFlavour): VaultSecretStoreProps {
  const { identity, caProvider } = resolved;
  return {
    name: identity.store.name,
    namespace,
    server: resolved.server,
    caProvider: caProvider ? { ...(caProvider.type === 'Secret' ? { type: 'Secret' as const } : {}), name: caProvider.name, key: caProvider.key } : undefined,
    mount,
    authMountPath: identity.cluster.authMountPath,
    role: identity.role,
    serviceAccountName: identity.serviceAccount.name,
    audience: identity.audience,
    annotations: gitOpsAnnotations(flavour, SYNC_WAVES.store),
  };
}

/** The props of a ServiceAccount an identity logs in as, which the library writes. */
export function serviceAccountProps(name: string, namespace: string, flavour: GitOpsFlavour): StoreServiceAccountProps {
  return {
    name,
    namespace,
    // A core kind: it needs its wave, but no dry-run exception for a missing CRD.
    annotations: flavour === 'argocd' ? { [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.store) } : {},
  };
}
