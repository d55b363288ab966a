import * as api from '../lib';

describe('the main entry point', () => {
  test('exports exactly its public API: the rule predicates, option checks and mappers stay inside', () => {
    expect(Object.keys(api).sort()).toStrictEqual([
      'CREATION_POLICIES', 'COMPONENTS_CHART_ID', 'CatalogValidationError', 'ComponentsChart', 'DELETION_POLICIES', 'ESO_DEFAULTS', 'EsoIdentity',
      'FLUX_DEFAULTS', 'FLUX_STAGES', 'FluxComponentsChart', 'FluxHelmRelease', 'FluxHelmRepository', 'FluxKustomization', 'FluxKustomizationsChart',
      'ExternalSecretsApplication', 'HELM_CHARTS', 'HelmApplication', 'KMS_SECRET_KEYS', 'NamespaceSecretsChart', 'RELOADER_MATCH_ANNOTATION',
      'ReloaderApplication', 'SETTINGS_DEFAULTS', 'STORE_CHART_ID', 'SYNC_WAVES', 'SecretCatalog', 'SecretStoreChart',
      'StoreServiceAccount', 'SyncTarget', 'UNSEAL_ACTIONS', 'VAULT_TLS_DEFAULTS', 'VaultApplication', 'VaultClusterSecretStore',
      'VaultExternalSecret', 'VaultPath', 'VaultSecretStore', 'addEsoCharts', 'assertConstructsValid', 'componentApplications',
      'constructIssues', 'docsPart', 'external', 'formatIssues', 'generated', 'manifestsPart', 'namespaceChartId', 'namespaceIdentity', 'newManifestApp',
      'renderComponentTable', 'renderPathFlowchart', 'renderPathTable', 'renderSecretsDoc', 'resolveDeclaration', 'runSynthMain',
      'synthOutputs', 'validateDeclaration',
    ].sort());
  });
});
