import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

/**
 * The Helm side of the committed output, read from files only: the Applications in
 * manifests/argocd-applications.yaml (what Argo CD applies) and the vendored charts in charts/. Nothing
 * here imports lib/, so these checks hold whatever the library's internals look like.
 */
export const ROOT = join(__dirname, '..', '..');
export const CHARTS_DIR = join(ROOT, 'charts');

export interface CommittedApplication {
  /** metadata.name */
  readonly name: string;
  readonly chart: string;
  readonly targetRevision: string;
  readonly releaseName: string;
  /** spec.destination.namespace: the release namespace. */
  readonly namespace: string;
  /** spec.source.helm.valuesObject, exactly as committed. */
  readonly values: Record<string, unknown>;
}

export function readYamlDocuments(file: string): any[] {
  return YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS());
}

/** The Applications of manifests/argocd-applications.yaml (or of another manifests folder's), by metadata.name. */
export function committedApplications(manifestsDir: string = join(ROOT, 'manifests')): Record<string, CommittedApplication> {
  const docs = readYamlDocuments(join(manifestsDir, 'argocd-applications.yaml'));
  const apps: Record<string, CommittedApplication> = {};
  for (const doc of docs.filter((d) => d?.kind === 'Application')) {
    const source = doc.spec.source;
    apps[doc.metadata.name] = {
      name: doc.metadata.name,
      chart: source.chart,
      targetRevision: source.targetRevision,
      releaseName: source.helm.releaseName,
      namespace: doc.spec.destination.namespace,
      values: source.helm.valuesObject,
    };
  }
  return apps;
}

export interface VendoredChart {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
}

/** Every chart in charts/, from its Chart.yaml. */
export function vendoredCharts(): VendoredChart[] {
  return readdirSync(CHARTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(CHARTS_DIR, entry.name, 'Chart.yaml')))
    .map((entry) => {
      const dir = join(CHARTS_DIR, entry.name);
      const meta = YAML.parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
      return { dir, name: meta.name, version: meta.version };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The vendored chart an Application installs (same chart name and version), or an error saying how to add it. */
export function chartOf(app: CommittedApplication): VendoredChart {
  const found = vendoredCharts().find((c) => c.name === app.chart && c.version === app.targetRevision);
  if (!found) {
    throw new Error(
      `Application ${app.name} installs chart ${app.chart} ${app.targetRevision}, which is not vendored in charts/: ` +
        `copy that chart version into charts/${app.chart}-${app.targetRevision}/ and update charts/SOURCE.md`,
    );
  }
  return found;
}

const parsedDefaults = new Map<string, unknown>();

/** The chart's values.yaml, parsed once per test file (Vault's takes ~50 ms); each call gets its own copy. */
export function chartDefaults(chart: VendoredChart): any {
  if (!parsedDefaults.has(chart.dir)) parsedDefaults.set(chart.dir, YAML.parse(readFileSync(join(chart.dir, 'values.yaml'), 'utf8')));
  return structuredClone(parsedDefaults.get(chart.dir));
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The keys a chart reads: its values.yaml, and the top-level keys its templates read without
 * values.yaml naming them (the Vault chart's `fullnameOverride` and `nameOverride`, read by its
 * _helpers.tpl only). For {@link unknownValueKeys}: such a key is no typo.
 */
export function chartValueKeys(chart: VendoredChart): any {
  const keys = chartDefaults(chart);
  const read = (dir: string): void => {
    for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      if (entry.isDirectory()) {
        read(join(dir, entry.name));
        continue;
      }
      for (const [, key] of readFileSync(join(dir, entry.name), 'utf8').matchAll(/\.Values\.([A-Za-z][A-Za-z0-9]*)\b(?!\.)/g)) {
        if (!(key in keys)) keys[key] = null;
      }
    }
  };
  read(join(chart.dir, 'templates'));
  return keys;
}

/**
 * Key paths of `values` that the chart's values.yaml does not have, e.g. `server.extraSecretEnvironmentVar`.
 *
 * The rule: a key is valid if values.yaml has the same key at the same path. Below a value that
 * values.yaml does not show as a map with fixed keys, keys are free-form and not checked:
 * - an empty map (`annotations: {}`, `extraEnvironmentVars: {}`) or `null`: the chart passes it through;
 * - a scalar (e.g. `server.standalone.config`, a string of HCL): the value replaces it whole;
 * - a list: items are checked against the keys of values.yaml's example items when it has any
 *   (`ingress.hosts: [{host, paths}]`), and are free-form when its list is empty
 *   (`extraSecretEnvironmentVars: []`).
 * Comments in values.yaml (`# foo: bar`) do not count as keys.
 */
export function unknownValueKeys(values: unknown, defaults: unknown, path = ''): string[] {
  if (Array.isArray(values)) {
    if (!Array.isArray(defaults)) return [];
    const examples = defaults.filter(isMap);
    if (examples.length === 0) return [];
    const shape = Object.assign({}, ...examples);
    return values.flatMap((item, i) => unknownValueKeys(item, shape, `${path}[${i}]`));
  }
  if (!isMap(values) || !isMap(defaults) || Object.keys(defaults).length === 0) return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    return key in defaults ? unknownValueKeys(value, defaults[key], at) : [at];
  });
}

/** values.yaml overlaid with the Application's values the way helm coalesces them: maps merge, the rest replaces. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) out[key] = coalesce(defaults[key], value);
  return out;
}
