import type * as YamlModule from 'yaml';
import { decodeUtf8, describeUtf8Fault, utf8Fault } from '../utf8';
import { IMPORT_LIMITS, findInputFiles } from './files';
import type { DocumentOrigin, ImportNote, ImportRefusal } from './model';

/**
 * The yaml package, loaded by the first import that reads YAML: every other command of the CLI starts
 * without it (it was 40 of the 105 ms the CLI took to load).
 */
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  yamlModule ??= require('yaml') as typeof YamlModule;
  return yamlModule;
}

/** The API group of ESO's objects. */
export const ESO_API_GROUP = 'external-secrets.io';

/** One input text: a file's content, or stdin's (`-`). */
export interface ImportText {
  /** As printed in messages: the path as given or found under a folder, or `(stdin)`. */
  readonly file: string;
  /** The text, or the bytes as read, which must be UTF-8. */
  readonly text: string | Uint8Array;
}

/** One YAML document of an input, parsed. Empty documents (a trailing `---`) are left out. */
export interface SourceDocument extends DocumentOrigin {
  readonly value: unknown;
}

/**
 * The files named by `inputs` (see {@link findInputFiles}, which also says what the walk skipped).
 * Throws an InputError naming an input that cannot be read.
 */
export function listInputFiles(inputs: readonly string[], cwd: string): string[] {
  return findInputFiles(inputs, cwd).files;
}

/** The tags Kubernetes's YAML reader gives no other meaning than the plain value: any other tag is refused. */
const PLAIN_TAGS: readonly string[] = ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`);

/** What YAML's error and warning codes mean, for the message. */
const YAML_CODES: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'a mapping holds the same key twice, and tools differ in which one they keep',
  TAG_RESOLVE_FAILED: 'a tag Kubernetes does not read',
  RESOURCE_EXHAUSTION: 'nested too deeply',
  BAD_ALIAS: 'an alias to no anchor',
};

/** Options of {@link parseDocuments}. */
export interface ParseOptions {
  /** @default IMPORT_LIMITS.aliases */
  readonly aliases?: number;
}

/**
 * The documents of one YAML stream, in order. A document that YAML cannot read as Kubernetes would
 * (a syntax error, a duplicate key, a tag, an alias bomb) is refused when the text names ESO's API,
 * and skipped with a note otherwise; the message gives YAML's position, never the text, whose values
 * may be anything.
 */
export function parseStream(file: string, text: string, options: ParseOptions = {}): { documents: SourceDocument[]; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const documents: SourceDocument[] = [];
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  const eso = text.includes(ESO_API_GROUP);
  // A folder of a real repository holds Helm templates and other files that are not plain YAML:
  // only one that names ESO's API could hold an ExternalSecret the import would drop.
  const problem = (document: number, what: string): void => {
    if (eso) refusals.push({ file, document, object: '', field: '', rule: `${what}: it names ${ESO_API_GROUP}, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)` });
    else notes.push({ file, document, object: '', text: `${what} and names no ${ESO_API_GROUP} object: skipped` });
  };
  const YAML = yaml();
  let parsed: ReturnType<typeof YAML.parseAllDocuments>;
  try {
    // Merge keys (<<) as Kubernetes's YAML reader reads them; warnings stay in the documents, not on the console.
    parsed = YAML.parseAllDocuments(text, { merge: true, uniqueKeys: true, logLevel: 'silent' });
  } catch (error) {
    problem(0, `cannot be read as YAML (${error instanceof Error ? error.name : 'error'})`);
    return { documents, refusals, notes };
  }
  // parseAllDocuments returns an EmptyStream (not an array) for an empty text.
  const list = Array.isArray(parsed) ? parsed : [];
  list.forEach((doc, index) => {
    const document = index + 1;
    const first = doc.errors[0] ?? doc.warnings[0];
    if (first) {
      const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
      const meaning = YAML_CODES[first.code] ? `: ${YAML_CODES[first.code]}` : '';
      problem(document, `is not valid YAML (${first.code}${where}${meaning})`);
      return;
    }
    let tag: string | undefined;
    let line: number | undefined;
    YAML.visit(doc, (_key, node) => {
      if (YAML.isNode(node) && node.tag !== undefined && !PLAIN_TAGS.includes(node.tag)) {
        tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
        line = node.range ? lineOf(text, node.range[0]) : undefined;
        return YAML.visit.BREAK;
      }
      return undefined;
    });
    if (tag !== undefined) {
      problem(document, `has the tag ${JSON.stringify(tag)}${line !== undefined ? ` at line ${line}` : ''}, which Kubernetes reads as no such type`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.aliases ?? IMPORT_LIMITS.aliases });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problem(document, /excessive alias count/i.test(message)
        ? `expands its aliases more than ${options.aliases ?? IMPORT_LIMITS.aliases} times, as a "billion laughs" document does`
        : `cannot be read as YAML (${/merge/i.test(message) ? 'a merge key (<<) of something that is not a mapping' : /alias/i.test(message) ? 'an alias to no anchor' : 'an invalid document'})`);
      return;
    }
    if (value === null || value === undefined) return;
    // A byte-order mark may start the stream only: after a "---" it is part of the first key.
    if (typeof value === 'object' && Object.keys(value).some((k) => k.startsWith('\uFEFF'))) {
      problem(document, 'starts with a byte-order mark (U+FEFF) after "---": only the first byte of a file may be one; remove it');
      return;
    }
    documents.push({ file, document, value });
  });
  return { documents, refusals, notes };
}

/** The 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The documents of every input, in order. An input given as bytes must be UTF-8 text: one that is not
 * is refused (or skipped with a note when it names no ESO object), with the offset of the first byte
 * that is not.
 */
export function parseDocuments(texts: readonly ImportText[], options: ParseOptions = {}): { documents: SourceDocument[]; refusals: ImportRefusal[]; notes: ImportNote[] } {
  const documents: SourceDocument[] = [];
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  for (const { file, text: content } of texts) {
    let text: string;
    if (typeof content === 'string') {
      text = content;
    } else {
      const fault = utf8Fault(content);
      if (fault) {
        const what = `is not UTF-8 text (${describeUtf8Fault(fault)})`;
        if (Buffer.from(content).includes(ESO_API_GROUP)) refusals.push({ file, document: 0, object: '', field: '', rule: `${what}: it names ${ESO_API_GROUP}, so it may hold an ExternalSecret; save it as UTF-8` });
        else notes.push({ file, document: 0, object: '', text: `${what} and names no ${ESO_API_GROUP} object: skipped` });
        continue;
      }
      text = decodeUtf8(content);
    }
    const parsed = parseStream(file, text, options);
    documents.push(...parsed.documents);
    refusals.push(...parsed.refusals);
    notes.push(...parsed.notes);
  }
  return { documents, refusals, notes };
}
