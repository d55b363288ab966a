// An exception from the user's own code (the declaration module, a template function, a chart
// contributor) is the declaration's mistake, not a bug of the library: it is reported with the file
// and line that threw, from the stack frame in the user's file, without the library's stack.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  for (const frame of framesOf(error.stack)) {
    if (isWithin(frame.file, LIBRARY)) return undefined;
    if (frame.file.split(sep).includes('node_modules')) continue;
    return original(frame);
  }
  return undefined;
}

/** `src/declaration.ts:12:7`: relative to the working directory when inside it. */
export function formatLocation(at: CodeLocation): string {
  const rel = relative(process.cwd(), at.file);
  return `${rel.startsWith('..') || isAbsolute(rel) ? at.file : rel}:${at.line}:${at.column}`;
}

/** `Error: boom`, or the value thrown when it is not an Error. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return `${JSON.stringify(error) ?? String(error)} (thrown, not an Error)`;
  } catch {
    return `${String(error)} (thrown, not an Error)`;
  }
}

/**
 * The report of an exception the user's own code threw: `the declaration threw at <file:line:col>:
 * <Error: message>`. Undefined for anything the library threw. A thrown value that is not an Error
 * has no stack; only user code throws one, so it is reported too, without a place.
 */
export function describeDeclarationError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return `the declaration threw ${describeThrown(error)}`;
  const at = userCodeLocation(error);
  return at === undefined ? undefined : `the declaration threw at ${formatLocation(at)}: ${describeThrown(error)}`;
}
