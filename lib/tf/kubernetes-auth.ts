import type { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import type { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import type { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { Construct } from 'constructs';
import {
  ESO_DEFAULTS,
  SETTINGS_DEFAULTS,
  assertRule,
  checkAudience,
  checkAuthMountPath,
  checkHttpsUrl,
  checkLabel,
  checkTtlSeconds,
  checkSubdomain,
  checkVaultRoleName,
  invalidProp,
} from '../catalog';
import { vaultProviderClasses } from './providers';

/** The API server as Vault sees it from inside the cluster. */
export const DEFAULT_KUBERNETES_HOST = SETTINGS_DEFAULTS.vault.kubernetesHost;

/** One Kubernetes-auth role: its name, exactly the ServiceAccounts and namespaces it binds, and the policies its tokens get. */
export interface KubernetesAuthRole {
  /** Suffix of the role's construct id (`Role-<id>`), and so of its Terraform address. @default - none: the id is `Role` (one role at most) */
  readonly id?: string;
  /** The role's name in Vault. */
  readonly name: string;
  /** The ServiceAccount names that may log in with the role. */
  readonly serviceAccountNames: readonly string[];
  /** The namespaces those ServiceAccounts are in. Vault binds every name in every namespace listed. */
  readonly namespaces: readonly string[];
  /** The audience the tokens must carry: the one the stores request. */
  readonly audience: string;
  /**
   * Policies attached to the tokens the role issues, and the only ones: the role attaches no `default`
   * policy, so these grant everything the tokens may do, their own lookup and revocation included
   * (EsoReadPolicy does).
   */
  readonly tokenPolicies: readonly string[];
  /** TTL of those tokens, in seconds: ESO logs in again when one expires. @default 900 */
  readonly tokenTtlSeconds?: number;
}

/** Properties for `KubernetesAuth`. */
export interface KubernetesAuthProps {
  /** Path of the auth backend: one per Kubernetes cluster. @default 'kubernetes' */
  readonly path?: string;
  /** The roles, each bound to exactly its ServiceAccounts; none is fine (the backend waits for roles). */
  readonly roles: readonly KubernetesAuthRole[];
  /** Kubernetes API address Vault calls to review service account tokens. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault that runs outside the cluster. @default - none: Vault in the cluster uses its pod's service account CA */
  readonly kubernetesCaCert?: string;
}

/**
 * Vault's Kubernetes auth backend of one cluster, its config and its roles. Each role is bound to
 * exactly its ServiceAccounts, namespaces and audience: the values the stores that use it present.
 */
export class KubernetesAuth extends Construct {
  public readonly path: string;
  public readonly kubernetesHost: string;
  public readonly resource: AuthBackend;
  public readonly config: KubernetesAuthBackendConfig;
  /** Every role, in the order given. */
  public readonly roles: readonly KubernetesAuthBackendRole[];

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const vault = vaultProviderClasses();
    const owner = 'KubernetesAuth';
    this.path = props.path ?? ESO_DEFAULTS.authMountPath;
    this.kubernetesHost = props.kubernetesHost ?? DEFAULT_KUBERNETES_HOST;
    assertRule(checkAuthMountPath, 'path', this.path, owner);
    assertRule(checkHttpsUrl, 'kubernetesHost', this.kubernetesHost, owner);
    const names = new Set<string>();
    for (const role of props.roles) {
      const of = `KubernetesAuth role ${JSON.stringify(role.name)}`;
      assertRule(checkVaultRoleName, 'name', role.name, of);
      if (names.has(role.name)) invalidProp(of, 'name', role.name, 'is given twice: a role name is unique in its auth backend');
      names.add(role.name);
      if (role.serviceAccountNames.length === 0) invalidProp(of, 'serviceAccountNames', [], 'must name at least one ServiceAccount');
      for (const name of role.serviceAccountNames) assertRule(checkSubdomain, 'serviceAccountName', name, of);
      if (role.namespaces.length === 0) invalidProp(of, 'namespaces', [], 'must name at least one namespace');
      for (const namespace of role.namespaces) assertRule(checkLabel, 'namespace', namespace, of);
      assertRule(checkAudience, 'audience', role.audience, of);
      if (role.tokenPolicies.length === 0) invalidProp(of, 'tokenPolicies', [], 'must name at least one policy');
      if (role.tokenTtlSeconds !== undefined) assertRule(checkTtlSeconds, 'tokenTtlSeconds', role.tokenTtlSeconds, of);
    }

    this.resource = new vault.AuthBackend(this, 'Resource', {
      type: 'kubernetes',
      path: this.path,
      description: 'Kubernetes service account logins (External Secrets Operator); managed by homelab-secrets',
    });
    // Vault runs in the cluster, so it reviews tokens with its own service account and CA; only a
    // Vault outside the cluster needs the CA spelled out.
    this.config = new vault.KubernetesAuthBackendConfig(this, 'Config', {
      backend: this.resource.path,
      kubernetesHost: this.kubernetesHost,
      kubernetesCaCert: props.kubernetesCaCert,
    });
    this.roles = props.roles.map((role) => {
      const ttl = role.tokenTtlSeconds ?? ESO_DEFAULTS.tokenTtlSeconds;
      return new vault.KubernetesAuthBackendRole(this, role.id === undefined ? 'Role' : `Role-${role.id}`, {
        backend: this.resource.path,
        roleName: role.name,
        boundServiceAccountNames: [...role.serviceAccountNames],
        boundServiceAccountNamespaces: [...role.namespaces],
        audience: role.audience,
        tokenPolicies: [...role.tokenPolicies],
        // Vault's default policy grants cubbyhole, response wrapping, sys/capabilities-self, renewal and
        // more; ESO uses none of it beyond what its read policy grants (ESO_TOKEN_SELF_RULES).
        tokenNoDefaultPolicy: true,
        // ESO logs in again when its token expires, so the token never needs to outlive its TTL.
        tokenTtl: ttl,
        tokenMaxTtl: ttl,
      });
    });
  }
}
