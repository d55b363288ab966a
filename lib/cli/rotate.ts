import type { Command } from 'commander';
import type { SecretCatalog, VaultPath } from '../catalog';
import { assertDeclaredKeys, declaredPath } from './catalog-lookup';
import { CliContext, CliError, EXIT, ReportExit } from './context';
import { DRY_RUN_HEADER, forceSyncTargets } from './force-sync';
import { operands, printable, shellCommand } from './shell';
import { TypedNotUtf8Error, decodeUtf8, describeUtf8Fault, startsWithBom, typedValueNotUtf8, utf8Fault } from './utf8';

/** The most bytes rotate reads from stdin: Vault's default max_request_size, which a patch of them could not pass anyway. */
export const MAX_STDIN_BYTES = 32 * 1024 * 1024;

/** The Vault CLI, unless `--vault-bin` or this environment variable names another (e.g. OpenBao's `bao`). */
export const DEFAULT_VAULT_BIN = 'vault';
export const VAULT_BIN_ENV = 'VAULT_BIN';

/** How the Vault CLI says the path does not exist: a 404 to its PATCH, or (read-then-write method) no value. */
const PATH_MISSING = /Code: 404|No value found/;

/** OpenBao's CLI reads BAO_*; Vault's reads VAULT_*. The child gets both, VAULT_* winning only where BAO_* is unset. */
const MIRRORED_ENV: readonly (readonly [vault: string, bao: string])[] = [
  ['VAULT_ADDR', 'BAO_ADDR'],
  ['VAULT_TOKEN', 'BAO_TOKEN'],
  ['VAULT_NAMESPACE', 'BAO_NAMESPACE'],
  ['VAULT_CACERT', 'BAO_CACERT'],
];

/**
 * `vault kv patch -mount=<mount> <path> -`: with `-` as its only data argument the CLI reads a JSON
 * object from stdin, so values stay out of argv (and `ps`, and shell history). `patch`, never `put`:
 * put replaces every key at the path.
 */
export function patchArgs(catalog: SecretCatalog, path: VaultPath): string[] {
  return ['kv', 'patch', `-mount=${catalog.mount}`, ...operands(path.path, '-')];
}

function vaultEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [vault, bao] of MIRRORED_ENV) {
    if (out[bao] === undefined && out[vault] !== undefined) out[bao] = out[vault];
  }
  return out;
}

/** `bytes` less one final line ending, LF or CR LF, if they end with one. */
function withoutFinalLineEnding(bytes: Uint8Array): Uint8Array {
  if (bytes[bytes.length - 1] !== LF) return bytes;
  return bytes.subarray(0, bytes.length - (bytes[bytes.length - 2] === CR ? 2 : 1));
}

const LF = 0x0a;
const CR = 0x0d;

/** The lines of `bytes`, split at LF; a CR before the LF (a CR LF line ending) is not part of the line. */
function lines(bytes: Uint8Array): Uint8Array[] {
  const found: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === LF) {
      found.push(bytes.subarray(start, i > start && bytes[i - 1] === CR && i < bytes.length ? i - 1 : i));
      start = i + 1;
    }
  }
  return found;
}

/**
 * The values stdin holds for `keys`, exactly as given: with one key all of stdin less one final line
 * ending (LF or CR LF); with several, one line each (LF or CR LF endings, the last one optional). Every
 * other byte is kept: a CR inside a value, a NUL, trailing blanks. A value must be UTF-8 text (Vault
 * keeps it as a JSON string, which would store other bytes as other characters) and must not start
 * with a byte-order mark (an editor's marker, which would become the value's first character).
 */
