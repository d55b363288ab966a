import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The engines `npm run engines` installed, as recorded in its engines.json. */
export interface Engines {
  readonly dir: string;
  readonly baoBin: string;
  /** The Terraform-compatible CLI; undefined when `npm run engines` skipped it (HOMELAB_ENGINES_SKIP="tf"). */
  readonly tfBin?: string;
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
    tfCliConfigFile: recorded.cliConfigFile ?? join(dir, 'tofurc'),
    vaultProvider: tfBin === undefined
      ? { available: false, error: 'no Terraform-compatible CLI is installed (npm run engines skipped "tf")' }
      : { available: recorded.vaultProvider?.available === true, error: recorded.vaultProvider?.error },
  };
}
