import { HELM_CHARTS } from './charts';
import type { ComponentRelease } from './helm-values';

export const RELOADER_DEFAULTS = {
  name: 'reloader',
  namespace: 'reloader',
} as const;

/**
 * Reloader's restart strategy. The default (env-vars) injects an environment variable into the
 * containers, which a GitOps tool sees as drift (Argo CD's self-heal reverts it, cancelling the restart).
 * `annotations` writes one annotation into the pod template instead (reloader.stakater.com/last-reloaded-from).
 */
export const RELOADER_STRATEGY = 'annotations';

/** What Reloader's release is derived from. */
export interface ReloaderReleaseOptions {
  /** Namespace of Reloader. @default 'reloader' */
  readonly namespace?: string;
}

/** Stakater Reloader's release: restarts workloads whose Secrets ESO updates. */
export function reloaderRelease(options: ReloaderReleaseOptions = {}): ComponentRelease {
  return {
    name: RELOADER_DEFAULTS.name,
    namespace: options.namespace ?? RELOADER_DEFAULTS.namespace,
    chart: HELM_CHARTS.reloader,
    values: { reloader: { reloadStrategy: RELOADER_STRATEGY } },
  };
}
