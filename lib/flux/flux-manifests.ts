// The manifests folder under `gitops: 'flux'`: a tree a Flux user commits as it is, inside the cluster
// folder that `flux bootstrap --path` names.
//
//   <folder>/kustomization.yaml           resources: [flux-kustomizations.yaml]
//   <folder>/flux-kustomizations.yaml     one Kustomization per stage, each depending on the one before
//   <folder>/components/                  kustomization.yaml, flux-components.yaml (HelmRepositories, HelmReleases)
//   <folder>/store/                       kustomization.yaml, cluster-secret-store.yaml, secretstore-<ns>.yaml (stores, their ServiceAccounts)
//   <folder>/externalsecrets/             kustomization.yaml, externalsecrets-<ns>.yaml
//
// flux-system's Kustomization applies the cluster folder. Where a folder has no kustomization.yaml,
// kustomize-controller generates one listing every manifest below it, except that a subfolder with a
// kustomization.yaml of its own is listed as that folder, not descended into. The root
// kustomization.yaml is what keeps flux-system from applying the stage folders itself: it applies
// only the Kustomizations, and they apply the stages in order.
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { App } from 'cdk8s';
import YAML from 'yaml';
import { CatalogValidationError, type ResolvedDeclaration, catalogIssue } from '../catalog';
import { addExternalSecretCharts, addStoreCharts, newManifestApp } from '../k8s/eso-manifests';
import type { ChartContributor } from '../k8s/manifests-part';
import { assertConstructsValid } from '../synth';
import { FLUX_COMPONENTS_CHART_ID, FluxComponentsChart } from './flux-components-chart';
import { FLUX_KUSTOMIZATIONS_CHART_ID, FLUX_STAGES, FluxKustomizationsChart } from './flux-kustomizations-chart';

/** The file kustomize reads in each folder. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** A kustomization.yaml (kustomize's own kind, not Flux's) listing `resources` in order. */
export function renderKustomizationFile(resources: readonly string[]): string {
  return YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] });
}

/**
 * The manifests folder as Flux's source sees it: `<clusterPath>/<folder name>`. The folder must sit
 * directly in the cluster folder (its parent folders end with the cluster path), or the Kustomizations
 * would point where nothing was written and flux-system would never apply them.
 */
export function fluxFolderPath(clusterPath: string, target: string): string {
  const folder = resolve(target);
  const name = basename(folder);
  const clusterSegments = clusterPath === '.' ? [] : clusterPath.slice(2).split('/');
  const parents = dirname(folder).split(sep).filter((segment) => segment !== '');
  const tail = parents.slice(parents.length - clusterSegments.length);
  if (clusterSegments.length > 0 && tail.join('/') !== clusterSegments.join('/')) {
    const suggestion = `${clusterPath.slice(2)}/${name}`;
    throw new CatalogValidationError([catalogIssue('manifests', 'target', target,
      `must be a folder directly inside the cluster folder "${clusterPath}" (settings.flux.clusterPath), such as "${suggestion}": ` +
      'the Kustomizations point at it there, and flux bootstrap\'s Kustomization applies that folder')]);
  }
  return `${clusterPath}/${name}`;
}

/**
 * Writes the Flux tree of the validated declaration into `outdir` (the staging folder of the part
 * whose target is `target`). Contributors add their charts to the components stage. Every construct
 * is validated before the first file is written.
 */
export function writeFluxManifests(declaration: ResolvedDeclaration, outdir: string, target: string, contributors: readonly ChartContributor[]): void {
  const folderPath = fluxFolderPath(declaration.settings.flux.clusterPath, target);
  const { components } = declaration.settings;
  const apps: Record<keyof typeof FLUX_STAGES, App> = {
    components: newManifestApp(join(outdir, FLUX_STAGES.components.folder)),
    store: newManifestApp(join(outdir, FLUX_STAGES.store.folder)),
    externalSecrets: newManifestApp(join(outdir, FLUX_STAGES.externalSecrets.folder)),
  };
  if (components.vault || components.externalSecrets || components.reloader) {
    new FluxComponentsChart(apps.components, FLUX_COMPONENTS_CHART_ID, { declaration });
  }
  for (const contribute of contributors) contribute(apps.components, declaration);
  addStoreCharts(apps.store, declaration);
  addExternalSecretCharts(apps.externalSecrets, declaration);

  const stages = (Object.keys(apps) as (keyof typeof FLUX_STAGES)[]).filter((key) => apps[key].charts.length > 0);
  const root = newManifestApp(outdir);
  new FluxKustomizationsChart(root, FLUX_KUSTOMIZATIONS_CHART_ID, { declaration, folderPath, stages });
  for (const app of [root, ...stages.map((key) => apps[key])]) {
    assertConstructsValid(app);
    const clash = app.charts.find((chart) => `${chart.node.id}.yaml` === KUSTOMIZATION_FILE);
    if (clash) throw new CatalogValidationError([catalogIssue(clash.node.path, 'chart id', clash.node.id, `would overwrite the folder's ${KUSTOMIZATION_FILE}: give the chart another id`)]);
  }

  root.synth();
  writeFileSync(join(outdir, KUSTOMIZATION_FILE), renderKustomizationFile([`${FLUX_KUSTOMIZATIONS_CHART_ID}.yaml`]));
  for (const key of stages) {
    const dir = join(outdir, FLUX_STAGES[key].folder);
    apps[key].synth();
    writeFileSync(join(dir, KUSTOMIZATION_FILE), renderKustomizationFile(readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort()));
  }
}
