// How a repository places its objects: kustomize overlays (`kustomization.yaml` with `namespace:`)
// and Flux Kustomizations (`spec.path`, `spec.targetNamespace`), the outermost one winning. The import
// reads every YAML file of a folder; this turns those documents into the objects the cluster gets:
// each document once per overlay that includes it, with the namespace and labels that overlay sets.
// A real kustomize, where one is installed, builds the kustomizations instead of this reading them.
import { posix } from 'node:path';
import { operands, shellCommand } from '../shell';
import { type SourceDocument, parseStream } from './documents';
import type { ImportNote, ImportRefusal } from './model';

/** The file names kustomize reads as a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The API group of Flux's Kustomization. */
export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';

/** A real kustomize the import runs over each kustomization folder that is applied. */
export interface KustomizeRunner {
  /** Which kustomize it is, as the import says: `kustomize v5.7.1 (/usr/local/bin/kustomize)`. */
  readonly description: string;
  /** The build of `dir` (as the import names it), or why it failed, without its output. */
  build(dir: string): Promise<{ readonly output: string } | { readonly error: string }>;
}

/** Options of {@link resolveLayout}. */
export interface LayoutOptions {
  /** The folders given to the import, as named in the documents' files: a Flux `spec.path` is relative to the one that holds it. */
  readonly roots: readonly string[];
  /** Builds kustomizations with a real kustomize. @default - none: the kustomization files are read */
  readonly kustomize?: KustomizeRunner;
}

/** The documents the cluster gets, with what was refused or noted about the layout. */
export interface ResolvedLayout {
  readonly documents: SourceDocument[];
  readonly refusals: ImportRefusal[];
  readonly notes: ImportNote[];
  /** How namespaces were resolved, when the input has kustomizations or Flux Kustomizations. */
  readonly resolvedWith?: string;
}

/** What an overlay does to the objects it includes. */
interface Transform {
  /** `kustomization apps/prod/kustomization.yaml`, or `Flux Kustomization flux-system/apps (clusters/home/apps.yaml document 1)`. */
  readonly source: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Fields the import does not apply itself (a prefix, patches, ...): the objects it includes are refused. */
  readonly unsupported: readonly string[];
  /** Flux's post-build substitution rewrites `${var}` in the objects: those that hold one are refused. */
  readonly substitutes: boolean;
  /** The fix for `unsupported`. */
  readonly fix: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fields of a kustomization that change objects in ways the import does not copy. */
const KUSTOMIZE_UNSUPPORTED = [
  'namePrefix', 'nameSuffix', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'replacements', 'components', 'transformers',
  'vars', 'helmCharts', 'helmChartInflationGenerator',
];

/** Fields of a kustomization that name files it reads for something other than objects (patches, generators). */
function referencedFiles(k: Json): string[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const files: unknown[] = [
    ...list(k.patchesStrategicMerge).filter((p) => typeof p === 'string' && !p.includes('\n')),
    ...list(k.patches).map((p) => (isObject(p) ? p.path : undefined)),
    ...list(k.patchesJson6902).map((p) => (isObject(p) ? p.path : undefined)),
    ...list(k.replacements).map((p) => (isObject(p) ? p.path : undefined)),
    ...list(k.transformers), ...list(k.generators), ...list(k.crds), ...list(k.components),
    ...[...list(k.configMapGenerator), ...list(k.secretGenerator)].flatMap((g) => (isObject(g) ? [...list(g.files), ...list(g.envs), g.env] : []))
      .map((f) => (typeof f === 'string' ? f.replace(/^[^=]*=/, '') : f)),
  ];
  return files.filter((f): f is string => typeof f === 'string');
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(([k, v]) => [k, String(v)]));
}

/** A path as the documents name files: posix, normalized, without a trailing slash. */
function norm(path: string): string {
  const n = posix.normalize(path.replace(/\\/g, '/'));
  return n === '/' ? n : n.replace(/\/$/, '');
}

function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes('?ref=');
}

/** One node of the layout: a kustomization folder, or the kustomization Flux makes for a folder without one. */
interface Node {
  readonly dir: string;
  /** The kustomization file, or undefined for the one Flux generates. */
  readonly file?: string;
  readonly transform: Transform;
  /** Object files and child kustomization folders, in the order kustomize reads them. */
  readonly entries: readonly ({ readonly file: string } | { readonly node: string })[];
}

