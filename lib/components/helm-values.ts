import { CONSTRUCT_SUBJECT, type CatalogIssue, CatalogValidationError, catalogIssue, isPlainMap } from '../catalog';
import type { HelmChartRef } from './charts';

/**
 * A Helm value: what `values.yaml` can hold, except `null`. Helm reads `key: null` as "remove the
 * chart's default", but cdk8s drops a null from a map when it writes the manifest, so the default
 * would silently stay: the release constructs refuse it ({@link helmValuesIssues}).
 */
export type HelmValue = string | number | boolean | readonly HelmValue[] | HelmValues;

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

/**
 * What a release's values hold that its manifest cannot carry as given, one issue each, all at once:
 * a `null` anywhere (cdk8s drops it from a map, so Helm would keep the chart's default instead of
 * removing it), `undefined` in a list, a number JSON cannot write (`NaN`, `Infinity`), and anything
 * that is not a Helm value (a function, a Symbol, a BigInt, a class instance). `owner` names the
 * construct, as in `Application "vault"`; each field is the value's path, as in `values.server.ha`.
 */
export function helmValuesIssues(owner: string, values: unknown): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const visit = (value: unknown, path: string, inList: boolean): void => {
    if (value === null) {
      issues.push(catalogIssue(owner, path, value, 'is null, which cdk8s leaves out of the manifest, so Helm would keep the chart\'s default: set the value to use instead, or leave the key out to keep the default'));
    } else if (value === undefined) {
      if (inList) issues.push(catalogIssue(owner, path, value, 'is undefined in a list: a list of Helm values holds values only'));
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push(catalogIssue(owner, path, value, 'is not a number JSON or YAML can write: give a finite number'));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`, true));
    } else if (isPlainMap(value)) {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], `${path}.${key}`, false);
    } else if (typeof value !== 'string' && typeof value !== 'boolean') {
      issues.push(catalogIssue(owner, path, value, 'is not a Helm value: give a string, number, boolean, list or map'));
    }
  };
  visit(values, 'values', false);
  return issues;
}

/** Throws every {@link helmValuesIssues} at once, as a construct's props error. */
export function assertHelmValues(owner: string, values: unknown): void {
  const issues = helmValuesIssues(owner, values);
  if (issues.length > 0) throw new CatalogValidationError(issues, CONSTRUCT_SUBJECT);
}
