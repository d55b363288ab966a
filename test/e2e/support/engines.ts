import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The engines `npm run engines` installed, as recorded in its engines.json. */
export interface Engines {
  readonly dir: string;
  readonly baoBin: string;
  readonly tfBin: string;
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
    tfBin: recorded.tf?.path,
    tfCliConfigFile: recorded.cliConfigFile ?? join(dir, 'tofurc'),
  };
  for (const [name, path] of Object.entries(found)) {
    if (!path || !existsSync(path)) throw new Error(`engine ${name} is not installed (${path}): run \`npm run engines\``);
  }
  return {
    ...found,
    vaultProvider: { available: recorded.vaultProvider?.available === true, error: recorded.vaultProvider?.error },
  };
}
