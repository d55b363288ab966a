// The main entry point, `homelab-secrets`: its public API, named one by one. Each folder's index is
// the interface the other folders use, and exports more than this. It loads no cdktf and no
// cdk8s-plus: the Terraform side is `homelab-secrets/tf`, workload wiring `homelab-secrets/workloads`,
// the operator CLI `homelab-secrets/cli`.

// The declaration: the catalog, the settings, their one validator.
export {
  CREATION_POLICIES,
  CatalogValidationError,
  DELETION_POLICIES,
  ESO_DEFAULTS,
  EsoIdentity,
  FLUX_DEFAULTS,
  KMS_SECRET_KEYS,
  SETTINGS_DEFAULTS,
  SecretCatalog,
  SyncTarget,
  UNSEAL_ACTIONS,
  VAULT_TLS_DEFAULTS,
  VaultPath,
  external,
  formatIssues,
  generated,
  namespaceIdentity,
  resolveDeclaration,
  validateDeclaration,
} from './catalog';
export type {
  ArgoCdSettings,
  ByteEncoding,
  CaReference,
  CatalogIssue,
  Charset,
  ClusterStoreOptions,
  ComponentSettings,
  CreationPolicy,
  Declaration,
  DeletionPolicy,
  EsoAccessSettings,
  EsoCluster,
  ExternalOptions,
  ExternalValue,
  ExtractSource,
  FluxSettings,
  FluxSourceKind,
  FluxSourceRef,
  GeneratedBytes,
  GeneratedFromAlphabet,
  GeneratedFromCharset,
  GeneratedOptions,
  GeneratedValue,
  GitOpsFlavour,
  IdentityFor,
  IdentityOptions,
  IdentityOrigin,
  IdentityServiceAccount,
  IdentityStore,
  Isolation,
  KeySelection,
  KeySource,
  KmsUnsealSettings,
  LocalStateBackend,
  NamespacedStoreOptions,
  PathOptions,
  PathReaders,
  PathTargetOptions,
  PlatformSettings,
  RenamedKeys,
  Renames,
  ResolvedCluster,
  ResolvedDeclaration,
  ResolvedEsoAccess,
  ResolvedFlux,
  ResolvedIdentity,
  ResolvedKmsUnseal,
  ResolvedPlatformSettings,
  ResolvedVault,
  ResolvedVaultRole,
  S3StateBackend,
  SecretCatalogProps,
  SecretKeysOf,
  ServiceAccountOptions,
  StateBackendSettings,
  StoreCaProvider,
  StoreTrust,
  StoreTrustDefault,
  SyncSource,
  SyncTargetOptions,
  SyncTargetSpec,
  TemplateRefs,
  TerraformSettings,
  ValueOrigin,
  ValueOrigins,
  VaultIngressSettings,
  VaultRoleSettings,
  VaultSettings,
  VaultTlsSettings,
} from './catalog';

// The ESO manifests (cdk8s).
export {
  NamespaceSecretsChart,
  RELOADER_MATCH_ANNOTATION,
  STORE_CHART_ID,
  SYNC_WAVES,
  SecretStoreChart,
  StoreServiceAccount,
  VaultClusterSecretStore,
  VaultExternalSecret,
  VaultSecretStore,
  addEsoCharts,
  manifestsPart,
  namespaceChartId,
  newManifestApp,
} from './k8s';
export type {
  ChartContributor,
  ClusterStoreCaProvider,
  ExternalSecretDataEntry,
  ExternalSecretTemplate,
  NamespaceSecretsChartProps,
  NamespacedStoreCaProvider,
  SecretStoreChartProps,
  StoreServiceAccountProps,
  VaultClusterSecretStoreProps,
  VaultExternalSecretProps,
  VaultSecretStoreProps,
} from './k8s';

// The components as Argo CD Applications.
export {
  COMPONENTS_CHART_ID,
  ComponentsChart,
  ExternalSecretsApplication,
  HelmApplication,
  ReloaderApplication,
  VaultApplication,
  componentApplications,
  renderComponentTable,
} from './argocd';
export type {
  ArgoDestinationSettings,
  ComponentsChartProps,
  ExternalSecretsApplicationProps,
  HelmApplicationProps,
  IgnoredDifference,
  ReloaderApplicationProps,
  VaultApplicationProps,
} from './argocd';

// The components as Flux HelmReleases, and the Kustomizations that order the stages (gitops 'flux').
export {
  FLUX_STAGES,
  FluxComponentsChart,
  FluxHelmRelease,
  FluxHelmRepository,
  FluxKustomization,
  FluxKustomizationsChart,
} from './flux';
export type {
  FluxComponentsChartProps,
  FluxHealthCheck,
  FluxHealthCheckExpr,
  FluxHelmReleaseProps,
  FluxHelmRepositoryProps,
  FluxKustomizationProps,
  FluxKustomizationsChartProps,
  FluxStage,
} from './flux';

// The components' releases (chart pins and values), shared by the Argo CD and Flux renderers.
export { HELM_CHARTS } from './components';
export type { ComponentRelease, HelmChartRef, HelmValue, HelmValues } from './components';

// The docs.
export { docsPart, renderPathFlowchart, renderPathTable, renderSecretsDoc } from './docs';

// The all-or-nothing writer.
export { assertConstructsValid, constructIssues, runSynthMain, synthOutputs } from './synth';
export type { OutputPart, ValidatableNode } from './synth';
