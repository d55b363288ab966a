import { Command, CommanderError } from 'commander';
import { CatalogValidationError, type SecretCatalog, catalogProblems, validateDeclaration } from '../catalog';
import { registerCheck } from './check';
import { CliContext, CliError, EXIT } from './context';
import { isCommandName, renderCommandExitCodes, renderProgramExitCodes } from './exit-codes';
import { registerForceSync } from './force-sync';
import { registerImport } from './import/command';
import { registerKmsSecret } from './kms-secret';
import { registerNewPath } from './new-path';
import { registerRebuild } from './rebuild';
import { registerRotate } from './rotate';
import { registerSeed } from './seed';
import { UnquotableError, printableLines } from './shell';
import { registerStatus } from './status';
import { registerTable } from './table';

/** The name people type: `npx homelab-secrets <command>`. */
export const CLI_NAME = 'homelab-secrets';

/**
 * The commander program over `ctx`. Output goes to ctx.stdout/ctx.stderr, and commander's own exits
 * throw (exitOverride) instead of ending the process, so a test can run every command in-process.
 * Each action hands its exit code to `report`. Every command's help ends with its exit codes, rendered
 * from exit-codes.ts.
 */
export function buildProgram(ctx: CliContext, report: (exitCode: number) => void): Command {
  // `import` runs without a declaration (it writes one), so the catalog may be absent.
  const mount = (ctx.catalog as SecretCatalog | undefined)?.mount;
  const program = new Command(CLI_NAME)
    .description(`Operator commands over the secret catalog${mount ? ` (Vault mount ${mount}/)` : ''}: they know every path, key and Secret, never a value.`)
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // commander quotes what was typed as it is (an unknown command, an option): escaped like every message.
      outputError: (text, write) => write(printableLines(text)),
    })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .allowExcessArguments(false)
    .addHelpText('after', renderProgramExitCodes())
    .hook('preAction', (_program, action) => {
      // import writes a declaration from YAML: it needs none, and runs in a project that has none yet.
      if (action.name() === 'import') return;
      const issues = ctx.settings === undefined ? catalogProblems(ctx.catalog) : validateDeclaration({ catalog: ctx.catalog, settings: ctx.settings });
      if (issues.length > 0) throw new CatalogValidationError(issues);
    });
  registerTable(program, ctx, report);
  registerNewPath(program, ctx, report);
  registerRotate(program, ctx, report);
  registerForceSync(program, ctx, report);
  registerCheck(program, ctx, report);
  registerSeed(program, ctx, report);
  registerStatus(program, ctx, report);
  registerKmsSecret(program, ctx, report);
  registerRebuild(program, ctx, report);
  registerImport(program, ctx, report);
  for (const command of program.commands) {
    const name = command.name();
    if (!isCommandName(name)) throw new Error(`command ${name} has no exit codes in exit-codes.ts`);
    command.addHelpText('after', renderCommandExitCodes(name));
  }
  return program;
}

/**
 * Runs one command line (`argv` without node and the script) and returns its exit code. User errors
 * print one `homelab-secrets: ...` line (no stack); anything else is a bug and keeps its stack.
 */
export async function runCli(ctx: CliContext, argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, (code) => (exitCode = code));
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message, or the help that was asked for (exit code 0).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A message quotes what it was given (argv, stdin, a file, the environment): every line printable.
    if (error instanceof CliError) {
      ctx.stderr.write(`${CLI_NAME}: ${printableLines(error.message)}\n`);
      return error.exitCode;
    }
    if (error instanceof CatalogValidationError || error instanceof UnquotableError) {
      ctx.stderr.write(`${CLI_NAME}: ${printableLines(error.message)}\n`);
      return EXIT.usage;
    }
    ctx.stderr.write(`${CLI_NAME}: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return EXIT.internal;
  }
}
