import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Construct } from 'constructs';
import type { SecretCatalog } from '../catalog';
import { EsoReadPolicy } from './eso-read-policy';
import { HomelabStack, HomelabStackProps } from './homelab-stack';
import { KubernetesAuth } from './kubernetes-auth';
import { KvV2Mount } from './kv-v2-mount';
import { OperatorLogin } from './operator-login';
import { OperatorPolicy } from './operator-policy';
import { requireCompatibleProvider } from './provider-range';

export interface VaultStackProps extends HomelabStackProps {
  /** The catalog both synths render; callers validate it first (`synthOutputs` does). */
  readonly catalog: SecretCatalog;
  /** Kubernetes API address Vault's Kubernetes auth calls. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault outside the cluster. @default none (Vault in the cluster uses its own) */
  readonly kubernetesCaCert?: string;
  /** Versions KV v2 keeps per secret. @default 10 */
  readonly maxVersions?: number;
}

/**
 * Vault's side of the catalog: the KV v2 mount, Kubernetes auth with ESO's role, ESO's read policy,
 * the operators' policy and the userpass backend operators log in at. Every shared name (mount, auth path, role, audience, service account
 * and namespace) comes from the catalog, the same values the ClusterSecretStore uses.
 *
 * The provider block is empty on purpose: the address and token come from VAULT_ADDR and
 * VAULT_TOKEN, so no credential is in code or in the synthesized JSON.
 */
export class VaultStack extends HomelabStack {
  public readonly provider: VaultProvider;
  public readonly mount: KvV2Mount;
  public readonly esoReadPolicy: EsoReadPolicy;
  public readonly operatorPolicy: OperatorPolicy;
  public readonly kubernetesAuth: KubernetesAuth;
  /** Where humans log in for the operator policy; the root token is for bootstrap only. */
  public readonly operatorLogin: OperatorLogin;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    super(scope, id, props);
    const { catalog } = props;
    this.provider = new VaultProvider(this, 'vault', {});
    requireCompatibleProvider(this, this.provider);

    this.mount = new KvV2Mount(this, 'KvMount', { path: catalog.mount, maxVersions: props.maxVersions });
    this.esoReadPolicy = new EsoReadPolicy(this, 'EsoReadPolicy', { catalog });
    this.operatorPolicy = new OperatorPolicy(this, 'OperatorPolicy', { mount: catalog.mount });
    this.operatorLogin = new OperatorLogin(this, 'OperatorLogin');
    this.kubernetesAuth = new KubernetesAuth(this, 'KubernetesAuth', {
      access: catalog.eso,
      vaultRole: catalog.vaultRole,
      // A reference, not the name again: Terraform then writes the policy before the role uses it.
      tokenPolicies: [this.esoReadPolicy.resource.name],
      kubernetesHost: props.kubernetesHost,
      kubernetesCaCert: props.kubernetesCaCert,
    });
  }
}
