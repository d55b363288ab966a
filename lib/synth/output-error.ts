import { isAbsolute, relative } from 'node:path';
import { oneLine } from '../catalog';

/**
 * An output cannot be written as asked: a file system error (read-only folder, full disk, a file where
 * a folder belongs), a target of the wrong kind, a file in an output that the synth did not write, or
 * another synth writing the same output. It is the environment's problem, not the declaration's:
 * `runSynthMain` prints the message as one line and exits 2. The outputs are as they were.
 */
export class OutputError extends Error {
  constructor(message: string, public readonly path?: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** How each errno reads in a message. */
const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ENOTDIR: 'a file is where a folder belongs',
  EISDIR: 'a folder is where a file belongs',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EBUSY: 'it is busy',
  EXDEV: 'it is on another file system',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** The errno code of a file system error, or undefined for anything else. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** `no space left on device (ENOSPC)` */
export function causeOf(code: string): string {
  return `${CAUSES[code] ?? 'file system error'} (${code})`;
}

/**
 * A path as a message shows it: relative to the working directory when inside it, else absolute; on
 * one line, with control and invisible characters escaped (a file in an output may be named anything).
 */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return oneLine(rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel);
}

/** What a failed system call was doing, in a message. */
const DOING: Readonly<Record<string, string>> = {
  scandir: 'read the folder', opendir: 'read the folder', open: 'open', read: 'read', lstat: 'look at', stat: 'look at',
  mkdir: 'create', rename: 'move', unlink: 'remove', rmdir: 'remove', link: 'link', write: 'write', utime: 'write',
};

/**
 * A file system error that names its path, as an OutputError (`cannot read the folder manifests/x:
 * permission denied (EACCES)`); anything else as it is. For the steps that touch the outputs outside
 * `onDisk`: an error of the file system is the environment's, never a bug's stack trace.
 */
export function asOutputError(error: unknown): unknown {
  const code = errnoOf(error);
  const { path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (code === undefined || typeof path !== 'string' || error instanceof OutputError) return error;
  return new OutputError(`cannot ${DOING[syscall ?? ''] ?? 'use'} ${displayPath(path)}: ${causeOf(code)}`, path);
}

/**
 * Runs `action`; a file system error from it becomes an OutputError: `cannot <what> <path>: <cause>`.
 * Anything else passes through.
 */
export function onDisk<T>(what: string, path: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    const code = errnoOf(error);
    if (code === undefined) throw error;
    throw new OutputError(`cannot ${what} ${displayPath(path)}: ${causeOf(code)}`, path);
  }
}