export function valuesFromStdin(bytes: Uint8Array, keys: readonly string[]): string[] {
  let framed: Uint8Array[];
  if (keys.length === 1) {
    framed = [withoutFinalLineEnding(bytes)];
  } else {
    framed = lines(withoutFinalLineEnding(bytes));
    if (bytes.length === 0 || framed.length !== keys.length) {
      const count = bytes.length === 0 ? 0 : framed.length;
      throw new CliError(`stdin has ${count} line${count === 1 ? '' : 's'} but ${keys.length} keys were named (${keys.join(', ')}): give one value per line, in that order; nothing was changed`);
    }
  }
  return framed.map((value, index) => {
    const where = keys.length === 1 ? `the value of ${keys[index]} (all of stdin)` : `the value of ${keys[index]} (line ${index + 1} of stdin)`;
    const fault = utf8Fault(value);
    if (fault) {
      throw new CliError(`${where} is not UTF-8 text (${describeUtf8Fault(fault)} of the value): Vault keeps values as JSON strings, which cannot hold these bytes as they are; encode binary data first (e.g. base64); nothing was changed`);
    }
    if (startsWithBom(value)) {
      throw new CliError(`${where} starts with a UTF-8 byte-order mark (EF BB BF), which would become part of the value: remove it (save the file as UTF-8 without BOM); nothing was changed`);
    }
    return decodeUtf8(value);
  });
}

/**
 * The new values, in the order of `keys`. At a terminal: a prompt without echo per key, typed twice
 * (a line that is not UTF-8 is refused, naming the key). Otherwise from stdin, framed by
 * {@link valuesFromStdin}. Error messages name keys and counts, never values.
 */
export async function readValues(ctx: CliContext, catalog: SecretCatalog, path: VaultPath, keys: readonly string[]): Promise<string[]> {
  const values: string[] = [];
  if (ctx.stdin.isTTY) {
    const hidden = async (key: string, prompt: string): Promise<string> => {
      try {
        return await ctx.stdin.readHidden(prompt);
      } catch (error) {
        if (error instanceof TypedNotUtf8Error) throw new CliError(`${typedValueNotUtf8(key, error.fault)}; nothing was changed`);
        throw error;
      }
    };
    for (const key of keys) {
      const first = await hidden(key, `New value of ${key} (${printable(catalog.mount)}/${printable(path.path)}): `);
      const second = await hidden(key, `Repeat the value of ${key}: `);
      if (first !== second) throw new CliError(`the two values typed for ${key} differ; nothing was changed`);
      values.push(first);
    }
  } else {
    // Read up to the cap, not to the end: an endless stream (< /dev/zero) must not exhaust the memory.
    const bytes = await ctx.stdin.readBytes(MAX_STDIN_BYTES);
    if (bytes.length > MAX_STDIN_BYTES) {
      throw new CliError(`stdin holds more than ${MAX_STDIN_BYTES / 1024 / 1024} MiB, more than Vault takes in one request (its max_request_size): give the values of a path in smaller pieces, or store a reference; nothing was changed`);
    }
    values.push(...valuesFromStdin(bytes, keys));
  }
  keys.forEach((key, index) => {
    if (values[index] === '') throw new CliError(`the value of ${key} is empty; nothing was changed`);
  });
  return values;
}

/** Options of `rotate`. */
export interface RotateOptions {
  /** Print the commands instead of running them. @default false */
  readonly dryRun?: boolean;
  /** The Vault CLI. @default $VAULT_BIN, else 'vault' */
  readonly vaultBin?: string;
}

