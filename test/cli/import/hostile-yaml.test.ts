import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../../lib/cli/exit-codes';
import { type ImportResult, findKustomize, formatNote, formatRefusal, importTexts, resolveLayout, roundTripPassed } from '../../../lib/cli/import';
import type { RunResult } from '../../../lib/cli';
import { SENTINEL, harness, recordingCommand } from '../support/cli-harness';

const STORE = [
  'apiVersion: external-secrets.io/v1', 'kind: ClusterSecretStore', 'metadata: { name: vault }', 'spec:', '  provider:', '    vault:',
  '      server: http://vault.vault.svc:8200', '      path: kv',
  '      auth: { kubernetes: { role: r, serviceAccountRef: { name: external-secrets, namespace: external-secrets, audiences: [vault] } } }',
  '  conditions: [{ namespaces: [apps] }]', '',
].join('\n');
const ES = [
  'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: db, namespace: apps }', 'spec:',
  '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', '  data: [{ secretKey: password, remoteRef: { key: apps/db, property: password } }]', '',
].join('\n');

/** Imports one file of `text` (or bytes) with --verify. */
function importOne(text: string | Uint8Array, file = 'in.yaml'): Promise<ImportResult> {
  return importTexts([{ file, text }], { verify: true });
}

function refusals(result: ImportResult): string[] {
  return result.refusals.map(formatRefusal);
}

