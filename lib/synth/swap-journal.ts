// The swap of every output as one transaction, safe against a kill at any instant.
//
// Before the first rename, a journal listing every move is written beside each output
// (`.<output>.synth-journal`, published with link(), so a second synth cannot write one too). Each
// move then sets the old output aside (a folder is renamed to `.<output>.old-<pid>`; a file is
// hard-linked there, so the file itself is replaced by one atomic rename) and renames the staged one
// into place. Once every move is done the journal says `committed`; the old copies and the journal
// are removed last. A synth that finds a journal of a process that no longer runs finishes it: a
// committed one by removing what is left, any other by rolling every move back, so all outputs are
// old again. A failed rename rolls back the same way, in the same process.
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, displayPath, errnoOf, onDisk } from './output-error';

/** One output's move from its staging path into place. */
export interface Move {
  /** Absolute paths, all in the target's folder. */
  readonly target: string;
  readonly staging: string;
  readonly old: string;
  readonly kind: 'dir' | 'file';
  /** Whether the target existed before the swap (so the old copy is what a rollback restores). */
  readonly hadOld: boolean;
  /**
   * Identities (`<dev>:<inode>`) of the staged output and of the target before the swap. A rename keeps
   * them, so recovery knows what each path holds from the file system itself: the target is the new
   * output exactly when it has the staged one's identity, the old copy is the old output exactly when
   * it has the target's. Nothing is inferred from a path being absent (a staging path the next synth
   * removed, say).
   */
  readonly stagingId: string;
  readonly targetId?: string;
}

