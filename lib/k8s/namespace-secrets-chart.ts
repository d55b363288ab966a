import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { VaultExternalSecret, VaultExternalSecretProps } from './vault-external-secret';

/** Properties for `NamespaceSecretsChart`. */
export interface NamespaceSecretsChartProps {
  /** The namespace every ExternalSecret of this chart lives in. */
  readonly namespace: string;
  /** The ExternalSecrets, in output order; each must be in `namespace`. */
  readonly externalSecrets: readonly VaultExternalSecretProps[];
}

/** The chart (one output file) with the ExternalSecrets of one namespace. */
export class NamespaceSecretsChart extends Chart {
  public readonly externalSecrets: VaultExternalSecret[];

  constructor(scope: Construct, id: string, props: NamespaceSecretsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    this.externalSecrets = props.externalSecrets.map((es) => {
      if (es.namespace !== props.namespace) {
        throw new Error(`ExternalSecret "${es.name}" is in namespace "${es.namespace}", not the chart's "${props.namespace}"`);
      }
      return new VaultExternalSecret(this, es.name, es);
    });
  }
}
