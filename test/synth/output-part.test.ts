import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { componentApplications } from '../../lib/argocd';
import { CatalogValidationError, Declaration, SecretCatalog } from '../../lib/catalog';
import { manifestsPart } from '../../lib/k8s';
import { OutputPart, removeStaleStaging, runSynthMain, synthOutputs } from '../../lib/synth';
import { FIXTURE_SETTINGS, fixtureDeclaration } from '../support/fixtures';
import { readTree } from '../support/synth';

function badCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'kv' });
  catalog.path('/apps/a', ['k']).syncTo({ name: 'Bad', namespace: 'apps' });
  return catalog;
}

const fixturePart = (target: string): OutputPart => manifestsPart(target, [componentApplications()]);

/** Runs `main` as an entry point would, and returns what it printed and its exit code. */
function runMain(main: () => void): { stderr: string; exitCode: number | string | undefined } {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const before = process.exitCode;
  try {
    runSynthMain(main);
  } finally {
    spy.mockRestore();
  }
  const exitCode = process.exitCode;
  process.exitCode = before;
  return { stderr: written.join(''), exitCode };
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
    expect(() => synthOutputs(fixtureDeclaration(badCatalog()), [fixturePart(manifests)])).toThrow(CatalogValidationError);

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
    expect(() => synthOutputs(fixtureDeclaration(), [fixturePart(manifests), crashing])).toThrow('renderer bug');

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
    expect(() => synthOutputs(fixtureDeclaration(), [withCache(manifests), crashing])).toThrow('renderer bug');
    expect(adopted).toStrictEqual([]);
    expect(readTree(manifests)).toStrictEqual({ ...existing, cache: 'kept\n' });

    // WHEN every part succeeds, THEN the cache is carried into the new output
    synthOutputs(fixtureDeclaration(), [withCache(manifests)]);
    expect(adopted).toStrictEqual([manifests]);
    expect(readTree(manifests)).toStrictEqual({ 'out.txt': 'new\n', cache: 'kept\n' });
  });

  test('a good catalog replaces the whole folder, so files of removed rows disappear', () => {
    // WHEN
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);

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
    synthOutputs(fixtureDeclaration(), [doc]);

    // THEN
    expect(readTree(root)['doc.md']).toBe('# doc\n');
    expect(existsSync(join(root, '.doc.md.staging-' + process.pid))).toBe(false);
  });
});

describe('stale staging folders', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'homelab-secrets-stale-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A pid that runs no process: the highest pid Linux hands out is 4194304. */
  const DEAD_PID = 4194303;

  test('the next synth removes what a killed synth left, and keeps a running synth\'s folders', () => {
    // GIVEN what `kill -9` during a synth leaves (a staging and a swap folder of a dead pid), and the
    // staging folder of a synth that runs right now (pid 1 always runs)
    const manifests = join(root, 'manifests');
    for (const name of [`.manifests.staging-${DEAD_PID}`, `.manifests.old-${DEAD_PID}`, '.manifests.staging-1', `.other.staging-${DEAD_PID}`]) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'half.yaml'), 'kind: Half\n');
    }

    // WHEN
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);

    // THEN only the dead synth's folders of this target are gone
    expect(readdirSync(root).sort()).toStrictEqual([`.manifests.staging-1`, `.other.staging-${DEAD_PID}`, 'manifests']);
  });

  test('removeStaleStaging says what it removed', () => {
    writeFileSync(join(root, `.secrets.md.staging-${DEAD_PID}`), 'half');
    expect(removeStaleStaging(join(root, 'secrets.md'))).toStrictEqual([join(root, `.secrets.md.staging-${DEAD_PID}`)]);
    expect(readdirSync(root)).toStrictEqual([]);
  });

  test('a synth killed with SIGKILL leaves a staging folder that the next synth removes', () => {
    // GIVEN a child process that starts a synth and is killed while rendering
    const manifests = join(root, 'manifests');
    const script = [
      // The TypeScript sources, transpiled on load as jest does, so the child runs the real synthOutputs.
      `require(${JSON.stringify(join(__dirname, '..', 'support', 'swc-register.js'))});`,
      `const { synthOutputs } = require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'synth', 'index.ts'))});`,
      `const { fixtureDeclaration } = require(${JSON.stringify(join(__dirname, '..', 'support', 'fixtures.ts'))});`,
      `synthOutputs(fixtureDeclaration(), [{ name: 'slow', target: ${JSON.stringify(manifests)}, kind: 'dir',`,
      "  render(_d, staging) { require('fs').writeFileSync(require('path').join(staging, 'half.yaml'), ''); process.kill(process.pid, 'SIGKILL'); } }]);",
    ].join('\n');
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    expect(child.signal).toBe('SIGKILL');
    const left = readdirSync(root);
    expect(left).toStrictEqual([`.manifests.staging-${child.pid}`]);

    // WHEN
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);

    // THEN
    expect(readdirSync(root)).toStrictEqual(['manifests']);
  });
});