describe('YAML the cluster would read otherwise, or not at all', () => {
  test.each([
    ['a byte-order mark at the start', `\ufeff${STORE}---\n${ES}`],
    ['CRLF line ends', `${STORE}---\n${ES}`.replace(/\n/g, '\r\n')],
    ['a "---" with text after it, and empty documents', `--- # the store\n${STORE}---\n---\n${ES}...\n`],
    ['an anchor, an alias and a merge key (<<), as Kubernetes reads them', [
      STORE, '---', 'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: db, namespace: apps }', 'spec:',
      '  secretStoreRef: &store { kind: ClusterSecretStore, name: vault }', '  data:',
      '    - &row { secretKey: password, remoteRef: { key: apps/db, property: password } }',
      '    - { <<: *row, secretKey: password2 }', '',
    ].join('\n')],
  ])('%s: imported, and --verify passes', async (_what, text) => {
    // WHEN
    const result = await importOne(text);

    // THEN
    expect(refusals(result)).toStrictEqual([]);
    expect(result.plan!.targets.map((t) => t.name)).toStrictEqual(['db']);
    expect(roundTripPassed(result.roundTrip!)).toBe(true);
  });

  test('the merge key is read as Kubernetes reads it: the row it merges, with its own key over the merged one', async () => {
    const result = await importOne([
      STORE, '---', 'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: db, namespace: apps }', 'spec:',
      '  secretStoreRef: { kind: ClusterSecretStore, name: vault }', '  data:',
      '    - &row { secretKey: password, remoteRef: { key: apps/db, property: password } }', '    - { <<: *row, secretKey: password2 }', '',
    ].join('\n'));
    expect(result.plan!.targets[0].from.data).toStrictEqual([
      { secretKey: 'password', key: 'apps/db', property: 'password' },
      { secretKey: 'password2', key: 'apps/db', property: 'password' },
    ]);
  });

  test.each([
    ['a duplicate key', ES.replace('metadata: { name: db, namespace: apps }', 'metadata: { name: db, namespace: apps }\nmetadata: { name: other }'),
      'in.yaml document 1: is not valid YAML (DUPLICATE_KEY at line 4, column 1: a mapping holds the same key twice, and tools differ in which one they keep): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a JavaScript tag', ES.replace('name: db,', 'name: !!js/function "function () {}",'),
      'in.yaml document 1: is not valid YAML (TAG_RESOLVE_FAILED at line 3, column 19: a tag Kubernetes does not read): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a local tag', ES.replace('name: db,', 'name: !secret db,'),
      'in.yaml document 1: is not valid YAML (TAG_RESOLVE_FAILED at line 3, column 19: a tag Kubernetes does not read): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a binary', ES.replace('name: db,', 'name: !!binary ZGI=,'),
      'in.yaml document 1: has the tag "!!binary" at line 3, which Kubernetes reads as no such type: it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a timestamp', ES.replace('name: db,', 'name: !!timestamp 2001-12-14,'),
      'in.yaml document 1: has the tag "!!timestamp" at line 3, which Kubernetes reads as no such type: it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['an alias to no anchor', ES.replace('name: db,', 'name: *nothing,'),
      'in.yaml document 1: cannot be read as YAML (an alias to no anchor): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a merge key of a scalar', ES.replace('metadata: { name: db, namespace: apps }', 'metadata: { <<: 5, name: db, namespace: apps }'),
      'in.yaml document 1: cannot be read as YAML (a merge key (<<) of something that is not a mapping): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['a byte-order mark after ---', `${STORE}---\n\ufeff${ES}`,
      'in.yaml document 2: starts with a byte-order mark (U+FEFF) after "---": only the first byte of a file may be one; remove it: it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
    ['nesting ten thousand deep', `${ES}extra: ${'['.repeat(10000)}${']'.repeat(10000)}\n`,
      'in.yaml document 1: is not valid YAML (RESOURCE_EXHAUSTION at line 7, column 826: nested too deeply): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)'],
  ])('%s: refused with the file, the document and the reason', async (_what, text, message) => {
    // WHEN
    const result = await importOne(text);

    // THEN
    expect(result.module).toBeUndefined();
    expect(refusals(result)).toStrictEqual([message]);
  });

  test('a "billion laughs" document is refused after 100 aliases, whatever else the file holds', async () => {
    // GIVEN nine levels of nine aliases each: 387 million strings once expanded
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `${STORE}---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n${levels.join('\n')}\n---\n${ES}`;

    // WHEN
    const result = await importOne(text);

    // THEN
    expect(refusals(result)).toStrictEqual([
      'in.yaml document 2: expands its aliases more than 100 times, as a "billion laughs" document does: it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)',
    ]);
  });

  test('a number or a boolean where a string belongs is refused: YAML has changed its text, and Kubernetes refuses it', async () => {
    // GIVEN a name YAML reads as a rounded number, a key as a boolean, a property as a float, a refresh interval as infinity
    const text = [STORE, '---', 'apiVersion: external-secrets.io/v1', 'kind: ExternalSecret', 'metadata: { name: 12345678901234567890, namespace: apps }', 'spec:',
      '  refreshInterval: .inf', '  secretStoreRef: { kind: ClusterSecretStore, name: vault }',
      '  data: [{ secretKey: true, remoteRef: { key: apps/db, property: 1.10 } }]', ''].join('\n');

    // WHEN
    const result = await importOne(text);

    // THEN
    expect(refusals(result)).toStrictEqual([
      'in.yaml document 2 (ExternalSecret apps/(no name)): metadata.name 12345678901234567000 must be a string: YAML reads it as a number, which Kubernetes refuses here; quote it',
      'in.yaml document 2 (ExternalSecret apps/(no name)): spec.refreshInterval Infinity must be a string: YAML reads it as a number, which Kubernetes refuses here; quote it',
      'in.yaml document 2 (ExternalSecret apps/(no name)): spec.data[0].secretKey true must be a string: YAML reads it as a boolean, which Kubernetes refuses here; quote it',
      'in.yaml document 2 (ExternalSecret apps/(no name)): spec.data[0].remoteRef.property 1.1 must be a string: YAML reads it as a number, which Kubernetes refuses here; quote it',
    ]);
  });

  test('a file that is not UTF-8 is refused when it names ESO, with the first bad byte, and skipped with a note otherwise', async () => {
    // GIVEN Latin-1 text: an ExternalSecret, and a ConfigMap
    const latin1 = Buffer.from(ES.replace('name: db', 'name: caf\u00e9'), 'latin1');
    const other = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: caf\u00e9 }\n', 'latin1');

    // WHEN
    const refused = await importTexts([{ file: 'es.yaml', text: latin1 }]);
    const skipped = await importTexts([{ file: 'cm.yaml', text: other }, { file: 'store.yaml', text: STORE }, { file: 'es.yaml', text: Buffer.from(ES) }]);

    // THEN
    expect(refusals(refused)).toStrictEqual([
      'es.yaml: is not UTF-8 text (byte 0xe9 at offset 77): it names external-secrets.io, so it may hold an ExternalSecret; save it as UTF-8',
    ]);
    expect(skipped.notes.map(formatNote)).toStrictEqual(['note: cm.yaml: is not UTF-8 text (byte 0xe9 at offset 52) and names no external-secrets.io object: skipped']);
    expect(skipped.module).toBeDefined();
  });

  test('a document that is not a mapping is noted; a list holding ESO\'s objects is refused, not dropped', async () => {
    // WHEN
    const result = await importOne(`just text\n---\n- a\n---\n- ${ES.split('\n').join('\n  ')}`);

    // THEN
    expect(result.notes.map(formatNote)).toStrictEqual([
      'note: in.yaml document 1: is not a Kubernetes object: skipped',
      'note: in.yaml document 2: is not a Kubernetes object: skipped',
    ]);
    expect(refusals(result)).toStrictEqual([
      'in.yaml document 3: is a list that holds external-secrets.io objects: give each object as a document of its own (---)',
    ]);
  });

  test('the command refuses with exit 2, writes nothing, and prints no value and no stack', async () => {
    // GIVEN a broken ExternalSecret whose text holds the sentinel
    const dir = mkdtempSync(join(tmpdir(), 'hostile-yaml-'));
    writeFileSync(join(dir, 'es.yaml'), `${ES}  extra: !!js/function "${SENTINEL}"\n`);
    const h = harness();

    // WHEN
    const code = await h.cli('import', dir, '--out', join(dir, 'catalog.ts'));

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe([
      'homelab-secrets: 1 refusal: the library cannot express this, so nothing was written:',
      `  - ${join(dir, 'es.yaml')} document 1: is not valid YAML (TAG_RESOLVE_FAILED at line 7, column 10: a tag Kubernetes does not read): it names external-secrets.io, so it may hold an ExternalSecret; fix it, or render it first (helm template, kustomize build)`,
      '',
    ].join('\n'));
    expect(h.stdout() + h.stderr()).not.toContain(SENTINEL);
  });
});

