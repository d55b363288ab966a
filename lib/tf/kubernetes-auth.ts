import type { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import type { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import type { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import { Construct } from 'constructs';
import { type ResolvedEsoAccess, type ResolvedVaultRole, SETTINGS_DEFAULTS, SettingsError, assertRule, checkHttpsUrl } from '../catalog';
import { vaultProviderClasses } from './providers';

/** The API server as Vault sees it from inside the cluster. */
export const DEFAULT_KUBERNETES_HOST = SETTINGS_DEFAULTS.vault.kubernetesHost;

/** One Kubernetes-auth role: a name, the one ServiceAccount it binds, and the policies its tokens get. */
export interface KubernetesAuthRoleBinding {
  /** Construct id suffix of the role (`Role-<suffix>`), which is also its Terraform address suffix. */
  readonly idSuffix: string;
  /** The role's name in Vault. */
  readonly name: string;
  /** The ServiceAccount that may log in with the role. */
  readonly serviceAccountName: string;
  /** Its namespace. */
  readonly serviceAccountNamespace: string;
  /** Policies attached to the tokens the role issues. */
  readonly tokenPolicies: readonly string[];
}

/** Properties for `KubernetesAuth`. */
export interface KubernetesAuthProps {
  /** ESO's side of the login (auth mount path, role, service account and its namespace): the store's values. */
  readonly access: ResolvedEsoAccess;
  /** Vault's side of the role: the audience it requires and the TTL of its tokens. */
  readonly vaultRole: ResolvedVaultRole;
  /** Policies attached to the tokens the role issues. */
  readonly tokenPolicies: readonly string[];
  /**
   * The roles, each bound to exactly one ServiceAccount in one namespace (namespace isolation). When
   * given, they replace the one role of ESO's own service account, and `tokenPolicies` is not used.
   * @default - one role, `access.role`, bound to ESO's service account with `tokenPolicies`
   */
  readonly roles?: readonly KubernetesAuthRoleBinding[];
  /** Kubernetes API address Vault calls to review service account tokens. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault that runs outside the cluster. @default - none: Vault in the cluster uses its pod's service account CA */
  readonly kubernetesCaCert?: string;
}

/**
 * Vault's Kubernetes auth backend, its config and ESO's role. The role is bound to exactly one
 * service account in one namespace and one audience, the values the ClusterSecretStore presents.
 */
export class KubernetesAuth extends Construct {
  public readonly path: string;
  public readonly kubernetesHost: string;
  public readonly resource: AuthBackend;
  public readonly config: KubernetesAuthBackendConfig;
  /** The first role: ESO's own in cluster isolation. */
  public readonly role: KubernetesAuthBackendRole;
  /** Every role, in the order given. */
  public readonly roles: readonly KubernetesAuthBackendRole[];

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const vault = vaultProviderClasses();
    const { access, vaultRole } = props;
    this.path = access.authMountPath;
    this.kubernetesHost = props.kubernetesHost ?? DEFAULT_KUBERNETES_HOST;
    assertRule(checkHttpsUrl, 'kubernetesHost', this.kubernetesHost);
    const bindings: readonly (KubernetesAuthRoleBinding & { readonly id: string })[] = props.roles
      ? props.roles.map((role) => ({ ...role, id: `Role-${role.idSuffix}` }))
      : [{
        id: 'Role',
        idSuffix: '',
        name: access.role,
        serviceAccountName: access.serviceAccountName,
        serviceAccountNamespace: access.serviceAccountNamespace,
        tokenPolicies: props.tokenPolicies,
      }];
    if (bindings.length === 0) throw new SettingsError('roles must name at least one role');
    for (const binding of bindings) {
      if (binding.tokenPolicies.length === 0) throw new SettingsError(`tokenPolicies of role "${binding.name}" must name at least one policy`);
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
    this.roles = bindings.map((binding) => new vault.KubernetesAuthBackendRole(this, binding.id, {
      backend: this.resource.path,
      roleName: binding.name,
      boundServiceAccountNames: [binding.serviceAccountName],
      boundServiceAccountNamespaces: [binding.serviceAccountNamespace],
      audience: vaultRole.audience,
      tokenPolicies: [...binding.tokenPolicies],
      // ESO logs in again when its token expires, so the token never needs to outlive its TTL.
      tokenTtl: vaultRole.tokenTtlSeconds,
      tokenMaxTtl: vaultRole.tokenTtlSeconds,
    }));
    this.role = this.roles[0];
  }
}
