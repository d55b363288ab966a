import type { Command } from 'commander';
import type { SecretCatalog, SyncSource } from '../catalog';
import { CliContext, CliError, EXIT, ReportExit } from './context';
import { printable } from './shell';
import { VAULT_SETTINGS_HELP, VaultConnection, vaultConnection } from './vault-connection';
import { VaultFailureKind, VaultKvClient, VaultRequestError } from './vault-kv-client';

/** Key names of one path. */
export interface PathKeys {
  readonly path: string;
  readonly keys: readonly string[];
}

/** One row of the path table (a Secret, or a path only operators read) and the declared keys it lacks in Vault. */
export interface RowReport {
  /** The row as the path table and errors name it: `apps/db → db-credentials in apps`, or the path itself. */
  readonly row: string;
  /** The Vault paths the row reads, in source order. */
  readonly paths: readonly string[];
  /** True when Vault holds every declared key the row reads. */
  readonly complete: boolean;
  /** The keys the row reads that Vault lacks, per path, in catalog order. */
  readonly missingKeys: readonly PathKeys[];
}

/** What differs between the catalog and a live mount: names only, never a value. */
export interface DriftReport {
  /** The Vault address checked. */
  readonly vault: string;
  readonly mount: string;
  /** True when all four lists are empty. */
  readonly clean: boolean;
  /** Declared paths with no current version in Vault, in catalog order. */
  readonly missingPaths: readonly string[];
  /** Declared keys a path in Vault lacks, in catalog order. */
  readonly missingKeys: readonly PathKeys[];
  /** Keys in Vault that the path does not declare. */
  readonly undeclaredKeys: readonly PathKeys[];
  /** Paths under the mount that the catalog does not declare, sorted. */
  readonly undeclaredPaths: readonly string[];
  /** Every row (each Secret, then each path only operators read), complete or with the keys it lacks. */
  readonly rows: readonly RowReport[];
}

/** The Vault keys a source reads. */
function sourceKeys(source: SyncSource): readonly string[] {
  return source.kind === 'extract' ? source.path.keys : source.keys;
}

/** Each row and the declared keys it reads that Vault lacks, given each path's keys in Vault (undefined: no current version). */
export function rowReports(catalog: SecretCatalog, inVault: ReadonlyMap<string, readonly string[] | undefined>): RowReport[] {
  const missing = (path: string, keys: readonly string[]): PathKeys | undefined => {
    const held = inVault.get(path);
    const absent = keys.filter((key) => !held?.includes(key));
    return absent.length > 0 ? { path, keys: absent } : undefined;
  };
  const row = (name: string, reads: readonly PathKeys[]): RowReport => {
    // A Secret fed by one path twice (two selections) lists each path once, its keys merged.
    const byPath = new Map<string, string[]>();
    for (const { path, keys } of reads) byPath.set(path, [...new Set([...byPath.get(path) ?? [], ...keys])]);
    const missingKeys = [...byPath].flatMap(([path, keys]) => missing(path, keys) ?? []);
    return { row: name, paths: [...byPath.keys()], complete: missingKeys.length === 0, missingKeys };
  };
  return [
    ...catalog.targets.map((target) => row(target.row, target.sources.map((s) => ({ path: s.path.path, keys: sourceKeys(s) })))),
    ...catalog.operatorPaths.map((path) => row(path.path, [{ path: path.path, keys: path.keys }])),
  ];
}

/** `check --json` when the check could not run (exit 2). */
export interface CheckFailure {
  readonly vault: string | null;
  readonly mount: string;
  readonly error: { readonly kind: VaultFailureKind | 'usage'; readonly message: string };
}

/** Compares the catalog with the mount `client` reads. Throws VaultRequestError when Vault gives no usable answer. */
export async function driftReport(catalog: SecretCatalog, client: VaultKvClient): Promise<DriftReport> {
  // LIST first: a token without list access fails on the first request, before any read.
  const inVault = await client.listPaths();
  // A valid catalog declares each path once (the program validates it before any command).
  const declared = catalog.paths;
  const found = await Promise.all(declared.map((p) => client.keysOf(p.path)));
  const missingPaths: string[] = [];
  const missingKeys: PathKeys[] = [];
  const undeclaredKeys: PathKeys[] = [];
  declared.forEach((path, index) => {
    const keys = found[index];
    if (keys === undefined) {
      missingPaths.push(path.path);
      return;
    }
    const absent = path.keys.filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !(path.keys as readonly string[]).includes(key)).sort();
    if (absent.length > 0) missingKeys.push({ path: path.path, keys: absent });
    if (extra.length > 0) undeclaredKeys.push({ path: path.path, keys: extra });
  });
  const declaredNames = new Set(catalog.pathNames);
  const undeclaredPaths = inVault.filter((path) => !declaredNames.has(path));
  const clean = missingPaths.length + missingKeys.length + undeclaredKeys.length + undeclaredPaths.length === 0;
  const rows = rowReports(catalog, new Map(declared.map((path, index) => [path.path, found[index]])));
  return { vault: client.addr, mount: client.mount, clean, missingPaths, missingKeys, undeclaredKeys, undeclaredPaths, rows };
}

