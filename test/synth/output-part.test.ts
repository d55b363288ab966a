import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homelabCatalog } from '../../apps/homelab';
import { homelabManifestsPart } from '../../apps/manifests';
import { CatalogValidationError, SecretCatalog } from '../../lib/catalog';
import { HOMELAB_COMPONENTS } from '../../apps/components';
import { addComponentApplications } from '../../lib/argocd';
import { OutputPart, manifestsPart, runSynthMain, synthOutputs } from '../../lib/synth';
import { readTree } from '../support/synth';

function badCatalog(): SecretCatalog {
  const catalog = new SecretCatalog();
  catalog.path('/apps/a', ['k']).syncTo({ name: 'Bad', namespace: 'arr' });
  return catalog;
}

describe('synthOutputs', () => {
  let root: string;
  let manifests: string;
  const existing = { 'old.yaml': 'kind: Old\n', 'nested/keep.yaml': 'kind: Keep\n' };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-out-'));
    manifests = join(root, 'manifests');
    mkdirSync(join(manifests, 'nested'), { recursive: true });
    for (const [file, content] of Object.entries(existing)) writeFileSync(join(manifests, file), content);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('a bad catalog writes nothing: existing output stays byte-identical and no staging is left', () => {
    // WHEN
    expect(() => synthOutputs(badCatalog(), [homelabManifestsPart(manifests)])).toThrow(CatalogValidationError);

    // THEN
    expect(readTree(manifests)).toStrictEqual(existing);
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });

  test('a crash in a later part leaves every earlier target untouched', () => {
    // GIVEN
    const crashing: OutputPart = {
      name: 'crash',
      target: join(root, 'other'),
      kind: 'dir',
      render() {
        throw new Error('renderer bug');
      },
    };

    // WHEN
    expect(() => synthOutputs(homelabCatalog(), [homelabManifestsPart(manifests), crashing])).toThrow('renderer bug');

    // THEN
    expect(readTree(manifests)).toStrictEqual(existing);
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });

  test('adopt() runs only after every part rendered, so a failed synth never touches a target', () => {
    // GIVEN a part that takes over a cache file from its previous output
    const adopted: string[] = [];
    const withCache = (target: string): OutputPart => ({
      name: 'cached',
      target,
      kind: 'dir',
      render: (_c, staging) => writeFileSync(join(staging, 'out.txt'), 'new\n'),
      adopt: (previous, staging) => {
        adopted.push(previous);
        writeFileSync(join(staging, 'cache'), readTree(previous)['cache']);
      },
    });
    const crashing: OutputPart = { name: 'crash', target: join(root, 'other'), kind: 'dir', render: () => { throw new Error('renderer bug'); } };
    writeFileSync(join(manifests, 'cache'), 'kept\n');

    // WHEN a later part fails, THEN adopt was never called and the target is as it was
    expect(() => synthOutputs(homelabCatalog(), [withCache(manifests), crashing])).toThrow('renderer bug');
    expect(adopted).toStrictEqual([]);
    expect(readTree(manifests)).toStrictEqual({ ...existing, cache: 'kept\n' });

    // WHEN every part succeeds, THEN the cache is carried into the new output
    synthOutputs(homelabCatalog(), [withCache(manifests)]);
    expect(adopted).toStrictEqual([manifests]);
    expect(readTree(manifests)).toStrictEqual({ 'out.txt': 'new\n', cache: 'kept\n' });
  });

  test('a good catalog replaces the whole folder, so files of removed rows disappear', () => {
    // WHEN
    synthOutputs(homelabCatalog(), [homelabManifestsPart(manifests)]);

    // THEN
    const files = Object.keys(readTree(manifests));
    expect(files).toContain('cluster-secret-store.yaml');
    expect(files).not.toContain('old.yaml');
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });

  test('a file part is written in one rename', () => {
    // GIVEN
    const doc: OutputPart = { name: 'doc', target: join(root, 'doc.md'), kind: 'file', render: (_c, path) => writeFileSync(path, '# doc\n') };

    // WHEN
    synthOutputs(homelabCatalog(), [doc]);

    // THEN
    expect(readTree(root)['doc.md']).toBe('# doc\n');
    expect(existsSync(join(root, '.doc.md.staging-' + process.pid))).toBe(false);
  });
});

describe('runSynthMain', () => {
  test('prints catalog errors one per line with a count and sets exit code 1, without a stack trace', () => {
    // GIVEN
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const before = process.exitCode;

    // WHEN
    try {
      runSynthMain(() => synthOutputs(badCatalog(), []));
    } finally {
      spy.mockRestore();
    }
    const exitCode = process.exitCode;
    process.exitCode = before;

    // THEN
    expect(exitCode).toBe(1);
    expect(written.join('')).toBe([
      'homelab-secrets: 2 errors in the secret catalog:',
      '  - /apps/a: path "/apps/a" must not start or end with "/"',
      '  - /apps/a → Bad in arr: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('prints a settings mistake without a stack trace and sets exit code 1', () => {
    // GIVEN a KMS region that the Vault Application refuses
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const before = process.exitCode;
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-settings-'));

    // WHEN
    try {
      runSynthMain(() => synthOutputs(homelabCatalog(), [
        manifestsPart(join(dir, 'manifests'), [
          addComponentApplications({ ...HOMELAB_COMPONENTS, kms: { region: 'eu-central' } }),
        ]),
      ]));
    } finally {
      spy.mockRestore();
    }
    const exitCode = process.exitCode;
    process.exitCode = before;
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(exitCode).toBe(1);
    expect(left).toStrictEqual([]);
    expect(written.join('')).toBe(
      'homelab-secrets: invalid setting: KMS region "eu-central" must be an AWS region such as eu-central-1\nNothing was written.\n',
    );
  });

  test('lets a non-catalog error through with its stack', () => {
    expect(() => runSynthMain(() => {
      throw new Error('bug');
    })).toThrow('bug');
  });
});
