// `homelab-secrets seed`: fills a Vault that lacks declared keys. Every missing key whose origin is
// generated() is made in this process from a CSPRNG and written straight into Vault over its HTTP API;
// then every key a person has to enter is listed with where to get it, and, at a terminal, read at a
// hidden prompt and written the same way. Writes are check-and-set and add keys only, so seed never
// overwrites or deletes a key, even racing another writer, and a second run writes nothing.
// No value is printed, put in argv, written to a file, or handed to another program.
import type { Command } from 'commander';
import { type GeneratedValue, type SecretCatalog, type VaultPath, describeGenerated } from '../catalog';
import { CliContext, CliError, EXIT, ReportExit } from './context';
import { operands, printable, shellCommand } from './shell';
import { TypedNotUtf8Error, typedValueNotUtf8 } from './utf8';
import { generateValue } from './value-generator';
import { VAULT_SETTINGS_HELP, vaultConnection } from './vault-connection';
import { PathState, VaultKvClient, VaultRequestError } from './vault-kv-client';

/** How often a check-and-set write is tried in all, re-reading the path after each conflict. */
export const SEED_WRITE_ATTEMPTS = 3;

/** The first line of `seed --dry-run`. */
export const SEED_DRY_RUN_HEADER = '# dry run: nothing is written\n';

/** Options of `seed`. */
export interface SeedOptions {
  /** Read Vault and say what would be written, without writing. @default false */
  readonly dryRun?: boolean;
}

/** A key a person has to enter. */
interface WantedKey {
  readonly path: VaultPath;
  readonly key: string;
}

/** `3 keys`, `1 key` */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Where to get a key's value, as one line: the hint and its link, or that none is declared. */
function whereFrom({ path, key }: WantedKey): string {
  const origin = path.originOf(key);
  if (origin?.kind !== 'external') return '(no origin declared)';
  return origin.url !== undefined ? `${origin.hint} (${origin.url})` : origin.hint;
}

/** The declared keys of `path` whose origin is generated(), with it. */
function generatedKeys(path: VaultPath): [string, GeneratedValue][] {
  return path.keys.flatMap((key) => {
    const origin = path.originOf(key);
    return origin?.kind === 'generated' ? [[key, origin] as [string, GeneratedValue]] : [];
  });
}

/** The keys of `state`; none when the path has no readable current version. */
function keysIn(state: PathState): readonly string[] {
  return state.kind === 'present' ? state.keys : [];
}

/** What one check-and-set write did: the keys written, and those another writer added meanwhile (not written). */
interface AddResult {
  readonly state: PathState;
  readonly written: readonly string[];
  readonly alreadyThere: readonly string[];
}

/**
 * Adds the keys of `values` that `path` lacks: creates the path (cas 0) when it has no version, else
 * patches the version last seen (cas). When another writer got there first, re-reads and tries again
 * with the keys still missing, never overwriting one that appeared.
 */
async function addKeys(client: VaultKvClient, path: string, state: PathState, values: ReadonlyMap<string, string>): Promise<AddResult> {
  let current = state;
  const wanted = [...values.keys()];
  for (let attempt = 1; ; attempt++) {
    if (current.kind === 'deleted') throw new DeletedPathError(path, current.version);
    const missing = wanted.filter((key) => !keysIn(current).includes(key));
    const alreadyThere = wanted.filter((key) => !missing.includes(key));
    if (missing.length === 0) return { state: current, written: [], alreadyThere };
    const data = Object.fromEntries(missing.map((key) => [key, values.get(key)!]));
    try {
      const version = current.kind === 'absent' ? await client.create(path, data) : await client.patch(path, data, current.version);
      return { state: { kind: 'present', version, keys: [...keysIn(current), ...missing] }, written: missing, alreadyThere };
    } catch (error) {
      if (!(error instanceof VaultRequestError) || error.kind !== 'conflict' || attempt >= SEED_WRITE_ATTEMPTS) throw error;
      current = await client.stateOf(path);
    }
  }
}

/** A path whose current version is deleted: seed writes nothing there (a new version would hide the deleted one's keys). */
class DeletedPathError extends Error {
  constructor(public readonly path: string, public readonly version: number) {
    super(`${path}: its current version ${version} is deleted`);
  }
}

/** What to do about a path seed may not write; the commands are quoted as every printed command is (shell.ts). */
function deletedAdvice(catalog: SecretCatalog, error: DeletedPathError): string {
  const undelete = shellCommand(['vault', 'kv', 'undelete', `-mount=${catalog.mount}`, `-versions=${error.version}`, ...operands(error.path)]);
  const remove = shellCommand(['vault', 'kv', 'metadata', 'delete', `-mount=${catalog.mount}`, ...operands(error.path)]);
  return `${printable(error.path)}: its current version ${error.version} is deleted, so nothing is written there: restore it with ` +
    `\`${undelete}\`, or remove the path with every version (\`${remove}\`), then run seed again ` +
    `(the operator policy grants neither: undelete needs "update" on ${printable(`${catalog.mount}/undelete/${error.path}`)}, ` +
    'metadata delete needs settings.vault.operatorCanDestroy: true; use a token that may)';
}

