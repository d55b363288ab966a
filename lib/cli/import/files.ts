// What `import` reads and writes on disk. Inputs are hostile: a folder's walk follows no symbolic link
// and reads only regular files, every file is read up to a size cap, and each file's identity
// (device and inode) is kept, so that `--out` can never name one of them. The module is written
// atomically, beside its target, never through a link, and never over a file without `--force`.
import {
  closeSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readSync, readdirSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { causeOf, errnoOf } from '../../synth';
import { printable } from '../shell';
import type { ImportNote } from './model';

/** How much the import reads: larger inputs are refused (exit 2), so that no input exhausts memory. */
export interface ImportLimits {
  /** The most bytes of one input file, or of stdin. */
  readonly fileBytes: number;
  /** The most bytes of all inputs together. */
  readonly totalBytes: number;
  /** The most aliases one YAML document may expand (a "billion laughs" document expands a few into billions of nodes). */
  readonly aliases: number;
}

/** The caps of {@link ImportLimits}: 8 MiB a file, 32 MiB in all, 100 aliases a document. ESO's objects are small: a repository of a thousand ExternalSecrets is about 1 MiB. */
export const IMPORT_LIMITS: ImportLimits = { fileBytes: 8 * 1024 * 1024, totalBytes: 32 * 1024 * 1024, aliases: 100 };

/** An input that cannot be read as asked: printed as one line, exit 2, nothing written. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** `1.5 MiB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

const YAML_FILE = /\.ya?ml$/;

/** The files of the inputs, and what the walk skipped. */
export interface InputFiles {
  /** Each file as given, each folder's files as found under it, `-` for stdin. */
  readonly files: string[];
  readonly notes: ImportNote[];
}

/** `the cause (ECODE)` of a file system error, or its message. */
function causeOfError(error: unknown): string {
  const code = errnoOf(error);
  return code === undefined ? String((error as Error)?.message ?? error) : causeOf(code);
}

/**
 * The files named by `inputs`: each file as given, each folder searched recursively for `*.yaml` and
 * `*.yml` in name order, `-` for stdin. The walk does not follow symbolic links (a link to a file or a
 * folder is skipped with a note, so no link can make it loop or leave the repository) and skips what
 * is not a regular file; an input named on the command line is read wherever it points. Throws an
 * InputError naming an input or a folder that cannot be read.
 */
export function findInputFiles(inputs: readonly string[], cwd: string): InputFiles {
  const files: string[] = [];
  const notes: ImportNote[] = [];
  const skip = (file: string, text: string): void => void notes.push({ file, document: 0, object: '', text });
  const walk = (dir: string, shown: (path: string) => string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      throw new InputError(`${printable(shown(dir))}: cannot be read: ${causeOfError(error)}`);
    }
    for (const name of names) {
      // Hidden folders (.git, .github) and installed packages hold no manifests of the repository's own.
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      let entry;
      try {
        entry = lstatSync(full);
      } catch (error) {
        throw new InputError(`${printable(shown(full))}: cannot be read: ${causeOfError(error)}`);
      }
      if (entry.isSymbolicLink()) {
        let target: 'folder' | 'file' | undefined;
        try {
          target = statSync(full).isDirectory() ? 'folder' : 'file';
        } catch {
          target = undefined; // a dangling link, or a loop of links
        }
        if (target === 'folder' || YAML_FILE.test(name)) {
          skip(shown(full), `is a symbolic link${target === undefined ? ' that leads nowhere' : ` to a ${target}`}: not followed (a folder's walk reads the repository's own files); give its target as an input to read it`);
        }
      } else if (entry.isDirectory()) {
        walk(full, shown);
      } else if (YAML_FILE.test(name)) {
        if (entry.isFile()) files.push(shown(full));
        else skip(shown(full), 'is not a regular file: not read');
      }
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(resolve(cwd, input)).isDirectory();
    } catch (error) {
      const code = errnoOf(error);
      throw new InputError(`${printable(input)}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or folder' : `cannot be read: ${causeOfError(error)}`}`);
    }
    // Files are named as the folder was: relative to the working folder, or absolute.
    if (isDir) walk(resolve(cwd, input), (path) => (isAbsolute(input) ? path : relative(cwd, path)));
    else files.push(input);
  }
  return { files, notes };
}

/** One input's bytes, and the file's identity (`<device>:<inode>`) when it is a regular file. */
export interface InputBytes {
  readonly bytes: Uint8Array;
  readonly id?: string;
}

/**
 * Reads `file` (relative to `cwd`) up to `limit` bytes: a regular file larger than that is refused
 * before it is read, and a stream (a pipe, a device) that gives more is cut off and refused.
 */
