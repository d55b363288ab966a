// The settings with every default resolved: what the renderers read.
import { FLUX_DEFAULTS, SETTINGS_DEFAULTS, VAULT_TLS_DEFAULTS } from './defaults';
import type { FluxSettings, PlatformSettings, ResolvedFlux, ResolvedPlatformSettings, VaultTlsSettings } from './types';

/** The TLS Secret Vault serves from `tls`: the named one or `vault-tls`, or undefined for plain HTTP. */
export function vaultTlsSecretName(tls: VaultTlsSettings | undefined): string | undefined {
  return tls?.disabled === true ? undefined : tls?.secretName ?? VAULT_TLS_DEFAULTS.secretName;
}

/** Vault's address inside the cluster: the chart names the Service after the release; the scheme follows the listener. */
export function vaultServiceUrl(releaseName: string, namespace: string, tlsSecretName: string | undefined): string {
  return `${tlsSecretName === undefined ? 'http' : 'https'}://${releaseName}.${namespace}.svc:${SETTINGS_DEFAULTS.vault.port}`;
}

/** A folder segment that needs no quoting anywhere (YAML, a shell, kustomize) and cannot climb out. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The Flux cluster folder's segments, or undefined when `value` is not a folder inside the repository. */
export function fluxClusterPathSegments(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === '.' || value === './') return [];
  const segments = (value.startsWith('./') ? value.slice(2) : value).replace(/\/$/, '').split('/');
  return segments.every((segment) => PATH_SEGMENT.test(segment)) ? segments : undefined;
}

/** `settings.flux` with every default resolved. Call on settings without problems. */
export function resolveFluxSettings(flux: FluxSettings | undefined): ResolvedFlux {
  const namespace = flux?.namespace ?? FLUX_DEFAULTS.namespace;
  const segments = fluxClusterPathSegments(flux?.clusterPath ?? FLUX_DEFAULTS.clusterPath)!;
  return {
    sourceRef: {
      kind: flux?.sourceRef?.kind ?? FLUX_DEFAULTS.sourceKind,
      name: flux?.sourceRef?.name ?? FLUX_DEFAULTS.sourceName,
      namespace: flux?.sourceRef?.namespace ?? namespace,
    },
    clusterPath: segments.length === 0 ? '.' : `./${segments.join('/')}`,
    namespace,
  };
}

/** The settings with every default resolved. Call on settings without problems. */
export function resolveSettings(settings: PlatformSettings): ResolvedPlatformSettings {
  const vault = settings.vault ?? {};
  const namespace = vault.namespace ?? SETTINGS_DEFAULTS.vault.namespace;
  const releaseName = vault.releaseName ?? SETTINGS_DEFAULTS.vault.releaseName;
  const argocd = settings.argocd ?? {};
  const external = vault.address !== undefined;
  // An external Vault over plain HTTP needs no CA; over https its CA Secret is named like an in-cluster one's.
  const plain = external && vault.address!.startsWith('http://');
  const tlsSecretName = plain ? undefined : vaultTlsSecretName(vault.tls);
  const port = SETTINGS_DEFAULTS.vault.port;
  const gitops = settings.gitops ?? 'argocd';
  // Argo CD installs the components as Applications, Flux as HelmReleases; plain installs none.
  const installs = gitops !== 'plain';
  const components = settings.components ?? {};
  const serviceUrl = vaultServiceUrl(releaseName, namespace, tlsSecretName);
  return {
    kms: settings.kms === undefined ? undefined : {
      region: settings.kms.region,
      alias: settings.kms.alias ?? SETTINGS_DEFAULTS.kms.alias,
      iamUserName: settings.kms.iamUserName ?? SETTINGS_DEFAULTS.kms.iamUserName,
      secretName: settings.kms.secretName ?? SETTINGS_DEFAULTS.kms.secretName,
      secretNamespace: namespace,
    },
    gitops,
    components: {
      vault: installs && components.vault !== false,
      externalSecrets: installs && components.externalSecrets !== false,
      reloader: installs && components.reloader !== false,
    },
    vault: {
      namespace,
      releaseName,
      storageClass: vault.storageClass,
      storageSize: vault.storageSize,
      ingress: vault.ingress,
      kubernetesHost: vault.kubernetesHost ?? SETTINGS_DEFAULTS.vault.kubernetesHost,
      kubernetesCaCert: vault.kubernetesCaCert,
      kvMaxVersions: vault.kvMaxVersions ?? SETTINGS_DEFAULTS.vault.kvMaxVersions,
      operatorCanDestroy: vault.operatorCanDestroy ?? false,
      tlsSecretName,
      plainHttp: (vault.address ?? serviceUrl).startsWith('http://'),
      storeTrust: vault.tls?.storeTrust ?? 'tlsSecret',
      port,
      serviceUrl,
      address: vault.address ?? serviceUrl,
      external,
    },
    argocd: {
      project: argocd.project ?? SETTINGS_DEFAULTS.argocd.project,
      server: argocd.server ?? SETTINGS_DEFAULTS.argocd.server,
      namespace: argocd.namespace ?? SETTINGS_DEFAULTS.argocd.namespace,
    },
    flux: resolveFluxSettings(settings.flux),
    terraform: { stateBackend: settings.terraform?.stateBackend ?? { kind: 'local' } },
  };
}