/**
 * Reads one value at a hidden prompt, typed twice; empty means skip. Ctrl-C and Ctrl-D propagate as
 * CliErrors. A line that is not UTF-8 text is refused as rotate refuses it, naming the key, the offset
 * and the byte (the terminal reader checks the bytes, node-context.ts); seed then stops.
 */
async function readTwice(ctx: CliContext, catalog: SecretCatalog, wanted: WantedKey): Promise<string | undefined> {
  const head = `${printable(`${catalog.mount}/${wanted.path.path} ${wanted.key}: ${whereFrom(wanted)}`)}\n`;
  const hidden = async (prompt: string): Promise<string> => {
    try {
      return await ctx.stdin.readHidden(prompt);
    } catch (error) {
      if (!(error instanceof TypedNotUtf8Error)) throw error;
      throw new CliError(`${typedValueNotUtf8(`${wanted.path.path} ${wanted.key}`, error.fault)}; nothing of ${wanted.path.path} was written, and what is written above stays in Vault: run seed again for the rest`);
    }
  };
  for (;;) {
    const first = await hidden(`${head}  value (hidden; empty to skip): `);
    if (first === '') return undefined;
    const second = await hidden('  the same again: ');
    if (first === second) return first;
    ctx.stderr.write('  the two values differ; type it again\n');
  }
}

