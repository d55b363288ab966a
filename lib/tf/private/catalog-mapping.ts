import type { EsoIdentity, ResolvedDeclaration } from '../../catalog';
import type { VaultStackProps } from '../vault-stack';

/**
 * The suffix of an identity's Terraform addresses: its name for a declared one, its namespace for one
 * of namespace isolation, none for the cluster's (so that the addresses of the shorthand never change).
 */
export function identityId(identity: EsoIdentity): string | undefined {
  const { origin } = identity;
  if (origin.kind === 'declared') return identity.name;
  return origin.isolation === 'namespace' ? origin.namespace : undefined;
}

/** The Vault stack's props of a validated declaration: the mount, and per cluster its auth and identities. */
export function vaultStackProps(declaration: ResolvedDeclaration): Omit<VaultStackProps, 'backend'> {
  const { catalog, settings, clusters } = declaration;
  return {
    mount: catalog.mount,
    maxVersions: settings.vault.kvMaxVersions,
    operatorCanDestroy: settings.vault.operatorCanDestroy,
    // The catalog's one cluster keeps the addresses it always had (`KubernetesAuth`).
    clusters: clusters.map((cluster, index) => ({
      ...(index === 0 ? {} : { id: cluster.name }),
      authMountPath: cluster.authMountPath,
      kubernetesHost: cluster.kubernetesHost,
      kubernetesCaCert: cluster.kubernetesCaCert,
      identities: cluster.identities.map(({ identity, paths }) => ({
        id: identityId(identity),
        policyName: identity.policyName,
        paths,
        role: identity.role,
        serviceAccountNames: [identity.serviceAccount.name],
        namespaces: identity.boundNamespaces,
        audience: identity.audience,
        tokenTtlSeconds: identity.tokenTtlSeconds,
      })),
    })),
  };
}
