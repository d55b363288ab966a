// How often the Flux objects reconcile, and the duration format Flux accepts.
import { invalidProp } from '../catalog';

/**
 * The intervals of every Flux object this library writes. The charts are pinned to exact versions, so
 * a repository index fetched hourly is plenty; a stage waiting for the one before it (or for Vault to
 * be initialized) retries every minute rather than every ten.
 */
export const FLUX_INTERVALS = {
  kustomization: '10m',
  retry: '1m',
  helmRelease: '10m',
  helmRepository: '1h',
} as const;

/** Flux's duration pattern (`interval`, `retryInterval`, `timeout` in its CRDs). */
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Throws unless `value` is a duration Flux accepts, naming the field and its owner. */
export function assertFluxDuration(field: string, value: string, owner: string): void {
  if (!FLUX_DURATION.test(value)) invalidProp(owner, field, value, 'must be a duration such as "10m" or "1h30m"');
}
