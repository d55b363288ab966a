// What an accepted synth wrote, checked as its consumers would read it: every manifest against the
// vendored CRD schemas, ESO's webhook rules and the API server's Secret and metadata rules
// (test/support's emulations), every Terraform JSON string against HCL's template rules (nothing but
// a reference is interpolated, no directive, nothing in a field read as written), and the docs'
// tables whole. A fast first check of the outputs, as the property tests use it; the real consumers
// are the proof (test/e2e/, test/cluster/).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import { crdSchemaErrors } from '../support/crd-schema';
import { esoWebhookViolations } from '../support/eso-webhook';
import { secretViolations } from '../support/kubernetes-secret';

/** API groups whose kinds the vendored CRDs define. */
const CRD_GROUPS = ['external-secrets.io', 'argoproj.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io'];

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function qualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts[0].length <= 253 && SUBDOMAIN.test(parts[0]));
  return prefixOk && name.length <= 63 && NAME_PART.test(name);
}

/** What the API server refuses of any object's metadata: its name, namespace, labels and annotations. */
function metadataViolations(object: any): string[] {
  const meta = object?.metadata ?? {};
  const where = `${object?.kind} ${meta.namespace ?? ''}/${meta.name}`;
  const out: string[] = [];
  if (typeof meta.name !== 'string' || meta.name.length > 253 || !SUBDOMAIN.test(meta.name)) out.push(`${where}: name is not a DNS-1123 subdomain`);
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || meta.namespace.length > 63 || !LABEL.test(meta.namespace))) out.push(`${where}: namespace is not a DNS-1123 label`);
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    if (!qualifiedName(key)) out.push(`${where}: label key ${JSON.stringify(key)}`);
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !NAME_PART.test(value))) out.push(`${where}: label value ${JSON.stringify(value)}`);
  }
  let size = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    if (!qualifiedName(key)) out.push(`${where}: annotation key ${JSON.stringify(key)}`);
    if (typeof value !== 'string') out.push(`${where}: annotation ${JSON.stringify(key)} is not a string`);
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > 256 * 1024) out.push(`${where}: annotations hold ${size} bytes`);
  return out;
}

function filesUnder(dir: string, ending: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, ending) : ending.test(name) ? [full] : [];
  });
}

/** Every problem a consumer would have with the manifests under `dir`. */
export function manifestProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(dir, /\.ya?ml$/)) {
    const text = readFileSync(file, 'utf8');
    const shown = relative(dir, file);
    let documents: YAML.Document.Parsed[];
    try {
      documents = YAML.parseAllDocuments(text) as YAML.Document.Parsed[];
    } catch (error) {
      problems.push(`${shown}: not YAML: ${(error as Error).message}`);
      continue;
    }
    for (const document of documents) {
      if (document.errors.length > 0) {
        problems.push(`${shown}: not YAML: ${document.errors[0].message}`);
        continue;
      }
      const object = document.toJS();
      if (object === null || object === undefined) continue;
      const group = String(object.apiVersion ?? '').split('/')[0];
      // kustomize's own file (kustomization.yaml) configures kustomize: no object of the API server.
      if (group === 'kustomize.config.k8s.io') continue;
      const found = [
        ...(CRD_GROUPS.includes(group) ? crdSchemaErrors(object) : []),
        ...esoWebhookViolations(object),
        ...secretViolations(object),
        ...metadataViolations(object),
      ];
      for (const problem of found) problems.push(`${shown}: ${object.kind} ${object.metadata?.name}: ${problem}`);
    }
  }
  return problems;
}

/**
 * The in-cluster Vault the stores name must be the Service the Vault chart renders: the chart calls it
 * `fullnameOverride`, else the release name when it holds "vault", else `<release>-vault`
 * (the chart's _helpers.tpl, "vault.fullname").
 */
