import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

/**
 * Validates objects against the openAPIV3Schema of the vendored CRDs (crds/), with ajv. Object
 * schemas are closed (additionalProperties: false) unless they preserve unknown fields: the API
 * server would silently prune an unknown field, and Argo CD would then diff forever.
 */
type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  default?: unknown;
  type?: string;
};

interface CrdVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: Schema;
}

const CRD_DIR = join(__dirname, '..', '..', 'crds');

/** CRD files by the kind they define, read from each file's `names.kind` line without parsing it. */
function crdFilesByKind(): Map<string, string> {
  const files = new Map<string, string>();
  for (const sub of readdirSync(CRD_DIR)) {
    for (const file of readdirSync(join(CRD_DIR, sub)).filter((f) => f.endsWith('.yaml'))) {
      const path = join(CRD_DIR, sub, file);
      const kind = /^ {4}kind: (\w+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
      if (kind) files.set(kind, path);
    }
  }
  return files;
}

/**
 * Every test file has its own module registry, so without a cache each one would parse the same CRDs
 * and compile the same validators again (about 3 s of a `npm test` on 2 cores). Both are kept on disk,
 * named by the SHA-256 of what they are made from, so a changed CRD, transformation or ajv version
 * is never served from a stale entry: the parsed CRD by the YAML text, the validator (ajv's standalone
 * code of the same compiled schema) by the schema, the ajv options and the ajv version.
 */
const CACHE_DIR = join(__dirname, '..', '..', 'node_modules', '.cache', 'homelab-secrets-tests');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function cached(name: string, make: () => string): string {
  const file = join(CACHE_DIR, name);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const content = make();
    mkdirSync(CACHE_DIR, { recursive: true });
    // written whole, then renamed: a parallel test worker reads either nothing or all of it
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return content;
  }
}

/** The served versions of one kind's CRD. Parsed on demand: the large CRDs take ~0.5 s each. */
function loadCrdVersions(kind: string): CrdVersion[] {
  const path = crdFiles.get(kind);
  if (!path) return [];
  const text = readFileSync(path, 'utf8');
  const crd = JSON.parse(cached(`crd-${sha256(text)}.json`, () => JSON.stringify(YAML.parse(text))));
  return crd.spec.versions
    .filter((version: any) => version.served)
    .map((version: any) => ({
      apiVersion: `${crd.spec.group}/${version.name}`,
      kind: crd.spec.names.kind,
      schema: version.schema.openAPIV3Schema,
    }));
}

/**
 * The part of a CRD schema our objects may use. `status` (and Argo CD's `operation`) are written by
 * controllers, never by us, so they are dropped and the closed root refuses them; that also spares
 * compiling most of the 400-700 KB schemas in every test file.
 */
function authorable(schema: Schema): Schema {
  const { status: _status, operation: _operation, ...properties } = schema.properties ?? {};
  return { ...schema, properties };
}

function closeObjects(schema: Schema): Schema {
  const copy: Schema = { ...schema };
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, child]) => [name, closeObjects(child)]),
    );
    if (copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
      copy.additionalProperties = false;
    }
  }
  if (copy.items) copy.items = closeObjects(copy.items);
  if (typeof copy.additionalProperties === 'object') copy.additionalProperties = closeObjects(copy.additionalProperties);
  return copy;
}

const crdFiles = crdFilesByKind();
const versionsByKind = new Map<string, CrdVersion[]>();
const AJV_OPTIONS = { strict: false, allErrors: true, code: { source: true } } as const;
// Formats the CRDs name but ajv does not know without ajv-formats; the API server checks them.
const KNOWN_FORMATS = ['int-or-string', 'date-time', 'byte', 'duration', 'int32', 'int64'];
const AJV_VERSION: string = require('ajv/package.json').version;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** ajv's validator of `schema`, compiled once per schema and then loaded from its standalone code. */
function compiled(schema: Schema): ValidateFunction {
  const text = JSON.stringify(schema);
  const name = `validator-${sha256(`${AJV_VERSION}\n${JSON.stringify(AJV_OPTIONS)}\n${KNOWN_FORMATS}\n${text}`)}.js`;
  const code = cached(name, () => {
    if (!ajv) {
      ajv = new Ajv(AJV_OPTIONS);
      for (const format of KNOWN_FORMATS) ajv.addFormat(format, true);
    }
    return standaloneCode(ajv, ajv.compile(JSON.parse(text)));
  });
  const module = { exports: {} as any };
  // the standalone code is CommonJS that requires ajv's runtime helpers
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return (module.exports.default ?? module.exports) as ValidateFunction;
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export function crdSchema(apiVersion: string, kind: string): Schema {
  if (!versionsByKind.has(kind)) versionsByKind.set(kind, loadCrdVersions(kind));
  const found = versionsByKind.get(kind)!.find((v) => v.apiVersion === apiVersion);
  if (!found) throw new Error(`no served CRD version for ${apiVersion} ${kind} in crds/`);
  return found.schema;
}

/** Schema errors of `object` as readable strings; empty when it is valid. */
export function crdSchemaErrors(object: { apiVersion: string; kind: string }): string[] {
  const id = key(object.apiVersion, object.kind);
  let validate = validators.get(id);
  if (!validate) {
    // metadata is typed loosely in CRDs (type: object); the API server checks it itself.
    const schema = closeObjects(authorable(crdSchema(object.apiVersion, object.kind)));
    validate = compiled(schema);
    validators.set(id, validate);
  }
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/**
 * The object as the API server stores it after structural defaulting. An object equal to its
 * defaulted form shows no diff in Argo CD.
 */
export function withCrdDefaults<T>(object: T & { apiVersion: string; kind: string }): T {
  return applyDefaults(crdSchema(object.apiVersion, object.kind), JSON.parse(JSON.stringify(object))) as T;
}

function applyDefaults(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((v) => applyDefaults(schema.items!, v)) : value;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (record[name] === undefined && child.default !== undefined) record[name] = JSON.parse(JSON.stringify(child.default));
    if (record[name] !== undefined) record[name] = applyDefaults(child, record[name]);
  }
  return record;
}