/** `seed`: 0 every declared key is in Vault; 1 keys are still missing; 2 could not reach or use Vault; 130 Ctrl-C. */
export async function seed(ctx: CliContext, options: SeedOptions = {}): Promise<number> {
  const { catalog } = ctx;
  const connection = vaultConnection(ctx.env, `"read", "create" and "patch" on ${catalog.mount}/data/*`, ctx.fetch);
  const client = new VaultKvClient({ ...connection, mount: catalog.mount });
  // Prose lines: a name's control characters (a mount's escape, say) are shown as escapes (shell.ts).
  const out = (line: string): void => ctx.stdout.write(`${printable(line)}\n`);
  const blocked: string[] = [];
  let wrote = 0;
  try {
    const mount = await client.mountInfo();
    if (mount.type !== 'kv' || mount.version !== '2') {
      throw new CliError(`Vault at ${client.addr} has a ${mount.type}${mount.version ? ` version ${mount.version}` : ''} secrets engine at "${catalog.mount}/", not KV version 2: nothing was written`);
    }
    const states = new Map<string, PathState>();
    await Promise.all(catalog.paths.map(async (path) => states.set(path.path, await client.stateOf(path.path))));

    // 1. Every missing generated key, straight into Vault.
    if (options.dryRun) ctx.stdout.write(SEED_DRY_RUN_HEADER);
    out(`Vault ${client.addr}, mount ${catalog.mount}/:`);
    let present = 0;
    let pending = 0;
    for (const path of catalog.paths) {
      const state = states.get(path.path)!;
      const generated = generatedKeys(path);
      const missing = generated.filter(([key]) => !keysIn(state).includes(key));
      present += generated.length - missing.length;
      if (missing.length === 0) continue;
      if (state.kind === 'deleted') {
        blocked.push(deletedAdvice(catalog, new DeletedPathError(path.path, state.version)));
        continue;
      }
      const where = state.kind === 'absent' ? 'a new path' : `version ${state.version}`;
      if (options.dryRun) {
        pending += missing.length;
        out(`  would generate into ${path.path} (${where}): ${missing.map(([key, origin]) => `${key} (${describeGenerated(origin)})`).join(', ')}`);
        continue;
      }
      const values = new Map(missing.map(([key, origin]) => [key, generateValue(origin)]));
      try {
        const result = await addKeys(client, path.path, state, values);
        states.set(path.path, result.state);
        wrote += result.written.length;
        present += result.alreadyThere.length;
        if (result.written.length > 0) out(`  generated into ${path.path} (${where}): ${result.written.join(', ')}`);
      } catch (error) {
        if (!(error instanceof DeletedPathError)) throw error;
        blocked.push(deletedAdvice(catalog, error));
      }
    }
    if (options.dryRun) {
      out(pending === 0 ? `every generated key is already there (${count(present, 'key')}): nothing would be written.` : `${count(pending, 'generated key')} would be written; ${present} already there.`);
    } else {
      out(wrote === 0 ? `every generated key is already there (${count(present, 'key')}): nothing written.` : `${count(wrote, 'generated key')} written; ${present} already there.`);
    }

    // 2. Every key a person enters: listed with where to get it, and read at a terminal.
    const wanted = (): WantedKey[] => catalog.paths
      .filter((path) => states.get(path.path)!.kind !== 'deleted')
      .flatMap((path) => path.keys
        .filter((key) => path.originOf(key)?.kind !== 'generated' && !keysIn(states.get(path.path)!).includes(key))
        .map((key) => ({ path, key })));
    const list = (keys: readonly WantedKey[]): void => keys.forEach((w) => out(`  ${w.path.path} ${w.key}: ${whereFrom(w)}`));
    const missing = wanted();
    if (missing.length > 0) {
      out(`Still missing, for a person to enter (${count(missing.length, 'key')} in ${count(new Set(missing.map((w) => w.path)).size, 'path')}):`);
      list(missing);
    }
    for (const line of blocked) ctx.stderr.write(`homelab-secrets: ${line}\n`);
    if (options.dryRun) {
      if (missing.length > 0) out('At a terminal seed asks for each, hidden and typed twice; without one it lists them and exits 1.');
      return EXIT.ok;
    }
    if (missing.length > 0 && !ctx.stdin.isTTY) {
      ctx.stderr.write(`homelab-secrets: ${count(missing.length, 'key')} still missing and stdin is not a terminal, so none was asked for: run seed at a terminal to enter them at hidden prompts, or \`homelab-secrets rotate <path> <key>\` for a path that exists\n`);
      return EXIT.failed;
    }
    if (missing.length > 0) {
      out('Enter each value at its prompt: hidden, typed twice; an empty line skips the key.');
      const paths = [...new Set(missing.map((w) => w.path))];
      for (const path of paths) {
        const values = new Map<string, string>();
        for (const w of missing.filter((m) => m.path === path)) {
          const value = await readTwice(ctx, catalog, w);
          if (value !== undefined) values.set(w.key, value);
        }
        if (values.size === 0) continue;
        try {
          const result = await addKeys(client, path.path, states.get(path.path)!, values);
          states.set(path.path, result.state);
          if (result.written.length > 0) out(`  wrote ${path.path}: ${result.written.join(', ')}`);
          if (result.alreadyThere.length > 0) out(`  not written, another writer added them meanwhile: ${path.path}: ${result.alreadyThere.join(', ')}`);
        } catch (error) {
          if (!(error instanceof DeletedPathError)) throw error;
          blocked.push(deletedAdvice(catalog, error));
          ctx.stderr.write(`homelab-secrets: ${deletedAdvice(catalog, error)}\n`);
        }
      }
    }
    const left = wanted();
    if (left.length > 0) {
      out(`Still missing (${count(left.length, 'key')}):`);
      list(left);
    }
    if (left.length === 0 && blocked.length === 0) {
      out(`Every declared key of the ${count(catalog.paths.length, 'path')} is in Vault.`);
      return EXIT.ok;
    }
    return EXIT.failed;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.interrupted) {
      ctx.stderr.write('homelab-secrets: interrupted; what is written above stays in Vault, and the value at the prompt was not written: run seed again for the rest\n');
      return EXIT.interrupted;
    }
    if (error instanceof CliError && /^end of input/.test(error.message)) {
      ctx.stderr.write('homelab-secrets: end of input at the prompt; what is written above stays in Vault: run seed again for the rest\n');
      return EXIT.failed;
    }
    if (error instanceof VaultRequestError) {
      ctx.stderr.write(`homelab-secrets: ${error.message}${wrote > 0 ? `; the ${count(wrote, 'generated key')} written above stay in Vault` : ''}\n`);
      return error.kind === 'conflict' ? EXIT.failed : EXIT.usage;
    }
    throw error;
  }
}

export function registerSeed(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('seed')
    .summary('generate every missing generated key straight into Vault, then list (or ask for) the keys a person enters')
    .description('fill a Vault that lacks declared keys: each missing key whose origin is generated() is made here with a CSPRNG and written over Vault\'s HTTP API; then every missing key a person enters is listed with where to get it and, at a terminal, read at a hidden prompt')
    .option('--dry-run', 'read Vault and say what would be written, without writing')
    .addHelpText('after', [
      '',
      'Writes add keys only, check-and-set (KV v2 options.cas): a new path with cas 0, an existing one as a JSON merge',
      'patch of the version just read. A key already in Vault is never overwritten or deleted, also when another',
      'writer races seed, and a second run writes nothing. No value is printed, passed as an argument or written',
      'to a file. The token needs "read", "create" and "patch" on <mount>/data/* (the operator policy grants them).',
      ...VAULT_SETTINGS_HELP,
      '',
      'Examples:',
      '  $ npx homelab-secrets seed --dry-run',
      '  $ npx homelab-secrets seed',
      '',
    ].join('\n'))
    .action(async (options: SeedOptions) => {
      report(await seed(ctx, options));
    });
}
