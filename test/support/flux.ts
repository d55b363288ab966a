// The Flux side of the tests: a synthesized Flux tree and the vendored Flux CRDs. The real-cluster
// proof (apply the CRDs, then every generated object with a server-side dry run) takes its input from
// here: FLUX_CRD_FILES, then fluxTreeObjects(synthFluxTree(...)), in file order.
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