/** `15 rows`, `1 row` */
function rowCount(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

/** The report for people: a verdict line, then one section per kind of drift, then the rows that lack keys. */
export function renderDriftReport(report: DriftReport, catalog: SecretCatalog): string {
  const where = `Vault ${report.vault}, mount ${report.mount}/`;
  const complete = report.rows.filter((row) => row.complete).length;
  if (report.clean) {
    return `${printable(`${where}: no drift. ${catalog.pathNames.length} declared paths hold every declared key, and nothing undeclared is there: all ${rowCount(complete)} complete.`)}\n`;
  }
  const declaredKeys = new Map(catalog.paths.map((p) => [p.path, p.keys]));
  const lines = [`${where}: drift`];
  const section = (title: string, items: readonly string[]): void => {
    if (items.length > 0) lines.push(`  ${title}:`, ...items.map((item) => `    ${item}`));
  };
  section('declared paths missing from Vault', report.missingPaths.map((p) => `${p} (${declaredKeys.get(p)?.join(', ')})`));
  section('declared keys missing from a path', report.missingKeys.map((p) => `${p.path}: ${p.keys.join(', ')}`));
  section('keys in Vault that are not declared', report.undeclaredKeys.map((p) => `${p.path}: ${p.keys.join(', ')}`));
  section(`paths under ${report.mount}/ that are not in the catalog`, report.undeclaredPaths);
  const incomplete = report.rows.filter((row) => !row.complete);
  section(`rows missing declared keys (${complete} of ${rowCount(report.rows.length)} complete)`, incomplete.map((row) =>
    `${row.row}: ${row.missingKeys.map((p) => (row.paths.length > 1 ? `${p.path}: ${p.keys.join(', ')}` : p.keys.join(', '))).join('; ')}`));
  if (incomplete.length === 0) lines.push(`  every row is complete (${rowCount(complete)})`);
  lines.push(
    'Fill missing keys with `homelab-secrets seed` (it generates what it can and asks for the rest), or create a path with',
    '`homelab-secrets new <path>` and change a key with `homelab-secrets rotate <path> <key>`;',
    'declare what is undeclared in the catalog, or delete it from Vault.',
  );
  // Names from the catalog and from Vault (an undeclared path can hold any character) show control characters as escapes.
  return lines.map(printable).join('\n') + '\n';
}

/** Options of `check`. */
export interface CheckOptions {
  /** Print the report as JSON. @default false */
  readonly json?: boolean;
}

/** `check`: 0 no drift, 1 drift, 2 could not check (not configured, unreachable, access denied, no mount). */
export async function check(ctx: CliContext, options: CheckOptions = {}): Promise<number> {
  const { catalog } = ctx;
  const fail = (kind: CheckFailure['error']['kind'], message: string, vault: string | null): number => {
    if (options.json) {
      const failure: CheckFailure = { vault, mount: catalog.mount, error: { kind, message } };
      ctx.stdout.write(JSON.stringify(failure, null, 2) + '\n');
    }
    ctx.stderr.write(`homelab-secrets: ${message}\n`);
    return EXIT.usage;
  };
  let connection: VaultConnection;
  try {
    connection = vaultConnection(ctx.env, `"read" on ${catalog.mount}/data/* and "list" on ${catalog.mount}/metadata/*`, ctx.fetch);
  } catch (error) {
    if (error instanceof CliError) return fail('usage', error.message, ctx.env.VAULT_ADDR ?? ctx.env.BAO_ADDR ?? null);
    throw error;
  }
  const client = new VaultKvClient({ ...connection, mount: catalog.mount });
  let report: DriftReport;
  try {
    report = await driftReport(catalog, client);
  } catch (error) {
    if (error instanceof VaultRequestError) return fail(error.kind, error.message, client.addr);
    throw error;
  }
  ctx.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : renderDriftReport(report, catalog));
  return report.clean ? EXIT.ok : EXIT.failed;
}

export function registerCheck(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('check')
    .summary('drift check between the catalog and a live Vault, key names only')
    .description('compare the catalog with a live Vault (VAULT_ADDR, VAULT_TOKEN or `vault login`, VAULT_CACERT): missing paths, missing keys, undeclared keys, undeclared paths, and each row\'s missing keys; key names only, never values')
    .option('--json', 'print the report (or the failure) as JSON on stdout')
    .addHelpText('after', [
      '',
      'Reads GET /v1/<mount>/data/<path> for every declared path and LISTs /v1/<mount>/metadata/ recursively;',
      'the token needs "read" on <mount>/data/* and "list" on <mount>/metadata/*. VAULT_NAMESPACE is sent if set.',
      ...VAULT_SETTINGS_HELP,
      '',
      'Examples:',
      '  $ VAULT_ADDR=https://127.0.0.1:8200 VAULT_CACERT=$PWD/vault-ca.crt npx homelab-secrets check',
      '  $ npx homelab-secrets check --json | jq .missingPaths',
      '',
    ].join('\n'))
    .action(async (options: CheckOptions) => {
      report(await check(ctx, options));
    });
}
