import type { SecretCatalog } from '../../../lib/catalog';
import { CliContext, runCli, spawnRun } from '../../../lib/cli';
import type { Cluster } from './cluster';

/** What one CLI command line did. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `homelab-secrets <argv>` over `catalog` as an operator does against this cluster: the real clock,
 * kubectl and bao as child processes found on PATH (the engines'), the kubeconfig's current context,
 * Vault's address, CA and a token in the environment (the root token unless `token`), `stdin` piped.
 * `now` replaces the clock, for runs the test places within one second.
 */
export async function runClusterCli(cluster: Cluster, catalog: SecretCatalog, argv: readonly string[],
  options: { readonly stdin?: string; readonly token?: string; readonly now?: () => number } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const env = { ...cluster.env, VAULT_TOKEN: options.token ?? cluster.vault.rootToken, VAULT_BIN: cluster.engines.bao };
  const ctx: CliContext = {
    catalog,
    stdout: { write: (text) => (stdout += text) },
    stderr: { write: (text) => (stderr += text) },
    stdin: {
      isTTY: false,
      readAll: async () => options.stdin ?? '',
      readBytes: async () => new Uint8Array(Buffer.from(options.stdin ?? '', 'utf8')),
      readHidden: async () => {
        throw new Error('no terminal here');
      },
    },
    env,
    now: options.now ?? (() => Date.now()),
    run: spawnRun(env),
    fetch: cluster.vault.fetch,
  };
  const code = await runCli(ctx, argv);
  return { code, stdout, stderr };
}
