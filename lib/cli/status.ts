import type { Command } from 'commander';
import type { CreationPolicy, SecretCatalog, SyncTarget } from '../catalog';
import { targetSecretKeys } from '../workloads/secret-keys';
import { CliContext, CliError, EXIT, ReportExit } from './context';
import { KUBECTL } from './force-sync';
import { printable, printableLines } from './shell';

/** The reason ESO gives a synced ExternalSecret's Ready condition; anything else is not synced. */
export const SYNCED_REASON = 'SecretSynced';

/** One catalog row as the cluster has it: key names only, never a value. */
export interface StatusRow {
  readonly namespace: string;
  readonly externalSecret: string;
  readonly secret: string;
  /** The Vault paths feeding the row. */
  readonly paths: readonly string[];
  readonly creationPolicy: CreationPolicy;
  /** Whether the ExternalSecret exists. */
  readonly found: boolean;
  /** The Ready condition's status (`True`, `False`, `Unknown`), or null without one. */
  readonly ready: string | null;
  readonly reason: string | null;
  readonly message: string | null;
  /** When ESO last synced it (`status.refreshTime`), or null. */
  readonly lastSync: string | null;
  /** Whether the Secret exists; null for `creationPolicy: None`, where ESO writes no Secret. */
  readonly secretFound: boolean | null;
  /** Declared keys the Secret lacks. */
  readonly missingKeys: readonly string[];
  /** Keys the Secret holds but the row does not declare (never reported for Merge: the Secret's owner has its own). */
  readonly unexpectedKeys: readonly string[];
  /** Ready with reason SecretSynced, and the Secret holds exactly the declared keys (Merge: at least them). */
  readonly synced: boolean;
  /** Why the row is not synced, one sentence each. */
  readonly problems: readonly string[];
}

/** An ExternalSecret in the cluster that no row declares. */
export interface UndeclaredExternalSecret {
  readonly namespace: string;
  readonly externalSecret: string;
  readonly ready: string | null;
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastSync: string | null;
}

/** What `status` found. */
export interface StatusReport {
  /** The kubeconfig's current context, which was read. */
  readonly context: string;
  /** Every row synced. */
  readonly synced: boolean;
  /** One per catalog row, in catalog order. */
  readonly rows: readonly StatusRow[];
  /** ExternalSecrets in the cluster the catalog does not declare, sorted; they do not change `synced`. */
  readonly undeclared: readonly UndeclaredExternalSecret[];
}

/** `status --json` when the cluster could not be read (exit 2). */
export interface StatusFailure {
  readonly context: string | null;
  readonly error: { readonly message: string };
}

/**
 * Prints each Secret's name and key names, one Secret a line: the values never leave kubectl. Works for
 * the single object kubectl prints for one name and for the List it prints for several.
 */
export const SECRET_KEYS_TEMPLATE = '{{define "keys"}}{{.metadata.name}}{{range $key, $value := .data}} {{$key}}{{end}}{{"\\n"}}{{end}}'
  + '{{if eq .kind "List"}}{{range .items}}{{template "keys" .}}{{end}}{{else}}{{template "keys" .}}{{end}}';

/** `kubectl get externalsecrets -A -o json`: ExternalSecrets hold names, never values. */
export const LIST_EXTERNAL_SECRETS_ARGS = ['get', 'externalsecrets.external-secrets.io', '--all-namespaces', '-o', 'json'];

/** `kubectl get secret -n NS A B ... --ignore-not-found -o go-template=...`: key names of the named Secrets. */
export function secretKeysArgs(namespace: string, names: readonly string[]): string[] {
  return ['get', 'secret', '-n', namespace, ...names, '--ignore-not-found', '-o', `go-template=${SECRET_KEYS_TEMPLATE}`];
}

interface LiveExternalSecret {
  readonly namespace: string;
  readonly name: string;
  readonly ready: string | null;
  readonly reason: string | null;
  readonly message: string | null;
  readonly lastSync: string | null;
}

async function kubectl(ctx: CliContext, args: readonly string[]): Promise<string> {
  const result = await ctx.run(KUBECTL, args);
  if (result.exitCode !== 0) {
    const hint = result.exitCode === 127 ? ': kubectl is not on PATH' : `: ${result.stderr.trim()}`;
    throw new CliError(`kubectl ${args.slice(0, 2).join(' ')} exited with ${result.exitCode}${hint}`);
  }
  return result.stdout;
}

