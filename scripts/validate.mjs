#!/usr/bin/env node
// npm run validate [-- dir-or-file ...]: kubeconform -strict against the committed schemas/ (generated
// from crds/ by scripts/crd-schemas.mjs), offline, over the given paths; without paths over manifests/
// and over the homelab's Flux tree (the same declaration with gitops 'flux', synthesized by apps/flux into
// a temporary folder, since the committed homelab is Argo CD's). Only the local schemas are used:
// kubeconform's default (Kubernetes built-in kinds) is a download. The manifests hold CRD kinds, and two
// kinds without one: ServiceAccount in namespace isolation (Kubernetes' own), and the Flux tree's
// kustomization.yaml files (kustomize's own kind, kustomize.config.k8s.io/v1beta1 Kustomization, which the
// tests check in test/flux). Those are skipped by kind and said so (the unit tests check it exactly);
// any other kind without a schema is an error; and the run fails unless every other object of the YAML
// files was validated.
//
// kubeconform: $KUBECONFORM_BIN, else the one `npm run engines` installed (engines.json), else on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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
/** The Flux tree's kustomization.yaml files: kustomize's own kind, not a CRD (kubeconform skips a GVK as group/version/kind). */
const KUSTOMIZE_API_VERSION = 'kustomize.config.k8s.io/v1beta1';
const KUSTOMIZE_GVK = `${KUSTOMIZE_API_VERSION}/Kustomization`;

/** Synthesizes the homelab's Flux tree into a temporary repository (apps/flux); returns its root. */
function synthFluxTree() {
  const repository = mkdtempSync(join(tmpdir(), 'homelab-secrets-validate-flux-'));
  const synth = spawnSync(process.execPath, [join(ROOT, 'scripts', 'synth.mjs'), 'apps/flux'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOMELAB_SECRETS_OUTDIR: repository },
  });
  if (synth.status !== 0) {
    rmSync(repository, { recursive: true, force: true });
    console.error(`validate: synthesizing the Flux tree failed:\n${synth.stdout}${synth.stderr}`);
    process.exit(1);
  }
  return repository;
}

function validate(paths) {
  const documents = paths
    .flatMap(yamlFiles)
    .flatMap((file) => YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS()))
    .filter((doc) => doc !== null && doc !== undefined);
  const core = documents.filter((doc) => doc.apiVersion === 'v1' && CORE_KINDS.includes(doc.kind)).length;
  const kustomize = documents.filter((doc) => doc.apiVersion === KUSTOMIZE_API_VERSION && doc.kind === 'Kustomization').length;
  const skip = [...(core > 0 ? CORE_KINDS : []), ...(kustomize > 0 ? [KUSTOMIZE_GVK] : [])];
  const objects = documents.length;

  const bin = kubeconform();
  const args = ['-strict', '-summary', '-schema-location', SCHEMA_LOCATION, ...(skip.length > 0 ? ['-skip', skip.join(',')] : []), ...paths];
  const run = spawnSync(bin, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.error) {
    console.error(`validate: cannot run ${bin} (${run.error.message}); install it with \`npm run engines\` or set KUBECONFORM_BIN`);
    return 2;
  }
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) return run.status ?? 1;

  const summary = /Summary: (\d+) resources? found in \d+ files? - Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)/.exec(run.stdout);
  if (!summary) {
    console.error('validate: no summary line in the kubeconform output');
    return 1;
  }
  const [found, valid, invalid, errors, skipped] = summary.slice(1).map(Number);
  const unchecked = core + kustomize;
  if (found !== objects || valid !== objects - unchecked || skipped !== unchecked || invalid + errors !== 0) {
    console.error(`validate: ${objects} objects in ${paths.join(' ')}, but kubeconform found ${found} and validated ${valid} (skipped ${skipped})`);
    return 1;
  }
  const skippedNotes = [
    ...(core > 0 ? [`${core} ServiceAccounts skipped: their schema is Kubernetes' own, a download`] : []),
    ...(kustomize > 0 ? [`${kustomize} kustomization.yaml files skipped: kustomize's own kind, checked by test/flux`] : []),
  ];
  console.log(unchecked === 0
    ? `validate: all ${objects} objects valid against schemas/ (strict)`
    : `validate: all ${objects - unchecked} objects of CRD kinds valid against schemas/ (strict); ${skippedNotes.join('; ')}`);
  return 0;
}

const given = process.argv.slice(2);
if (given.length > 0) {
  process.exitCode = validate(given);
} else {
  const repository = synthFluxTree();
  try {
    console.log(`validate: manifests/ and the homelab's Flux tree (apps/flux, synthesized into ${repository})`);
    process.exitCode = validate(['manifests', repository]);
  } finally {
    rmSync(repository, { recursive: true, force: true });
  }
}
