import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VaultClusterSecretStore, VaultClusterSecretStoreProps } from './vault-cluster-secret-store';

/** Properties for `SecretStoreChart`. */
export interface SecretStoreChartProps {
  /** The store it holds. */
  readonly store: VaultClusterSecretStoreProps;
}

/** The chart (one output file) holding the ClusterSecretStore. */
export class SecretStoreChart extends Chart {
  public readonly store: VaultClusterSecretStore;

  constructor(scope: Construct, id: string, props: SecretStoreChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.store = new VaultClusterSecretStore(this, 'Store', props.store);
  }
}
