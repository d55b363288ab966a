import { type KustomizeRunner, parseDocuments, resolveLayout } from '../../../lib/cli/import';
import { SENTINEL } from '../support/cli-harness';

/** The objects of `files` as the layout places them: `kind namespace/name [labels]`. */
async function place(files: Record<string, string>, kustomize?: KustomizeRunner) {
  const { documents } = parseDocuments(Object.entries(files).map(([file, text]) => ({ file, text })));
  const layout = await resolveLayout(documents, { roots: ['repo'], kustomize });
  return {
    objects: layout.documents.map((d) => {
      const v = d.value as { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
      const labels = v.metadata.labels ? ` ${JSON.stringify(v.metadata.labels)}` : '';
      return `${v.kind} ${v.metadata.namespace ?? '-'}/${v.metadata.name}${labels}${d.via ? ` via ${d.via}` : ''}`;
    }),
    notes: layout.notes.map((n) => `${n.file}: ${n.text}`),
    refusals: layout.refusals.map((r) => `${r.file} (${r.object}): ${r.rule}`),
    resolvedWith: layout.resolvedWith,
  };
}

const es = (name: string, namespace?: string): string =>
  `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: ${name}${namespace ? `, namespace: ${namespace}` : ''} }\nspec: {}\n`;
const kustomization = (body: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
const flux = (name: string, spec: string): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: ${name}, namespace: flux-system }\nspec: { ${spec}, sourceRef: { kind: GitRepository, name: flux-system } }\n`;

describe('the repository layout', () => {
  test('without a kustomization or Flux Kustomization every document is as written', async () => {
    expect(await place({ 'repo/a.yaml': es('a', 'x') })).toStrictEqual({ objects: ['ExternalSecret x/a'], notes: [], refusals: [], resolvedWith: undefined });
  });

  test('an overlay\'s namespace replaces its base\'s, and a base of two overlays gives its objects in both; labels add up', async () => {
    const placed = await place({
      'repo/base/kustomization.yaml': kustomization('namespace: base\ncommonLabels: { tier: base }\nresources: [es.yaml]\n'),
      'repo/base/es.yaml': es('db', 'written'),
      'repo/prod/kustomization.yaml': kustomization('namespace: prod\nlabels: [{ pairs: { env: prod } }]\nresources: [../base]\n'),
      'repo/dev/kustomization.yaml': kustomization('namespace: dev\nresources: [../base]\n'),
    });
    expect(placed.objects).toStrictEqual([
      'ExternalSecret prod/db {"tier":"base","env":"prod"} via kustomization repo/base/kustomization.yaml, kustomization repo/prod/kustomization.yaml',
      'ExternalSecret dev/db {"tier":"base"} via kustomization repo/base/kustomization.yaml, kustomization repo/dev/kustomization.yaml',
    ]);
    expect(placed.resolvedWith).toBe('by reading the kustomization files (no kustomize on PATH)');
  });

  test('a Flux Kustomization\'s targetNamespace is outermost; a path without a kustomization takes every manifest below it', async () => {
    const placed = await place({
      'repo/clusters/home/apps.yaml': `${flux('apps', 'path: ./apps, targetNamespace: apps')}---\n${flux('tools', 'path: ./tools, targetNamespace: tools')}`,
      'repo/apps/a.yaml': es('a', 'elsewhere'),
      'repo/apps/deep/b.yaml': es('b'),
      'repo/apps/sub/kustomization.yaml': kustomization('namespace: sub\nresources: [c.yaml]\n'),
      'repo/apps/sub/c.yaml': es('c'),
      'repo/apps/sub/unlisted.yaml': es('unlisted', 'x'),
      'repo/tools/kustomization.yaml': kustomization('namespace: inner\nresources: [d.yaml]\n'),
      'repo/tools/d.yaml': es('d'),
    });
    expect(placed.objects).toStrictEqual([
      'ExternalSecret apps/a via Flux Kustomization flux-system/apps (repo/clusters/home/apps.yaml document 1)',
      'ExternalSecret apps/b via Flux Kustomization flux-system/apps (repo/clusters/home/apps.yaml document 1)',
      'ExternalSecret apps/c via kustomization repo/apps/sub/kustomization.yaml, Flux Kustomization flux-system/apps (repo/clusters/home/apps.yaml document 1)',
      'ExternalSecret tools/d via kustomization repo/tools/kustomization.yaml, Flux Kustomization flux-system/tools (repo/clusters/home/apps.yaml document 2)',
    ]);
    expect(placed.notes).toStrictEqual([
      'repo/apps/sub/unlisted.yaml: is beside repo/apps/sub/kustomization.yaml but not among its resources: kustomize does not apply it, so neither does the import',
    ]);
  });

  test('what the layout cannot read is noted: a remote resource, a missing one, a Flux path outside the folder; a Secret is passed on for its warning', async () => {
    const placed = await place({
      'repo/k/kustomization.yaml': kustomization('resources: [https://github.com/x/y//z?ref=v1, missing.yaml]\n'),
      'repo/k/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { password: ${SENTINEL} }\n`,
      'repo/flux.yaml': flux('other', 'path: ./not-here'),
    });
    expect(placed.notes).toStrictEqual([
      'repo/k/kustomization.yaml: resource "https://github.com/x/y//z?ref=v1" is remote: not read; import its objects from where they live',
      'repo/k/kustomization.yaml: resource "missing.yaml" is not in the input: not read; import the folder that holds it too',
      'repo/flux.yaml: spec.path "./not-here" is not in repo: its objects are not read; import the folder its source ("flux-system") holds',
    ]);
    expect(placed.objects).toStrictEqual(['Secret -/s']);
    expect(JSON.stringify(placed.notes)).not.toContain(SENTINEL);
  });

  test('an overlay that renames or patches, or a substitution that rewrites ${...}, refuses the ESO objects it includes', async () => {
    const placed = await place({
      'repo/k/kustomization.yaml': kustomization('namePrefix: x-\npatches: [{ path: patch.yaml }]\nresources: [es.yaml, cm.yaml]\n'),
      'repo/k/es.yaml': es('a'),
      'repo/k/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n',
      'repo/k/patch.yaml': 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: a }\nspec: { refreshInterval: 5m }\n',
      'repo/f.yaml': flux('f', 'path: ./sub, postBuild: { substitute: { v: x } }'),
      'repo/sub/es.yaml': 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: "${v}" }\nspec: {}\n',
    });
    expect(placed.refusals).toStrictEqual([
      'repo/sub/es.yaml (ExternalSecret ${v}): holds "${...}", which the post-build substitution of Flux Kustomization flux-system/f (repo/f.yaml document 1) replaces: import the objects as the cluster has them (flux build kustomization <name> | homelab-secrets import -)',
      'repo/k/es.yaml (ExternalSecret a): is included by kustomization repo/k/kustomization.yaml, which sets namePrefix, patches: install kustomize (or kubectl) so that the import runs it, or import its output: kustomize build <folder> | homelab-secrets import -',
    ]);
    // The patch is read by kustomize, not applied as an object; the ConfigMap is placed as any object.
    expect(placed.objects).toStrictEqual(['ConfigMap -/c via kustomization repo/k/kustomization.yaml']);
  });

  test('with a real kustomize, each applied kustomization is built by it, and its objects keep the place of their sources', async () => {
    const built: string[] = [];
    const kustomize: KustomizeRunner = {
      description: 'kustomize v9.9.9 (/fake)',
      async build(dir) {
        built.push(dir);
        if (dir === 'repo/broken') return { error: 'kustomize v9.9.9 (/fake) exited with 1' };
        // kustomize sorts by kind and name; the prefix is applied.
        return { output: `${es('x-b', 'prod')}---\n${es('x-a', 'prod')}---\n${es('first', 'prod')}` };
      },
    };
    const placed = await place({
      'repo/prod/kustomization.yaml': kustomization('namespace: prod\nnamePrefix: x-\nresources: [es.yaml]\n'),
      'repo/prod/es.yaml': `${es('first')}---\n${es('a')}---\n${es('b')}`,
      'repo/broken/kustomization.yaml': kustomization('resources: [nothing.yaml]\n'),
    }, kustomize);
    expect(built.sort()).toStrictEqual(['repo/broken', 'repo/prod']);
    expect(placed.objects).toStrictEqual(['ExternalSecret prod/first', 'ExternalSecret prod/x-b', 'ExternalSecret prod/x-a']);
    expect(placed.refusals).toStrictEqual([
      'repo/broken/kustomization.yaml (Kustomization): could not be built: kustomize v9.9.9 (/fake) exited with 1; run `kustomize build repo/broken` to see why, fix it, or import with --no-kustomize',
    ]);
    expect(placed.resolvedWith).toBe('with kustomize v9.9.9 (/fake)');
  });
});
