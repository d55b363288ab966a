import type { SecretCatalog } from '../catalog';
import { addEsoCharts, newManifestApp } from '../k8s';
import type { OutputPart } from './output-part';

/** Extra charts added to the manifest app after the ESO charts (Argo CD Applications, ...). */
export type ChartContributor = (app: ReturnType<typeof newManifestApp>, catalog: SecretCatalog) => void;

/** The Kubernetes manifests (the folder Argo CD syncs), one YAML file per chart. */
export function manifestsPart(target: string, contributors: readonly ChartContributor[] = []): OutputPart {
  return {
    name: 'manifests',
    target,
    kind: 'dir',
    render(catalog, staging) {
      const app = newManifestApp(staging);
      addEsoCharts(app, catalog);
      for (const contribute of contributors) contribute(app, catalog);
      app.synth();
    },
  };
}
