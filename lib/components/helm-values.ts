import type { HelmChartRef } from './charts';

/** A Helm value: what `values.yaml` can hold. */
export type HelmValue = string | number | boolean | null | readonly HelmValue[] | HelmValues;

/** A tree of Helm values: Argo CD's `helm.valuesObject`, Flux's HelmRelease `values`. */
export interface HelmValues {
  readonly [key: string]: HelmValue;
}

/**
 * One component's Helm release as every GitOps tool installs it: Argo CD's Application and Flux's
 * HelmRelease take the same name, namespace, chart and values from here, so the two cannot differ.
 */
export interface ComponentRelease {
  /** Helm release name; also the name of the Application or HelmRelease. */
  readonly name: string;
  /** Namespace the chart is installed into. */
  readonly namespace: string;
  /** The pinned chart. */
  readonly chart: HelmChartRef;
  /** The release's values, derived from the settings. */
  readonly values: HelmValues;
}
