import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { validateDeclaration } from '../../catalog';
import { CliContext, CliError, EXIT, ReportExit } from '../context';
import { buildDeclaration } from './build';
import { printable } from '../shell';
import { type ImportText, type SourceDocument, parseDocuments } from './documents';
import { IMPORT_LIMITS, InputError, findInputFiles, formatBytes, outIsInput, outProblem, readInputBytes, tooLarge, writeModuleAtomically } from './files';
import { generateModule } from './generate';
import { type TypeScriptCompiler, loadGeneratedModule, projectTypeScript } from './load-module';
import { findKustomize } from './kustomize';
import { type KustomizeRunner, resolveLayout } from './layout';
import { type ImportNote, type ImportRefusal, type ImportedExternalSecret, originLabel } from './model';
import { readDocuments } from './parse';
import { type ImportPlan, planImport } from './plan';
import { type RoundTripReport, compareAccess, compareRoundTrip, formatRoundTrip, roundTripPassed } from './round-trip';
import { type SynthesizedRole, synthesizeEsoDocuments, synthesizeVaultRoles } from './synthesize';

/** Runs `read`; an InputError (an input or --out that cannot be used) becomes the CLI's one-line error, exit 2. */
function inputErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) throw new CliError(error.message);
    throw error;
  }
}

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
  /**
   * With `verify`: the TypeScript compiler that compiles the module's text to load it.
   * @default - none: the module's JavaScript twin is loaded
   */
  readonly typescript?: TypeScriptCompiler;
  /** The module's file name in messages about loading it. @default 'imported-catalog.ts' */
  readonly moduleName?: string;
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
  return printable(`${originLabel(refusal)}: ${refusal.field === '' ? '' : `${refusal.field} `}${refusal.rule}`);
}