/**
 * The documents the cluster gets from `documents`: each document of a file that a kustomization (or a
 * Flux Kustomization's path) includes, once per overlay above it, with the namespace, labels and
 * annotations of the overlays applied (the outermost namespace wins); documents of files no
 * kustomization governs, as written. Kustomization files and Flux Kustomizations are read, not passed
 * on; a file beside a kustomization that does not list it is skipped, as kustomize skips it.
 */
export async function resolveLayout(documents: readonly SourceDocument[], options: LayoutOptions): Promise<ResolvedLayout> {
  const refusals: ImportRefusal[] = [];
  const notes: ImportNote[] = [];
  const byFile = new Map<string, SourceDocument[]>();
  for (const doc of documents) {
    const key = norm(doc.file);
    byFile.set(key, [...(byFile.get(key) ?? []), doc]);
  }
  const files = [...byFile.keys()];
  const kustomizations = new Map<string, SourceDocument>();
  for (const file of files) {
    if (KUSTOMIZATION_FILES.includes(posix.basename(file)) && !kustomizations.has(posix.dirname(file))) {
      const doc = byFile.get(file)![0];
      if (isObject(doc.value)) kustomizations.set(posix.dirname(file), doc);
    }
  }
  const fluxDocs = documents.filter((d) => isObject(d.value) && d.value.kind === 'Kustomization' && typeof d.value.apiVersion === 'string'
    && d.value.apiVersion.startsWith(`${FLUX_KUSTOMIZE_GROUP}/`));
  if (kustomizations.size === 0 && fluxDocs.length === 0) return { documents: [...documents], refusals, notes };

  const note = (doc: SourceDocument, object: string, text: string): void => void notes.push({ file: doc.file, document: doc.document, object, text });
  const nodes = new Map<string, Node>();
  const consumed = new Set<string>();
  const kustomizeFix = options.kustomize
    ? 'the import does not apply it'
    : 'install kustomize (or kubectl) so that the import runs it, or import its output: kustomize build <folder> | homelab-secrets import -';

  // Each kustomization folder: its entries and what it does to them.
  for (const [dir, doc] of kustomizations) {
    const k = doc.value as Json;
    consumed.add(norm(doc.file));
    for (const f of referencedFiles(k)) consumed.add(norm(posix.join(dir, f)));
    const entries: Node['entries'][number][] = [];
    const list = [...(Array.isArray(k.resources) ? k.resources : []), ...(Array.isArray(k.bases) ? k.bases : [])];
    for (const entry of list) {
      if (typeof entry !== 'string') continue;
      if (isRemote(entry)) {
        note(doc, 'Kustomization', `resource ${JSON.stringify(entry)} is remote: not read; import its objects from where they live`);
        continue;
      }
      const path = norm(posix.join(dir, entry));
      if (kustomizations.has(path)) entries.push({ node: path });
      else if (byFile.has(path)) entries.push({ file: path });
      else if (files.some((f) => f.startsWith(`${path}/`))) note(doc, 'Kustomization', `resource ${JSON.stringify(entry)} is a folder without a kustomization, which kustomize refuses: not read`);
      else note(doc, 'Kustomization', `resource ${JSON.stringify(entry)} is not in the input: not read; import the folder that holds it too`);
    }
    const labels = { ...stringRecord(k.commonLabels) };
    for (const l of Array.isArray(k.labels) ? k.labels : []) if (isObject(l)) Object.assign(labels, stringRecord(l.pairs));
    nodes.set(dir, {
      dir,
      file: doc.file,
      entries,
      transform: {
        source: `kustomization ${doc.file}`,
        namespace: typeof k.namespace === 'string' && k.namespace !== '' ? k.namespace : undefined,
        labels,
        annotations: stringRecord(k.commonAnnotations),
        unsupported: KUSTOMIZE_UNSUPPORTED.filter((f) => k[f] !== undefined && !(Array.isArray(k[f]) && (k[f] as unknown[]).length === 0)),
        substitutes: false,
        fix: kustomizeFix,
      },
    });
  }

  // Each Flux Kustomization: its path (relative to the folder given that holds it), and the overlay it adds.
  const fluxRoots: { node: Node; doc: SourceDocument }[] = [];
  const consumedDocs = new Set<SourceDocument>(fluxDocs);
  for (const doc of fluxDocs) {
    const value = doc.value as Json;
    const spec = isObject(value.spec) ? value.spec : {};
    const metadata = isObject(value.metadata) ? value.metadata : {};
    const object = `Kustomization ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${String(metadata.name ?? '(no name)')}`;
    const root = options.roots.map(norm).find((r) => norm(doc.file).startsWith(`${r}/`)) ?? norm(options.roots[0] ?? '.');
    const pathSpec = typeof spec.path === 'string' ? spec.path : './';
    const dir = norm(posix.join(root, pathSpec));
    const postBuild = isObject(spec.postBuild) ? spec.postBuild : {};
    const transform: Transform = {
      source: `Flux ${object} (${doc.file} document ${doc.document})`,
      namespace: typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? spec.targetNamespace : undefined,
      labels: {},
      annotations: {},
      unsupported: ['namePrefix', 'nameSuffix', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'components'].filter((f) => spec[f] !== undefined),
      substitutes: postBuild.substitute !== undefined || postBuild.substituteFrom !== undefined,
      fix: 'the import does not apply a Flux Kustomization\'s own prefixes, patches or components: import the objects as the cluster has them (flux build kustomization <name> | homelab-secrets import -)',
    };
    if (!kustomizations.has(dir) && !files.some((f) => f.startsWith(`${dir}/`) || dir === '.')) {
      note(doc, object, `spec.path ${JSON.stringify(pathSpec)} is not in ${root}: its objects are not read; import the folder its source (${JSON.stringify(isObject(spec.sourceRef) ? spec.sourceRef.name : '')}) holds`);
      continue;
    }
    // Flux builds a folder with a kustomization as it is; for one without, it generates a kustomization
    // of every manifest below it, and of the topmost folders below it that hold a kustomization.
    const entries: Node['entries'][number][] = kustomizations.has(dir) ? [{ node: dir }] : generatedEntries(dir, files, kustomizations);
    fluxRoots.push({ doc, node: { dir, entries, transform } });
  }

  // Roots: every Flux Kustomization, and every kustomization nothing else includes.
  const included = new Set<string>();
  const walk = (node: Node, seen: Set<string>): void => {
    for (const entry of node.entries) {
      if ('node' in entry && !seen.has(entry.node)) {
        included.add(entry.node);
        walk(nodes.get(entry.node)!, new Set([...seen, entry.node]));
      }
    }
  };
  for (const node of nodes.values()) walk(node, new Set([node.dir]));
  for (const { node } of fluxRoots) walk(node, new Set());
  // A Flux root shares its folder with the kustomization it builds, so only a kustomization's own folder counts as seen.
  const roots: { node: Node; outer: readonly Transform[]; seen: ReadonlySet<string> }[] = [
    ...fluxRoots.map(({ node }) => ({ node, outer: [], seen: new Set<string>() })),
    ...[...nodes.values()].filter((n) => !included.has(n.dir)).map((node) => ({ node, outer: [], seen: new Set([node.dir]) })),
  ];

  // Expand each root: files in order, each with the transforms from the innermost overlay out.
  const instances: { doc: SourceDocument; transforms: readonly Transform[] }[] = [];
  const built: { node: Node; outer: readonly Transform[] }[] = [];
  const expand = (node: Node, outer: readonly Transform[], seen: ReadonlySet<string>): void => {
    const transforms = [node.transform, ...outer];
    // With a real kustomize, a kustomization folder is built by it; the generated one is read here.
    if (options.kustomize && node.file !== undefined) {
      built.push({ node, outer });
      markConsumed(node, nodes, consumed, new Set());
      return;
    }
    for (const entry of node.entries) {
      if ('file' in entry) {
        consumed.add(entry.file);
        for (const doc of byFile.get(entry.file) ?? []) instances.push({ doc, transforms });
      } else if (!seen.has(entry.node)) {
        expand(nodes.get(entry.node)!, transforms, new Set([...seen, entry.node]));
      }
    }
  };
  for (const { node, outer, seen } of roots) expand(node, outer, seen);

  // Every object keeps the place of the document it comes from, so that the module lists targets in
  // the repository's order whether kustomize built them or the files were read.
  const position = new Map(documents.map((doc, index) => [doc, index]));
  /** Where each object a kustomization builds comes from: the first of its own documents of that kind and name. */
  const sourcePositions = (node: Node): Map<string, number> => {
    const found = new Map<string, number>();
    const visit = (n: Node, seen: Set<string>): void => {
      for (const entry of n.entries) {
        if ('file' in entry) {
          for (const doc of byFile.get(entry.file) ?? []) {
            const key = identityKey(doc.value);
            if (key !== undefined && !found.has(key)) found.set(key, position.get(doc)!);
          }
        } else if (!seen.has(entry.node)) {
          seen.add(entry.node);
          visit(nodes.get(entry.node)!, seen);
        }
      }
    };
    visit(node, new Set([node.dir]));
    return found;
  };
  const out: { doc: SourceDocument; at: number }[] = [];
  const emitted = new Set<string>();
  const skipped = (doc: SourceDocument): boolean => consumedDocs.has(doc) || (KUSTOMIZATION_FILES.includes(posix.basename(doc.file)) && kustomizations.get(posix.dirname(norm(doc.file))) === doc);
  const emit = (doc: SourceDocument, transforms: readonly Transform[], at: number): void => {
    if (skipped(doc)) return;
    const applied = applyTransforms(doc, transforms, refusals);
    if (!applied) return;
    const meta = isObject(applied.value) && isObject(applied.value.metadata) ? applied.value.metadata : {};
    const key = `${applied.file}#${applied.document}#${String(meta.namespace ?? '')}`;
    if (emitted.has(key)) return;
    emitted.add(key);
    const via = viaOf(transforms);
    out.push({ doc: via === undefined ? applied : { ...applied, via }, at });
  };
  for (const { doc, transforms } of instances) emit(doc, transforms, position.get(doc)!);
  for (const { node, outer } of built) {
    const result = await options.kustomize!.build(node.dir);
    if ('error' in result) {
      const doc = kustomizations.get(node.dir)!;
      refusals.push({ file: doc.file, document: doc.document, object: 'Kustomization', field: '',
        rule: `could not be built: ${result.error}; run \`${shellCommand(['kustomize', 'build', ...operands(node.dir)])}\` to see why, fix it, or import with --no-kustomize` });
      continue;
    }
    // What kustomize made of no source document of its own (a prefix, a generator) follows them all.
    const sources = sourcePositions(node);
    const at = Math.max(position.get(kustomizations.get(node.dir)!)!, ...sources.values());
    for (const doc of parseBuild(result.output, `kustomize build ${node.dir}`, refusals)) emit(doc, outer, sources.get(identityKey(doc.value) ?? '') ?? at);
  }

  // Files no applied kustomization includes: as written, unless a kustomization beside them leaves them out.
  for (const doc of documents) {
    const file = norm(doc.file);
    if (consumed.has(file) || skipped(doc)) continue;
    const beside = kustomizations.get(posix.dirname(file));
    // A Secret is passed on wherever it is: the import warns about every Secret committed to git.
    const secret = isObject(doc.value) && doc.value.kind === 'Secret' && doc.value.apiVersion === 'v1';
    if (beside !== undefined && !secret) {
      if (!notedFiles(notes).has(doc.file)) {
        note(doc, '', `is beside ${beside.file} but not among its resources: kustomize does not apply it, so neither does the import`);
      }
      continue;
    }
    out.push({ doc, at: position.get(doc)! });
  }
  const ordered = out.map((entry, seq) => ({ ...entry, seq })).sort((a, b) => a.at - b.at || a.seq - b.seq).map(({ doc }) => doc);
  return { documents: ordered, refusals, notes, resolvedWith: options.kustomize ? `with ${options.kustomize.description}` : 'by reading the kustomization files (no kustomize on PATH)' };
}