/** `rotate <path> <key>...`: patches the named keys, then force-syncs every ExternalSecret the path feeds. */
export async function rotate(ctx: CliContext, input: string, keys: readonly string[], options: RotateOptions = {}): Promise<number> {
  const { catalog } = ctx;
  const path = declaredPath(catalog, input);
  assertDeclaredKeys(path, keys);
  const vaultBin = options.vaultBin ?? ctx.env[VAULT_BIN_ENV] ?? DEFAULT_VAULT_BIN;
  const args = patchArgs(catalog, path);
  const targets = catalog.targetsOf(path);
  const command = shellCommand([vaultBin, ...args]);

  if (options.dryRun) {
    ctx.stdout.write(DRY_RUN_HEADER);
    ctx.stdout.write(`# patch ${keys.join(', ')}; the values are read from stdin as a JSON object, never from argv\n`);
    ctx.stdout.write(`${command}\n`);
    if (path.readBy === 'operators') {
      ctx.stdout.write(`# no ExternalSecret to force-sync: ${printable(path.path)} is read by operators and other tools only\n`);
      return EXIT.ok;
    }
    return forceSyncTargets(ctx, targets, `fed by ${path.path}`, true);
  }

  const values = await readValues(ctx, catalog, path, keys);
  const patch = JSON.stringify(Object.fromEntries(keys.map((key, index) => [key, values[index]])));
  const result = await ctx.run(vaultBin, args, { input: patch, env: vaultEnv(ctx.env) });
  if (result.exitCode !== 0) {
    const hint = result.exitCode === 127
      ? `; set --vault-bin or ${VAULT_BIN_ENV} to the Vault CLI`
      : PATH_MISSING.test(result.stderr) ? `; create the path first: ${shellCommand(['homelab-secrets', 'new', ...operands(path.path)])}` : '';
    ctx.stderr.write(`homelab-secrets: ${command} exited with ${result.exitCode}: ${printable(result.stderr.trim())}\n`);
    ctx.stderr.write(`homelab-secrets: nothing was changed and nothing force-synced${hint}\n`);
    return EXIT.failed;
  }
  ctx.stdout.write(`patched ${catalog.mount}/${path.path}: ${keys.join(', ')}; its other keys are unchanged\n`);
  if (path.readBy === 'operators') {
    ctx.stdout.write(`no ExternalSecret to force-sync: ${path.path} is read by operators and other tools only\n`);
    return EXIT.ok;
  }
  const synced = await forceSyncTargets(ctx, targets, `fed by ${path.path}`, false);
  if (synced !== EXIT.ok) {
    ctx.stderr.write(`homelab-secrets: the new values are in Vault; ESO reads them at its next refresh, or run: ${shellCommand(['homelab-secrets', 'force-sync', ...operands(path.path)])}\n`);
  }
  return synced;
}

/** `operands` with `option` after them, or before them when they start with `--` (after which no option is read). */
function withOption(words: readonly string[], option: string): string[] {
  return words[0] === '--' ? [option, ...words] : [...words, option];
}

export function registerRotate(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('rotate')
    .summary('patch some keys of a path (values from a prompt or stdin), then force-sync its ExternalSecrets')
    .description('change some keys of a path with `vault kv patch` (never put: the other keys stay), then force-sync every ExternalSecret the path feeds')
    .argument('<path>', 'a declared path, relative to the mount (e.g. apps/vpn)')
    .argument('<key...>', 'the keys to change; each must be declared by the path')
    .option('--dry-run', 'print the vault and kubectl commands, without values, and run nothing')
    .option('--vault-bin <path>', `the Vault CLI to run (default: $${VAULT_BIN_ENV}, else "${DEFAULT_VAULT_BIN}")`)
    .addHelpText('after', () => {
      const example = ctx.catalog.paths.find((p) => ctx.catalog.targetsOf(p).length > 1) ?? ctx.catalog.paths[0];
      return [
        '',
        'Values are never taken from the command line:',
        '  - stdin is a terminal: a prompt without echo for each key, asked twice;',
        '  - otherwise, with one key: all of stdin is the value (one final LF or CR LF is dropped), so a file works;',
        '  - otherwise, with several keys: one value per line, in the order the keys are named.',
        'Every other byte is kept. A value must be UTF-8 text: other bytes, or a byte-order mark, are refused.',
        'The Vault CLI gets them as a JSON object on its stdin (`vault kv patch -mount=<mount> <path> -`), with',
        'VAULT_ADDR, VAULT_TOKEN (also passed as BAO_ADDR, BAO_TOKEN for OpenBao) from the environment.',
        ...(example ? [
          '',
          'Examples:',
          `  $ ${shellCommand(['npx', 'homelab-secrets', 'rotate', ...operands(example.path, example.keys[0])])}`,
          `  $ printf '%s\\n' "$V1" "$V2" | ${shellCommand(['npx', 'homelab-secrets', 'rotate', ...operands(example.path, ...example.keys.slice(0, 2))])}`,
          `  $ ${shellCommand(['npx', 'homelab-secrets', 'rotate', ...withOption(operands(example.path, example.keys[0]), '--dry-run')])}`,
        ] : []),
        '',
      ].join('\n');
    })
    .action(async (input: string, keys: string[], options: RotateOptions) => {
      report(await rotate(ctx, input, keys, options));
    });
}
