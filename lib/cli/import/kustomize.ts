// The real kustomize the import builds kustomizations with, where one is installed: `kustomize`, or
// the one kubectl embeds (`kubectl kustomize`). Found on PATH; run without a shell, its errors named
// by exit code only (a kustomization's error may quote what it read).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RunOptions, RunResult } from '../context';
import { IMPORT_LIMITS, formatBytes } from './files';
import type { KustomizeRunner } from './layout';

type Run = (cmd: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** The first executable `name` on `path`, or undefined. */
function onPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A runner over the kustomize on `env.PATH`: `kustomize build <dir>`, else `kubectl kustomize <dir>`;
 * undefined when neither is installed or neither reports a version.
 */
export async function findKustomize(env: Readonly<Record<string, string | undefined>>, run: Run): Promise<KustomizeRunner | undefined> {
  const kustomize = onPath('kustomize', env.PATH);
  if (kustomize !== undefined) {
    const version = await run(kustomize, ['version']);
    const v = /v?\d+\.\d+\.\d+/.exec(version.stdout)?.[0];
    if (version.exitCode === 0 && v !== undefined) return runner(`kustomize ${v.startsWith('v') ? v : `v${v}`} (${kustomize})`, kustomize, ['build'], run);
  }
  const kubectl = onPath('kubectl', env.PATH);
  if (kubectl !== undefined) {
    const version = await run(kubectl, ['version', '--client']);
    const v = /Kustomize Version: (v\d+\.\d+\.\d+)/.exec(version.stdout)?.[1];
    if (version.exitCode === 0 && v !== undefined) return runner(`kustomize ${v} (${kubectl} kustomize)`, kubectl, ['kustomize'], run);
  }
  return undefined;
}

/** The most bytes of one kustomize build the import reads, as of one input file. */
const BUILD_LIMIT = IMPORT_LIMITS.fileBytes;

function runner(description: string, cmd: string, args: readonly string[], run: Run): KustomizeRunner {
  return {
    description,
    async build(dir) {
      // An argument array, never a shell; a folder whose name starts with "-" (or is "-") is given
      // as "./-x", so that no kustomize reads it as an option.
      const folder = dir.startsWith('-') ? `./${dir}` : dir;
      const result = await run(cmd, [...args, folder]);
      if (result.exitCode !== 0) return { error: `${description} exited with ${result.exitCode}` };
      if (Buffer.byteLength(result.stdout) > BUILD_LIMIT) return { error: `${description} printed more than the ${formatBytes(BUILD_LIMIT)} the import reads of one input` };
      return { output: result.stdout };
    },
  };
}
