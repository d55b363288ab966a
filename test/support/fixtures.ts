import type { Declaration, PlatformSettings, ResolvedDeclaration } from '../../lib/catalog';
import { SecretCatalog, resolveDeclaration } from '../../lib/catalog';

/** Small settings for library tests: only what is required, plus a storage class and size. */
export const FIXTURE_SETTINGS: PlatformSettings = {
  kms: { region: 'us-east-1' },
  vault: { storageClass: 'local-path', storageSize: '5Gi' },
};

/** A two-path catalog: one Owner target, one Merge target with a rename. */
export function fixtureCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  catalog.path('apps/db', ['user', 'password']).syncTo({ name: 'db-credentials', namespace: 'apps' });
  catalog.path('apps/oidc', ['clientSecret']).syncTo({
    name: 'portal-secret',
    namespace: 'portal',
    creationPolicy: 'Merge',
    renames: { clientSecret: 'oidc.clientSecret' },
  });
  return catalog;
}

/** A declaration of `catalog` (the fixture catalog by default) with `settings`. */
export function fixtureDeclaration(catalog: SecretCatalog = fixtureCatalog(), settings: PlatformSettings = FIXTURE_SETTINGS): Declaration {
  return { catalog, settings };
}

/** The resolved form of {@link fixtureDeclaration}, as renderers get it. */
export function resolvedFixture(catalog?: SecretCatalog, settings?: PlatformSettings): ResolvedDeclaration {
  return resolveDeclaration(fixtureDeclaration(catalog, settings));
}
