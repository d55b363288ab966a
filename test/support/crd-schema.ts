import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
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

/** The served versions of one kind's CRD. Parsed on demand: the large CRDs take ~0.5 s each. */
function loadCrdVersions(kind: string): CrdVersion[] {
  const path = crdFiles.get(kind);
  if (!path) return [];
  const crd = YAML.parse(readFileSync(path, 'utf8'));
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
const ajv = new Ajv({ strict: false, allErrors: true });
// Formats the CRDs name but ajv does not know without ajv-formats; the API server checks them.
for (const format of ['int-or-string', 'date-time', 'byte', 'duration', 'int32', 'int64']) ajv.addFormat(format, true);
const validators = new Map<string, ValidateFunction>();

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
    validate = ajv.compile(schema);
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
