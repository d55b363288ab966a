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

function loadCrdVersions(): CrdVersion[] {
  const versions: CrdVersion[] = [];
  for (const sub of readdirSync(CRD_DIR)) {
    for (const file of readdirSync(join(CRD_DIR, sub)).filter((f) => f.endsWith('.yaml'))) {
      const crd = YAML.parse(readFileSync(join(CRD_DIR, sub, file), 'utf8'));
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        versions.push({
          apiVersion: `${crd.spec.group}/${version.name}`,
          kind: crd.spec.names.kind,
          schema: version.schema.openAPIV3Schema,
        });
      }
    }
  }
  return versions;
}

function closeObjects(schema: Schema, isRoot: boolean): Schema {
  const copy: Schema = { ...schema };
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, child]) => [name, closeObjects(child, false)]),
    );
    if (!isRoot && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) {
      copy.additionalProperties = false;
    }
  }
  if (copy.items) copy.items = closeObjects(copy.items, false);
  if (typeof copy.additionalProperties === 'object') copy.additionalProperties = closeObjects(copy.additionalProperties, false);
  return copy;
}

const versions = loadCrdVersions();
const ajv = new Ajv({ strict: false, allErrors: true });
// Formats the CRDs name but ajv does not know without ajv-formats; the API server checks them.
for (const format of ['int-or-string', 'date-time', 'byte', 'duration', 'int32', 'int64']) ajv.addFormat(format, true);
const validators = new Map<string, ValidateFunction>();

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export function crdSchema(apiVersion: string, kind: string): Schema {
  const found = versions.find((v) => v.apiVersion === apiVersion && v.kind === kind);
  if (!found) throw new Error(`no served CRD version for ${apiVersion} ${kind} in crds/`);
  return found.schema;
}

/** Schema errors of `object` as readable strings; empty when it is valid. */
export function crdSchemaErrors(object: { apiVersion: string; kind: string }): string[] {
  const id = key(object.apiVersion, object.kind);
  let validate = validators.get(id);
  if (!validate) {
    const schema = closeObjects(crdSchema(object.apiVersion, object.kind), true);
    // metadata is typed loosely in CRDs; the API server checks it itself.
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