export function readInputBytes(file: string, cwd: string, limit: number): InputBytes {
  let fd: number;
  try {
    fd = openSync(resolve(cwd, file), 'r');
  } catch (error) {
    throw new InputError(`${printable(file)}: cannot be read: ${causeOfError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError(`${printable(file)}: is a folder`);
    if (stat.isFile() && stat.size > limit) throw tooLarge(file, `is ${formatBytes(stat.size)}`, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge(file, 'holds more', limit);
    }
    return { bytes: Buffer.concat(chunks), ...(stat.isFile() ? { id: `${stat.dev}:${stat.ino}` } : {}) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${printable(file)}: cannot be read: ${causeOfError(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** `x.yaml: is 9 MiB, more than the 8 MiB the import reads of one input: ...` */
export function tooLarge(file: string, size: string, limit: number): InputError {
  return new InputError(`${printable(file)}: ${size}, more than the ${formatBytes(limit)} the import reads of one input: ESO's objects are small, so this is not a repository's YAML; import the folders that hold them`);
}

/** The identity of a file, `<device>:<inode>`, or undefined when there is none at `path`. */
function fileIdentity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Why the module may not be written to `out` (relative to `cwd`), or undefined when it may: a symbolic
 * link (never written through), a folder or another non-file, a file that exists without `force`, a
 * folder that does not exist. Checked before any input is read; {@link outIsInput} after.
 */
export function outProblem(out: string, cwd: string, force: boolean): string | undefined {
  const path = resolve(cwd, out);
  const shown = printable(out);
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT' && errnoOf(error) !== 'ENOTDIR') return `--out ${shown}: cannot be checked: ${causeOfError(error)}`;
    try {
      if (!statSync(dirname(path)).isDirectory()) return `--out ${shown}: its folder ${printable(dirname(out))} is a file`;
    } catch (parentError) {
      return `--out ${shown}: its folder ${printable(dirname(out))} ${errnoOf(parentError) === 'ENOENT' ? 'does not exist' : `cannot be read: ${causeOfError(parentError)}`}`;
    }
    return undefined;
  }
  if (stat.isSymbolicLink()) return `--out ${shown}: is a symbolic link, and the import never writes through one: give the path it leads to, or remove the link`;
  if (stat.isDirectory()) return `--out ${shown}: is a folder: give the module's file name`;
  if (!stat.isFile()) return `--out ${shown}: is not a regular file`;
  if (!force) return `--out ${shown}: already exists: give --force to replace it`;
  return undefined;
}

/** The input `out` would overwrite (by device and inode, so a hard link or a path through a link counts), or undefined. */
export function outIsInput(out: string, cwd: string, inputs: ReadonlyMap<string, string>): string | undefined {
  const id = fileIdentity(resolve(cwd, out));
  return id === undefined ? undefined : inputs.get(id);
}

/**
 * Writes `text` to `path` atomically: into a new temporary file beside it (created exclusively, so it
 * never follows a link), flushed to disk, then moved into place by one rename (with `force`) or by a
 * hard link that fails if a file appeared there meanwhile. A failure leaves `path` as it was, and
 * throws an InputError naming the file and the cause.
 */
export function writeModuleAtomically(path: string, text: string, force: boolean, shown: string): void {
  const dir = dirname(path);
  removeDeadTemporaries(dir, basename(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, 'wx', 0o666);
    created = true;
    try {
      const data = Buffer.from(text, 'utf8');
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (force) {
      // rename() replaces a link itself, never the file it leads to.
      renameSync(tmp, path);
    } else {
      try {
        linkSync(tmp, path);
      } catch (error) {
        // A file system without hard links: the target was checked to be absent just before.
        if (errnoOf(error) !== 'EPERM' && errnoOf(error) !== 'ENOTSUP' && errnoOf(error) !== 'EOPNOTSUPP') throw error;
        renameSync(tmp, path);
        created = false;
      }
    }
    syncFolder(dir);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST' && created) throw new InputError(`--out ${printable(shown)}: was created while the import ran: give --force to replace it`);
    throw new InputError(`cannot write --out ${printable(shown)}: ${causeOfError(error)}; it is unchanged`);
  } finally {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // renamed into place already
      }
    }
  }
}

/**
 * Removes what an import killed while writing `name` left beside it: its temporary files
 * (`.<name>.<pid>-<random>.tmp`) of processes that no longer run. Another import that runs keeps its own.
 */
function removeDeadTemporaries(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    const pid = entry.startsWith(prefix) ? /^(\d+)-[a-z0-9]+\.tmp$/.exec(entry.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || isRunning(Number(pid))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      // gone already, or not ours to remove: left
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

/** Flushes a folder's entries (the rename) to disk, where the file system allows it. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder: the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
