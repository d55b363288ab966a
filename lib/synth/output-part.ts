import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CatalogIssue, CatalogValidationError, Declaration, ResolvedDeclaration, resolveDeclaration } from '../catalog';
import { OutputError, asOutputError, causeOf, displayPath, errnoOf, onDisk } from './output-error';
import { OUTPUT_RECORD, entriesUnder, foreignFiles, foreignFilesError, recordPathOf, renderRecord } from './output-record';
import { Move, exists, fileId, isRunning, journalPathOf, recoverInterruptedSwaps, swapAll } from './swap-journal';

/** Where one output of a synth goes; what {@link OutputPart.problems} sees of the others. */
export interface OutputLocation {
  /** The part's name, e.g. `manifests`. */
  readonly name: string;
  /** Absolute path of the output. */
  readonly target: string;
  readonly kind: 'dir' | 'file';
}

/** One output the synth writes: a folder (manifests, Terraform JSON) or a single file (docs). */
export interface OutputPart {
  /** Shown in messages, e.g. `manifests`. */
  readonly name: string;
  /** Where the output ends up, relative to the working directory or absolute. */
  readonly target: string;
  /** `dir`: `render` fills a folder. `file`: `render` writes one file. */
  readonly kind: 'dir' | 'file';
  /** Writes the output of the validated declaration into `stagingPath` (a fresh folder, or the file to create). */
  render(declaration: ResolvedDeclaration, stagingPath: string): void;
  /**
   * Mistakes of the declaration that only this part can see, given where every output of the synth
   * goes (a Terraform state file inside an output folder, which the next synth would delete). Listed
   * with the catalog's and settings' mistakes; nothing renders when there is one.
   * @default - none
   */
  problems?(declaration: ResolvedDeclaration, outputs: readonly OutputLocation[]): CatalogIssue[];
  /**
   * Entries of the previous output (relative paths, `/`-separated) that the part takes over although
   * the synth did not write them, such as the `.terraform/` folder `terraform init` adds: they do not
   * stop the synth, and `adopt` may carry them into the new output. A folder that is owned is owned
   * with everything in it.
   * @default - none: every file of the previous output must be one the synth wrote
   */
  owns?(relativePath: string): boolean;
  /**
   * Takes over state from the previous output (caches, lock files) into the staged one. Called only
   * once every part has rendered and every check passed, just before the swap. It must leave the
   * previous output as it is (copy or hard-link, never move): that output is what a rollback restores.
   * @default - nothing is taken over
   */
  adopt?(previousTarget: string, stagingPath: string): void;
}

/** The staging and swap folders of one synth sit beside the target: `.manifests.staging-<pid>`. */
const LEFTOVER = /^\.(.+)\.(staging|old)-(\d+)$/;
/** A journal being written when the synth was killed: `.manifests.synth-journal.tmp-<pid>`. */
const JOURNAL_TMP = /^\.(.+)\.synth-journal\.tmp-(\d+)$/;

/**
 * Removes what a synth that was killed (SIGKILL, power loss) left beside `target` outside a swap: its
 * staging path, and a journal it had not finished writing. They carry its pid, and a pid that no longer
 * runs cannot come back for them. An old copy of the output that no journal accounts for (left by a
 * version without journals) is put back if the target is missing, else removed. Entries of a synth
 * that still runs are left alone. Returns what it removed or restored.
 */
export function removeStaleStaging(target: string): string[] {
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const leftover = LEFTOVER.exec(name);
    const journalTmp = JOURNAL_TMP.exec(name);
    const [owner, pid] = leftover ? [leftover[1], Number(leftover[3])] : journalTmp ? [journalTmp[1], Number(journalTmp[2])] : [undefined, 0];
    if (owner !== basename(target)) continue;
    if (pid !== process.pid && isRunning(pid)) continue;
    const path = join(dir, name);
    if (leftover?.[2] === 'old' && !exists(target)) {
      onDisk('restore', target, () => renameSync(path, target));
    } else {
      onDisk('remove', path, () => rmSync(path, { recursive: true, force: true }));
    }
    removed.push(path);
  }
  return removed;
}

/** Whether the absolute path `inner` is `outer` or inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Options of {@link synthOutputs}. */
export interface SynthOptions {
  /** Where notes about recovered swaps and leftovers that could not be removed go. @default process.stderr */
  readonly log?: (line: string) => void;
}

