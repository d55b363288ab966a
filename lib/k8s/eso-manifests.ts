import { App, YamlOutputType } from 'cdk8s';
import type { ResolvedDeclaration } from '../catalog';
import { NamespaceSecretsChart } from './namespace-secrets-chart';
import { clusterSecretStoreProps, externalSecretProps, namespaceStoreProps } from './private/catalog-mapping';
import { SecretStoreChart } from './secret-store-chart';

/** The output file (chart id) of the store and of each namespace's ExternalSecrets. */
export const STORE_CHART_ID = 'cluster-secret-store';
export function namespaceChartId(namespace: string): string {
  return `externalsecrets-${namespace}`;
}

/**
 * Adds the charts of the validated declaration to `app`: in cluster isolation the ClusterSecretStore
 * and one chart of ExternalSecrets per namespace; in namespace isolation one chart per namespace with
 * its ServiceAccount, its SecretStore and its ExternalSecrets, and no ClusterSecretStore.
 */
export function addEsoCharts(app: App, declaration: ResolvedDeclaration): void {
  const { catalog, store, settings } = declaration;
  const flavour = settings.gitops;
  const perNamespace = catalog.isolation === 'namespace';
  if (!perNamespace) {
    new SecretStoreChart(app, STORE_CHART_ID, { store: clusterSecretStoreProps(catalog.mount, store, catalog.namespaces, flavour) });
  }
  for (const namespace of catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      store: perNamespace ? namespaceStoreProps(catalog.mount, store, namespace, flavour) : undefined,
      externalSecrets: catalog.targets
        .filter((t) => t.namespace === namespace)
        .map((t) => externalSecretProps(t, store.storeName, flavour, perNamespace ? 'SecretStore' : 'ClusterSecretStore')),
    });
  }
}

/** The output file (chart id) of a namespace's ServiceAccount and SecretStore when they are kept apart from its ExternalSecrets. */
export function namespaceStoreChartId(namespace: string): string {
  return `secretstore-${namespace}`;
}

/**
 * Adds the stores alone to `app`, for a tool that applies them before the ExternalSecrets (Flux's
 * store stage): the ClusterSecretStore in cluster isolation; in namespace isolation one chart per
 * namespace with its ServiceAccount and SecretStore.
 */
export function addStoreCharts(app: App, declaration: ResolvedDeclaration): void {
  const { catalog, store, settings } = declaration;
  if (catalog.isolation !== 'namespace') {
    new SecretStoreChart(app, STORE_CHART_ID, { store: clusterSecretStoreProps(catalog.mount, store, catalog.namespaces, settings.gitops) });
    return;
  }
  for (const namespace of catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceStoreChartId(namespace), {
      namespace,
      store: namespaceStoreProps(catalog.mount, store, namespace, settings.gitops),
      externalSecrets: [],
    });
  }
}

/** Adds the ExternalSecrets alone to `app`, one chart per namespace, the stores left to {@link addStoreCharts}. */
export function addExternalSecretCharts(app: App, declaration: ResolvedDeclaration): void {
  const { catalog, store, settings } = declaration;
  const storeKind = catalog.isolation === 'namespace' ? 'SecretStore' : 'ClusterSecretStore';
  for (const namespace of catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      externalSecrets: catalog.targets
        .filter((t) => t.namespace === namespace)
        .map((t) => externalSecretProps(t, store.storeName, settings.gitops, storeKind)),
    });
  }
}

/** A cdk8s app that writes one `<chart>.yaml` per chart into `outdir`. */
export function newManifestApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}
