import type { GitOpsFlavour } from '../catalog';

/**
 * Argo CD sync waves of everything this project writes. The components (Vault, ESO, Reloader) come
 * first, then the store that needs ESO's CRDs, then the ExternalSecrets that need the store.
 */
export const SYNC_WAVES = {
  components: -2,
  store: -1,
  externalSecrets: 0,
} as const;

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * On a fresh cluster ESO's CRDs do not exist until ESO's Application has synced, so Argo CD's dry
 * run of the store and the ExternalSecrets would fail with "no matches for kind" and block the wave.
 */
export const SKIP_DRY_RUN_ON_MISSING_RESOURCE = 'SkipDryRunOnMissingResource=true';

/** The Argo CD annotations for an object in `wave` whose kind comes from a CRD we install. */
export function argoAnnotations(wave: number): Record<string, string> {
  return {
    [SYNC_WAVE_ANNOTATION]: String(wave),
    [SYNC_OPTIONS_ANNOTATION]: SKIP_DRY_RUN_ON_MISSING_RESOURCE,
  };
}

/**
 * The ordering annotations of an object in `wave` under `flavour`: Argo CD's sync wave and dry-run
 * option under Argo CD; none under Flux (which orders Kustomizations with dependsOn) or plain.
 */
export function gitOpsAnnotations(flavour: GitOpsFlavour, wave: number): Record<string, string> {
  return flavour === 'argocd' ? argoAnnotations(wave) : {};
}

/** `annotations` as an object's metadata takes them: undefined when there are none, so no empty map is written. */
export function annotationsOrNone(annotations: Readonly<Record<string, string>>): Record<string, string> | undefined {
  return Object.keys(annotations).length > 0 ? { ...annotations } : undefined;
}
