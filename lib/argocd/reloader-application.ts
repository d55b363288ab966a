import { Construct } from 'constructs';
import { ReloaderReleaseOptions, reloaderRelease } from '../components';
import { ArgoDestinationSettings, HelmApplication } from './helm-application';

/** Properties for `ReloaderApplication`. */
export interface ReloaderApplicationProps extends ReloaderReleaseOptions, ArgoDestinationSettings {
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
}

/**
 * Stakater Reloader from its Helm chart, as an Argo CD Application; its values are Reloader's release
 * (`reloaderRelease`, shared with Flux's HelmRelease): restarts workloads whose Secrets ESO updates.
 */
export class ReloaderApplication extends HelmApplication {
  constructor(scope: Construct, id: string, props: ReloaderApplicationProps = {}) {
    const release = reloaderRelease(props);
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: release.name,
      namespace: release.namespace,
      chart: release.chart,
      syncWave: props.syncWave,
      values: release.values,
    });
  }
}
