import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { SyncTarget } from '../catalog';
import { VaultExternalSecret } from './vault-external-secret';

export interface NamespaceSecretsChartProps {
  /** The namespace every target of this chart writes to. */
  readonly namespace: string;
  /** The targets of that namespace, in catalog order. */
  readonly targets: readonly SyncTarget[];
  /** Name of the ClusterSecretStore the ExternalSecrets read through. */
  readonly storeName: string;
}

/** The chart (one output file) with the ExternalSecrets of one namespace. */
export class NamespaceSecretsChart extends Chart {
  public readonly externalSecrets: VaultExternalSecret[];

  constructor(scope: Construct, id: string, props: NamespaceSecretsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    this.externalSecrets = props.targets.map(
      (target) => new VaultExternalSecret(this, target.name, { target, storeName: props.storeName }),
    );
  }
}