/** Files already noted as skipped, so that a file of several documents is noted once. */
function notedFiles(notes: readonly ImportNote[]): Set<string> {
  return new Set(notes.filter((n) => n.text.startsWith('is beside ')).map((n) => n.file));
}

/** What Flux's generated kustomization of `dir` holds: every manifest below it, and the topmost kustomization folders below it. */
function generatedEntries(dir: string, files: readonly string[], kustomizations: ReadonlyMap<string, SourceDocument>): Node['entries'][number][] {
  const under = (f: string): boolean => (dir === '.' ? !f.startsWith('../') && !f.startsWith('/') : f.startsWith(`${dir}/`));
  const kustomizationDirs = [...kustomizations.keys()].filter((k) => k !== dir && under(k));
  const topmost = kustomizationDirs.filter((k) => !kustomizationDirs.some((other) => other !== k && k.startsWith(`${other}/`))).sort();
  const entries: Node['entries'][number][] = [];
  for (const file of [...files].sort()) {
    if (!under(file) || !/\.ya?ml$/.test(file)) continue;
    if (topmost.some((k) => file.startsWith(`${k}/`))) continue;
    entries.push({ file });
  }
  for (const k of topmost) entries.push({ node: k });
  return entries;
}

/** Marks what a node built by kustomize consumes (its files and those of its children), so that nothing of it is read again. */
function markConsumed(node: Node, nodes: ReadonlyMap<string, Node>, consumed: Set<string>, seen: Set<string>): void {
  for (const entry of node.entries) {
    if ('file' in entry) consumed.add(entry.file);
    else if (!seen.has(entry.node)) {
      seen.add(entry.node);
      markConsumed(nodes.get(entry.node)!, nodes, consumed, seen);
    }
  }
}

