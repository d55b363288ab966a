import type { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Construct } from 'constructs';
import type { ResolvedEsoAccess, ResolvedVaultRole } from '../catalog';
import { EsoReadPolicy } from './eso-read-policy';
import { KubernetesAuth } from './kubernetes-auth';
import { KvV2Mount } from './kv-v2-mount';
import { OperatorLogin } from './operator-login';
import { OperatorPolicy } from './operator-policy';
import { requireCompatibleProvider } from './provider-range';
import { vaultProviderClasses } from './providers';
import { ReadableStack, ReadableStackProps } from './readable-stack';

/** Properties for `VaultStack`. */
export interface VaultStackProps extends ReadableStackProps {
  /** The KV v2 mount, without slashes. */
  readonly mount: string;
  /** The paths inside the mount ESO reads: its policy grants exactly these. */
  readonly esoReadPaths: readonly string[];
  /** ESO's side of the login: auth mount path, role, service account and its namespace, audience. */
  readonly access: ResolvedEsoAccess;
  /** Vault's side of ESO's role: the audience it requires and the TTL of its tokens. */
  readonly vaultRole: ResolvedVaultRole;
  /** Kubernetes API address Vault's Kubernetes auth calls. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault outside the cluster. @default - none: Vault in the cluster uses its own */
  readonly kubernetesCaCert?: string;
  /** Versions KV v2 keeps per secret. @default 10, Vault's own default */
  readonly maxVersions?: number;
  /**
   * Namespace isolation: per namespace a policy reading exactly its paths and a role bound to exactly
   * its ServiceAccount. They replace ESO's one role and policy. @default - cluster isolation: one role for ESO's own service account, one policy for `esoReadPaths`
   */
  readonly namespaceReaders?: readonly NamespaceReader[];
}

/** One namespace's identity in Vault (namespace isolation). */
export interface NamespaceReader {
  /** The namespace. */
  readonly namespace: string;
  /** The paths its ExternalSecrets read. */
  readonly paths: readonly string[];
  /** Its Vault role. */
  readonly role: string;
  /** Its ServiceAccount, the one the role binds. */
  readonly serviceAccountName: string;
}

/**
 * Vault's side of the catalog: the KV v2 mount, Kubernetes auth with ESO's role, ESO's read policy,
 * the operators' policy and the userpass backend operators log in at. Every shared name (mount, auth path, role, audience, service account
 * and namespace) comes from the same values the ClusterSecretStore uses.
 *
 * The provider block is empty on purpose: the address and token come from VAULT_ADDR and
 * VAULT_TOKEN, so no credential is in code or in the synthesized JSON.
 */
export class VaultStack extends ReadableStack {
  public readonly provider: VaultProvider;
  public readonly mount: KvV2Mount;
  /** ESO's read policy in cluster isolation; the first namespace's in namespace isolation. */
  public readonly esoReadPolicy: EsoReadPolicy;
  /** Every ESO read policy: one, or one per namespace. */
  public readonly esoReadPolicies: readonly EsoReadPolicy[];
  public readonly operatorPolicy: OperatorPolicy;
  public readonly kubernetesAuth: KubernetesAuth;
  /** Where humans log in for the operator policy; the root token is for bootstrap only. */
  public readonly operatorLogin: OperatorLogin;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    // Before the stack gets its first resource: without the provider package, nothing is added.
    const vault = vaultProviderClasses();
    super(scope, id, props);
    this.provider = new vault.VaultProvider(this, 'vault', {});
    requireCompatibleProvider(this, this.provider);

    this.mount = new KvV2Mount(this, 'KvMount', { path: props.mount, maxVersions: props.maxVersions });
    const readers = props.namespaceReaders;
    this.esoReadPolicies = readers
      ? readers.map((reader) => new EsoReadPolicy(this, `EsoReadPolicy-${reader.namespace}`, {
        mount: props.mount,
        paths: reader.paths,
        name: `${props.mount}-eso-read-${reader.namespace}`,
      }))
      : [new EsoReadPolicy(this, 'EsoReadPolicy', { mount: props.mount, paths: props.esoReadPaths })];
    this.esoReadPolicy = this.esoReadPolicies[0];
    this.operatorPolicy = new OperatorPolicy(this, 'OperatorPolicy', { mount: props.mount });
    this.operatorLogin = new OperatorLogin(this, 'OperatorLogin');
    this.kubernetesAuth = new KubernetesAuth(this, 'KubernetesAuth', {
      access: props.access,
      vaultRole: props.vaultRole,
      // A reference, not the name again: Terraform then writes the policy before the role uses it.
      tokenPolicies: [this.esoReadPolicy.resource.name],
      roles: readers?.map((reader, index) => ({
        idSuffix: reader.namespace,
        name: reader.role,
        serviceAccountName: reader.serviceAccountName,
        serviceAccountNamespace: reader.namespace,
        tokenPolicies: [this.esoReadPolicies[index].resource.name],
      })),
      kubernetesHost: props.kubernetesHost,
      kubernetesCaCert: props.kubernetesCaCert,
    });
  }
}
