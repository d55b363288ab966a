import type { Command } from 'commander';
import { renderSecretsDoc } from '../docs/secrets-doc';
import { CliContext, EXIT, ReportExit } from './context';

export function registerTable(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('table')
    .summary('print the path table and flowchart as Markdown (the text of docs/secrets.md)')
    .description('print the path table (Vault path, keys, where their values come from, Secret, namespace, creation policy), a Mermaid flowchart and the origin of every key as Markdown; the same text as docs/secrets.md')
    .addHelpText('after', '\nExample:\n  npx homelab-secrets table > /tmp/secrets.md\n')
    .action(() => {
      ctx.stdout.write(renderSecretsDoc(ctx.catalog));
      report(EXIT.ok);
    });
}