describe('runSynthMain', () => {
  test('prints catalog errors one per line with a count and sets exit code 1, without a stack trace', () => {
    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(badCatalog()), []));

    // THEN
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - /apps/a: path "/apps/a" must not start or end with "/": paths are relative to the mount "kv", write "apps/a"',
      '  - /apps/a → Bad in apps: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('lists a settings mistake and a catalog mistake in one message, writes nothing, and leaves the output byte-identical', () => {
    // GIVEN an existing output, and a declaration with a bad path and a KMS region without its number
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-settings-'));
    const manifests = join(dir, 'manifests');
    synthOutputs(fixtureDeclaration(), [fixturePart(manifests)]);
    const before = readTree(manifests);
    const declaration: Declaration = fixtureDeclaration(badCatalog(), { ...FIXTURE_SETTINGS, kms: { region: 'eu-central' } });

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(declaration, [fixturePart(manifests)]));
    const after = readTree(manifests);
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 3 errors in the secret catalog and its settings:',
      '  - /apps/a: path "/apps/a" must not start or end with "/": paths are relative to the mount "kv", write "apps/a"',
      '  - /apps/a → Bad in apps: name "Bad" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
      '  - settings.kms: region "eu-central" must be an AWS region such as "eu-central-1"',
      'Nothing was written.',
      '',
    ].join('\n'));
    expect(after).toStrictEqual(before);
    expect(left).toStrictEqual(['manifests']);
  });

  test('refuses a KMS alias that the KMS stack could not create once, before any part renders', () => {
    // GIVEN a key id where an alias belongs: Vault's seal would take it, AWS cannot create it as an alias
    let rendered = false;
    const part: OutputPart = { name: 'spy', target: join(tmpdir(), 'never-written'), kind: 'dir', render: () => { rendered = true; } };
    const declaration = fixtureDeclaration(undefined, { ...FIXTURE_SETTINGS, kms: { region: 'us-east-1', alias: '1234abcd-12ab-34cd-56ef-1234567890ab' } });

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(declaration, [part]));

    // THEN
    expect(rendered).toBe(false);
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 1 error in the secret catalog and its settings:',
      '  - settings.kms: alias "1234abcd-12ab-34cd-56ef-1234567890ab" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", and not start with "alias/aws/" (reserved by AWS)',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('prints a construct\'s failed validation like a catalog mistake, and writes nothing', () => {
    // GIVEN a contributor whose construct fails cdk8s validation
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-construct-'));
    const failing = manifestsPart(join(dir, 'manifests'), [(app) => {
      const chart = new Chart(app, 'extra');
      new Construct(chart, 'Broken').node.addValidation({ validate: () => ['needs a name', 'needs a namespace'] });
    }]);

    // WHEN
    const { stderr, exitCode } = runMain(() => synthOutputs(fixtureDeclaration(), [failing]));
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(exitCode).toBe(1);
    expect(left).toStrictEqual([]);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - extra/Broken: needs a name',
      '  - extra/Broken: needs a namespace',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('prints the validation failure cdk8s\'s own synth throws in the same format', () => {
    const { stderr, exitCode } = runMain(() => {
      throw new Error('Validation failed with the following errors:\n  [chart/a] first\n  [chart/b] second');
    });
    expect(exitCode).toBe(1);
    expect(stderr).toBe([
      'homelab-secrets: 2 errors in the secret catalog and its settings:',
      '  - chart/a: first',
      '  - chart/b: second',
      'Nothing was written.',
      '',
    ].join('\n'));
  });

  test('lets a non-catalog error through with its stack', () => {
    expect(() => runSynthMain(() => {
      throw new Error('bug');
    })).toThrow('bug');
  });

  test('thrown CatalogValidationError carries every issue', () => {
    expect(() => synthOutputs(fixtureDeclaration(badCatalog()), [])).toThrow(CatalogValidationError);
  });
});
