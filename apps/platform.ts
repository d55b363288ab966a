import type { KmsUnsealSettings } from '../lib/platform';
import type { TerraformPartOptions } from '../lib/synth/terraform-part';

/** The homelab's AWS KMS unseal key: read by the KMS stack and by Vault's seal stanza. */
export const HOMELAB_KMS: KmsUnsealSettings = {
  region: 'eu-central-1',
  alias: 'alias/vault-unseal',
};

/**
 * The Terraform stacks' settings beyond the catalog. State stays local (`state/`, git-ignored);
 * for a remote state use e.g. `stateBackend: { kind: 's3', bucket: 'my-tfstate', region: 'eu-central-1' }`.
 */
export const HOMELAB_TERRAFORM: TerraformPartOptions = {
  kmsUnseal: HOMELAB_KMS,
  kubernetesHost: 'https://kubernetes.default.svc',
  kvMaxVersions: 10,
  stateBackend: { kind: 'local' },
};
