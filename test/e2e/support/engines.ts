import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The engines `npm run engines` installed, as recorded in its engines.json. */
export interface Engines {
  readonly dir: string;
  readonly baoBin: string;
  /** The Terraform-compatible CLI; undefined when it was not installed (it is opt-in: HOMELAB_ENGINES_TF=1), then `tfError` says why. */
  readonly tfBin?: string;
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
  const baoBin: string | undefined = recorded.bao?.path;
  if (!baoBin || !existsSync(baoBin)) throw new Error(`engine bao is not installed (${baoBin}): run \`npm run engines\``);
  const tfBin: string | undefined = recorded.tf?.path && existsSync(recorded.tf.path) ? recorded.tf.path : undefined;
  return {
    dir,
    baoBin,
    tfBin,
    tfError: tfBin === undefined ? recorded.tf?.error || 'not installed (opt-in: HOMELAB_ENGINES_TF=1)' : undefined,
    tfCliConfigFile: recorded.cliConfigFile ?? join(dir, 'tofurc'),
    vaultProvider: tfBin === undefined
      ? { available: false, error: 'no Terraform-compatible CLI is installed (opt-in: HOMELAB_ENGINES_TF=1)' }
      : { available: recorded.vaultProvider?.available === true, error: recorded.vaultProvider?.error },
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
