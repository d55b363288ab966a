// `import`: hostile YAML (an alias bomb, huge, deep, tags, duplicate keys, not UTF-8, a BOM, NUL),
// hostile file names, symbolic links and loops in the walk, and --out onto its input, through a link,
// over an existing file, into a missing folder. Refusals are exit 2 with the file named and nothing
// written; an accepted import writes one whole module that loads (--verify) and declares the same.
import { linkSync } from 'node:fs';
import { type SweepCase, cliCase } from '../case';
import type { Finding } from '../model';
import type { Project } from '../project';


const STORE = [
  'apiVersion: external-secrets.io/v1', 'kind: ClusterSecretStore', 'metadata: { name: vault }', 'spec:', '  provider:', '    vault:',
  '      server: https://vault.vault.svc:8200', '      path: kv',
  '      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }',
  '  conditions: [{ namespaces: [apps] }]', '',
].join('\n');

/** An ExternalSecret of one key; `key` is the Vault path, `secretKey` the Secret's key. */
function externalSecret(key = 'apps/db', secretKey = 'password', name = 'db'): string {
  return [
    'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', `metadata: { name: ${name}, namespace: apps }`, 'spec:',
    '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', `  data: [{ secretKey: ${JSON.stringify(secretKey)}, remoteRef: { key: ${JSON.stringify(key)}, property: password } }]`, '',
  ].join('\n');
}

const REPO = `${STORE}---\n${externalSecret()}`;

/** A repository: `repo/store.yaml` and `repo/apps/es.yaml`. */
function repository(p: Project, es = externalSecret()): void {
  p.write('repo/store.yaml', STORE);
  p.write('repo/apps/es.yaml', es);
}

/** An import case: refusals are exit 2, name the file, and write nothing. */
function importCase(name: string, what: string, args: readonly string[], expectation: 'accepted' | readonly [number, ...string[]], extra: Partial<SweepCase> & { stdin?: string | Buffer } = {}): SweepCase {
  return cliCase('import', name, what, ['import', ...args], expectation, {
    outputs: expectation === 'accepted' && args.includes('--out') ? [args[args.indexOf('--out') + 1]] : [],
    ...extra,
    setup: async (p, ctx) => {
      // import needs no declaration: the project has none
      p.remove('decl.js');
      await extra.setup?.(p, ctx);
    },
  });
}

