import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Declaration, ResolvedDeclaration, resolveDeclaration } from '../catalog';

/** One output the synth writes: a folder (manifests, Terraform JSON) or a single file (docs). */
export interface OutputPart {
  /** Shown in messages, e.g. `manifests`. */
  readonly name: string;
  /** Where the output ends up, relative to the working directory or absolute. */
  readonly target: string;
  /** `dir`: `render` fills a folder. `file`: `render` writes one file. */
  readonly kind: 'dir' | 'file';
  /** Writes the output of the validated declaration into `stagingPath` (a fresh folder, or the file to create). */
  render(declaration: ResolvedDeclaration, stagingPath: string): void;
  /**
   * Takes over state from the previous output (caches, lock files) into the staged one. Called only
   * once every part has rendered, just before the swap, so a failed synth never touches the target.
   * @default - nothing is taken over
   */
  adopt?(previousTarget: string, stagingPath: string): void;
}

/** The staging and swap folders of one synth sit beside the target: `.manifests.staging-<pid>`. */
const LEFTOVER = /^\.(.+)\.(staging|old)-(\d+)$/;

/**
 * Removes what a synth that was killed (SIGKILL, power loss) left beside `target`: its staging and
 * swap folders carry its pid, and a pid that no longer runs cannot come back for them. Folders of a
 * synth that still runs are left alone.
 */
export function removeStaleStaging(target: string): string[] {
  const dir = dirname(target);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const match = LEFTOVER.exec(name);
    if (!match || match[1] !== basename(target)) continue;
    const pid = Number(match[3]);
    if (pid !== process.pid && isRunning(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Validates the declaration (catalog and settings, every mistake at once), renders every part into
 * staging paths beside their targets, and only when all of them succeeded moves them into place. A
 * bad declaration or a crash leaves every target as it was, so Argo CD never sees a half-written
 * manifest set.
 */
export function synthOutputs(declaration: Declaration, parts: readonly OutputPart[]): void {
  const resolved = resolveDeclaration(declaration);
  const suffix = `.staging-${process.pid}`;
  const staged: { part: OutputPart; target: string; staging: string }[] = [];
  try {
    for (const part of parts) {
      const target = resolve(part.target);
      removeStaleStaging(target);
      // Beside the target, so that the final rename stays on one filesystem and is atomic.
      const staging = join(dirname(target), `.${basename(target)}${suffix}`);
      mkdirSync(part.kind === 'dir' ? staging : dirname(staging), { recursive: true });
      staged.push({ part, target, staging });
      part.render(resolved, staging);
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
