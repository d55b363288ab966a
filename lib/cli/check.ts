import type { Command } from 'commander';
import type { SecretCatalog } from '../catalog';
import { CliContext, CliError, EXIT, ReportExit } from './context';
import { VaultFailureKind, VaultKvClient, VaultRequestError } from './vault-kv-client';

/** Key names of one path. */
export interface PathKeys {
  readonly path: string;
  readonly keys: readonly string[];
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
  return { vault: client.addr, mount: client.mount, clean, missingPaths, missingKeys, undeclaredKeys, undeclaredPaths };
}

/** The report for people: a verdict line, then one section per kind of drift. */
export function renderDriftReport(report: DriftReport, catalog: SecretCatalog): string {
  const where = `Vault ${report.vault}, mount ${report.mount}/`;
  if (report.clean) {
    return `${where}: no drift. ${catalog.pathNames.length} declared paths hold every declared key, and nothing undeclared is there.\n`;
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
  lines.push(
    'Create a missing path with `homelab-secrets new <path>`; add a missing key with `homelab-secrets rotate <path> <key>`;',
    'declare what is undeclared in the catalog, or delete it from Vault.',
  );
  return lines.join('\n') + '\n';
}

/** The checked address and token, or a CliError naming the variable. */
function vaultSettings(ctx: CliContext): { addr: string; token: string } {
  const addr = ctx.env.VAULT_ADDR;
  const token = ctx.env.VAULT_TOKEN;
  if (!addr) throw new CliError('VAULT_ADDR is not set: export the address of Vault, e.g. VAULT_ADDR=https://127.0.0.1:8200');
  let url: URL | undefined;
  try {
    url = new URL(addr);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CliError(`VAULT_ADDR ${JSON.stringify(addr)} must be an http:// or https:// URL`);
  }
  if (!token) throw new CliError('VAULT_TOKEN is not set: export a token with read on <mount>/data/* and list on <mount>/metadata/* (e.g. after `vault login`: VAULT_TOKEN=$(vault print token))');
  return { addr, token };
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
  let settings: { addr: string; token: string };
  try {
    settings = vaultSettings(ctx);
  } catch (error) {
    if (error instanceof CliError) return fail('usage', error.message, ctx.env.VAULT_ADDR ?? null);
    throw error;
  }
  const client = new VaultKvClient({ ...settings, mount: catalog.mount, namespace: ctx.env.VAULT_NAMESPACE || undefined, fetch: ctx.fetch });
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
    .description('compare the catalog with a live Vault (VAULT_ADDR, VAULT_TOKEN): missing paths, missing keys, undeclared keys, undeclared paths; key names only, never values')
    .option('--json', 'print the report (or the failure) as JSON on stdout')
    .addHelpText('after', [
      '',
      'Reads GET /v1/<mount>/data/<path> for every declared path and LISTs /v1/<mount>/metadata/ recursively;',
      'the token needs "read" on <mount>/data/* and "list" on <mount>/metadata/*. VAULT_NAMESPACE is sent if set.',
      '',
      'Examples:',
      '  $ VAULT_ADDR=https://127.0.0.1:8200 NODE_EXTRA_CA_CERTS=$PWD/vault-ca.crt VAULT_TOKEN=$(vault print token) npx homelab-secrets check',
      '  $ npx homelab-secrets check --json | jq .missingPaths',
      '',
    ].join('\n'))
    .action(async (options: CheckOptions) => {
      report(await check(ctx, options));
    });
}
