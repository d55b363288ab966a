// The settings with every default resolved: what the renderers read.
import { SETTINGS_DEFAULTS, VAULT_TLS_DEFAULTS } from './defaults';
import type { PlatformSettings, ResolvedPlatformSettings, VaultTlsSettings } from './types';

/** The TLS Secret Vault serves from `tls`: the named one or `vault-tls`, or undefined for plain HTTP. */
export function vaultTlsSecretName(tls: VaultTlsSettings | undefined): string | undefined {
  return tls?.disabled === true ? undefined : tls?.secretName ?? VAULT_TLS_DEFAULTS.secretName;
}

/** Vault's address inside the cluster: the chart names the Service after the release; the scheme follows the listener. */
export function vaultServiceUrl(releaseName: string, namespace: string, tlsSecretName: string | undefined): string {
  return `${tlsSecretName === undefined ? 'http' : 'https'}://${releaseName}.${namespace}.svc:${SETTINGS_DEFAULTS.vault.port}`;
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
  const onArgo = gitops === 'argocd';
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
      vault: onArgo && components.vault !== false,
      externalSecrets: onArgo && components.externalSecrets !== false,
      reloader: onArgo && components.reloader !== false,
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
    terraform: { stateBackend: settings.terraform?.stateBackend ?? { kind: 'local' } },
  };
}
