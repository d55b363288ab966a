import type { ResolvedDeclaration } from '../catalog';
import { ExternalSecretsReleaseOptions, externalSecretsRelease } from './external-secrets-release';
import type { ComponentRelease } from './helm-values';
import { ReloaderReleaseOptions, reloaderRelease } from './reloader-release';
import { VaultRelease, VaultReleaseOptions, vaultRelease } from './vault-release';

/** What each component the settings install is installed with; a component left out is undefined. */
export interface ComponentInstalls {
  readonly vault?: VaultReleaseOptions;
  readonly externalSecrets?: ExternalSecretsReleaseOptions;
  readonly reloader?: ReloaderReleaseOptions;
}

/**
 * The one mapping from a validated declaration to the components' release options, read by every
 * GitOps renderer (Argo CD's Applications, Flux's HelmReleases).
 */
export function componentInstalls(declaration: ResolvedDeclaration): ComponentInstalls {
  const { settings, catalog, identities } = declaration;
  const { vault, components } = settings;
  return {
    vault: components.vault
      ? {
        kms: settings.kms,
        namespace: vault.namespace,
        releaseName: vault.releaseName,
        storageClass: vault.storageClass,
        storageSize: vault.storageSize,
        ingress: vault.ingress,
        tls: vault.tlsSecretName === undefined ? { disabled: true } : { secretName: vault.tlsSecretName },
      }
      : undefined,
    externalSecrets: components.externalSecrets
      ? {
        access: catalog.eso,
        // ESO requests tokens for every ServiceAccount an identity logs in as, other than its own.
        tokenRequestsForStores: identities.some(({ identity }) => identity.boundNamespaces.some((namespace) =>
          namespace !== catalog.eso.serviceAccountNamespace || identity.serviceAccount.name !== catalog.eso.serviceAccountName)),
      }
      : undefined,
    reloader: components.reloader ? {} : undefined,
  };
}

/** The components' releases: name, namespace, pinned chart and values, derived from the declaration. */
export interface ComponentReleases {
  readonly vault?: VaultRelease;
  readonly externalSecrets?: ComponentRelease;
  readonly reloader?: ComponentRelease;
}

/**
 * The releases of the components the settings install, in install order (Vault, ESO, Reloader).
 * `subject` names the object kind in error messages, such as `HelmRelease`.
 */
export function componentReleases(declaration: ResolvedDeclaration, subject: string): ComponentReleases {
  const installs = componentInstalls(declaration);
  return {
    vault: installs.vault && vaultRelease(installs.vault, `the Vault ${subject}`),
    externalSecrets: installs.externalSecrets && externalSecretsRelease(installs.externalSecrets),
    reloader: installs.reloader && reloaderRelease(installs.reloader),
  };
}
