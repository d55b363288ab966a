import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { validateDeclaration } from '../../catalog';
import { CliContext, CliError, EXIT, ReportExit } from '../context';
import { buildDeclaration } from './build';
import { type ImportText, type SourceDocument, listInputFiles, parseDocuments, readInputFile } from './documents';
import { generateModule } from './generate';
import { findKustomize } from './kustomize';
import { type KustomizeRunner, resolveLayout } from './layout';
import { type ImportNote, type ImportRefusal, type ImportedExternalSecret, originLabel } from './model';
import { readDocuments } from './parse';
import { type ImportPlan, planImport } from './plan';
import { type RoundTripReport, compareAccess, compareRoundTrip, formatRoundTrip } from './round-trip';
import { synthesizeEsoDocuments, synthesizeVaultRoles } from './synthesize';

/** How messages name stdin (`-`). */
export const STDIN_NAME = '(stdin)';

/** Options of one import. */
export interface ImportOptions {
  /** For ExternalSecrets without a namespace. @default - none: they are refused */
  readonly namespace?: string;
  /** The KV v2 mount, when the store is not in the input. @default - the store's */
  readonly mount?: string;
  /** Also synthesize the module's catalog and compare it with the input. @default false */
  readonly verify?: boolean;
  /** The inputs as given, for the module's header comment. @default - the files read */
  readonly sources?: readonly string[];
  /**
   * The folders given, as the documents' files name them: kustomizations and Flux Kustomizations in
   * them place their objects, and a Flux `spec.path` is relative to the one that holds it. @default - none: every document as written
   */
  readonly folders?: readonly string[];
  /** A real kustomize to build the kustomizations with. @default - none: the kustomization files are read */
  readonly kustomize?: KustomizeRunner;
}

/** What an import produced: the module, or the refusals that stopped it, and what it noted. */
export interface ImportResult {
  readonly notes: readonly ImportNote[];
  readonly refusals: readonly ImportRefusal[];
  /** The generated module; undefined when anything was refused. */
  readonly module?: string;
  readonly plan?: ImportPlan;
  /** With `verify`: the comparison of the input with the synthesized ExternalSecrets. */
  readonly roundTrip?: RoundTripReport;
  /** The input holds no ExternalSecret, so there is nothing to declare. */
  readonly empty?: true;
  /** How the kustomizations and Flux Kustomizations were read, when the folders hold any: which kustomize, or the files. */
  readonly resolvedWith?: string;
}

/** One refusal as people read it: `file document n (ExternalSecret ns/name): field rule`. */
export function formatRefusal(refusal: ImportRefusal): string {
  return `${originLabel(refusal)}: ${refusal.field === '' ? '' : `${refusal.field} `}${refusal.rule}`;
}

/** One note as people read it. */
export function formatNote(note: ImportNote): string {
  return `${note.warning ? 'warning' : 'note'}: ${originLabel(note)}: ${note.text}`;
}

/**
 * Imports the texts: reads them, refuses what the library cannot express (all at once), plans the
 * catalog, checks it with the catalog's own validator, generates the module and, with `verify`,
 * synthesizes the catalog and compares it with the input.
 */
export async function importTexts(texts: readonly ImportText[], options: ImportOptions = {}): Promise<ImportResult> {
  const parsed = parseDocuments(texts);
  const layout = options.folders && options.folders.length > 0
    ? await resolveLayout(parsed.documents, { roots: options.folders, kustomize: options.kustomize })
    : { documents: parsed.documents, refusals: [], notes: [] };
  const input = readDocuments(layout.documents);
  const planned = planImport(input, { ...options, gitopsObjects: gitopsObjects(parsed.documents) });
  const resolvedWith = 'resolvedWith' in layout ? layout.resolvedWith : undefined;
  const refusals = [...parsed.refusals, ...layout.refusals, ...input.refusals, ...planned.refusals];
  // With refusals nothing is generated, so the notes about the module (placeholders) would mislead.
  if (refusals.length > 0) return { notes: [...parsed.notes, ...layout.notes, ...input.notes], refusals, resolvedWith };
  const notes = [...parsed.notes, ...layout.notes, ...input.notes, ...planned.notes];
  const { plan } = planned;
  if (plan.targets.length === 0) return { notes, refusals, plan, empty: true, resolvedWith };
  const declaration = buildDeclaration(plan);
  // The catalog's own rules (key names, path spelling, ESO's policy combinations), tied back to the document.
  const targets = declaration.catalog.targets;
  for (const issue of validateDeclaration(declaration)) {
    const index = targets.findIndex((t) => t.row === issue.row);
    const from = index >= 0 ? plan.targets[index].from : plan.targets.find((t) => t.sources.some((s) => s.path === issue.row))?.from;
    const origin = from
      ? { file: from.file, document: from.document, object: `ExternalSecret ${plan.targets[plan.targets.findIndex((t) => t.from === from)].namespace}/${from.name}` }
      : plan.storeOrigin ?? { file: '(input)', document: 1, object: '' };
    refusals.push({ ...origin, field: '', rule: `the catalog refuses it: ${issue.message}` });
  }
  if (refusals.length > 0) return { notes: [...parsed.notes, ...layout.notes, ...input.notes], refusals, resolvedWith };
  const module = generateModule(plan, { sources: options.sources ?? [...new Set(texts.map((t) => t.file))] });
  if (!options.verify) return { notes, refusals, module, plan, resolvedWith };
  const synthesized = readDocuments(await synthesizeEsoDocuments(declaration));
  const imported = plan.targets.map((t) => ({ ...t.from, namespace: t.namespace })) as (ImportedExternalSecret & { namespace: string })[];
  const report = compareRoundTrip(imported, synthesized.externalSecrets);
  if (plan.stores.length === 0) return { notes, refusals, module, plan, roundTrip: report, resolvedWith };
  const access = compareAccess(plan, input.serviceAccounts, { ...synthesized, roles: await synthesizeVaultRoles(declaration) });
  return { notes, refusals, module, plan, roundTrip: { ...report, access: access.counts, differences: [...report.differences, ...access.differences] }, resolvedWith };
}