export function vaultServiceProblems(dir: string): string[] {
  const objects = filesUnder(dir, /\.ya?ml$/).flatMap((file) => YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS())).filter(Boolean);
  const releases = objects.flatMap((o: any) => {
    if (o.kind === 'Application' && o.spec?.source?.chart === 'vault') return [{ release: o.spec.source.helm?.releaseName ?? o.metadata.name, namespace: o.spec.destination?.namespace, values: o.spec.source.helm?.valuesObject ?? {} }];
    if (o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'vault') return [{ release: o.spec.releaseName ?? o.metadata.name, namespace: o.spec.targetNamespace, values: o.spec.values ?? {} }];
    return [];
  });
  if (releases.length !== 1) return [];
  const { release, namespace, values } = releases[0];
  const fullname = String(values.fullnameOverride ?? (String(release).includes('vault') ? release : `${release}-vault`)).slice(0, 63).replace(/-+$/, '');
  const problems: string[] = [];
  for (const store of objects.filter((o: any) => o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore')) {
    const host = new URL(store.spec.provider.vault.server).hostname;
    if (host.endsWith('.svc') && host !== `${fullname}.${namespace}.svc`) {
      problems.push(`${store.kind} ${store.metadata.name}: server ${host}, but the Vault chart's Service is ${fullname}.${namespace}.svc`);
    }
  }
  return problems;
}

/** A reference cdktf writes: `aws_kms_key.key.arn`, `data.x.y.json`, `var.x`, `local.x`, an index. */
const REFERENCE = /^(?:data\.)?[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\]|\["[^"\\]*"\])+$/;

/**
 * What HCL would evaluate in `text` beyond a reference: an interpolation of anything else, a directive.
 * `$${` and `%%{` are the escapes; `${"$"}` is the boundary's own escape of a `$` before a reference.
 */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      i += 2;
      continue;
    }
    if (text.startsWith('%{', i)) problems.push(`a directive at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
    if (!text.startsWith('${', i)) continue;
    const end = text.indexOf('}', i);
    const inner = end < 0 ? text.slice(i + 2) : text.slice(i + 2, end).trim();
    if (!(inner === '"$"' || REFERENCE.test(inner))) problems.push(`an interpolation at ${i}: ${JSON.stringify(text.slice(i, (end < 0 ? text.length : end) + 1))}`);
    if (end > i) i = end;
  }
  return problems;
}

/** Every string of the Terraform JSON, with where it is and whether Terraform reads it as written. */
function* stringsOf(value: unknown, path: readonly (string | number)[], literal: boolean): Generator<{ path: string; text: string; literal: boolean }> {
  if (typeof value === 'string') {
    yield { path: path.join('.'), text: value, literal };
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* stringsOf(item, [...path, i], literal);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    if (key === '//') continue; // cdktf's metadata comments
    const readAsWritten = literal || (path.length === 0 && key === 'terraform') || (path.length === 2 && ['output', 'variable'].includes(String(path[0])) && key === 'description');
    yield { path: `${at.join('.')} (key)`, text: key, literal: readAsWritten };
    yield* stringsOf(child, at, readAsWritten);
  }
}

/** Every problem Terraform would have with the stacks under `dir`: a string it would evaluate beyond what was meant. */
export function terraformProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(join(dir, 'stacks'), /\.tf\.json$/)) {
    const shown = relative(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${shown}: not JSON: ${(error as Error).message}`);
      continue;
    }
    for (const { path, text, literal } of stringsOf(json, [], false)) {
      if (text.includes('\uE000')) problems.push(`${shown}: ${path}: the boundary's placeholder U+E000 is left in it`);
      if (literal) {
        if (/\$\{|%\{/.test(text)) problems.push(`${shown}: ${path}: read as written, yet holds a template sequence: ${JSON.stringify(text.slice(0, 80))}`);
      } else {
        for (const problem of templateProblems(text)) problems.push(`${shown}: ${path}: ${problem}`);
      }
    }
  }
  return problems;
}

/** Markdown tables whose rows have another number of cells than their header: a value broke out of its cell. */
export function markdownTableProblems(file: string): string[] {
  if (!existsSync(file)) return [];
  const problems: string[] = [];
  // GitHub's tables split a row at every unescaped "|", inside code spans too.
  const cells = (line: string): number => line.replace(/\\\|/g, '').split('|').length;
  let header: number | undefined;
  readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    if (!line.startsWith('|')) {
      header = undefined;
      return;
    }
    if (header === undefined) header = cells(line);
    else if (cells(line) !== header) problems.push(`${file}:${index + 1}: a table row of ${cells(line) - 2} cells under a header of ${header - 2}`);
  });
  return problems;
}
