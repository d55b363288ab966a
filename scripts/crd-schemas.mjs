#!/usr/bin/env node
// Regenerates schemas/ from the vendored CRDs in crds/, offline: one JSON schema per served CRD version,
// in the layout kubeconform reads with
//   -schema-location 'schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'
// e.g. schemas/external-secrets.io/externalsecret_v1.json. `npm run validate` runs kubeconform with it.
//
// What it does to each version's openAPIV3Schema, walking it as a schema (so a field that is literally
// named `properties`, as ESO v2.9's SecretStore/ClusterSecretStore have, is a field like any other:
// kubeconform's openapi2jsonschema.py looks for the key "properties" in every dict and so writes
// `additionalProperties: false` into the field map, a schema kubeconform then cannot load):
// - strict, like openapi2jsonschema's strict mode (and the root too): a schema with `properties` and
//   neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true` gets
//   `additionalProperties: false`, so a misspelt field fails validation;
// - `nullable: true` becomes a "null" in `type` (kubeconform reads the schemas as JSON Schema draft 4,
//   which has no `nullable`);
// - `x-kubernetes-int-or-string: true` without `anyOf`/`oneOf` gets `anyOf: [integer, string]`.
// Versions that are not served are left out, as in imports/: the API server refuses them.
//
// Usage: node scripts/crd-schemas.mjs [crds-dir] [out-dir]   (defaults: crds schemas)
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of one JSON schema node (and every schema below it) made strict and draft-4 readable. */
export function convertSchema(node) {
  if (!isMap(node)) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case 'properties':
      case 'patternProperties':
      case 'definitions':
        // a map of name -> schema: the names (e.g. a field called "properties") are never keywords
        out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convertSchema(schema)]));
        break;
      case 'items':
        out[key] = Array.isArray(value) ? value.map(convertSchema) : convertSchema(value);
        break;
      case 'additionalProperties':
      case 'additionalItems':
      case 'not':
        out[key] = convertSchema(value);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = value.map(convertSchema);
        break;
      default:
        // keywords whose values are data (enum, default, example, required, description, ...)
        out[key] = value;
    }
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out['x-kubernetes-int-or-string'] === true && !out.anyOf && !out.oneOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if ('properties' in out && !('additionalProperties' in out) && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** The schema files of one parsed CRD: relative path -> schema. */
export function crdSchemas(crd) {
  const files = {};
  const { group, names } = crd.spec;
  for (const version of crd.spec.versions ?? []) {
    const schema = version.schema?.openAPIV3Schema;
    if (!version.served || !schema) continue;
    files[`${group}/${names.kind.toLowerCase()}_${version.name}.json`] = convertSchema(schema);
  }
  return files;
}

function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}

/** Every schema of every CRD under crdsDir: relative path -> file content. */
export function generate(crdsDir) {
  const out = {};
  for (const file of yamlFiles(crdsDir)) {
    for (const doc of YAML.parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const [path, schema] of Object.entries(crdSchemas(crd))) {
        if (path in out) throw new Error(`${relative(process.cwd(), file)}: ${path} is defined twice`);
        out[path] = `${JSON.stringify(schema, null, 2)}\n`;
      }
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [crdsDir = 'crds', outDir = 'schemas'] = process.argv.slice(2);
  const files = generate(crdsDir);
  // its group folders hold generated files only: emptied first, so a dropped CRD version leaves nothing behind
  mkdirSync(outDir, { recursive: true });
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (entry.isDirectory()) rmSync(join(outDir, entry.name), { recursive: true, force: true });
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(outDir, path, '..'), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  process.stdout.write(`${Object.keys(files).length} schemas from ${crdsDir}/ in ${outDir}/:\n${Object.keys(files).map((f) => `  ${f}\n`).join('')}`);
}