/** Problems when `file` is not a whole module declaring `expected` paths. */
function moduleDeclares(text: string, ...expected: string[]): Finding[] {
  const problems: Finding[] = [];
  if (!text.includes("from 'homelab-secrets'")) problems.push({ outcome: 'wrongly accepted', text: 'the module is not whole' });
  for (const path of expected) if (!text.includes(path)) problems.push({ outcome: 'wrongly accepted', text: `the module does not declare ${path}` });
  return problems;
}

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`),
  '',
].join('\n');

export const IMPORT_CASES: readonly SweepCase[] = [
  importCase('repo-ok', 'a repository folder: accepted, the module verified', ['repo', '--verify'], 'accepted', {
    setup: (p) => repository(p), check: (_p, run) => moduleDeclares(run.stdout, 'apps/db'),
  }),
  importCase('alias-bomb', 'a billion-laughs alias bomb', ['bomb.yaml'], [2, 'bomb.yaml', 'alias'], { setup: (p) => void p.write('bomb.yaml', BILLION_LAUGHS) }),
  importCase('huge-file', 'an input of 9 MiB', ['big.yaml'], [2, 'big.yaml', '8 MiB'], { setup: (p) => void p.write('big.yaml', `# ${'x'.repeat(9 * 1024 * 1024)}\n`) }),
  importCase('huge-stdin', 'stdin of 9 MiB', ['-'], [2, '(stdin)', '8 MiB'], { stdin: `# ${'x'.repeat(9 * 1024 * 1024)}\n` }),
  importCase('dev-zero', '/dev/zero as an input: an endless stream', ['/dev/zero'], [2, '/dev/zero', '8 MiB']),
  importCase('deep-flow', 'a document nested 100,000 deep', ['deep.yaml'], [2, 'deep.yaml'], { setup: (p) => void p.write('deep.yaml', `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`) }),
  importCase('deep-block', 'a block mapping nested 2,000 deep', ['deep.yaml'], [2, 'deep.yaml'], {
    setup: (p) => void p.write('deep.yaml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' x\n'),
  }),
  importCase('many-documents', '200,000 empty documents', ['many.yaml'], [2, 'many.yaml', 'no ExternalSecret'], { setup: (p) => void p.write('many.yaml', '---\n'.repeat(200_000)) }),
  importCase('js-tag', 'a !!js/function tag', ['tag.yaml'], [2, 'tag.yaml'], { setup: (p) => void p.write('tag.yaml', `${STORE}---\n${externalSecret().replace('name: db,', 'name: !!js/function "function(){}",')}`) }),
  importCase('custom-tag', 'a custom !vault tag on the path', ['tag.yaml'], [2, 'tag.yaml'], { setup: (p) => void p.write('tag.yaml', `${STORE}---\n${externalSecret().replace('key: "apps/db"', 'key: !vault "apps/db"')}`) }),
  importCase('duplicate-keys', 'a mapping with a key twice', ['dup.yaml'], [2, 'dup.yaml'], { setup: (p) => void p.write('dup.yaml', `${STORE}---\n${externalSecret().replace('kind: ExternalSecret', 'kind: ExternalSecret\nkind: SecretStore')}`) }),
  importCase('not-utf8', 'a file of Latin-1 bytes', ['latin1.yaml'], [2, 'latin1.yaml', 'UTF-8'], { setup: (p) => void p.write('latin1.yaml', Buffer.from(`${REPO}# caf\u00e9\n`, 'latin1')) }),
  importCase('stdin-not-utf8', 'stdin of Latin-1 bytes', ['-'], [2, '(stdin)', 'UTF-8'], { stdin: Buffer.from(`${REPO}# caf\u00e9\n`, 'latin1') }),
  importCase('stdin-empty', 'empty stdin', ['-'], [2, 'no ExternalSecret']),
  importCase('nul', 'a NUL byte in a document', ['nul.yaml'], [2, 'nul.yaml'], { setup: (p) => void p.write('nul.yaml', `${REPO}\u0000\n`) }),
  importCase('bom', 'a byte-order mark at the start: read as Kubernetes reads it', ['bom.yaml'], 'accepted', { setup: (p) => void p.write('bom.yaml', `\ufeff${REPO}`), check: (_p, run) => moduleDeclares(run.stdout, 'apps/db') }),
  importCase('scalar-documents', 'documents that are a scalar, a list and null', ['odd.yaml'], [2, 'no ExternalSecret'], { setup: (p) => void p.write('odd.yaml', 'just text\n---\n- a\n- b\n---\nnull\n') }),
  importCase('proto-keys', 'an ExternalSecret whose secretKeys are __proto__ and constructor: kept', ['es.yaml', '--verify'], 'accepted', {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret('apps/db', '__proto__')}---\n${externalSecret('apps/other', 'constructor', 'other')}`),
    check: (_p, run) => moduleDeclares(run.stdout, '__proto__', 'constructor'),
  }),
  importCase('path-eval', 'a path apps/eval and apps/arguments: the module loads and --verify passes', ['es.yaml', '--verify'], 'accepted', {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret('apps/eval')}---\n${externalSecret('apps/arguments', 'password', 'other')}`),
    check: (_p, run) => moduleDeclares(run.stdout, 'apps/eval', 'apps/arguments'),
  }),
  importCase('path-template', 'a remoteRef.key of "${x}": refused by the catalog\'s rules, naming the file', ['es.yaml'], [2, 'es.yaml', '${x}'], {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret('apps/${x}')}`),
  }),
  importCase('hostile-file-name', 'a file named with a newline, "*/" and "$(id)": the module\'s header stays a comment', ['repo', '--verify'], 'accepted', {
    setup: (p) => {
      p.write('repo/store.yaml', STORE);
      p.write('repo/a\n*/ $(id) \u2028x.yaml', externalSecret());
    },
    check: (_p, run) => moduleDeclares(run.stdout, 'apps/db'),
  }),
  importCase('symlink-loop', 'a folder holding a link to itself: not followed', ['repo'], 'accepted', {
    setup: (p) => {
      repository(p);
      p.symlink('..', 'repo/apps/loop');
      p.symlink('a.yaml', 'repo/self.yaml');
    },
    check: (_p, run) => moduleDeclares(run.stdout, 'apps/db'),
  }),
  importCase('symlink-outside', 'a folder holding a link to a file outside: not followed, with a note', ['repo'], 'accepted', {
    setup: (p) => {
      repository(p);
      p.write('elsewhere.yaml', externalSecret('apps/secret-elsewhere', 'password', 'elsewhere'));
      p.symlink('../elsewhere.yaml', 'repo/outside.yaml');
    },
    check: (_p, run) => (run.stdout.includes('secret-elsewhere') ? [{ outcome: 'wrongly accepted' as const, text: 'the walk followed a link out of the folder' }] : []),
  }),
  importCase('missing-input', 'an input that does not exist', ['nope.yaml'], [2, 'nope.yaml', 'no such file']),
  importCase('input-unreadable-name', 'an input whose name holds a terminal escape', ['\u001b[2Jx.yaml'], [2, '\\x1b[2Jx.yaml']),
  importCase('out-onto-input', '--out onto its own input, with --force', ['repo', '--out', 'repo/apps/es.yaml', '--force'], [2, 'repo/apps/es.yaml', 'input'], { setup: (p) => repository(p) }),
  importCase('out-onto-input-hard-link', '--out onto a hard link of its input, with --force', ['repo', '--out', 'copy.yaml', '--force'], [2, 'copy.yaml', 'input'], {
    setup: (p) => {
      repository(p);
      linkSync(p.path('repo/apps/es.yaml'), p.path('copy.yaml'));
    },
  }),
  importCase('out-onto-stdin-file', '--out onto the file stdin is redirected from', ['-', '--out', 'in.yaml', '--force'], [2, 'in.yaml'], {
    setup: (p) => void p.write('in.yaml', REPO),
    run: (p, ctx) => ctx.exec(p, { argv: ['sh', '-c', `node ${p.path('dist/swc/lib/cli/bin.js')} import - --out in.yaml --force < in.yaml`] }),
  }),
  importCase('out-through-symlink', '--out through a symbolic link to another file', ['repo', '--out', 'link.ts', '--force'], [2, 'link.ts', 'symbolic link'], {
    setup: (p) => {
      repository(p);
      p.write('precious.txt', 'mine\n');
      p.symlink('precious.txt', 'link.ts');
    },
  }),
  importCase('out-dangling-symlink', '--out a dangling symbolic link', ['repo', '--out', 'link.ts'], [2, 'link.ts', 'symbolic link'], {
    setup: (p) => {
      repository(p);
      p.symlink('/tmp/homelab-secrets-sweep-nowhere/x.ts', 'link.ts');
    },
  }),
  importCase('out-exists', '--out over an existing file without --force', ['repo', '--out', 'catalog.ts'], [2, 'catalog.ts', '--force'], {
    setup: (p) => {
      repository(p);
      p.write('catalog.ts', 'my own work\n');
    },
  }),
  importCase('out-missing-folder', '--out into a folder that does not exist', ['repo', '--out', 'nope/catalog.ts'], [2, 'nope', 'does not exist'], { setup: (p) => repository(p) }),
  importCase('out-is-folder', '--out naming a folder', ['repo', '--out', 'repo'], [2, 'repo', 'folder'], { setup: (p) => repository(p) }),
  importCase('out-parent-is-file', '--out under a file', ['repo', '--out', 'repo/store.yaml/catalog.ts'], [2, 'store.yaml'], { setup: (p) => repository(p) }),
  importCase('out-ok', '--out a new file: written whole', ['repo', '--out', 'catalog.ts'], 'accepted', { setup: (p) => repository(p), check: (p) => moduleDeclares(p.read('catalog.ts'), 'apps/db') }),
  importCase('out-refused-input', '--out with an input the library cannot express: nothing written', ['es.yaml', '--out', 'catalog.ts'], [2, 'es.yaml', 'nothing was written'], {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret().replace('  data:', '  dataFrom: [{ find: { name: { regexp: ".*" } } }]\n  data:')}`),
  }),
  importCase('namespace-hostile', '--namespace of shell syntax for an ExternalSecret without one', ['es.yaml', '--namespace', '$(id)'], [2, 'es.yaml', '$(id)'], {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret().replace(', namespace: apps', '')}`),
  }),
  importCase('mount-hostile', '--mount of "${x}" without a store', ['es.yaml', '--mount', '${x}'], [2, '${x}'], { setup: (p) => void p.write('es.yaml', externalSecret()) }),
  importCase('no-inputs', 'import without an input', [], [2, 'inputs']),
  importCase('kustomization-escapes', 'a kustomization naming resources outside the folder and a remote one: not read, noted', ['repo', '--no-kustomize'], 'accepted', {
    setup: (p) => {
      repository(p);
      p.write('outside.yaml', externalSecret('apps/from-outside', 'password', 'outside'));
      p.write('repo/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources:\n  - store.yaml\n  - apps/es.yaml\n  - ../outside.yaml\n  - /etc/hostname\n  - https://example.com/x.yaml\n');
    },
    check: (_p, run) => (run.stdout.includes('from-outside') ? [{ outcome: 'wrongly accepted' as const, text: 'a resource outside the folder was read' }] : moduleDeclares(run.stdout, 'apps/db')),
  }),
  importCase('flux-path-escapes', 'a Flux Kustomization whose spec.path leaves the repository: not read', ['repo'], 'accepted', {
    setup: (p) => {
      repository(p);
      p.write('outside/es.yaml', externalSecret('apps/from-outside', 'password', 'outside'));
      p.write('repo/flux.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: apps, namespace: flux-system }\nspec:\n  path: ../outside\n  targetNamespace: apps\n  sourceRef: { kind: GitRepository, name: flux-system }\n  interval: 10m\n  prune: true\n');
    },
    check: (_p, run) => (run.stdout.includes('from-outside') ? [{ outcome: 'wrongly accepted' as const, text: 'a Flux path outside the repository was read' }] : []),
  }),
  importCase('bidi-file-name', 'a refused document in a file whose name holds a bidi override and a zero-width space', ['repo'], [2, '\\u202e', '\\u200b'], {
    setup: (p) => {
      p.write('repo/store.yaml', STORE);
      p.write('repo/a\u202eb\u200b.yaml', externalSecret().replace('  data:', '  dataFrom: [{ find: { name: { regexp: ".*" } } }]\n  data:'));
    },
  }),
  importCase('name-with-escape', 'an ExternalSecret named with a terminal escape and a newline', ['es.yaml'], [2, 'es.yaml', '\\u001b'], {
    setup: (p) => void p.write('es.yaml', `${STORE}---\n${externalSecret().replace('name: db,', 'name: "db\\e[2J\\nx",')}`),
  }),
  importCase('secret-values-never-shown', 'a Secret beside the ExternalSecret, and a broken one: their values are never printed', ['repo'], 'accepted', {
    secrets: ['Value-Of-A-Secret-In-Git'],
    setup: (p) => {
      repository(p);
      p.write('repo/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: apps }\nstringData: { password: Value-Of-A-Secret-In-Git }\n');
      p.write('repo/broken.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: { name: t, namespace: apps }\nstringData:\n  password: "Value-Of-A-Secret-In-Git\n  other: [\n');
    },
    check: (_p, run) => moduleDeclares(run.stdout, 'apps/db'),
  }),
  importCase('out-name-hostile', '--out named with a newline and a terminal escape: written, its name shown escaped', ['repo', '--out', 'a\nb\u001b[2J.ts'], 'accepted', {
    setup: (p) => repository(p),
  }),
];
