import type { Command } from 'commander';
import type { SecretCatalog, VaultPath } from '../catalog';
import { declaredPath } from './catalog-lookup';
import { CliContext, EXIT, ReportExit } from './context';
import { operands, printable, shellCommand, shellQuote } from './shell';

/**
 * Reads one value per key at a prompt without echo (bash or zsh) and prints it as one line on stdout,
 * the pipe to jq. `IFS=` keeps leading and trailing blanks, `-r` backslashes, `-s` the terminal quiet;
 * `printf` is a shell builtin, so the value is in no process's argv.
 */
export function renderPromptLoop(keys: readonly string[]): string {
  return `( for k in ${keys.map(shellQuote).join(' ')}; do printf '%s: ' "$k" >&2; IFS= read -rs v; echo >&2; printf '%s\\n' "$v"; done )`;
}

/**
 * jq reads bytes that are not UTF-8 as U+FFFD, and Vault would store that character in their place: a
 * value that holds one stops jq with this error instead, so vault gets no JSON and writes nothing.
 * (`index`, not `contains`: jq 1.6's contains stops at a NUL.)
 */
export const NOT_UTF8_GUARD = 'error("a value is not UTF-8 text; nothing was sent to vault")';

/**
 * A jq program that builds `{"key": <line n>, ...}` from the lines of its stdin, in key order, and
 * refuses a line that was not UTF-8.
 */
export function renderJsonFromLines(keys: readonly string[]): string {
  const object = `{${keys.map((key) => `${JSON.stringify(key)}: input`).join(', ')}}`;
  return shellCommand(['jq', '-Rn', `${object} | if any(.[]; index("\\ufffd") != null) then ${NOT_UTF8_GUARD} else . end`]);
}

/** The same check over the values file, every string in it, before vault reads the file. */
function renderFileCheck(): string {
  return shellCommand(['jq', `if any(.. | strings; index("\\ufffd") != null) then ${NOT_UTF8_GUARD} else . end`]);
}

/** `vault kv put -mount=<mount> <path> -`: the values come as one JSON object on stdin, never as argv. */
export function renderPutFromStdin(catalog: SecretCatalog, path: VaultPath): string {
  return shellCommand(putArgs(catalog, path));
}

/** The argv of {@link renderPutFromStdin}: `vault kv put -mount=<mount> [--] <path> -`. */
export function putArgs(catalog: SecretCatalog, path: VaultPath): string[] {
  return ['vault', 'kv', 'put', `-mount=${catalog.mount}`, ...operands(path.path, '-')];
}

/** The file an operator may write the values to instead: the path with "/" as "-". */
export function valuesFileName(path: VaultPath): string {
  return `${path.path.replace(/\//g, '-')}.json`;
}

/**
 * The one line that creates a path with every declared key: hidden prompts, jq, then `vault kv put
 * ... -` reading the JSON object on stdin. No value reaches argv, the terminal or shell history.
 */
export function renderPutCommand(catalog: SecretCatalog, path: VaultPath): string {
  return `${renderPromptLoop(path.keys)} | ${renderJsonFromLines(path.keys)} | ${renderPutFromStdin(catalog, path)}`;
}

/**
 * The other way, for a value of several lines: a JSON file of the values, edited in a private temp
 * folder (`mktemp -d`, mode 700, under umask 077), checked by jq, read on vault's stdin, and removed
 * by a trap when the subshell ends, whether the edit or the put succeeded, failed or was interrupted.
 */
export function renderPutFromFile(catalog: SecretCatalog, path: VaultPath): string {
  return [
    '( umask 077 && d=$(mktemp -d) && trap \'rm -rf -- "$d"\' EXIT HUP INT TERM',
    `f=$d/${shellQuote(valuesFileName(path))}`,
    `printf '%s\\n' ${shellQuote(valuesTemplate(path))} > "$f"`,
    '${VISUAL:-${EDITOR:-vi}} "$f"',
    `${renderFileCheck()} < "$f" > /dev/null`,
    `${renderPutFromStdin(catalog, path)} < "$f" )`,
  ].join(' && ');
}

/** `{"a": "...", "b": "..."}`: the file the operator fills in. */
function valuesTemplate(path: VaultPath): string {
  return `{${path.keys.map((key) => `${JSON.stringify(key)}: "..."`).join(', ')}}`;
}

function hints(catalog: SecretCatalog, path: VaultPath): string[] {
  return [
    `# it prompts for ${path.keys.join(', ')} without echo (bash or zsh), one line each; the values reach vault as JSON on stdin, never as arguments`,
    `# a value of several lines: this opens $EDITOR on ${valuesTemplate(path)} in a private temp folder (mktemp -d), sends the file when the editor exits, and removes the folder, also on failure`,
    `#   ${renderPutFromFile(catalog, path)}`,
    `# vault kv put replaces every key at ${catalog.mount}/${path.path}: use it for a new path; change keys later with: ${shellCommand(['homelab-secrets', 'rotate', ...operands(path.path)])} <key>...`,
  ].map(printable);
}

export function registerNewPath(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('new')
    .summary('print the `vault kv put` that creates a path, reading every value at a hidden prompt')
    .description('print the command that creates a declared path with every declared key: hidden prompts, jq, and `vault kv put -mount=<mount> <path> -` reading the values as JSON on stdin')
    .argument('<path>', 'a declared path, relative to the mount (e.g. apps/vpn)')
    .addHelpText('after', () => {
      const example = ctx.catalog.paths[0];
      return [
        '',
        'No value is ever an argument: the printed line reads them at prompts without echo and pipes them to vault.',
        'Needs jq. `vault kv put` replaces every key at the path: use it to create a path, and `rotate` to change keys later.',
        ...(example ? ['', 'Example:', `  $ ${shellCommand(['npx', 'homelab-secrets', 'new', ...operands(example.path)])}`, `  ${renderPutCommand(ctx.catalog, example)}`] : []),
        '',
      ].join('\n');
    })
    .action((input: string) => {
      const path = declaredPath(ctx.catalog, input);
      ctx.stdout.write(renderPutCommand(ctx.catalog, path) + '\n');
      ctx.stderr.write(hints(ctx.catalog, path).join('\n') + '\n');
      report(EXIT.ok);
    });
}
