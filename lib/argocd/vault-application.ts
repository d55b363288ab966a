import { Construct } from 'constructs';
import type { ResolvedKmsUnseal, VaultIngressSettings } from '../catalog';
import { VaultReleaseOptions, VaultServerConfig, vaultRelease } from '../components';
import { ArgoDestinationSettings, HelmApplication } from './helm-application';

/**
 * Properties for `VaultApplication`: the Vault install's settings (`VaultSettings`, documented there),
 * the KMS key and the Argo CD destination.
 */
export interface VaultApplicationProps extends VaultReleaseOptions, ArgoDestinationSettings {
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
}

/**
 * Vault from the hashicorp/vault chart, as an Argo CD Application; its values are Vault's release
 * (`vaultRelease`, shared with Flux's HelmRelease): one standalone server, file storage on a PVC,
 * auto-unseal through AWS KMS, no agent injector, and the auth-delegator binding Kubernetes auth
 * needs for TokenReview.
 */
export class VaultApplication extends HelmApplication {
  public readonly kms?: ResolvedKmsUnseal;
  public readonly storageClass?: string;
  public readonly storageSize?: string;
  public readonly ingress?: VaultIngressSettings;
  /** The TLS Secret the listener serves, or undefined for plain HTTP. */
  public readonly tlsSecretName?: string;
  public readonly serverConfig: VaultServerConfig;
  /** The rendered `server.standalone.config`. */
  public readonly serverConfigHcl: string;
  /** Vault's address inside the cluster, from the release name and namespace. */
  public readonly serviceUrl: string;

  constructor(scope: Construct, id: string, props: VaultApplicationProps) {
    const release = vaultRelease(props, 'the Vault Application');
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: release.name,
      namespace: release.namespace,
      chart: release.chart,
      syncWave: props.syncWave,
      values: release.values,
    });
    this.kms = props.kms;
    this.storageClass = props.storageClass;
    this.storageSize = props.storageSize;
    this.ingress = props.ingress;
    this.serverConfig = release.serverConfig;
    this.serverConfigHcl = release.serverConfigHcl;
    this.tlsSecretName = release.tlsSecretName;
    this.serviceUrl = release.serviceUrl;
  }
}
