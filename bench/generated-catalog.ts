import { SecretCatalog } from '../lib/catalog';

/** Namespaces the generated targets spread over, like a homelab's apps. */
const NAMESPACES = 20;

/**
 * A catalog of `size` paths with 3 keys each; one path in ten feeds a second Secret in another
 * namespace, as `apps/openclaw` does in the homelab.
 */
export function generatedCatalog(size: number): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  for (let i = 0; i < size; i++) {
    const id = String(i).padStart(5, '0');
    const path = catalog.path(`bench/app-${id}`, ['username', 'password', 'api-token']);
    path.syncTo({ name: `app-${id}`, namespace: `ns-${i % NAMESPACES}` });
    if (i % 10 === 0) {
      path.syncTo({ name: `app-${id}-token`, namespace: `ns-${(i + 1) % NAMESPACES}`, keys: ['api-token'] });
    }
  }
  return catalog;
}
