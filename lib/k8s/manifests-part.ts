import type { App } from 'cdk8s';
import type { ResolvedDeclaration } from '../catalog';
import { type OutputPart, assertConstructsValid } from '../synth';
import { addEsoCharts, newManifestApp } from './eso-manifests';

/** Extra charts added to the manifest app after the ESO charts (the Argo CD Applications, ...). */
export type ChartContributor = (app: App, declaration: ResolvedDeclaration) => void;

/** The Kubernetes manifests (the folder Argo CD syncs), one YAML file per chart. */
export function manifestsPart(target: string, contributors: readonly ChartContributor[] = []): OutputPart {
  return {
    name: 'manifests',
    target,
    kind: 'dir',
    render(declaration, staging) {
      const app = newManifestApp(staging);
      addEsoCharts(app, declaration);
      for (const contribute of contributors) contribute(app, declaration);
      assertConstructsValid(app);
      app.synth();
    },
  };
}
