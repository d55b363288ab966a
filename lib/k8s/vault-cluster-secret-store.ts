import { Construct } from 'constructs';
import {
  ClusterSecretStore,
  ClusterSecretStoreSpecProviderVaultCaProviderType,
  ClusterSecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import { SYNC_WAVES, annotationsOrNone, argoAnnotations } from './sync-waves';

/** A CA a ClusterSecretStore trusts: a key of a Secret or ConfigMap in a namespace it names. */
export interface ClusterStoreCaProvider {
  /** Secret or ConfigMap. @default 'Secret' */
  readonly type?: 'Secret' | 'ConfigMap';
  /** Its name. */
  readonly name: string;
  /** Its namespace: a ClusterSecretStore must name it. */
  readonly namespace: string;
  /** The key holding the PEM CA. */
  readonly key: string;
}

/** Properties for `VaultClusterSecretStore`. */
export interface VaultClusterSecretStoreProps {
  /** Name of the ClusterSecretStore, as the ExternalSecrets' `secretStoreRef` names it. */
  readonly name: string;
  /** Vault's address as ESO reaches it, such as `https://vault.vault-system.svc:8200`. */
  readonly server: string;
  /** The Secret (or ConfigMap) whose CA ESO trusts for an `https://` server. @default - none: the system CAs, or plain HTTP */
  readonly caProvider?: ClusterStoreCaProvider;
  /** KV v2 mount name, without slashes; ESO inserts `data/` itself. */
  readonly mount: string;
  /** Path of Vault's Kubernetes auth backend. */
  readonly authMountPath: string;
  /** Vault role ESO logs in with. */
  readonly role: string;
  /** ESO's service account, whose token ESO presents. */
  readonly serviceAccountName: string;
  /** Namespace of ESO's service account. */
  readonly serviceAccountNamespace: string;
  /** Audience of the token ESO requests; the Vault role must require the same. */
  readonly audience: string;
  /** The namespaces allowed to use the store; ESO refuses any other namespace. */
  readonly namespaces: readonly string[];
  /** Annotations of the store, such as a GitOps tool's ordering. @default - Argo CD's sync wave -1 and SkipDryRunOnMissingResource */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A ClusterSecretStore for Vault KV v2 through Kubernetes auth, limited to the given namespaces. An
 * `https://` server with a caProvider is verified against that Secret's CA and nothing else.
 */
export class VaultClusterSecretStore extends Construct {
  public readonly name: string;
  public readonly resource: ClusterSecretStore;

  constructor(scope: Construct, id: string, props: VaultClusterSecretStoreProps) {
    super(scope, id);
    this.name = props.name;
    this.resource = new ClusterSecretStore(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: annotationsOrNone(props.annotations ?? argoAnnotations(SYNC_WAVES.store)),
      },
      spec: {
        provider: {
          vault: {
            server: props.server,
            path: props.mount,
            version: ClusterSecretStoreSpecProviderVaultVersion.V2,
            ...(props.caProvider
              ? {
                caProvider: {
                  type: props.caProvider.type === 'ConfigMap'
                    ? ClusterSecretStoreSpecProviderVaultCaProviderType.CONFIG_MAP
                    : ClusterSecretStoreSpecProviderVaultCaProviderType.SECRET,
                  name: props.caProvider.name,
                  namespace: props.caProvider.namespace,
                  key: props.caProvider.key,
                },
              }
              : {}),
            auth: {
              kubernetes: {
                mountPath: props.authMountPath,
                role: props.role,
                // The namespace is what keeps a ClusterSecretStore from switching to per-namespace auth.
                serviceAccountRef: {
                  name: props.serviceAccountName,
                  namespace: props.serviceAccountNamespace,
                  audiences: [props.audience],
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
