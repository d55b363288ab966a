#!/usr/bin/env node
// npm run validate [-- dir-or-file ...]: kubeconform -strict over manifests/ (or the given paths) against
// the committed schemas/ (generated from crds/ by scripts/crd-schemas.mjs), offline. Only the local
// schemas are used: kubeconform's default (Kubernetes built-in kinds) is a download, and the manifests
// hold CRD kinds only. A kind without a schema is an error, never skipped; and the run fails unless every
// object of the YAML files was validated.
//
// kubeconform: $KUBECONFORM_BIN, else the one `npm run engines` installed (engines.json), else on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

export const SCHEMA_LOCATION = 'schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json';
const ROOT = new URL('..', import.meta.url).pathname;

function kubeconform() {
  if (process.env.KUBECONFORM_BIN) return process.env.KUBECONFORM_BIN;
  const dir = process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines');
  const file = join(dir, 'engines.json');
  const recorded = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).kubeconform?.path : undefined;
  return recorded && existsSync(recorded) ? recorded : 'kubeconform';
}

function yamlFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
}

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['manifests'];
const objects = paths
  .flatMap(yamlFiles)
  .flatMap((file) => YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS()))
  .filter((doc) => doc !== null && doc !== undefined).length;

const bin = kubeconform();
const args = ['-strict', '-summary', '-schema-location', SCHEMA_LOCATION, ...paths];
const run = spawnSync(bin, args, { cwd: ROOT, encoding: 'utf8' });
if (run.error) {
  console.error(`validate: cannot run ${bin} (${run.error.message}); install it with \`npm run engines\` or set KUBECONFORM_BIN`);
  process.exit(2);
}
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
if (run.status !== 0) process.exit(run.status ?? 1);

const summary = /Summary: (\d+) resources? found in \d+ files? - Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(run.stdout);
if (!summary) {
  console.error('validate: no summary line in the kubeconform output');
  process.exit(1);
}
const [found, valid, invalid, errors, skipped] = summary.slice(1).map(Number);
if (found !== objects || valid !== objects || invalid + errors + skipped !== 0) {
  console.error(`validate: ${objects} objects in ${paths.join(' ')}, but kubeconform found ${found} and validated ${valid} (skipped ${skipped})`);
  process.exit(1);
}
console.log(`validate: all ${objects} objects valid against schemas/ (strict)`);
