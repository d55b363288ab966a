import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { SecretCatalog } from '../catalog';
import { VaultClusterSecretStore } from './vault-cluster-secret-store';

export interface SecretStoreChartProps {
  /** The catalog whose mount, access settings and namespaces the store serves. */
  readonly catalog: SecretCatalog;
}

/** The chart (one output file) holding the ClusterSecretStore. */
export class SecretStoreChart extends Chart {
  public readonly store: VaultClusterSecretStore;

  constructor(scope: Construct, id: string, props: SecretStoreChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { catalog } = props;
    this.store = new VaultClusterSecretStore(this, 'Store', {
      mount: catalog.mount,
      access: catalog.eso,
      namespaces: catalog.namespaces,
    });
  }
}
