import { App, YamlOutputType } from 'cdk8s';
import type { ResolvedDeclaration, ResolvedIdentity } from '../catalog';
import { NamespaceSecretsChart } from './namespace-secrets-chart';
import { clusterSecretStoreProps, externalSecretProps, secretStoreProps, serviceAccountProps } from './private/catalog-mapping';
import { SecretStoreChart } from './secret-store-chart';
import type { StoreServiceAccountProps } from './store-service-account';

/** The output file (chart id) of the ClusterSecretStores and of each namespace's objects. */
export const STORE_CHART_ID = 'cluster-secret-store';
export function namespaceChartId(namespace: string): string {
  return `externalsecrets-${namespace}`;
}

/**
 * Adds the charts of the validated declaration to `app`: the ClusterSecretStores of the identities
 * that have one (and the ServiceAccounts they log in as that the library writes) in one chart; then
 * per namespace one chart with the ServiceAccounts and SecretStores of the identities that have a
 * store there, and the namespace's ExternalSecrets, each reading through its identity's store.
 */
export function addEsoCharts(app: App, declaration: ResolvedDeclaration): void {
  const { catalog, identities, settings } = declaration;
  const flavour = settings.gitops;
  const clusterStores = identities.filter((r) => r.identity.store.kind === 'ClusterSecretStore');
  if (clusterStores.length > 0) {
    new SecretStoreChart(app, STORE_CHART_ID, {
      stores: clusterStores.map((r) => clusterSecretStoreProps(catalog.mount, r, flavour)),
      serviceAccounts: unique(clusterStores
        .filter((r) => r.identity.serviceAccount.create)
        .map((r) => serviceAccountProps(r.identity.serviceAccount.name, r.identity.serviceAccount.namespace!, flavour))),
    });
  }
  const secretStores = identities.filter((r) => r.identity.store.kind === 'SecretStore');
  const storesIn = (namespace: string): ResolvedIdentity[] => secretStores.filter((r) => r.identity.store.namespaces.includes(namespace));
  const namespaces = [...new Set([...catalog.namespaces, ...secretStores.flatMap((r) => r.identity.store.namespaces)])].sort();
  for (const namespace of namespaces) {
    const stores = storesIn(namespace);
    new NamespaceSecretsChart(app, namespaceChartId(namespace), {
      namespace,
      serviceAccounts: unique(stores.filter((r) => r.identity.serviceAccount.create).map((r) => serviceAccountProps(r.identity.serviceAccount.name, namespace, flavour))),
      secretStores: stores.map((r) => secretStoreProps(catalog.mount, r, namespace, flavour)),
      externalSecrets: catalog.targets
        .filter((t) => t.namespace === namespace)
        .map((t) => externalSecretProps(t, catalog.identityOf(t).store, flavour)),
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

/** A cdk8s app that writes one `<chart>.yaml` per chart into `outdir`. */
export function newManifestApp(outdir: string): App {
  return new App({ outdir, outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
}
