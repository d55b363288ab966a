import type { KmsUnsealSettings } from '../lib/platform';

/** The homelab's AWS KMS unseal key: read by the KMS stack and by Vault's seal stanza. */
export const HOMELAB_KMS: KmsUnsealSettings = {
  region: 'eu-central-1',
  alias: 'alias/vault-unseal',
};
