import { App, YamlOutputType } from 'cdk8s';
import type { ResolvedDeclaration } from '../catalog';
import { NamespaceSecretsChart } from './namespace-secrets-chart';
import { clusterSecretStoreProps, externalSecretProps } from './private/catalog-mapping';
import { SecretStoreChart } from './secret-store-chart';

/** The output file (chart id) of the store and of each namespace's ExternalSecrets. */
export const STORE_CHART_ID = 'cluster-secret-store';
export function namespaceChartId(namespace: string): string {
  return `externalsecrets-${namespace}`;
}

/** Adds the store chart and one chart per namespace of the validated declaration to `app`. */
export function addEsoCharts(app: App, declaration: ResolvedDeclaration): void {
  const { catalog, store, settings } = declaration;
  const flavour = settings.gitops;
  new SecretStoreChart(app, STORE_CHART_ID, { store: clusterSecretStoreProps(catalog.mount, store, catalog.namespaces, flavour) });
  for (const namespace of catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      externalSecrets: catalog.targets.filter((t) => t.namespace === namespace).map((t) => externalSecretProps(t, store.storeName, flavour)),
    });
  }
}

/** A cdk8s app that writes one `<chart>.yaml` per chart into `outdir`. */
export function newManifestApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}
