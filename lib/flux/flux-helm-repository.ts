import { Construct } from 'constructs';
import { HelmRepository } from '../../imports/source.toolkit.fluxcd.io';
import { assertRule, checkLabel, checkSubdomain, invalidProp } from '../catalog';
import { FLUX_INTERVALS, assertFluxDuration } from './flux-intervals';

/** Properties for `FluxHelmRepository`. */
export interface FluxHelmRepositoryProps {
  /** Name of the HelmRepository, as the HelmReleases' `chart.spec.sourceRef` names it. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The Helm repository's URL (an `https://` index, not OCI). */
  readonly url: string;
  /** How often Flux fetches the repository index. @default '1h' */
  readonly interval?: string;
}

/** A Flux HelmRepository: the `https://` Helm repository a pinned chart is fetched from. */
export class FluxHelmRepository extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;
  public readonly resource: HelmRepository;

  constructor(scope: Construct, id: string, props: FluxHelmRepositoryProps) {
    super(scope, id);
    const owner = `HelmRepository "${props.name}"`;
    assertRule(checkSubdomain, 'name', props.name, owner);
    assertRule(checkLabel, 'namespace', props.namespace, owner);
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(props.url)) invalidProp(owner, 'url', props.url, 'must be an https:// Helm repository URL');
    const interval = props.interval ?? FLUX_INTERVALS.helmRepository;
    assertFluxDuration('interval', interval, owner);
    this.name = props.name;
    this.namespace = props.namespace;
    this.url = props.url;
    this.resource = new HelmRepository(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: { interval, url: props.url },
    });
  }
}
