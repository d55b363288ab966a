import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderVaultCaProviderType,
  ClusterSecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import type { ResolvedEsoAccess } from '../catalog';
import { SYNC_WAVES, argoAnnotations } from './sync-waves';

export interface VaultClusterSecretStoreProps {
  /** KV v2 mount name, without slashes; ESO inserts `data/` itself. */
  readonly mount: string;
  /** How ESO reaches and authenticates to Vault. */
  readonly access: ResolvedEsoAccess;
  /** The namespaces allowed to use the store; any other namespace is refused by ESO. */
  readonly namespaces: readonly string[];
  /** Argo CD sync wave. @default SYNC_WAVES.store */
  readonly syncWave?: number;
}

/**
 * The one ClusterSecretStore: Vault KV v2 through Kubernetes auth, limited to the catalog's namespaces.
 * An `https://` server is verified against the `ca.crt` of the Secret Vault serves its certificate
 * from, and nothing else; an `http://` server (Vault's `tls: { disabled: true }`) gets no caProvider.
 */
export class VaultClusterSecretStore extends Construct {
  public readonly name: string;
  public readonly resource: ClusterSecretStore;

  constructor(scope: Construct, id: string, props: VaultClusterSecretStoreProps) {
    super(scope, id);
    const { access } = props;
    this.name = access.storeName;
    this.resource = new ClusterSecretStore(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: argoAnnotations(props.syncWave ?? SYNC_WAVES.store),
      },
      spec: {
        provider: {
          vault: {
            server: access.server,
            ...(access.server.startsWith('https://')
              ? {
                caProvider: {
                  type: ClusterSecretStoreSpecProviderVaultCaProviderType.SECRET,
                  name: access.caSecretName,
                  namespace: access.caSecretNamespace,
                  key: access.caSecretKey,
                },
              }
              : {}),
            path: props.mount,
            version: ClusterSecretStoreSpecProviderVaultVersion.V2,
            auth: {
              kubernetes: {
                mountPath: access.authMountPath,
                role: access.role,
                // The namespace is what keeps a ClusterSecretStore from switching to per-namespace auth.
                serviceAccountRef: {
                  name: access.serviceAccountName,
                  namespace: access.serviceAccountNamespace,
                  audiences: [access.audience],
                },
              },
            },
          },
        },
        // Without conditions any namespace could read every path the ESO role can read.
        conditions: [{ namespaces: [...props.namespaces].sort() }],
      },
    });
  }
}