/** Refuses targets of the wrong kind and outputs nested in one another, before anything is written. */
function checkTargets(parts: readonly { part: OutputPart; target: string }[]): void {
  parts.forEach(({ part, target }, index) => {
    for (const other of parts.slice(index + 1)) {
      if (isWithin(target, other.target) || isWithin(other.target, target)) {
        throw new OutputError(`the outputs ${part.name} (${displayPath(target)}) and ${other.part.name} (${displayPath(other.target)}) overlap: give each its own path`, target);
      }
    }
    // A file on the way to the target: mkdir would fail with ENOTDIR; name that file instead.
    for (let dir = dirname(target); dir !== dirname(dir); dir = dirname(dir)) {
      if (exists(dir) && !statSync(dir).isDirectory()) {
        throw new OutputError(`${displayPath(dir)} is a file where a folder belongs (the ${part.name} output ${displayPath(target)} goes inside it): move it away`, dir);
      }
    }
    if (!exists(target)) return;
    const stat = lstatSync(target);
    const what = part.kind === 'dir' ? 'folder' : 'file';
    if (stat.isSymbolicLink()) {
      throw new OutputError(`${displayPath(target)} is a symbolic link where the ${part.name} ${what} belongs: the synth replaces the ${what} itself, which would replace the link; point the output at the real path`, target);
    }
    if (part.kind === 'dir' && !stat.isDirectory()) {
      throw new OutputError(`${displayPath(target)} is a file where the ${part.name} folder belongs: move it away`, target);
    }
    if (part.kind === 'file' && !stat.isFile()) {
      throw new OutputError(`${displayPath(target)} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'} where the ${part.name} file belongs: move it away`, target);
    }
    const record = recordPathOf(part.kind, target);
    if (exists(record) && !lstatSync(record).isFile()) {
      throw new OutputError(`${displayPath(record)} is not a regular file, but is where the synth keeps its record of the ${part.name} output: move it away`, record);
    }
  });
}

/**
 * Creates `dir` and its missing parents one by one, and adds each it created to `created`, outermost
 * first. (Node's recursive mkdir reports a read-only file system, or a folder it may not write, as
 * ENOENT; this keeps the real cause.)
 */
function makeFolder(dir: string, created: string[]): void {
  if (exists(dir)) return;
  makeFolder(dirname(dir), created);
  mkdirSync(dir);
  created.push(dir);
}

/** Errors of writing, which a renderer's write raises without naming the file (a failed write(2) has no path). */
const WRITE_ERRORS = ['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EACCES', 'EPERM', 'EIO'];

/**
 * Runs a part's render. A file system error while it writes its staging path is an OutputError
 * naming the output's file (or the output, when the error names no file); anything else passes.
 */
function render(part: OutputPart, declaration: ResolvedDeclaration, target: string, staging: string): void {
  try {
    part.render(declaration, staging);
  } catch (error) {
    const code = errnoOf(error);
    const path = (error as NodeJS.ErrnoException).path;
    if (code === undefined) throw error;
    if (typeof path === 'string' && isWithin(resolve(path), staging)) {
      const file = join(target, relative(staging, resolve(path)));
      throw new OutputError(`cannot write ${displayPath(file)}: ${causeOf(code)}`, file);
    }
    if (path === undefined && WRITE_ERRORS.includes(code)) throw new OutputError(`cannot write ${displayPath(target)}: ${causeOf(code)}`, target);
    throw error;
  }
}

/**
 * Validates the declaration (catalog and settings, every mistake at once), renders every part into
 * staging paths beside their targets, and only when all of them succeeded moves them into place, as
 * one transaction: a bad declaration, a failed write or a kill at any instant leaves every output
 * wholly old or wholly new (docs/library.md, "What a synth guarantees"). It never removes a file it
 * did not write: each output carries a record of its files (output-record.ts), and any other file
 * stops the synth before anything moves.
 */
