import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES, annotationsOrNone } from './sync-waves';

/** Properties for `StoreServiceAccount`. */
export interface StoreServiceAccountProps {
  /** Name of the ServiceAccount. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Annotations, such as a GitOps tool's ordering. @default - Argo CD's sync wave -1, with the store */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The ServiceAccount a namespace's SecretStore logs in to Vault as. It runs nothing: ESO requests a
 * token for it (TokenRequest) and presents that token to Vault's Kubernetes auth.
 */
export class StoreServiceAccount extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: StoreServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    const annotations = props.annotations ?? { [SYNC_WAVE_ANNOTATION]: String(SYNC_WAVES.store) };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: annotationsOrNone(annotations),
      },
      // Nothing mounts this account's token: ESO asks for short-lived ones.
      automountServiceAccountToken: false,
    });
  }
}