/** One note as people read it. */
export function formatNote(note: ImportNote): string {
  return printable(`${note.warning ? 'warning' : 'note'}: ${originLabel(note)}: ${note.text}`);
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
  const sources = options.sources ?? [...new Set(texts.map((t) => t.file))];
  const module = generateModule(plan, { sources });
  if (!options.verify) return { notes, refusals, module, plan, resolvedWith };
  // The round trip synthesizes what the module itself declares, loaded as its user will load it.
  const loaded = await loadGeneratedModule(options.typescript
    ? { typescript: module, compiler: options.typescript }
    : { javascript: generateModule(plan, { sources, flavour: 'javascript' }) }, options.moduleName ?? 'imported-catalog.ts');
  const failed = (failure: string): ImportResult => ({ notes, refusals, module, plan, resolvedWith, roundTrip: { compared: plan.targets.length, equal: 0, differences: [], failure } });
  if ('error' in loaded) return failed(`the generated module does not load, so nothing was compared: ${loaded.error} (${loaded.loadedWith})`);
  let synthesized: ReturnType<typeof readDocuments>;
  let roles: SynthesizedRole[] | undefined;
  try {
    synthesized = readDocuments(await synthesizeEsoDocuments(loaded.declaration));
    if (plan.stores.length > 0) roles = await synthesizeVaultRoles(loaded.declaration);
  } catch (error) {
    // The library's own failure on what the module declares: reported, never a stack trace.
    return failed(`the library cannot synthesize what the module declares, so nothing was compared: ${error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? (error as Error).message : String(error)}`);
  }
  const imported = plan.targets.map((t) => ({ ...t.from, namespace: t.namespace })) as (ImportedExternalSecret & { namespace: string })[];
  const report = compareRoundTrip(imported, synthesized.externalSecrets);
  if (roles === undefined) return { notes, refusals, module, plan, roundTrip: report, resolvedWith };
  const access = compareAccess(plan, input.serviceAccounts, { ...synthesized, roles });
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
    .option('--out <file>', 'write the module to this file instead of stdout: a new file, never one of the inputs nor through a symbolic link')
    .option('--force', 'with --out: replace the file if it exists')
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
      'were read) go to stderr. A folder\'s walk follows no symbolic link. An input file (or stdin) over 8 MiB, inputs over 32 MiB',
      'in all, or a YAML document expanding more than 100 aliases are refused.',
      '',
    ].join('\n'))
    .action(async (inputs: string[], opts: { out?: string; force?: boolean; namespace?: string; mount?: string; verify?: boolean; kustomize?: boolean }) => {
      const cwd = process.cwd();
      const limits = IMPORT_LIMITS;
      const shownInputs = inputs.map(printable).join(', ');
      // --out first: a target that may not be written stops the import before anything is read.
      const outProblemText = opts.out === undefined ? undefined : outProblem(opts.out, cwd, opts.force === true);
      if (outProblemText !== undefined) throw new CliError(outProblemText);
      const found = inputErrors(() => findInputFiles(inputs, cwd));
      if (found.files.length === 0) throw new CliError(`no *.yaml or *.yml file in ${shownInputs}`);
      const texts: ImportText[] = [];
      /** Each input file's identity and name: --out must be none of them. */
      const inputIds = new Map<string, string>();
      let total = 0;
      for (const file of found.files) {
        let bytes: Uint8Array;
        if (file === '-') {
          bytes = await ctx.stdin.readBytes(limits.fileBytes);
          if (bytes.length > limits.fileBytes) throw new CliError(tooLarge(STDIN_NAME, 'holds more', limits.fileBytes).message);
          const id = ctx.stdin.fileId?.();
          if (id !== undefined) inputIds.set(id, STDIN_NAME);
        } else {
          const read = inputErrors(() => readInputBytes(file, cwd, limits.fileBytes));
          bytes = read.bytes;
          if (read.id !== undefined) inputIds.set(read.id, file);
        }
        total += bytes.length;
        if (total > limits.totalBytes) {
          throw new CliError(`the inputs hold more than the ${formatBytes(limits.totalBytes)} the import reads in one run (at ${printable(file === '-' ? STDIN_NAME : file)}): import the repository's folders one by one`);
        }
        texts.push({ file: file === '-' ? STDIN_NAME : file, text: bytes });
      }
      if (opts.out !== undefined) {
        const input = outIsInput(opts.out, cwd, inputIds);
        if (input !== undefined) throw new CliError(`--out ${printable(opts.out)}: is the input ${printable(input)}: the import never writes over what it reads; give another file`);
      }
      const folders = inputs.filter((i) => i !== '-' && statSync(resolve(cwd, i)).isDirectory());
      const kustomize = folders.length > 0 && opts.kustomize !== false ? await findKustomize(ctx.env, (cmd, args, o) => ctx.run(cmd, args, o)) : undefined;
      const result = await importTexts(texts, {
        namespace: opts.namespace, mount: opts.mount, verify: opts.verify === true, sources: inputs.map((i) => (i === '-' ? 'stdin' : i)), folders, kustomize,
        ...(opts.verify === true ? { typescript: projectTypeScript(cwd) } : {}), ...(opts.out !== undefined ? { moduleName: basename(opts.out) } : {}),
      });
      if (result.resolvedWith) ctx.stderr.write(`note: ${folders.map(printable).join(', ')}: namespaces resolved from the kustomizations and Flux Kustomizations ${result.resolvedWith}\n`);
      for (const note of [...found.notes, ...result.notes]) ctx.stderr.write(`${formatNote(note)}\n`);
      if (result.empty) throw new CliError(`no ExternalSecret in ${shownInputs}: nothing to import`);
      if (result.module === undefined) {
        const n = result.refusals.length;
        throw new CliError([`${n} refusal${n === 1 ? '' : 's'}: the library cannot express ${n === 1 ? 'this' : 'these'}, so nothing was written:`,
          ...result.refusals.map((r) => `  - ${formatRefusal(r)}`)].join('\n'));
      }
      if (opts.out !== undefined) inputErrors(() => writeModuleAtomically(resolve(cwd, opts.out!), result.module!, opts.force === true, opts.out!));
      else ctx.stdout.write(result.module);
      if (result.roundTrip) {
        ctx.stderr.write(`${formatRoundTrip(result.roundTrip)}\n`);
        report(roundTripPassed(result.roundTrip) ? EXIT.ok : EXIT.failed);
        return;
      }
      report(EXIT.ok);
    });
}
