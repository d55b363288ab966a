import { App, YamlOutputType } from 'cdk8s';
import type { SecretCatalog } from '../catalog';
import { NamespaceSecretsChart } from './namespace-secrets-chart';
import { SecretStoreChart } from './secret-store-chart';

/** The output file (chart id) of the store and of each namespace's ExternalSecrets. */
export const STORE_CHART_ID = 'cluster-secret-store';
export function namespaceChartId(namespace: string): string {
  return `externalsecrets-${namespace}`;
}

/**
 * Adds the store chart and one chart per namespace to `app`. The catalog must be valid; callers run
 * `catalog.assertValid()` first so that both synths refuse the same mistakes.
 */
export function addEsoCharts(app: App, catalog: SecretCatalog): void {
  new SecretStoreChart(app, STORE_CHART_ID, { catalog });
  for (const namespace of catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      targets: catalog.targets.filter((t) => t.namespace === namespace),
      storeName: catalog.eso.storeName,
    });
  }
}

/** A cdk8s app that writes one `<chart>.yaml` per chart into `outdir`. */
export function newManifestApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}
