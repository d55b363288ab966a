import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { StoreServiceAccount, StoreServiceAccountProps } from './store-service-account';
import { VaultClusterSecretStore, VaultClusterSecretStoreProps } from './vault-cluster-secret-store';

/** Properties for `SecretStoreChart`. */
export interface SecretStoreChartProps {
  /** The ClusterSecretStores it holds, in output order. */
  readonly stores: readonly VaultClusterSecretStoreProps[];
  /** ServiceAccounts the stores log in as that the library writes, in output order. @default - none: the stores log in as existing ones (ESO's own) */
  readonly serviceAccounts?: readonly StoreServiceAccountProps[];
}

/** The chart (one output file) holding the ClusterSecretStores, and the ServiceAccounts they log in as that the library writes. */
export class SecretStoreChart extends Chart {
  public readonly serviceAccounts: readonly StoreServiceAccount[];
  public readonly stores: readonly VaultClusterSecretStore[];

  constructor(scope: Construct, id: string, props: SecretStoreChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.serviceAccounts = (props.serviceAccounts ?? []).map((sa) => new StoreServiceAccount(this, `ServiceAccount-${sa.namespace}-${sa.name}`, sa));
    this.stores = props.stores.map((store) => new VaultClusterSecretStore(this, `Store-${store.name}`, store));
  }
}