/** `via kustomization apps/prod/kustomization.yaml, Flux Kustomization flux-system/apps (...)`: the overlays, outermost last. */
function viaOf(transforms: readonly Transform[]): string | undefined {
  return transforms.length === 0 ? undefined : transforms.map((t) => t.source).join(', ');
}

/** The documents of a kustomize build, read as the input files are read (its refusals added to `refusals`). */
function parseBuild(output: string, file: string, refusals: ImportRefusal[]): SourceDocument[] {
  const parsed = parseStream(file, output);
  refusals.push(...parsed.refusals);
  return parsed.documents;
}

function identityKey(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value.metadata)) return undefined;
  return `${String(value.kind)}/${String(value.metadata.name)}`;
}

/** The document as the overlays leave it, or undefined (and a refusal) when one does what the import cannot copy. */
function applyTransforms(doc: SourceDocument, transforms: readonly Transform[], refusals: ImportRefusal[]): SourceDocument | undefined {
  const value = doc.value;
  if (!isObject(value) || transforms.length === 0) return doc;
  const eso = typeof value.apiVersion === 'string' && value.apiVersion.startsWith('external-secrets.io/');
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const object = `${String(value.kind)} ${String(metadata.name ?? '(no name)')}`;
  if (eso) {
    const blocking = transforms.find((t) => t.unsupported.length > 0);
    if (blocking) {
      refusals.push({ file: doc.file, document: doc.document, object, field: '', rule: `is included by ${blocking.source}, which sets ${blocking.unsupported.join(', ')}: ${blocking.fix}` });
      return undefined;
    }
    const substituting = transforms.find((t) => t.substitutes);
    if (substituting && JSON.stringify(value).includes('${')) {
      refusals.push({ file: doc.file, document: doc.document, object, field: '',
        rule: `holds "\${...}", which the post-build substitution of ${substituting.source} replaces: import the objects as the cluster has them (flux build kustomization <name> | homelab-secrets import -)` });
      return undefined;
    }
  }
  const next: Json = { ...metadata };
  // Innermost first: an outer overlay's namespace replaces an inner one's.
  for (const t of transforms) {
    if (t.namespace !== undefined) next.namespace = t.namespace;
    if (Object.keys(t.labels).length > 0) next.labels = { ...(isObject(next.labels) ? next.labels : {}), ...t.labels };
    if (Object.keys(t.annotations).length > 0) next.annotations = { ...(isObject(next.annotations) ? next.annotations : {}), ...t.annotations };
  }
  return { ...doc, value: { ...value, metadata: next } };
}
