// The Flux side of the tests: a synthesized Flux tree and the vendored Flux CRDs. The real-cluster
// proof (test/cluster/flux.test.ts: the CRDs, then every generated object with a server-side dry run) takes its input from
// fluxApplyPlan(synthFluxTree(homelabFluxDeclaration())): the CRD files, the namespaces, the objects.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { HOMELAB_FLUX_FOLDER } from '../../apps/flux-manifests';
import type { Declaration } from '../../lib/catalog';
import { resolveFluxSettings } from '../../lib/catalog';
import { type ChartContributor, manifestsPart } from '../../lib/k8s';
import { synthOutputs } from '../../lib/synth';
import type { CommittedApplication } from './charts';
import { ROOT } from './charts';
import { readTree } from './synth';

/** The vendored Flux CRDs (Kustomization, HelmRelease, HelmRepository): what a cluster needs before the Flux objects. */
export const FLUX_CRD_DIR = join(ROOT, 'crds', 'flux');
export const FLUX_CRD_FILES: readonly string[] = readdirSync(FLUX_CRD_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(FLUX_CRD_DIR, f));

/** The vendored ESO CRDs: the store and ExternalSecret stages need them. */
export const ESO_CRD_DIR = join(ROOT, 'crds', 'external-secrets');
export const ESO_CRD_FILES: readonly string[] = readdirSync(ESO_CRD_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ESO_CRD_DIR, f));

/** The name of the manifests folder inside the cluster folder, in the tests. */
export const FLUX_FOLDER = HOMELAB_FLUX_FOLDER;

/**
 * Synthesizes the manifests part of `declaration` (which must say gitops 'flux') into a fresh
 * `<tmp>/<clusterPath>/secrets`, and returns that folder's files, relative path → content. `withRoot`
 * sees the repository root before it is removed (to lay out flux-system beside the folder, say).
 */
export function synthFluxTree(
  declaration: Declaration,
  contributors: readonly ChartContributor[] = [],
  withRoot?: (root: string, folder: string) => void,
): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-flux-'));
  try {
    const clusterPath = resolveFluxSettings(declaration.settings.flux).clusterPath;
    const folder = join(root, clusterPath, FLUX_FOLDER);
    synthOutputs(declaration, [manifestsPart(folder, contributors)]);
    withRoot?.(root, folder);
    return readTree(folder);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export { homelabFluxDeclaration } from '../../apps/flux-manifests';

/** Every object of a Flux tree (kustomization.yaml files, kustomize's own and not objects, left out), in file then document order. */
export function fluxTreeObjects(tree: Record<string, string>): any[] {
  return Object.entries(tree)
    .filter(([file]) => !file.endsWith('kustomization.yaml'))
    .flatMap(([, content]) => YAML.parseAllDocuments(content).map((d) => d.toJSON()));
}

/** The HelmReleases of a Flux tree in the shape the chart checks read Argo CD's Applications in, by name. */
export function fluxHelmReleases(tree: Record<string, string>): Record<string, CommittedApplication> {
  const releases: Record<string, CommittedApplication> = {};
  for (const doc of fluxTreeObjects(tree).filter((o) => o.kind === 'HelmRelease')) {
    releases[doc.metadata.name] = {
      name: doc.metadata.name,
      chart: doc.spec.chart.spec.chart,
      targetRevision: doc.spec.chart.spec.version,
      releaseName: doc.spec.releaseName,
      namespace: doc.spec.targetNamespace,
      values: doc.spec.values,
    };
  }
  return releases;
}

/** What an API server needs to accept every object of a Flux tree, in apply order. */
export interface FluxApplyPlan {
  /** The CRD files to apply (and wait for) first: Flux's and ESO's. */
  readonly crdFiles: readonly string[];
  /** The namespaces the objects live in (Flux's and the catalog's), to create next. */
  readonly namespaces: readonly string[];
  /** Every generated object, stage Kustomizations first, then the stages' objects in file order. */
  readonly objects: readonly any[];
}

/** The apply plan of a synthesized Flux tree (see FluxApplyPlan). */
export function fluxApplyPlan(tree: Record<string, string>): FluxApplyPlan {
  const objects = fluxTreeObjects(tree);
  const first = objects.filter((o) => o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
  return {
    crdFiles: [...FLUX_CRD_FILES, ...ESO_CRD_FILES],
    namespaces: [...new Set(objects.map((o) => o.metadata.namespace).filter((ns): ns is string => ns !== undefined))].sort(),
    objects: [...first, ...objects.filter((o) => !first.includes(o))],
  };
}
