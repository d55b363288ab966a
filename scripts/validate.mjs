#!/usr/bin/env node
// npm run validate [-- dir-or-file ...]: kubeconform -strict over manifests/ (or the given paths) against
// the committed schemas/ (generated from crds/ by scripts/crd-schemas.mjs), offline. Only the local
// schemas are used: kubeconform's default (Kubernetes built-in kinds) is a download. The manifests hold
// CRD kinds, and in namespace isolation one core kind, ServiceAccount: that one is skipped by name and
// said so (the unit tests check it exactly). Any other kind without a schema is an error; and the run
// fails unless every other object of the YAML files was validated.
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

/** Core kinds the manifests may hold, which have no offline schema. */
const CORE_KINDS = ['ServiceAccount'];

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['manifests'];
const documents = paths
  .flatMap(yamlFiles)
  .flatMap((file) => YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS()))
  .filter((doc) => doc !== null && doc !== undefined);
const core = documents.filter((doc) => doc.apiVersion === 'v1' && CORE_KINDS.includes(doc.kind)).length;
const objects = documents.length;

const bin = kubeconform();
const args = ['-strict', '-summary', '-schema-location', SCHEMA_LOCATION, ...(core > 0 ? ['-skip', CORE_KINDS.join(',')] : []), ...paths];
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
if (found !== objects || valid !== objects - core || skipped !== core || invalid + errors !== 0) {
  console.error(`validate: ${objects} objects in ${paths.join(' ')}, but kubeconform found ${found} and validated ${valid} (skipped ${skipped})`);
  process.exit(1);
}
console.log(core === 0
  ? `validate: all ${objects} objects valid against schemas/ (strict)`
  : `validate: all ${objects - core} objects of CRD kinds valid against schemas/ (strict); ${core} ServiceAccounts skipped: their schema is Kubernetes' own, a download`);
