// The provider classes the constructs use, loaded when the first construct that needs a provider is
// made rather than when `homelab-secrets/tf` is imported: the Vault stack needs only
// @cdktf/provider-vault, the KMS unseal stack only @cdktf/provider-aws, and a project installs just the
// ones it uses. Each resource module is loaded on its own, never a provider's index (~4 s and ~565 MB
// for aws). Only types are imported here, so the module itself loads neither provider.
import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import type { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import type { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import type { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
import type { KubernetesAuthBackendConfig } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-config';
import type { KubernetesAuthBackendRole } from '@cdktf/provider-vault/lib/kubernetes-auth-backend-role';
import type { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import type { Mount } from '@cdktf/provider-vault/lib/mount';
import type { Policy } from '@cdktf/provider-vault/lib/policy';
import type { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { requirePeers } from '../synth';
import { TERRAFORM_ENTRY_POINT, TERRAFORM_PEERS } from './peers';

/** The classes of @cdktf/provider-vault the Vault constructs make. */
export interface VaultProviderClasses {
  readonly VaultProvider: typeof VaultProvider;
  readonly AuthBackend: typeof AuthBackend;
  readonly KubernetesAuthBackendConfig: typeof KubernetesAuthBackendConfig;
  readonly KubernetesAuthBackendRole: typeof KubernetesAuthBackendRole;
  readonly KvSecretBackendV2: typeof KvSecretBackendV2;
  readonly Mount: typeof Mount;
  readonly Policy: typeof Policy;
}

/** The classes of @cdktf/provider-aws the KMS unseal stack makes. */
export interface AwsProviderClasses {
  readonly AwsProvider: typeof AwsProvider;
  readonly DataAwsCallerIdentity: typeof DataAwsCallerIdentity;
  readonly DataAwsPartition: typeof DataAwsPartition;
  readonly IamUser: typeof IamUser;
  readonly IamUserPolicy: typeof IamUserPolicy;
  readonly KmsAlias: typeof KmsAlias;
  readonly KmsKey: typeof KmsKey;
}

let vault: VaultProviderClasses | undefined;
let aws: AwsProviderClasses | undefined;

/** @cdktf/provider-vault's classes; a MissingPeerError naming the package if the project lacks it. */
export function vaultProviderClasses(): VaultProviderClasses {
  if (vault === undefined) {
    requirePeers(TERRAFORM_ENTRY_POINT, [TERRAFORM_PEERS.vault]);
    vault = {
      VaultProvider: (require('@cdktf/provider-vault/lib/provider') as typeof import('@cdktf/provider-vault/lib/provider')).VaultProvider,
      AuthBackend: (require('@cdktf/provider-vault/lib/auth-backend') as typeof import('@cdktf/provider-vault/lib/auth-backend')).AuthBackend,
      KubernetesAuthBackendConfig: (require('@cdktf/provider-vault/lib/kubernetes-auth-backend-config') as typeof import('@cdktf/provider-vault/lib/kubernetes-auth-backend-config')).KubernetesAuthBackendConfig,
      KubernetesAuthBackendRole: (require('@cdktf/provider-vault/lib/kubernetes-auth-backend-role') as typeof import('@cdktf/provider-vault/lib/kubernetes-auth-backend-role')).KubernetesAuthBackendRole,
      KvSecretBackendV2: (require('@cdktf/provider-vault/lib/kv-secret-backend-v2') as typeof import('@cdktf/provider-vault/lib/kv-secret-backend-v2')).KvSecretBackendV2,
      Mount: (require('@cdktf/provider-vault/lib/mount') as typeof import('@cdktf/provider-vault/lib/mount')).Mount,
      Policy: (require('@cdktf/provider-vault/lib/policy') as typeof import('@cdktf/provider-vault/lib/policy')).Policy,
    };
  }
  return vault;
}

/** @cdktf/provider-aws's classes; a MissingPeerError naming the package if the project lacks it. */
export function awsProviderClasses(): AwsProviderClasses {
  if (aws === undefined) {
    requirePeers(TERRAFORM_ENTRY_POINT, [TERRAFORM_PEERS.aws]);
    aws = {
      AwsProvider: (require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider')).AwsProvider,
      DataAwsCallerIdentity: (require('@cdktf/provider-aws/lib/data-aws-caller-identity') as typeof import('@cdktf/provider-aws/lib/data-aws-caller-identity')).DataAwsCallerIdentity,
      DataAwsPartition: (require('@cdktf/provider-aws/lib/data-aws-partition') as typeof import('@cdktf/provider-aws/lib/data-aws-partition')).DataAwsPartition,
      IamUser: (require('@cdktf/provider-aws/lib/iam-user') as typeof import('@cdktf/provider-aws/lib/iam-user')).IamUser,
      IamUserPolicy: (require('@cdktf/provider-aws/lib/iam-user-policy') as typeof import('@cdktf/provider-aws/lib/iam-user-policy')).IamUserPolicy,
      KmsAlias: (require('@cdktf/provider-aws/lib/kms-alias') as typeof import('@cdktf/provider-aws/lib/kms-alias')).KmsAlias,
      KmsKey: (require('@cdktf/provider-aws/lib/kms-key') as typeof import('@cdktf/provider-aws/lib/kms-key')).KmsKey,
    };
  }
  return aws;
}
