import type { SyncTarget } from '../catalog';

/**
 * The keys the target's Secret will hold, in order, each once: the copied keys; or the template's
 * keys when the template replaces them (`templateMergePolicy: 'Replace'`); or both when it merges.
 * The type parameter of SyncTarget tracks the copied keys only, so templated Secrets rely on this
 * runtime list.
 */
export function targetSecretKeys(target: SyncTarget): string[] {
  const copied = [...new Set(target.secretKeys)];
  if (!target.templateData) return copied;
  const templated = Object.keys(target.templateData);
  return target.templateMergePolicy === 'Replace' ? templated : [...new Set([...copied, ...templated])];
}
