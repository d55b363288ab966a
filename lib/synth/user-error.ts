// An exception from the user's own code (the declaration module, a template function, a chart
// contributor) is the declaration's mistake, not a bug of the library: it is reported with the file
// and line that threw, from the stack frame in the user's file, without the library's stack.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProxy, oneLine, showText, showValue } from '../catalog';

/** The library's own modules: this folder's parent (`lib/`, `dist/lib/` or `dist/swc/lib/`). */
const LIBRARY = resolve(__dirname, '..');

/** A place in a file, 1-based, as editors show it. */
export interface CodeLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The frames of a V8 stack trace that name a file: `at f (file:1:2)` and `at file:1:2`. */
function framesOf(stack: string): CodeLocation[] {
  const frames: CodeLocation[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!match) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    if (!isAbsolute(file)) continue; // node:internal/..., <anonymous>, evalmachine
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/** The source map a compiled file names (inline, or a file beside it), or undefined. */
function sourceMapOf(file: string): { map: SourceMap; dir: string } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
    if (url === undefined) return undefined;
    const inline = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.+)$/.exec(url);
    const mapFile = inline ? undefined : resolve(dirname(file), url);
    if (mapFile !== undefined && !existsSync(mapFile)) return undefined;
    const payload = JSON.parse(inline ? Buffer.from(inline[1], 'base64').toString('utf8') : readFileSync(mapFile!, 'utf8'));
    return { map: new SourceMap(payload), dir: dirname(mapFile ?? file) };
  } catch {
    return undefined;
  }
}

/** `at` in the source the compiled file came from, when it carries a source map; else `at` itself. */
function original(at: CodeLocation): CodeLocation {
  const found = sourceMapOf(at.file);
  if (!found) return at;
  const entry = found.map.findEntry(at.line - 1, at.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) return at;
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(found.dir, entry.originalSource);
  return { file: source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

/**
 * Where the user's code threw `error`: the first frame that is neither node's nor a package's in
 * node_modules, when that frame is outside the library. Undefined when the library threw (a bug) or
 * the error has no stack.
 */
export function userCodeLocation(error: unknown): CodeLocation | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  for (const frame of framesOf(stack)) {
    if (isWithin(frame.file, LIBRARY)) return undefined;
    if (frame.file.split(sep).includes('node_modules')) continue;
    return original(frame);
  }
  return undefined;
}

/**
 * The stack of an Error, or undefined: none, removed, or one that cannot be formatted (formatting runs
 * Error.prepareStackTrace, which may read a message getter that throws).
 */
function stackOf(error: unknown): string | undefined {
  if (isProxy(error) || !(error instanceof Error)) return undefined;
  try {
    const stack = dataProperty(error, 'stack');
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

/** `src/declaration.ts:12:7`: relative to the working directory when inside it. */
export function formatLocation(at: CodeLocation): string {
  const rel = relative(process.cwd(), at.file);
  return `${rel.startsWith('..') || isAbsolute(rel) ? at.file : rel}:${at.line}:${at.column}`;
}

/** A property of `object` or its prototypes, read without running a getter: a getter is shown as one. */
export function dataProperty(object: object, key: string): unknown {
  for (let at: object | null = object; at !== null; at = Object.getPrototypeOf(at)) {
    const descriptor = Object.getOwnPropertyDescriptor(at, key);
    if (descriptor !== undefined) return 'value' in descriptor ? descriptor.value : 'a getter';
  }
  return undefined;
}

/**
 * `Error: boom`, or the value thrown when it is not an Error; on one line, escaped and a long text cut,
 * as every message shows a value. Never throws, runs no getter, enters no Proxy: the value is the
 * user's, and its toString, toJSON or traps may throw themselves.
 */
function describeThrown(error: unknown): string {
  if (!isThrownError(error)) return `${showValue(error)} (thrown, not an Error)`;
  const name = dataProperty(error, 'name');
  const message = dataProperty(error, 'message');
  return `${typeof name === 'string' && name !== '' ? showText(name) : 'Error'}: ${typeof message === 'string' ? showText(message) : showValue(message)}`;
}

/** Whether `error` is an Error, found without entering a Proxy (instanceof would run its getPrototypeOf trap). */
function isThrownError(error: unknown): error is Error {
  return !isProxy(error) && error instanceof Error;
}

/**
 * Why a module of the user's could not be loaded, as one line, or undefined when `error` is no such
 * failure: a module that does not parse (V8's stack of a compile error starts with `<file>:<line>`), or
 * one that the user's code imports and that does not exist (Node's MODULE_NOT_FOUND). Not the
 * declaration's mistake but its build's: the entry points exit 2 with it (docs/library.md).
 */
export function describeModuleFailure(error: unknown): string | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  const message = dataProperty(error as Error, 'message');
  const text = typeof message === 'string' ? showText(message.split('\n')[0]) : 'it cannot be read';
  const parsing = error instanceof SyntaxError ? /^(.+?):(\d+)\n/.exec(stack) : null;
  if (parsing && isAbsolute(parsing[1])) {
    const where = oneLine(formatLocation({ file: parsing[1], line: Number(parsing[2]), column: 1 }).replace(/:1$/, ''));
    return `${where}: ${text}: the module is not JavaScript that loads; fix it, then run again`;
  }
  if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
    const at = userCodeLocation(error);
    const wanted = /^Cannot find module '([^']*)'/.exec(typeof message === 'string' ? message : '')?.[1];
    if (at !== undefined && wanted !== undefined) {
      return `the module ${showValue(wanted)} imported at ${oneLine(formatLocation(at))} does not exist: build it, install it, or fix the import`;
    }
  }
  return undefined;
}

/**
 * The report of an exception the user's own code threw: `the declaration threw at <file:line:col>:
 * <Error: message>`. Undefined for anything the library threw. A thrown value that is not an Error
 * has no stack, nor has an Error whose stack was taken away; only user code throws those, so they are
 * reported too, without a place.
 */
export function describeDeclarationError(error: unknown): string | undefined {
  if (!isThrownError(error)) return `the declaration threw ${describeThrown(error)}`;
  if (stackOf(error) === undefined) return `the declaration threw ${describeThrown(error)} (it has no stack, so no place is known)`;
  const at = userCodeLocation(error);
  return at === undefined ? undefined : `the declaration threw at ${oneLine(formatLocation(at))}: ${describeThrown(error)}`;
}