function liveExternalSecrets(json: string): LiveExternalSecret[] {
  let list: any;
  try {
    list = JSON.parse(json);
  } catch {
    throw new CliError('kubectl get externalsecrets printed no JSON');
  }
  return (Array.isArray(list?.items) ? list.items : []).map((es: any): LiveExternalSecret => {
    const ready = (es.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
    return {
      namespace: String(es.metadata?.namespace ?? ''),
      name: String(es.metadata?.name ?? ''),
      ready: typeof ready?.status === 'string' ? ready.status : null,
      reason: typeof ready?.reason === 'string' ? ready.reason : null,
      message: typeof ready?.message === 'string' ? ready.message : null,
      lastSync: typeof es.status?.refreshTime === 'string' ? es.status.refreshTime : null,
    };
  });
}

/** Secret name → key names, from SECRET_KEYS_TEMPLATE's output. */
function parseSecretKeys(text: string): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [name, ...keys] = line.trim().split(' ').filter(Boolean);
    if (name) secrets.set(name, keys);
  }
  return secrets;
}

function rowOf(target: SyncTarget, live: LiveExternalSecret | undefined, secretKeys: readonly string[] | undefined): StatusRow {
  const problems: string[] = [];
  const declared = targetSecretKeys(target);
  const writes = target.writesSecret;
  const missingKeys = writes && secretKeys ? declared.filter((k) => !secretKeys.includes(k)) : [];
  const unexpectedKeys = writes && secretKeys && target.creationPolicy !== 'Merge' ? secretKeys.filter((k) => !declared.includes(k)) : [];
  if (!live) {
    problems.push('the ExternalSecret does not exist');
  } else if (live.ready !== 'True' || live.reason !== SYNCED_REASON) {
    problems.push(`Ready is ${live.ready ?? 'not reported'}${live.reason ? ` (${live.reason})` : ''}${live.message ? `: ${live.message}` : ''}`);
  }
  if (writes && secretKeys === undefined) {
    problems.push(target.creationPolicy === 'Merge' ? 'the Secret does not exist (with creationPolicy Merge ESO only adds keys to an existing Secret)' : 'the Secret does not exist');
  }
  if (missingKeys.length > 0) problems.push(`the Secret lacks ${missingKeys.join(', ')}`);
  if (unexpectedKeys.length > 0) problems.push(`the Secret holds undeclared ${unexpectedKeys.join(', ')}`);
  return {
    namespace: target.namespace,
    externalSecret: target.externalSecretName,
    secret: target.name,
    paths: target.paths,
    creationPolicy: target.creationPolicy,
    found: live !== undefined,
    ready: live?.ready ?? null,
    reason: live?.reason ?? null,
    message: live?.message ?? null,
    lastSync: live?.lastSync ?? null,
    secretFound: writes ? secretKeys !== undefined : null,
    missingKeys,
    unexpectedKeys,
    synced: problems.length === 0,
    problems,
  };
}

/** Reads the catalog's ExternalSecrets and Secrets from the current context. Throws CliError when the cluster cannot be read. */
export async function statusReport(ctx: CliContext, catalog: SecretCatalog): Promise<StatusReport> {
  const context = (await kubectl(ctx, ['config', 'current-context'])).trim();
  const live = liveExternalSecrets(await kubectl(ctx, LIST_EXTERNAL_SECRETS_ARGS));
  const byName = new Map(live.map((es) => [`${es.namespace}/${es.name}`, es]));
  // One kubectl call per namespace, for the Secrets the catalog names there.
  const secretsByNamespace = new Map<string, Map<string, string[]>>();
  for (const namespace of [...new Set(catalog.targets.filter((t) => t.writesSecret).map((t) => t.namespace))]) {
    const names = [...new Set(catalog.targets.filter((t) => t.writesSecret && t.namespace === namespace).map((t) => t.name))];
    secretsByNamespace.set(namespace, parseSecretKeys(await kubectl(ctx, secretKeysArgs(namespace, names))));
  }
  const rows = catalog.targets.map((target) =>
    rowOf(target, byName.get(`${target.namespace}/${target.externalSecretName}`), secretsByNamespace.get(target.namespace)?.get(target.name)));
  const declared = new Set(catalog.targets.map((t) => `${t.namespace}/${t.externalSecretName}`));
  const undeclared = live.filter((es) => !declared.has(`${es.namespace}/${es.name}`))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))
    .map((es): UndeclaredExternalSecret => ({ namespace: es.namespace, externalSecret: es.name, ready: es.ready, reason: es.reason, message: es.message, lastSync: es.lastSync }));
  return { context, synced: rows.every((r) => r.synced), rows, undeclared };
}

