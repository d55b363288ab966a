import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp } from '../catalog';
import { StoreServiceAccount, StoreServiceAccountProps } from './store-service-account';
import { VaultExternalSecret, VaultExternalSecretProps } from './vault-external-secret';
import { VaultSecretStore, VaultSecretStoreProps } from './vault-secret-store';

/** Properties for `NamespaceSecretsChart`. */
export interface NamespaceSecretsChartProps {
  /** The namespace every ExternalSecret of this chart lives in. */
  readonly namespace: string;
  /** The ExternalSecrets, in output order; each must be in `namespace`. */
  readonly externalSecrets: readonly VaultExternalSecretProps[];
  /** The namespace's own store and the ServiceAccount it logs in as (namespace isolation). @default - none: the ExternalSecrets read through a ClusterSecretStore */
  readonly store?: { readonly serviceAccount: StoreServiceAccountProps; readonly secretStore: VaultSecretStoreProps };
}

/** The chart (one output file) with the ExternalSecrets of one namespace, and its own store in namespace isolation. */
export class NamespaceSecretsChart extends Chart {
  public readonly externalSecrets: VaultExternalSecret[];
  public readonly serviceAccount?: StoreServiceAccount;
  public readonly secretStore?: VaultSecretStore;

  constructor(scope: Construct, id: string, props: NamespaceSecretsChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    if (props.store) {
      this.serviceAccount = new StoreServiceAccount(this, 'ServiceAccount', props.store.serviceAccount);
      this.secretStore = new VaultSecretStore(this, 'SecretStore', props.store.secretStore);
    }
    this.externalSecrets = props.externalSecrets.map((es) => {
      if (es.namespace !== props.namespace) {
        invalidProp(`ExternalSecret "${es.name}"`, 'namespace', es.namespace, `must be the chart's namespace "${props.namespace}"`);
      }
      return new VaultExternalSecret(this, es.name, es);
    });
  }
}
