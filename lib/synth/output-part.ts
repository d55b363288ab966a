import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { SecretCatalog } from '../catalog';

/** One output the synth writes: a folder (manifests, Terraform JSON) or a single file (docs). */
export interface OutputPart {
  /** Shown in messages, e.g. `manifests`. */
  readonly name: string;
  /** Where the output ends up, relative to the working directory or absolute. */
  readonly target: string;
  /** `dir`: `render` fills a folder. `file`: `render` writes one file. */
  readonly kind: 'dir' | 'file';
  /** Writes the output into `stagingPath` (a fresh folder, or the file to create). */
  render(catalog: SecretCatalog, stagingPath: string): void;
  /**
   * Takes over state from the previous output (caches, lock files) into the staged one. Called only
   * once every part has rendered, just before the swap, so a failed synth never touches the target.
   * @default nothing is taken over
   */
  adopt?(previousTarget: string, stagingPath: string): void;
}

/**
 * Validates the catalog, renders every part into staging paths beside their targets, and only when
 * all of them succeeded moves them into place. A bad catalog or a crash leaves every target as it
 * was, so Argo CD never sees a half-written manifest set.
 */
export function synthOutputs(catalog: SecretCatalog, parts: readonly OutputPart[]): void {
  catalog.assertValid();
  const suffix = `.staging-${process.pid}`;
  const staged: { part: OutputPart; target: string; staging: string }[] = [];
  try {
    for (const part of parts) {
      const target = resolve(part.target);
      // Beside the target, so that the final rename stays on one filesystem and is atomic.
      const staging = join(dirname(target), `.${basename(target)}${suffix}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(part.kind === 'dir' ? staging : dirname(staging), { recursive: true });
      staged.push({ part, target, staging });
      part.render(catalog, staging);
    }
  } catch (error) {
    for (const { staging } of staged) rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  for (const { part, target, staging } of staged) {
    if (part.adopt && existsSync(target)) part.adopt(target, staging);
    if (part.kind === 'file') {
      renameSync(staging, target);
      continue;
    }
    const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  }
}
