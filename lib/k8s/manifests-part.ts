import type { App } from 'cdk8s';
import type { ResolvedDeclaration } from '../catalog';
import { writeFluxManifests } from '../flux/flux-manifests';
import { type OutputPart, assertConstructsValid } from '../synth';
import { addEsoCharts, newManifestApp } from './eso-manifests';

/**
 * Extra charts added to the manifest app after the ESO charts (the Argo CD Applications, ...); under
 * Flux, to the components stage.
 */
export type ChartContributor = (app: App, declaration: ResolvedDeclaration) => void;

/**
 * The Kubernetes manifests, one YAML file per chart: under Argo CD and plain one flat folder (what
 * Argo CD syncs); under Flux the tree of stage folders and Kustomizations of lib/flux, which must sit
 * in the cluster folder of `settings.flux.clusterPath`.
 */
export function manifestsPart(target: string, contributors: readonly ChartContributor[] = []): OutputPart {
  return {
    name: 'manifests',
    target,
    kind: 'dir',
    render(declaration, staging) {
      if (declaration.settings.gitops === 'flux') {
        writeFluxManifests(declaration, staging, target, contributors);
        return;
      }
      const app = newManifestApp(staging);
      addEsoCharts(app, declaration);
      for (const contribute of contributors) contribute(app, declaration);
      assertConstructsValid(app);
      app.synth();
    },
  };
}