describe('hostile file and folder names', () => {
  test('are shown escaped in messages: none starts a line or sends a terminal escape', async () => {
    // GIVEN a file whose name holds a line break, an escape sequence and a comment end
    const dir = mkdtempSync(join(tmpdir(), 'hostile-names-'));
    const name = 'es\n- forged line\u001b[2J.yaml';
    writeFileSync(join(dir, name), ES.replace('namespace: apps', 'namespace: other'));
    writeFileSync(join(dir, 'store.yaml'), STORE);
    const h = harness();

    // WHEN
    const code = await h.cli('import', dir);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe([
      'homelab-secrets: 1 refusal: the library cannot express this, so nothing was written:',
      `  - ${dir}/es\\n- forged line\\x1b[2J.yaml document 1 (ExternalSecret other/db): metadata.namespace "other" is not among the namespaces the conditions of ClusterSecretStore vault admit (apps), so ESO refuses it: add the namespace to the conditions, or read through another store`,
      '',
    ].join('\n'));
  });

  test('kustomize gets a folder as one argument, never as an option, and the command to rerun is quoted', async () => {
    // GIVEN a kustomize on PATH that reports a version and records its argv
    const kustomize = recordingCommand('kustomize');
    const calls: string[][] = [];
    const run = async (cmd: string, args: readonly string[]): Promise<RunResult> => {
      calls.push([cmd, ...args]);
      return args[0] === 'version' ? { exitCode: 0, stdout: 'v5.5.0\n', stderr: '' } : { exitCode: 1, stdout: '', stderr: '' };
    };
    const runner = (await findKustomize({ PATH: kustomize.dir }, run))!;

    // WHEN a kustomization folder named like an option, with a space and a line break, is built
    const dir = '-k dir\nx';
    await runner.build(dir);
    const layout = await resolveLayout([{ file: `${dir}/kustomization.yaml`, document: 1, value: { resources: ['es.yaml'] } }], { roots: [dir], kustomize: runner });

    // THEN
    expect(calls[1]).toStrictEqual([join(kustomize.dir, 'kustomize'), 'build', './-k dir\nx']);
    expect(layout.refusals.map(formatRefusal)).toStrictEqual([
      `-k dir\\nx/kustomization.yaml document 1 (Kustomization): could not be built: kustomize v5.5.0 (${join(kustomize.dir, 'kustomize')}) exited with 1; run \`kustomize build -- $'-k dir\\nx'\` to see why, fix it, or import with --no-kustomize`,
    ]);
  });

  test('folders with spaces and leading dashes are read as folders', async () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'hostile-folders-'));
    mkdirSync(join(dir, '-rf apps'));
    writeFileSync(join(dir, '-rf apps', 'es.yaml'), ES);
    writeFileSync(join(dir, 'store.yaml'), STORE);
    const h = harness();

    // WHEN
    const code = await h.cli('import', '--verify', '--', dir);

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toContain('catalog.path(\'apps/db\', [\'password\'])');
  });
});
