import type { Command } from 'commander';
import type { SyncTarget } from '../catalog';
import { matchingTargets } from './catalog-lookup';
import { CliContext, EXIT, ReportExit } from './context';
import { operands, printable, shellCommand } from './shell';

/** Found on PATH; tests put a recording stand-in first on PATH. */
export const KUBECTL = 'kubectl';

/** Any annotation change makes ESO refresh an ExternalSecret now; this is the one the runbook uses. */
export const FORCE_SYNC_ANNOTATION = 'force-sync';

/** The first line of every `--dry-run` output. */
export const DRY_RUN_HEADER = '# dry run: nothing is run\n';

/**
 * The annotation's value: the current Unix time in milliseconds, as `date +%s%3N` prints it. ESO syncs
 * when the annotation changes; in whole seconds, a second force-sync (or rotate) within the same second
 * wrote the value already there, and ESO did nothing.
 */
export function forceSyncValue(ctx: CliContext): string {
  return String(Math.floor(ctx.now()));
}

/** `kubectl annotate externalsecret -n NS NAME force-sync=<unix time in ms> --overwrite`, as an argument array. */
export function annotateArgs(target: SyncTarget, value: string): string[] {
  return ['annotate', 'externalsecret', '-n', target.namespace, target.externalSecretName, `${FORCE_SYNC_ANNOTATION}=${value}`, '--overwrite'];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Annotates the ExternalSecret of every target, each with its own kubectl call, and says which ones
 * it did. A failing call does not stop the others. Returns 0, or 1 when a call failed.
 */
export async function forceSyncTargets(ctx: CliContext, targets: readonly SyncTarget[], what: string, dryRun: boolean): Promise<number> {
  const value = forceSyncValue(ctx);
  if (dryRun) {
    ctx.stdout.write(`# force-sync ${plural(targets.length, 'ExternalSecret')} ${printable(what)}\n`);
    for (const target of targets) ctx.stdout.write(shellCommand([KUBECTL, ...annotateArgs(target, value)]) + '\n');
    return EXIT.ok;
  }
  ctx.stdout.write(`${FORCE_SYNC_ANNOTATION}=${value} on ${plural(targets.length, 'ExternalSecret')} ${what}:\n`);
  const failed: SyncTarget[] = [];
  for (const target of targets) {
    const result = await ctx.run(KUBECTL, annotateArgs(target, value));
    if (result.exitCode === 0) {
      ctx.stdout.write(`  ${target.namespace}/${target.externalSecretName}: annotated\n`);
    } else {
      failed.push(target);
      ctx.stdout.write(`  ${target.namespace}/${target.externalSecretName}: FAILED\n`);
      ctx.stderr.write(`homelab-secrets: kubectl annotate externalsecret -n ${target.namespace} ${target.externalSecretName} exited with ${result.exitCode}: ${printable(result.stderr.trim())}\n`);
    }
  }
  if (failed.length > 0) {
    ctx.stderr.write(`homelab-secrets: ${failed.length} of ${plural(targets.length, 'ExternalSecret')} not force-synced: ${failed.map((t) => `${t.namespace}/${t.externalSecretName}`).join(', ')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

export function registerForceSync(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('force-sync')
    .summary('annotate the ExternalSecrets of a path or Secret so that ESO syncs now')
    .description('make ESO re-read Vault now: annotate the ExternalSecret of every Secret fed by a path, or the ExternalSecret (or the Secret\'s) with that name')
    .argument('<path|name>', 'a declared path (every Secret it feeds), or an ExternalSecret or Secret name (in every namespace that has it)')
    .option('--dry-run', 'print the kubectl commands instead of running them')
    .addHelpText('after', () => {
      const example = ctx.catalog.targets[0];
      return [
        '',
        `Runs, once per matching ExternalSecret: ${KUBECTL} annotate externalsecret -n NS NAME ${FORCE_SYNC_ANNOTATION}=<unix time in ms> --overwrite`,
        '(milliseconds: ESO syncs when the value changes, so two force-syncs within one second both sync)',
        ...(example ? ['', 'Examples:', `  $ ${shellCommand(['npx', 'homelab-secrets', 'force-sync', ...operands(example.paths[0])])}`, `  $ ${shellCommand(['npx', 'homelab-secrets', 'force-sync', example.name, '--dry-run'])}`] : []),
        '',
      ].join('\n');
    })
    .action(async (input: string, options: { dryRun?: boolean }) => {
      const targets = matchingTargets(ctx.catalog, input);
      const what = ctx.catalog.pathNames.includes(input) ? `fed by ${input}` : `named ${input}`;
      if (options.dryRun) ctx.stdout.write(DRY_RUN_HEADER);
      report(await forceSyncTargets(ctx, targets, what, options.dryRun === true));
    });
}
