import type { Command } from 'commander';
import type { SecretCatalog, VaultPath } from '../catalog';
import { declaredPath } from './catalog-lookup';
import { CliContext, EXIT, ReportExit } from './context';

/** What stands for a value in a printed command: the operator replaces it, the CLI never sees it. */
export const VALUE_PLACEHOLDER = '<...>';

/** `vault kv put <mount>/<path> key1=<...> key2=<...>`: every declared key, values as placeholders. */
export function renderPutCommand(catalog: SecretCatalog, path: VaultPath): string {
  return ['vault', 'kv', 'put', `${catalog.mount}/${path.path}`, ...path.keys.map((key) => `${key}=${VALUE_PLACEHOLDER}`)].join(' ');
}

export function registerNewPath(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('new')
    .summary('print the `vault kv put` that creates a path, values as placeholders')
    .description('print the `vault kv put` that creates a declared path, with every declared key and a placeholder for each value')
    .argument('<path>', 'a declared path, relative to the mount (e.g. apps/vpn)')
    .addHelpText('after', () => {
      const example = ctx.catalog.paths[0];
      return [
        '',
        '`vault kv put` replaces every key at the path: use it to create a path, and `rotate` to change keys later.',
        ...(example ? ['', 'Example:', `  $ npx homelab-secrets new ${example.path}`, `  ${renderPutCommand(ctx.catalog, example)}`] : []),
        '',
      ].join('\n');
    })
    .action((input: string) => {
      const path = declaredPath(ctx.catalog, input);
      ctx.stdout.write(renderPutCommand(ctx.catalog, path) + '\n');
      ctx.stderr.write(`# vault kv put replaces every key at ${ctx.catalog.mount}/${path.path}: use it for a new path; change keys later with: homelab-secrets rotate ${path.path} <key>...\n`);
      report(EXIT.ok);
    });
}
