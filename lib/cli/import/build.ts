import { type Declaration, type EsoAccessSettings, type EsoIdentity, type IdentityOptions, type PlatformSettings, SecretCatalog, type SyncSource, type VaultPath } from '../../catalog';
import type { ImportPlan } from './plan';

/**
 * Declares the plan through the public API, the same calls the generated module makes, so that
 * `--verify` can synthesize what the module will synthesize without compiling it.
 */
export function buildDeclaration(plan: ImportPlan): Declaration {
  const catalog = new SecretCatalog({
    mount: plan.catalog.mount,
    ...(plan.catalog.isolation ? { isolation: plan.catalog.isolation } : {}),
    ...(Object.keys(plan.catalog.eso).length > 0 ? { eso: plan.catalog.eso as EsoAccessSettings } : {}),
  });
  const identities = new Map<string, EsoIdentity>();
  for (const i of plan.catalog.identities) {
    const options: IdentityOptions = {
      store: { kind: i.store.kind, ...(i.store.name !== undefined ? { name: i.store.name } : {}), namespaces: i.store.namespaces, ...(i.store.trust !== undefined ? { trust: i.store.trust } : {}) },
      ...(i.serviceAccount ? { serviceAccount: i.serviceAccount } : {}),
      ...(i.role !== undefined ? { role: i.role } : {}),
      ...(i.audience !== undefined ? { audience: i.audience } : {}),
    };
    identities.set(i.name, catalog.identity(i.name, options));
  }
  const paths = new Map<string, VaultPath>();
  for (const p of plan.paths) paths.set(p.path, catalog.path(p.path, p.keys));
  for (const t of plan.targets) {
    const sources: SyncSource[] = t.sources.map((s) => {
      const path = paths.get(s.path)!;
      return s.kind === 'extract' ? path.extractAll() : path.select({ keys: s.keys, renames: s.renames });
    });
    const { templateData } = t;
    catalog.addTarget({
      name: t.name,
      namespace: t.namespace,
      ...(t.identity !== undefined ? { identity: identities.get(t.identity) } : {}),
      ...(t.externalSecretName !== undefined ? { externalSecretName: t.externalSecretName } : {}),
      ...(t.creationPolicy !== undefined ? { creationPolicy: t.creationPolicy as 'Owner' } : {}),
      ...(t.deletionPolicy !== undefined ? { deletionPolicy: t.deletionPolicy as 'Retain' } : {}),
      ...(t.refreshInterval !== undefined ? { refreshInterval: t.refreshInterval } : {}),
      ...(t.allowZeroRefreshInterval ? { allowZeroRefreshInterval: true } : {}),
      ...(t.type !== undefined ? { type: t.type } : {}),
      ...(t.labels ? { labels: t.labels } : {}),
      ...(t.annotations ? { annotations: t.annotations } : {}),
      ...(t.reloaderMatch ? { reloaderMatch: true } : {}),
      ...(templateData ? { template: () => ({ ...templateData }) } : {}),
      ...(t.templateMergePolicy ? { templateMergePolicy: t.templateMergePolicy } : {}),
      sources,
    });
  }
  return { catalog, settings: plan.settings as PlatformSettings };
}
