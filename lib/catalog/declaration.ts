import type { ResolvedEsoAccess } from './eso-access';
import { isOptionsObject } from './options';
import type { SecretCatalog } from './secret-catalog';
import { PlatformSettings, ResolvedPlatformSettings, VAULT_TLS_DEFAULTS, resolveSettings, settingsProblems } from './settings';
import { CatalogIssue, CatalogValidationError, catalogIssue } from './errors';

/**
 * A homelab's whole declaration: its catalog and the settings beyond it. Every output is rendered
 * from one, and every mistake in either is reported together before anything renders.
 */
export interface Declaration {
  /** The Vault paths, their keys and the Secrets they feed. */
  readonly catalog: SecretCatalog;
  /** The KMS unseal key, the Vault install, the Argo CD destination and the Terraform state. */
  readonly settings: PlatformSettings;
}

/** How the ClusterSecretStore reaches and authenticates to Vault, with the address derived from the Vault install. */
export interface ResolvedStore extends ResolvedEsoAccess {
  /** Vault's address inside the cluster. */
  readonly server: string;
  /** The Secret whose CA ESO trusts for an `https://` server: the one Vault serves its certificate from. Undefined for plain HTTP. */
  readonly caProvider?: { readonly name: string; readonly namespace: string; readonly key: string };
}

/** A validated declaration with every default resolved: what the renderers read. */
export interface ResolvedDeclaration {
  readonly catalog: SecretCatalog;
  readonly settings: ResolvedPlatformSettings;
  /** The store's access settings and Vault address. */
  readonly store: ResolvedStore;
}

/** Every rule the declaration breaks, catalog first, then settings; empty when it is valid. */
export function validateDeclaration(declaration: Declaration): CatalogIssue[] {
  if (!isOptionsObject(declaration)) {
    return [catalogIssue('declaration', 'declaration', declaration, 'must be an object with catalog and settings')];
  }
  const catalog = declaration.catalog as SecretCatalog | undefined;
  const issues: CatalogIssue[] = typeof catalog?.validate === 'function'
    ? catalog.validate()
    : [catalogIssue('declaration', 'catalog', catalog, 'must be a SecretCatalog')];
  for (const { row, field, value, rule } of settingsProblems(declaration.settings)) issues.push(catalogIssue(row, field, value, rule));
  return issues;
}

/** Validates the declaration and resolves it; throws a CatalogValidationError listing every issue. */
export function resolveDeclaration(declaration: Declaration): ResolvedDeclaration {
  const issues = validateDeclaration(declaration);
  if (issues.length > 0) throw new CatalogValidationError(issues);
  const settings = resolveSettings(declaration.settings);
  return {
    catalog: declaration.catalog,
    settings,
    store: {
      ...declaration.catalog.eso,
      server: settings.vault.address,
      caProvider: settings.vault.tlsSecretName === undefined
        ? undefined
        : { name: settings.vault.tlsSecretName, namespace: settings.vault.namespace, key: VAULT_TLS_DEFAULTS.caKey },
    },
  };
}
