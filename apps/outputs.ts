/** Where `npm run synth` writes, relative to the repository root. */
export const HOMELAB_OUTPUTS = {
  /** Committed; the folder Argo CD syncs. */
  manifests: 'manifests',
} as const;
