import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The engines `npm run engines` installed, as recorded in its engines.json. */
export interface Engines {
  readonly dir: string;
  readonly baoBin: string;
  /** Empty when the Terraform CLI was not installed (it is opt-in: HOMELAB_ENGINES_TF=1); then why. */
  readonly tfBin: string;
  readonly tfError?: string;
  readonly tfCliConfigFile: string;
  /** Whether terraform-provider-vault is in the filesystem mirror; if not, why. */
  readonly vaultProvider: { readonly available: boolean; readonly error?: string };
}

export function engines(): Engines {
  const dir = process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines');
  const file = join(dir, 'engines.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run engines\` first`);
  const recorded = JSON.parse(readFileSync(file, 'utf8'));
  const found = {
    dir,
    baoBin: recorded.bao?.path,
    tfCliConfigFile: recorded.cliConfigFile ?? join(dir, 'tofurc'),
  };
  for (const [name, path] of Object.entries(found)) {
    if (!path || !existsSync(path)) throw new Error(`engine ${name} is not installed (${path}): run \`npm run engines\``);
  }
  const tfBin: string = recorded.tf?.path && existsSync(recorded.tf.path) ? recorded.tf.path : '';
  return {
    ...found,
    tfBin,
    tfError: tfBin ? undefined : recorded.tf?.error || 'not installed',
    vaultProvider: { available: recorded.vaultProvider?.available === true, error: recorded.vaultProvider?.error },
  };
}

/**
 * A Go-built tool `npm run engines` installed (helm, kubeconform): its path, or why it is missing.
 * Under CI (CI=true) a missing tool is an error, never a skip.
 */
export function goTool(name: 'helm' | 'kubeconform'): { path: string } | { path: null; reason: string } {
  const dir = process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines');
  const file = join(dir, 'engines.json');
  const recorded = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8'))[name] : undefined;
  if (recorded?.path && existsSync(recorded.path)) return { path: recorded.path };
  const reason = !existsSync(file)
    ? `${file} is missing: run \`npm run engines\``
    : `${name} is not installed in ${dir}${recorded?.error ? ` (${recorded.error})` : ''}: run \`npm run engines\``;
  if (process.env.CI === 'true') throw new Error(`CI needs ${name}: ${reason}`);
  return { path: null, reason };
}
