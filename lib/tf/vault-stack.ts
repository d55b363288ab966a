import type { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { Construct } from 'constructs';
import { EsoReadPolicy } from './eso-read-policy';
import { KubernetesAuth } from './kubernetes-auth';
import { KvV2Mount } from './kv-v2-mount';
import { OperatorLogin } from './operator-login';
import { OperatorPolicy } from './operator-policy';
import { requireCompatibleProvider } from './provider-range';
import { vaultProviderClasses } from './providers';
import { ReadableStack, ReadableStackProps } from './readable-stack';

/** One identity in Vault: a policy that reads exactly its paths, and a role bound to exactly its ServiceAccounts. */
export interface VaultIdentity {
  /** Suffix of its construct ids (`EsoReadPolicy-<id>`, `Role-<id>`), and so of its Terraform addresses. @default - none: `EsoReadPolicy` and `Role` (one identity at most) */
  readonly id?: string;
  /** Name of its Vault policy. */
  readonly policyName: string;
  /** The paths inside the mount its stores read: its policy grants exactly these. */
  readonly paths: readonly string[];
  /** Name of its Vault role. */
  readonly role: string;
  /** The ServiceAccount names the role binds. */
  readonly serviceAccountNames: readonly string[];
  /** The namespaces of those ServiceAccounts. */
  readonly namespaces: readonly string[];
  /** The audience the role requires: the one its stores request. */
  readonly audience: string;
  /** TTL of the role's tokens, in seconds. @default 900 */
  readonly tokenTtlSeconds?: number;
}

/** One Kubernetes cluster in Vault: its auth backend, and the identities that log in through it. */
export interface VaultCluster {
  /** Suffix of its KubernetesAuth's construct id (`KubernetesAuth-<id>`). @default - none: `KubernetesAuth` (one cluster at most) */
  readonly id?: string;
  /** Path of its Kubernetes auth backend. @default 'kubernetes' */
  readonly authMountPath?: string;
  /** Kubernetes API address Vault's Kubernetes auth calls. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault outside the cluster. @default - none: Vault in the cluster uses its own */
  readonly kubernetesCaCert?: string;
  /** The identities whose stores log in from this cluster. */
  readonly identities: readonly VaultIdentity[];
}

/** Properties for `VaultStack`. */
export interface VaultStackProps extends ReadableStackProps {
  /** The KV v2 mount, without slashes. */
  readonly mount: string;
  /** The clusters whose ServiceAccounts log in, each with its identities. */
  readonly clusters: readonly VaultCluster[];
  /** Versions KV v2 keeps per secret. @default 10, Vault's own default */
  readonly maxVersions?: number;
  /** Let the operator policy delete metadata, destroying every version of a path (OperatorPolicy `canDestroy`). @default false */
  readonly operatorCanDestroy?: boolean;
}

/**
 * Vault's side of the catalog: the KV v2 mount; per identity a read policy of exactly its paths and a
 * Kubernetes-auth role bound to exactly its ServiceAccounts; the operators' policy and the userpass
 * backend operators log in at. Every shared name (mount, auth path, role, audience, ServiceAccount and
 * namespace) comes from the same values the stores use.
 *
 * The provider block is empty on purpose: the address and token come from VAULT_ADDR and
 * VAULT_TOKEN, so no credential is in code or in the synthesized JSON.
 */
export class VaultStack extends ReadableStack {
  public readonly provider: VaultProvider;
  public readonly mount: KvV2Mount;
  /** Every identity's read policy, cluster by cluster, in the order given. */
  public readonly esoReadPolicies: readonly EsoReadPolicy[];
  public readonly operatorPolicy: OperatorPolicy;
  /** Every cluster's Kubernetes auth, in the order given. */
  public readonly kubernetesAuths: readonly KubernetesAuth[];
  /** Where humans log in for the operator policy; the root token is for bootstrap only. */
  public readonly operatorLogin: OperatorLogin;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    // Before the stack gets its first resource: without the provider package, nothing is added.
    const vault = vaultProviderClasses();
    super(scope, id, props);
    this.provider = new vault.VaultProvider(this, 'vault', {});
    requireCompatibleProvider(this, this.provider);

    this.mount = new KvV2Mount(this, 'KvMount', { path: props.mount, maxVersions: props.maxVersions });
    const policies = props.clusters.map((cluster) => cluster.identities.map((identity) =>
      new EsoReadPolicy(this, identity.id === undefined ? 'EsoReadPolicy' : `EsoReadPolicy-${identity.id}`, {
        mount: props.mount,
        paths: identity.paths,
        name: identity.policyName,
      })));
    this.esoReadPolicies = policies.flat();
    this.operatorPolicy = new OperatorPolicy(this, 'OperatorPolicy', { mount: props.mount, canDestroy: props.operatorCanDestroy });
    this.operatorLogin = new OperatorLogin(this, 'OperatorLogin');
    this.kubernetesAuths = props.clusters.map((cluster, c) => new KubernetesAuth(this, cluster.id === undefined ? 'KubernetesAuth' : `KubernetesAuth-${cluster.id}`, {
      path: cluster.authMountPath,
      kubernetesHost: cluster.kubernetesHost,
      kubernetesCaCert: cluster.kubernetesCaCert,
      roles: cluster.identities.map((identity, i) => ({
        id: identity.id,
        name: identity.role,
        serviceAccountNames: identity.serviceAccountNames,
        namespaces: identity.namespaces,
        audience: identity.audience,
        // A reference, not the name again: Terraform then writes the policy before the role uses it.
        tokenPolicies: [policies[c][i].resource.name],
        tokenTtlSeconds: identity.tokenTtlSeconds,
      })),
    }));
  }
}
