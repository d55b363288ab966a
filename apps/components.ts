import type { ComponentSettings } from '../lib/argocd';
import { HOMELAB_KMS } from './platform';

/** The homelab's Vault, ESO and Reloader installs, written as Argo CD Applications by the manifests synth. */
export const HOMELAB_COMPONENTS: ComponentSettings = {
  // The same key settings the KMS stack creates the unseal key from.
  kms: HOMELAB_KMS,
  vault: {
    storageClass: 'nfs-client',
    storageSize: '10Gi',
    ingress: { host: 'vault.homelab.local' },
  },
  argo: {
    project: 'default',
    server: 'https://kubernetes.default.svc',
    argoNamespace: 'argocd',
  },
};