/** `<dev>:<inode>` of `path` (not following a link), or undefined when nothing is there. */
export function fileId(path: string): string | undefined {
  try {
    const stat = lstatSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

interface Journal {
  readonly version: 1;
  readonly pid: number;
  readonly state: 'swapping' | 'committed';
  /** The outputs of the synth, and every copy of this journal, one beside each output. */
  readonly outputs: readonly string[];
  readonly journals: readonly string[];
  readonly moves: readonly Move[];
}

const JOURNAL_SUFFIX = '.synth-journal';

/** The journal beside `target`. */
export function journalPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}${JOURNAL_SUFFIX}`);
}

/**
 * Called with the name of every step of a swap, before it runs. Tests set it to kill the process at
 * each step in turn (test/synth/output-part.test.ts); it does nothing otherwise.
 * @internal
 */
export const swapSteps: { hook?: (step: string) => void } = {};

function step(name: string): void {
  swapSteps.hook?.(name);
}

/** Whether anything (a file, a folder, a link, even a dangling one) is at `path`. */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `journal` to `path`: to a temp file first, flushed, then published with link() (exclusive) or rename() (an update). */
function writeJournal(target: string, journal: Journal, exclusive: boolean): void {
  const path = journalPathOf(target);
  const tmp = `${path}.tmp-${process.pid}`;
  onDisk('write the journal', path, () => {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(journal, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      if (exclusive) {
        linkSync(tmp, path);
        unlinkSync(tmp);
      } else {
        renameSync(tmp, path);
      }
    } catch (error) {
      rmSync(tmp, { force: true });
      if (errnoOf(error) === 'EEXIST') throw new OutputError(`another synth is replacing ${displayPath(target)} right now (its journal ${displayPath(path)} exists): wait for it, then run again`, path);
      throw error;
    }
  });
}

function readJournal(path: string): Journal {
  try {
    const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.moves) || !Array.isArray(journal.journals) || !Array.isArray(journal.outputs)) throw new Error('not a journal of this version');
    return journal;
  } catch (error) {
    throw new OutputError(`cannot read ${displayPath(path)}, the journal of an interrupted synth (${(error as Error).message}): check the outputs and the .old- and .staging- entries beside them, then delete it`, path);
  }
}

/** Whether process `pid` runs (this process included), as any user. */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errnoOf(error) === 'EPERM';
  }
}

/** Whether the target holds the new output: the staged one, renamed into place. */
function movedIn(move: Move): boolean {
  return fileId(move.target) === move.stagingId;
}

/** Whether `path` holds what the target held before the swap. */
function isOld(move: Move, path: string): boolean {
  return move.targetId !== undefined && fileId(path) === move.targetId;
}

/**
 * Puts one move back: afterwards the target holds what it held before the swap, and the staged output
 * and the old copy are gone. Idempotent, and safe to repeat after a kill at any point of it.
 */
function rollBack(move: Move): void {
  const { target, staging, old, kind } = move;
  onDisk('restore', target, () => {
    if (movedIn(move)) {
      if (kind === 'file' && isOld(move, old)) {
        renameSync(old, target); // one atomic rename puts the old file back
      } else {
        renameSync(target, staging);
      }
    }
    if (kind === 'dir' && !exists(target) && isOld(move, old)) renameSync(old, target);
    removeOwnStaging(move);
    // a file's old copy is a second link to the target's file: remove the link, never the target
    if (kind === 'file' && isOld(move, old) && old !== target) rmSync(old, { force: true });
  });
}

/** Removes the move's staged output, if what is there is still the one this synth staged. */
function removeOwnStaging(move: Move): void {
  if (fileId(move.staging) === move.stagingId) rmSync(move.staging, { recursive: true, force: true });
}

/** Removes what a committed swap left: the old copy, if it is still there. */
function finish(move: Move): void {
  onDisk('remove', move.old, () => {
    if (isOld(move, move.old)) rmSync(move.old, { recursive: true, force: true });
  });
}

function removeJournals(journals: readonly string[]): void {
  for (const path of journals) onDisk('remove', path, () => rmSync(path, { force: true }));
}

/**
 * Moves every staged output into place as one transaction (see the file's header). On a failure before
 * the commit, the moves already made are rolled back and an OutputError names the file and the
 * cause. Returns warnings about what could not be cleaned up after the commit (the outputs are new
 * then; the next synth removes the rest).
 */
export function swapAll(moves: readonly Move[], journalTargets: readonly string[]): string[] {
  const journals = journalTargets.map(journalPathOf);
  const journal: Journal = { version: 1, pid: process.pid, state: 'swapping', outputs: journalTargets, journals, moves };
  const written: string[] = [];
  try {
    for (const target of journalTargets) {
      step(`write journal ${journalPathOf(target)}`);
      writeJournal(target, journal, true);
      written.push(journalPathOf(target));
    }
  } catch (error) {
    // Nothing has moved: this synth's staged outputs go too, so that a refusal (another synth's
    // journal is there) leaves nothing behind.
    for (const move of moves) {
      try {
        removeOwnStaging(move);
      } catch {
        // left for the next synth, which removes a dead synth's staging paths
      }
    }
    removeJournals(written);
    throw error;
  }
  try {
    for (const move of moves) {
      if (move.hadOld) {
        step(`set aside ${move.target}`);
        onDisk(move.kind === 'dir' ? 'move aside' : 'keep a copy of', move.target, () => (move.kind === 'dir' ? renameSync(move.target, move.old) : linkSync(move.target, move.old)));
      }
      step(`move in ${move.target}`);
      onDisk('replace', move.target, () => renameSync(move.staging, move.target));
    }
    for (const target of journalTargets) {
      step(`commit ${journalPathOf(target)}`);
      writeJournal(target, { ...journal, state: 'committed' }, false);
    }
  } catch (error) {
    const failures: string[] = [];
    for (const move of [...moves].reverse()) {
      try {
        rollBack(move);
      } catch (rollbackError) {
        failures.push((rollbackError as Error).message);
      }
    }
    if (failures.length > 0) {
      // The journal stays: the next synth retries the rollback.
      throw new OutputError(`${(error as Error).message}; rolling back failed too (${failures.join('; ')}): the next synth finishes the rollback`, (error as OutputError).path);
    }
    try {
      removeJournals(journals);
    } catch {
      // a journal left behind is rolled back (a no-op now) and removed by the next synth
    }
    throw error instanceof OutputError ? new OutputError(`${error.message}; every output is as it was`, error.path) : error;
  }
  const warnings: string[] = [];
  for (const move of moves) {
    step(`remove old ${move.target}`);
    try {
      finish(move);
    } catch (error) {
      warnings.push(`${(error as Error).message}; the outputs are new, and the next synth removes it`);
    }
  }
  for (const path of journals) {
    step(`remove journal ${path}`);
    try {
      onDisk('remove', path, () => rmSync(path, { force: true }));
    } catch (error) {
      warnings.push(`${(error as Error).message}; the outputs are new, and the next synth removes it`);
    }
  }
  return warnings;
}

/**
 * Finishes the swap of a synth that was killed, if one left a journal beside any of `targets`:
 * rolled back unless it was committed, completed if it was. Returns one line per journal handled.
 * Throws an OutputError if the synth that wrote the journal still runs.
 */
export function recoverInterruptedSwaps(targets: readonly string[]): string[] {
  const done: string[] = [];
  for (const target of targets) {
    const path = journalPathOf(target);
    if (!exists(path)) continue;
    const first = readJournal(path);
    if (isRunning(first.pid)) {
      throw new OutputError(`another synth (pid ${first.pid}) is replacing ${displayPath(target)} right now: wait for it, then run again`, path);
    }
    const copies = first.journals.filter(exists).map(readJournal);
    // Committed only if a copy says so and every staged output was moved in; otherwise roll back (a
    // commit that failed halfway was rolled back already, or is rolled back now).
    const committed = copies.some((journal) => journal.state === 'committed') && first.moves.every(movedIn);
    if (committed) {
      for (const move of first.moves) finish(move);
    } else {
      for (const move of [...first.moves].reverse()) rollBack(move);
    }
    removeJournals(first.journals);
    const outputs = first.outputs.map(displayPath).join(', ');
    done.push(committed
      ? `homelab-secrets: a synth (pid ${first.pid}) was interrupted after its outputs were replaced; completed: ${outputs} are new`
      : `homelab-secrets: a synth (pid ${first.pid}) was interrupted while replacing its outputs; rolled back: ${outputs} are as before it`);
  }
  return done;
}
