import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp } from '../catalog';
import { StoreServiceAccount, StoreServiceAccountProps } from './store-service-account';
import { VaultExternalSecret, VaultExternalSecretProps } from './vault-external-secret';
import { VaultSecretStore, VaultSecretStoreProps } from './vault-secret-store';

/** Properties for `NamespaceSecretsChart`. */
export interface NamespaceSecretsChartProps {
  /** The namespace every object of this chart lives in. */
  readonly namespace: string;
  /** The ExternalSecrets, in output order; each must be in `namespace`. */
  readonly externalSecrets: readonly VaultExternalSecretProps[];
  /** The namespace's own SecretStores, in output order. @default - none: the ExternalSecrets read through ClusterSecretStores */
  readonly secretStores?: readonly VaultSecretStoreProps[];
  /** The ServiceAccounts those stores log in as that the library writes, in output order. @default - none */
  readonly serviceAccounts?: readonly StoreServiceAccountProps[];
}

/** The chart (one output file) of one namespace: the ServiceAccounts and SecretStores of its identities, then its ExternalSecrets. */
export class NamespaceSecretsChart extends Chart {
  public readonly serviceAccounts: readonly StoreServiceAccount[];
  public readonly secretStores: readonly VaultSecretStore[];
  public readonly externalSecrets: readonly VaultExternalSecret[];

  constructor(scope: Construct, id: string, props: NamespaceSecretsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    const inNamespace = (kind: string, object: { name: string; namespace: string }): void => {
      if (object.namespace !== props.namespace) invalidProp(`${kind} "${object.name}"`, 'namespace', object.namespace, `must be the chart's namespace "${props.namespace}"`);
    };
    this.serviceAccounts = (props.serviceAccounts ?? []).map((sa) => {
      inNamespace('ServiceAccount', sa);
      return new StoreServiceAccount(this, `ServiceAccount-${sa.name}`, sa);
    });
    this.secretStores = (props.secretStores ?? []).map((store) => {
      inNamespace('SecretStore', store);
      return new VaultSecretStore(this, `SecretStore-${store.name}`, store);
    });
    this.externalSecrets = props.externalSecrets.map((es) => {
      inNamespace('ExternalSecret', es);
      // Not the bare name: a Secret may be named like a property of every object (`constructor`).
      return new VaultExternalSecret(this, `ExternalSecret-${es.name}`, es);
    });
  }
}
