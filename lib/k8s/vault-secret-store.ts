import { Construct } from 'constructs';
import {
  SecretStore,
  SecretStoreSpecProviderVaultCaProviderType,
  SecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import { SYNC_WAVES, annotationsOrNone, argoAnnotations } from './sync-waves';

/** A CA a SecretStore trusts: a key of a ConfigMap or Secret in the store's own namespace. */
export interface NamespacedStoreCaProvider {
  /** ConfigMap or Secret. @default 'ConfigMap', which holds no private key */
  readonly type?: 'Secret' | 'ConfigMap';
  /** Its name. */
  readonly name: string;
  /** The key holding the PEM CA. */
  readonly key: string;
}

/** Properties for `VaultSecretStore`. */
export interface VaultSecretStoreProps {
  /** Name of the SecretStore, as the namespace's ExternalSecrets' `secretStoreRef` names it. */
  readonly name: string;
  /** The namespace the store serves, and the namespace of the ServiceAccount it logs in as. */
  readonly namespace: string;
  /** Vault's address as ESO reaches it. */
  readonly server: string;
  /**
   * The ConfigMap (or Secret) in the store's own namespace whose CA ESO trusts for an `https://`
   * server: a SecretStore may not name another namespace. @default - none: the system CAs, or plain HTTP
   */
  readonly caProvider?: NamespacedStoreCaProvider;
  /** KV v2 mount name, without slashes; ESO inserts `data/` itself. */
  readonly mount: string;
  /** Path of Vault's Kubernetes auth backend. */
  readonly authMountPath: string;
  /** Vault role the store logs in with: bound to `serviceAccountName` in `namespace` (and in the other namespaces of its identity). */
  readonly role: string;
  /** The ServiceAccount in `namespace` whose token ESO presents. */
  readonly serviceAccountName: string;
  /** Audience of the token ESO requests; the Vault role must require the same. */
  readonly audience: string;
  /** Annotations of the store, such as a GitOps tool's ordering. @default - Argo CD's sync wave -1 and SkipDryRunOnMissingResource */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A namespaced SecretStore for Vault KV v2 that logs in with a ServiceAccount of its own namespace:
 * the ExternalSecrets of that namespace may read through it, with its identity's Vault role only.
 */
export class VaultSecretStore extends Construct {
  public readonly name: string;
  public readonly resource: SecretStore;

  constructor(scope: Construct, id: string, props: VaultSecretStoreProps) {
    super(scope, id);
    this.name = props.name;
    const annotations = props.annotations ?? argoAnnotations(SYNC_WAVES.store);
    this.resource = new SecretStore(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: annotationsOrNone(annotations),
      },
      spec: {
        provider: {
          vault: {
            server: props.server,
            path: props.mount,
            version: SecretStoreSpecProviderVaultVersion.V2,
            ...(props.caProvider
              ? {
                caProvider: {
                  type: props.caProvider.type === 'Secret' ? SecretStoreSpecProviderVaultCaProviderType.SECRET : SecretStoreSpecProviderVaultCaProviderType.CONFIG_MAP,
                  name: props.caProvider.name,
                  key: props.caProvider.key,
                },
              }
              : {}),
            auth: {
              kubernetes: {
                mountPath: props.authMountPath,
                role: props.role,
                // A SecretStore's ServiceAccount is always in the store's own namespace.
                serviceAccountRef: { name: props.serviceAccountName, audiences: [props.audience] },
              },
            },
          },
        },
      },
    });
  }
}