/** Left-aligned columns, two spaces apart; each cell {@link printable}. */
function columns(cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((r) => r.map(printable));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

function keysCell(row: StatusRow): string {
  if (row.secretFound === null) return '- (no Secret: None)';
  if (!row.secretFound) return 'no Secret';
  const parts = [
    ...(row.missingKeys.length ? [`missing ${row.missingKeys.join(',')}`] : []),
    ...(row.unexpectedKeys.length ? [`undeclared ${row.unexpectedKeys.join(',')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'ok';
}

/** The report for people: a verdict, a table of the rows, the problems, the undeclared ExternalSecrets. */
export function renderStatusReport(report: StatusReport): string {
  const notSynced = report.rows.filter((r) => !r.synced);
  // What the cluster says (a context name, a condition's reason and message, the times) is shown
  // escaped: a message carries Vault's or ESO's text, and no cluster object writes to the terminal.
  const lines = [`Context ${printable(report.context)}: ${report.rows.length - notSynced.length} of ${report.rows.length} rows synced.`, ''];
  lines.push(...columns([
    ['NAMESPACE', 'EXTERNALSECRET', 'SECRET', 'READY', 'REASON', 'LAST SYNC', 'KEYS'],
    ...report.rows.map((r) => [r.namespace, r.externalSecret, r.secret, r.found ? r.ready ?? '-' : 'absent', r.reason ?? '-', r.lastSync ?? '-', keysCell(r)]),
  ]));
  if (notSynced.length > 0) {
    lines.push('', 'Not synced:');
    for (const row of notSynced) lines.push(`  ${row.namespace}/${row.externalSecret} (${row.paths.join(' + ')}): ${printable(row.problems.join('; '))}`);
  }
  if (report.undeclared.length > 0) {
    lines.push('', `ExternalSecrets the catalog does not declare (${report.undeclared.length}):`);
    lines.push(...columns([
      ['NAMESPACE', 'EXTERNALSECRET', 'READY', 'REASON', 'LAST SYNC'],
      ...report.undeclared.map((u) => [u.namespace, u.externalSecret, u.ready ?? '-', u.reason ?? '-', u.lastSync ?? '-']),
    ]).map((line) => `  ${line}`));
  }
  return lines.join('\n') + '\n';
}

/** Options of `status`. */
export interface StatusOptions {
  /** Print the report as JSON. @default false */
  readonly json?: boolean;
}

/** `status`: 0 every row synced, 1 a row is not (each named on stderr), 2 the cluster could not be read. */
export async function status(ctx: CliContext, options: StatusOptions = {}): Promise<number> {
  let report: StatusReport;
  try {
    report = await statusReport(ctx, ctx.catalog);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    if (options.json) {
      const failure: StatusFailure = { context: null, error: { message: error.message } };
      ctx.stdout.write(JSON.stringify(failure, null, 2) + '\n');
    }
    ctx.stderr.write(`homelab-secrets: ${printableLines(error.message)}\n`);
    return EXIT.usage;
  }
  ctx.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : renderStatusReport(report));
  for (const row of report.rows.filter((r) => !r.synced)) {
    ctx.stderr.write(`homelab-secrets: not synced: ${row.namespace}/${row.externalSecret}: ${printable(row.problems.join('; '))}\n`);
  }
  return report.synced ? EXIT.ok : EXIT.failed;
}

export function registerStatus(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('status')
    .summary('each row\'s ExternalSecret and Secret in the cluster: Ready, last sync, key names only')
    .description('read every row\'s ExternalSecret and Secret from the cluster (kubeconfig, current context, read-only): the Ready condition, its reason and message, the last sync, and whether the Secret holds exactly the declared keys (names only, never values); ExternalSecrets the catalog does not declare are listed too')
    .option('--json', 'print the report (or the failure) as JSON on stdout')
    .addHelpText('after', [
      '',
      `Runs ${KUBECTL} config current-context, ${KUBECTL} ${LIST_EXTERNAL_SECRETS_ARGS.join(' ')}, and once per namespace`,
      `${KUBECTL} get secret -n NS NAME... --ignore-not-found -o go-template=<key names only>: the values never leave kubectl.`,
      'A row is synced when Ready is True with reason SecretSynced and the Secret holds exactly the declared keys',
      '(with creationPolicy Merge: at least them; with None there is no Secret to check). Undeclared ExternalSecrets',
      'are listed and do not change the exit code.',
      '',
      'Examples:',
      '  $ npx homelab-secrets status',
      '  $ npx homelab-secrets status --json | jq \'.rows[] | select(.synced | not)\'',
      '',
    ].join('\n'))
    .action(async (options: StatusOptions) => {
      report(await status(ctx, options));
    });
}
