import { Construct } from 'constructs';
import { HELM_CHARTS } from './charts';
import { ArgoDestinationSettings, HelmApplication } from './helm-application';

export const RELOADER_DEFAULTS = {
  name: 'reloader',
  namespace: 'reloader',
} as const;

/**
 * Reloader's restart strategy. The default (env-vars) injects an environment variable into the
 * containers, which Argo CD flags as drift and self-heal reverts, cancelling the restart.
 * `annotations` writes one annotation into the pod template instead (reloader.stakater.com/last-reloaded-from).
 */
export const RELOADER_STRATEGY = 'annotations';

/** Properties for `ReloaderApplication`. */
export interface ReloaderApplicationProps extends ArgoDestinationSettings {
  /** Namespace of Reloader. @default 'reloader' */
  readonly namespace?: string;
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
}

/** Stakater Reloader from its Helm chart: restarts workloads whose Secrets ESO updates. */
export class ReloaderApplication extends HelmApplication {
  constructor(scope: Construct, id: string, props: ReloaderApplicationProps = {}) {
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: RELOADER_DEFAULTS.name,
      namespace: props.namespace ?? RELOADER_DEFAULTS.namespace,
      chart: HELM_CHARTS.reloader,
      syncWave: props.syncWave,
      values: { reloader: { reloadStrategy: RELOADER_STRATEGY } },
    });
  }
}
