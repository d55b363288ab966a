import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import type { DocumentOrigin, ImportNote, ImportRefusal } from './model';

/** The API group of ESO's objects. */
export const ESO_API_GROUP = 'external-secrets.io';

/** One input text: a file's content, or stdin's (`-`). */
export interface ImportText {
  /** As printed in messages: the path as given or found under a folder, or `-` for stdin. */
  readonly file: string;
  readonly text: string;
}

/** One YAML document of an input, parsed. Empty documents (a trailing `---`) are left out. */
export interface SourceDocument extends DocumentOrigin {
  readonly value: unknown;
}

const YAML_FILE = /\.ya?ml$/;

/**
 * The files named by `inputs`: each file as given, each folder searched recursively for `*.yaml` and
 * `*.yml` in name order, `-` for stdin. Throws an Error naming an input that cannot be read.
 */
export function listInputFiles(inputs: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      // Hidden folders (.git, .github) and installed packages hold no manifests of the repository's own.
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (YAML_FILE.test(name)) files.push(full);
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
    } catch {
      throw new Error(`${input}: no such file or folder`);
    }
    if (isDir) {
      // Files are named as the folder was: relative to the working folder, or absolute.
      const before = files.length;
      walk(resolve(cwd, input));
      if (!isAbsolute(input)) for (let i = before; i < files.length; i++) files[i] = relative(cwd, files[i]);
    } else {
      files.push(input);
    }
  }
  return files;
}

/** Reads one listed file (relative to `cwd`); stdin is read by the caller. */
export function readInputFile(file: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * The documents of every input text, in order. A document YAML cannot parse is a refusal: its values
 * may be anything, so the message quotes YAML's position, never the text.
 */
export function parseDocuments(texts: readonly ImportText[]): { documents: SourceDocument[]; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const documents: SourceDocument[] = [];
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  for (const { file, text } of texts) {
    const parsed = YAML.parseAllDocuments(text, { uniqueKeys: false });
    // parseAllDocuments returns an EmptyStream (not an array) for an empty text.
    const list = Array.isArray(parsed) ? parsed : [];
    list.forEach((doc, index) => {
      const document = index + 1;
      if (doc.errors.length > 0) {
        const first = doc.errors[0];
        const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
        const problem = `is not valid YAML (${first.code}${where})`;
        // A folder of a real repository holds Helm templates and other files that are not plain YAML:
        // only one that names ESO's API could be an ExternalSecret the import would drop.
        if (text.includes(ESO_API_GROUP)) refusals.push({ file, document, object: '', field: '', rule: `${problem}: it names ${ESO_API_GROUP}, so it may hold an ExternalSecret; render it first (helm template, kustomize build)` });
        else notes.push({ file, document, object: '', text: `${problem} and names no ${ESO_API_GROUP} object: skipped` });
        return;
      }
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) return;
      documents.push({ file, document, value });
    });
  }
  return { documents, refusals, notes };
}
