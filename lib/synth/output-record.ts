// How the synth knows which files are its own. Every output carries a record of the files the synth
// wrote: a folder in `<folder>/.homelab-secrets-synth`, a single file beside it in
// `.<file>.homelab-secrets-synth`. The name ends in no .yaml, .yml or .json, so Argo CD, Flux,
// kustomize and kubeconform never read it. The next synth replaces exactly the recorded files (and
// what the part takes over, such as `terraform init`'s `.terraform/`); any other file stops it before
// anything moves, naming the file.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, displayPath } from './output-error';

/** The record's file name inside an output folder, and the suffix of a single file's record beside it. */
export const OUTPUT_RECORD = '.homelab-secrets-synth';

/** Where the record of an output lives. */
export function recordPathOf(kind: 'dir' | 'file', target: string): string {
  return kind === 'dir' ? join(target, OUTPUT_RECORD) : join(dirname(target), `.${basename(target)}${OUTPUT_RECORD}`);
}

const HEADER = [
  '# Written by the homelab-secrets synth: the files of this output it wrote, which the next synth replaces.',
  '# Any other file in the output stops the synth before anything changes. Do not edit.',
];

/** The record's text: the header, then one relative path per line, sorted. */
export function renderRecord(files: readonly string[]): string {
  return [...HEADER, ...[...files].sort(), ''].join('\n');
}

/** The paths a record lists, or undefined when there is no record. */
export function readRecord(path: string): Set<string> | undefined {
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  return new Set(lines.filter((line) => line !== '' && !line.startsWith('#')));
}

/** Every entry under `dir` that is not a folder (files, symbolic links, others), relative, sorted; folders are walked, links not followed. */
export function entriesUnder(dir: string, skip: (rel: string) => boolean = () => false, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).sort().flatMap((name) => {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (skip(rel)) return [];
    return lstatSync(join(dir, rel)).isDirectory() ? entriesUnder(dir, skip, rel) : [rel];
  });
}

/** Whether two paths are regular files with the same bytes. */
function sameFile(a: string, b: string): boolean {
  if (!existsSync(a) || !existsSync(b)) return false;
  const [sa, sb] = [lstatSync(a), lstatSync(b)];
  return sa.isFile() && sb.isFile() && sa.size === sb.size && readFileSync(a).equals(readFileSync(b));
}

/** What an ownership check needs to know of one output. */
export interface OwnedOutput {
  readonly target: string;
  readonly kind: 'dir' | 'file';
  /** The rendered output, beside the target. */
  readonly staging: string;
  /** Entries of the previous output the part takes over although the synth did not write them. */
  readonly owns?: (relativePath: string) => boolean;
}

/**
 * The files of the existing output that the synth did not write: not in its record, not taken over by
 * the part. Without a record (an output written before records existed) a file counts as the synth's
 * only when it is byte-identical to the one this synth writes in its place.
 */
export function foreignFiles(output: OwnedOutput): string[] {
  const { target, kind, staging } = output;
  if (!existsSync(target) && !isLink(target)) return [];
  const recorded = readRecord(recordPathOf(kind, target));
  if (kind === 'file') {
    return recorded?.has(basename(target)) || sameFile(target, staging) ? [] : [target];
  }
  const owns = output.owns ?? (() => false);
  return entriesUnder(target, (rel) => rel === OUTPUT_RECORD || owns(rel))
    .filter((rel) => !(recorded ? recorded.has(rel) : sameFile(join(target, rel), join(staging, rel))))
    .map((rel) => join(target, rel));
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The refusal for files the synth did not write: names them (the first five) and says what to do. */
export function foreignFilesError(output: OwnedOutput, files: readonly string[]): OutputError {
  const shown = files.slice(0, 5).map(displayPath).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  const record = recordPathOf(output.kind, output.target);
  const one = files.length === 1;
  const why = existsSync(record)
    ? `${displayPath(record)} does not list ${one ? 'it' : 'them'}`
    : `there is no record ${displayPath(record)}, and ${one ? 'it differs' : 'they differ'} from what the synth writes`;
  const where = displayPath(output.kind === 'dir' ? output.target : dirname(output.target));
  return new OutputError(
    `${shown} ${one ? 'was' : 'were'} not written by the synth (${why}): move ${one ? 'it' : 'them'} out of ${where}, or delete ${one ? 'it' : 'them'} if an earlier synth wrote ${one ? 'it' : 'them'}`,
    files[0],
  );
}