export function synthOutputs(declaration: Declaration, parts: readonly OutputPart[], options: SynthOptions = {}): void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const located = parts.map((part) => ({ part, target: resolve(part.target) }));

  // A swap a killed synth left half done is finished first, then its leftovers removed.
  try {
    for (const line of recoverInterruptedSwaps(located.map((p) => p.target))) log(line);
    for (const { part, target } of located) {
      removeStaleStaging(target);
      if (part.kind === 'file') removeStaleStaging(recordPathOf('file', target));
    }
  } catch (error) {
    throw asOutputError(error);
  }

  const resolved = resolveDeclaration(declaration);
  const outputs: OutputLocation[] = located.map(({ part, target }) => ({ name: part.name, target, kind: part.kind }));
  const problems = located.flatMap(({ part }) => part.problems?.(resolved, outputs) ?? []);
  if (problems.length > 0) throw new CatalogValidationError(problems);
  const moves = unchangedOnError(() => stageAll(resolved, located));
  for (const warning of swapAll(moves, located.map((p) => p.target))) log(`homelab-secrets: ${warning}`);
}

/**
 * Runs the steps before the swap; an OutputError from them, or any file system error naming a path
 * (a folder in an output the synth may not read), says that the outputs are unchanged.
 */
function unchangedOnError<T>(steps: () => T): T {
  try {
    return steps();
  } catch (thrown) {
    const error = asOutputError(thrown);
    if (error instanceof OutputError) throw new OutputError(`${error.message}; the outputs are unchanged`, error.path);
    throw error;
  }
}

/**
 * Checks the targets, renders every part into its staging path with its record, refuses files the
 * synth did not write, and lets parts adopt what they take over: the moves of the swap. On any
 * failure the staging paths are removed and nothing else has changed.
 */
function stageAll(resolved: ResolvedDeclaration, located: readonly { part: OutputPart; target: string }[]): Move[] {
  checkTargets(located);

  const suffix = `.staging-${process.pid}`;
  const staged: { part: OutputPart; target: string; staging: string; record: string; recordStaging: string }[] = [];
  /** The folders this synth created for its outputs (a missing parent, a file output's folder): a refusal leaves none behind. */
  const created: string[] = [];
  const cleanUp = (): void => {
    for (const { staging, recordStaging } of staged) {
      try {
        rmSync(staging, { recursive: true, force: true });
        rmSync(recordStaging, { force: true });
      } catch {
        // left for the next synth, which removes a dead synth's staging paths
      }
    }
    for (const dir of [...created].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty (another output's, or the user's meanwhile): left
      }
    }
  };
  try {
    for (const { part, target } of located) {
      // Beside the target, so that the final rename stays on one filesystem and is atomic.
      const staging = join(dirname(target), `.${basename(target)}${suffix}`);
      const record = recordPathOf(part.kind, target);
      const recordStaging = part.kind === 'dir' ? join(staging, OUTPUT_RECORD) : join(dirname(record), `.${basename(record)}${suffix}`);
      onDisk('write', target, () => makeFolder(part.kind === 'dir' ? staging : dirname(staging), created));
      staged.push({ part, target, staging, record, recordStaging });
      render(part, resolved, target, staging);
      const files = part.kind === 'dir' ? entriesUnder(staging, (rel) => rel === OUTPUT_RECORD) : [basename(target)];
      onDisk('write', record, () => writeFileSync(recordStaging, renderRecord(files)));
    }
    for (const { part, target, staging } of staged) {
      const output = { target, kind: part.kind, staging, owns: part.owns?.bind(part) };
      const foreign = foreignFiles(output);
      if (foreign.length > 0) throw foreignFilesError(output, foreign);
    }
    for (const { part, target, staging } of staged) {
      if (part.adopt && existsSync(target)) onDisk('take over files of', target, () => part.adopt!(target, staging));
    }
  } catch (error) {
    cleanUp();
    throw error;
  }

  return staged.flatMap(({ part, target, staging, record, recordStaging }) => {
    const move = (to: string, from: string, kind: 'dir' | 'file'): Move => ({
      target: to, staging: from, old: join(dirname(to), `.${basename(to)}.old-${process.pid}`), kind, hadOld: exists(to), stagingId: fileId(from)!, targetId: fileId(to),
    });
    return part.kind === 'dir' ? [move(target, staging, 'dir')] : [move(target, staging, 'file'), move(record, recordStaging, 'file')];
  });
}

/** The journal of an output, for tests and tools that look beside it. */
export { journalPathOf };
