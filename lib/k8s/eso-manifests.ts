import { App, YamlOutputType } from 'cdk8s';
import type { ResolvedDeclaration, ResolvedIdentity } from '../catalog';
import { NamespaceSecretsChart, type NamespaceSecretsChartProps } from './namespace-secrets-chart';
import { clusterSecretStoreProps, externalSecretProps, secretStoreProps, serviceAccountProps } from './private/catalog-mapping';
import { SecretStoreChart, type SecretStoreChartProps } from './secret-store-chart';
import type { StoreServiceAccountProps } from './store-service-account';
import type { VaultExternalSecretProps } from './vault-external-secret';

/** The output file (chart id) of the ClusterSecretStores and of each namespace's objects. */
export const STORE_CHART_ID = 'cluster-secret-store';
export function namespaceChartId(namespace: string): string {
  return `externalsecrets-${namespace}`;
}

/** The stores of the validated declaration, as their charts take them. */
interface StoreLayout {
  /** The ClusterSecretStores and the ServiceAccounts they log in as that the library writes; undefined without one. */
  readonly cluster?: SecretStoreChartProps;
  /** Per namespace, in name order: the SecretStores there and the ServiceAccounts they log in as. */
  readonly namespaces: ReadonlyMap<string, Required<Pick<NamespaceSecretsChartProps, 'secretStores' | 'serviceAccounts'>>>;
}

/** Where the identities' stores go: the ClusterSecretStores in one chart, each SecretStore in each namespace it serves. */
function storeLayout(declaration: ResolvedDeclaration): StoreLayout {
  const { catalog, identities, settings } = declaration;
  const flavour = settings.gitops;
  const clusterStores = identities.filter((r) => r.identity.store.kind === 'ClusterSecretStore');
  const cluster = clusterStores.length === 0 ? undefined : {
    stores: clusterStores.map((r) => clusterSecretStoreProps(catalog.mount, r, flavour)),
    serviceAccounts: unique(clusterStores
      .filter((r) => r.identity.serviceAccount.create)
      .map((r) => serviceAccountProps(r.identity.serviceAccount.name, r.identity.serviceAccount.namespace!, flavour))),
  };
  const secretStores = identities.filter((r) => r.identity.store.kind === 'SecretStore');
  const storesIn = (namespace: string): ResolvedIdentity[] => secretStores.filter((r) => r.identity.store.namespaces.includes(namespace));
  const namespaces = new Map([...new Set(secretStores.flatMap((r) => r.identity.store.namespaces))].sort().map((namespace) => {
    const stores = storesIn(namespace);
    return [namespace, {
      serviceAccounts: unique(stores.filter((r) => r.identity.serviceAccount.create).map((r) => serviceAccountProps(r.identity.serviceAccount.name, namespace, flavour))),
      secretStores: stores.map((r) => secretStoreProps(catalog.mount, r, namespace, flavour)),
    }];
  }));
  return { cluster, namespaces };
}

/** The ExternalSecrets of `namespace`, each reading through its identity's store. */
function externalSecretsIn(declaration: ResolvedDeclaration, namespace: string): VaultExternalSecretProps[] {
  const { catalog, settings } = declaration;
  return catalog.targets
    .filter((t) => t.namespace === namespace)
    .map((t) => externalSecretProps(t, catalog.identityOf(t).store, settings.gitops));
}

/**
 * Adds the charts of the validated declaration to `app`: the ClusterSecretStores of the identities
 * that have one (and the ServiceAccounts they log in as that the library writes) in one chart; then
 * per namespace one chart with the ServiceAccounts and SecretStores of the identities that have a
 * store there, and the namespace's ExternalSecrets, each reading through its identity's store.
 */
export function addEsoCharts(app: App, declaration: ResolvedDeclaration): void {
  const layout = storeLayout(declaration);
  if (layout.cluster) new SecretStoreChart(app, STORE_CHART_ID, layout.cluster);
  const namespaces = [...new Set([...declaration.catalog.namespaces, ...layout.namespaces.keys()])].sort();
  for (const namespace of namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      ...(layout.namespaces.get(namespace) ?? { serviceAccounts: [], secretStores: [] }),
      externalSecrets: externalSecretsIn(declaration, namespace),
    });
  }
}

/** Each ServiceAccount once: two identities may log in as the same one. */
function unique(accounts: readonly StoreServiceAccountProps[]): StoreServiceAccountProps[] {
  const seen = new Set<string>();
  return accounts.filter((sa) => {
    const key = `${sa.namespace}/${sa.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The output file (chart id) of a namespace's ServiceAccounts and SecretStores when they are kept apart from its ExternalSecrets. */
export function namespaceStoreChartId(namespace: string): string {
  return `secretstore-${namespace}`;
}

/**
 * Adds the stores alone to `app`, for a tool that applies them before the ExternalSecrets (Flux's
 * store stage): the ClusterSecretStores and their ServiceAccounts in one chart, as in
 * {@link addEsoCharts}; then per namespace with SecretStores one chart with its ServiceAccounts and
 * SecretStores (several when several identities have a store there).
 */
export function addStoreCharts(app: App, declaration: ResolvedDeclaration): void {
  const layout = storeLayout(declaration);
  if (layout.cluster) new SecretStoreChart(app, STORE_CHART_ID, layout.cluster);
  for (const [namespace, stores] of layout.namespaces) {
    new NamespaceSecretsChart(app, namespaceStoreChartId(namespace), { namespace, ...stores, externalSecrets: [] });
  }
}

/** Adds the ExternalSecrets alone to `app`, one chart per namespace, the stores left to {@link addStoreCharts}. */
export function addExternalSecretCharts(app: App, declaration: ResolvedDeclaration): void {
  for (const namespace of declaration.catalog.namespaces) {
    new NamespaceSecretsChart(app, namespaceChartId(namespace), { namespace, externalSecrets: externalSecretsIn(declaration, namespace) });
  }
}

/** A cdk8s app that writes one `<chart>.yaml` per chart into `outdir`. */
export function newManifestApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}