/** Whether the input holds Argo CD's or Flux's own objects (Applications, Kustomizations, HelmReleases, sources). */
function gitopsObjects(documents: readonly SourceDocument[]): { argocd: boolean; flux: boolean } {
  const groups = documents.map((d) => {
    const apiVersion = typeof d.value === 'object' && d.value !== null ? (d.value as { apiVersion?: unknown }).apiVersion : undefined;
    return typeof apiVersion === 'string' ? apiVersion.split('/')[0] : '';
  });
  return { argocd: groups.includes('argoproj.io'), flux: groups.some((g) => g.endsWith('.toolkit.fluxcd.io')) };
}

export function registerImport(program: Command, ctx: CliContext, report: ReportExit): void {
  program
    .command('import')
    .summary('write a TypeScript catalog module from existing ExternalSecret and store YAML')
    .description('read ExternalSecrets and the stores they read through (a repository\'s folders, searched for *.yaml and *.yml with its kustomizations and Flux Kustomizations placing the objects; files; or - for a stream on stdin such as `kustomize build` output) and print the catalog module that declares the same through the library: one identity per Vault role')
    .argument('<inputs...>', 'YAML files, folders, or - for stdin')
    .option('--out <file>', 'write the module to this file instead of stdout')
    .option('--namespace <namespace>', 'the namespace of ExternalSecrets that have none')
    .option('--mount <mount>', 'the KV v2 mount, when the store is not in the input')
    .option('--verify', 'also synthesize the module\'s catalog and compare each ExternalSecret, store, ServiceAccount, Vault role and policy with the input; exit 1 on any difference')
    .option('--no-kustomize', 'read the kustomization files instead of running the kustomize (or kubectl) found on PATH')
    .addHelpText('after', [
      '',
      'Anything the library cannot express (dataFrom.find, generators, PushSecret, another provider, remoteRef.version,',
      'a decoding, conversion or metadata policy, stores of one role that are not alike, a missing namespace) is refused: every',
      'refusal is listed with its file, document, field and fix, and nothing is written. A Secret in the input is skipped with a',
      'warning; its values are never read out. Notes (a leading "/" removed from a key, skipped kinds, how the kustomizations',
      'were read) go to stderr.',
      '',
    ].join('\n'))
    .action(async (inputs: string[], opts: { out?: string; namespace?: string; mount?: string; verify?: boolean; kustomize?: boolean }) => {
      const cwd = process.cwd();
      let files: string[];
      try {
        files = listInputFiles(inputs, cwd);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      if (files.length === 0) throw new CliError(`no *.yaml or *.yml file in ${inputs.join(', ')}`);
      const texts: ImportText[] = [];
      for (const file of files) {
        try {
          texts.push(file === '-' ? { file: STDIN_NAME, text: await ctx.stdin.readAll() } : { file, text: readInputFile(file, cwd) });
        } catch (error) {
          throw new CliError((error as Error).message);
        }
      }
      const folders = inputs.filter((i) => i !== '-' && statSync(resolve(cwd, i)).isDirectory());
      const kustomize = folders.length > 0 && opts.kustomize !== false ? await findKustomize(ctx.env, (cmd, args, o) => ctx.run(cmd, args, o)) : undefined;
      const result = await importTexts(texts, {
        namespace: opts.namespace, mount: opts.mount, verify: opts.verify === true, sources: inputs.map((i) => (i === '-' ? 'stdin' : i)), folders, kustomize,
      });
      if (result.resolvedWith) ctx.stderr.write(`note: ${folders.join(', ')}: namespaces resolved from the kustomizations and Flux Kustomizations ${result.resolvedWith}\n`);
      for (const note of result.notes) ctx.stderr.write(`${formatNote(note)}\n`);
      if (result.empty) throw new CliError(`no ExternalSecret in ${inputs.join(', ')}: nothing to import`);
      if (result.module === undefined) {
        const n = result.refusals.length;
        throw new CliError([`${n} refusal${n === 1 ? '' : 's'}: the library cannot express ${n === 1 ? 'this' : 'these'}, so nothing was written:`,
          ...result.refusals.map((r) => `  - ${formatRefusal(r)}`)].join('\n'));
      }
      if (opts.out !== undefined) writeFileSync(resolve(cwd, opts.out), result.module);
      else ctx.stdout.write(result.module);
      if (result.roundTrip) {
        ctx.stderr.write(`${formatRoundTrip(result.roundTrip)}\n`);
        report(result.roundTrip.differences.length === 0 ? EXIT.ok : EXIT.failed);
        return;
      }
      report(EXIT.ok);
    });
}
