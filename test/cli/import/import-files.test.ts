import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../lib/cli';
import { EXIT } from '../../../lib/cli/exit-codes';
import { IMPORT_LIMITS, findInputFiles, readInputBytes } from '../../../lib/cli/import';
import { harness } from '../support/cli-harness';

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

/** A fresh folder holding a repository of one store and one ExternalSecret: `repo/store.yaml`, `repo/apps/es.yaml`. */
function repository(): { dir: string; repo: string; es: string } {
  const dir = mkdtempSync(join(tmpdir(), 'import-files-'));
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'apps'), { recursive: true });
  writeFileSync(join(repo, 'store.yaml'), STORE);
  writeFileSync(join(repo, 'apps', 'es.yaml'), ES);
  return { dir, repo, es: join(repo, 'apps', 'es.yaml') };
}

/** Every entry of `dir`, to show that no temporary file is left behind. */
function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('import --out', () => {
  test('refuses a file that exists unless --force is given, and leaves it as it was', async () => {
    // GIVEN
    const { dir, repo } = repository();
    const out = join(dir, 'catalog.ts');
    writeFileSync(out, 'mine\n');
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo, '--out', out);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: --out ${out}: already exists: give --force to replace it\n`);
    expect(h.stdout()).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
  });

  test('with --force replaces it by one rename: the whole module, a normal source file\'s mode, no temporary file left', async () => {
    // GIVEN
    const { dir, repo } = repository();
    const out = join(dir, 'catalog.ts');
    writeFileSync(out, 'mine\n');
    const before = statSync(out).ino;
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo, '--out', out, '--force');

    // THEN a new file (another inode: renamed into place, never truncated and rewritten)
    expect(code).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8')).toContain('catalog.path(\'apps/db\', [\'password\'])');
    expect(statSync(out).ino).not.toBe(before);
    const umask = process.umask();
    expect(statSync(out).mode & 0o777).toBe(0o666 & ~umask);
    expect(entries(dir)).toStrictEqual(['catalog.ts', 'repo']);
  });

  test('a new file is written the same way, and nothing else appears beside it', async () => {
    // GIVEN
    const { dir, repo } = repository();
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo, '--out', join(dir, 'new.ts'));

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(entries(dir)).toStrictEqual(['new.ts', 'repo']);
    expect(h.stdout()).toBe('');
  });

  // Found by the sweep: an import killed before its rename left its temporary file for good.
  test('removes what a killed import left beside --out (a dead process\'s temporary file), never a running one\'s', async () => {
    // GIVEN the temporary files of a process that no longer runs and of this one, and a file of the user's
    const { dir, repo } = repository();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, `.new.ts.${dead}-abc123.tmp`), 'half a modu');
    writeFileSync(join(dir, `.new.ts.${process.pid}-def456.tmp`), 'in the making');
    writeFileSync(join(dir, '.new.ts.notes.tmp'), 'mine');
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo, '--out', join(dir, 'new.ts'));

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(entries(dir)).toStrictEqual([`.new.ts.${process.pid}-def456.tmp`, '.new.ts.notes.tmp', 'new.ts', 'repo']);
  });

  test('never writes through a symbolic link, with or without --force', async () => {
    // GIVEN a link to a file of the user's, and a link to nowhere
    const { dir, repo } = repository();
    const target = join(dir, 'precious.ts');
    writeFileSync(target, 'precious\n');
    symlinkSync(target, join(dir, 'link.ts'));
    symlinkSync(join(dir, 'nowhere.ts'), join(dir, 'dangling.ts'));

    for (const [out, force] of [['link.ts', false], ['link.ts', true], ['dangling.ts', true]] as const) {
      // WHEN
      const h = harness();
      const code = await h.cli('import', repo, '--out', join(dir, out), ...(force ? ['--force'] : []));

      // THEN
      expect([out, code, h.stderr()]).toStrictEqual([out, EXIT.usage,
        `homelab-secrets: --out ${join(dir, out)}: is a symbolic link, and the import never writes through one: give the path it leads to, or remove the link\n`]);
    }
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, 'nowhere.ts'))).toBe(false);
    expect(lstatSync(join(dir, 'link.ts')).isSymbolicLink()).toBe(true);
  });

  test('never writes onto one of its inputs, even with --force: named, found in a folder, through a linked folder, or a hard link to one', async () => {
    // GIVEN
    const { dir, repo, es } = repository();
    symlinkSync(join(repo, 'apps'), join(dir, 'apps-link'));
    linkSync(es, join(dir, 'hard.ts'));
    const cases: [string[], string][] = [
      [[es, join(repo, 'store.yaml')], es],
      [[repo], es],
      [[repo], join(dir, 'apps-link', 'es.yaml')],
      [[repo], join(dir, 'hard.ts')],
    ];

    for (const [inputs, out] of cases) {
      // WHEN
      const h = harness();
      const code = await h.cli('import', ...inputs, '--out', out, '--force');

      // THEN the input is named as the import read it
      expect([out, code, h.stderr()]).toStrictEqual([out, EXIT.usage,
        `homelab-secrets: --out ${out}: is the input ${es}: the import never writes over what it reads; give another file\n`]);
    }
    expect(readFileSync(es, 'utf8')).toBe(ES);
  });

  test('nor onto the file stdin is redirected from', async () => {
    // GIVEN stdin redirected from the file --out names
    const { dir } = repository();
    const out = join(dir, 'stream.yaml');
    writeFileSync(out, `${STORE}---\n${ES}`);
    const h = harness({ stdin: readFileSync(out, 'utf8') });
    const stat = statSync(out);
    const ctx = { ...h.ctx, stdin: { ...h.ctx.stdin, fileId: () => `${stat.dev}:${stat.ino}` } };

    // WHEN
    const code = await runCli(ctx, ['import', '-', '--out', out, '--force']);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: --out ${out}: is the input (stdin): the import never writes over what it reads; give another file\n`);
    expect(readFileSync(out, 'utf8')).toBe(`${STORE}---\n${ES}`);
  });

  test('a folder, a missing folder, or a folder it may not write in: one line each, exit 2, nothing written', async () => {
    // GIVEN
    const { dir, repo } = repository();
    const cases: [string, string][] = [
      [dir, `--out ${dir}: is a folder: give the module's file name`],
      [join(dir, 'missing', 'catalog.ts'), `--out ${join(dir, 'missing', 'catalog.ts')}: its folder ${join(dir, 'missing')} does not exist`],
      [join(repo, 'store.yaml', 'catalog.ts'), `--out ${join(repo, 'store.yaml', 'catalog.ts')}: its folder ${join(repo, 'store.yaml')} is a file`],
      // /sys refuses new files even to root
      ['/sys/catalog.ts', 'cannot write --out /sys/catalog.ts: permission denied (EACCES); it is unchanged'],
    ];

    for (const [out, message] of cases) {
      // WHEN
      const h = harness();
      const code = await h.cli('import', repo, '--out', out);

      // THEN
      expect([out, code, h.stderr()]).toStrictEqual([out, EXIT.usage, `homelab-secrets: ${message}\n`]);
    }
    expect(entries(dir)).toStrictEqual(['repo']);
  });
});

describe('the input walk', () => {
  test('follows no symbolic link: a loop, a link to a file and to a folder outside are noted, a FIFO is not read', async () => {
    // GIVEN a repository with a link to itself, a link to a YAML file and to a folder outside it, and a FIFO
    const { dir, repo } = repository();
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'other.yaml'), ES.replace('name: db', 'name: other'));
    symlinkSync('..', join(repo, 'apps', 'loop'));
    symlinkSync(join(dir, 'outside'), join(repo, 'outside'));
    symlinkSync(join(dir, 'outside', 'other.yaml'), join(repo, 'other.yaml'));
    execFileSync('mkfifo', [join(repo, 'pipe.yaml')]);
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo);

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stderr().split('\n')).toStrictEqual([
      `note: ${join(repo, 'apps', 'loop')}: is a symbolic link to a folder: not followed (a folder's walk reads the repository's own files); give its target as an input to read it`,
      `note: ${join(repo, 'other.yaml')}: is a symbolic link to a file: not followed (a folder's walk reads the repository's own files); give its target as an input to read it`,
      `note: ${join(repo, 'outside')}: is a symbolic link to a folder: not followed (a folder's walk reads the repository's own files); give its target as an input to read it`,
      `note: ${join(repo, 'pipe.yaml')}: is not a regular file: not read`,
      '',
    ]);
    expect(h.stdout()).toContain('name: \'db\'');
    expect(h.stdout()).not.toContain('other');
  });

  test('lists what it skipped, relative to the working folder for a relative input', () => {
    // GIVEN
    const { repo } = repository();
    symlinkSync('.', join(repo, 'self'));

    // WHEN
    const found = findInputFiles([repo], '/');

    // THEN
    expect(found.files).toStrictEqual([join(repo, 'apps', 'es.yaml'), join(repo, 'store.yaml')]);
    expect(found.notes.map((n) => [n.file, n.document])).toStrictEqual([[join(repo, 'self'), 0]]);
    expect(findInputFiles([repo.slice(1)], '/').files).toStrictEqual([join(repo, 'apps', 'es.yaml').slice(1), join(repo, 'store.yaml').slice(1)]);
  });
});

describe('the input caps', () => {
  const MiB = 1024 * 1024;

  /** A sparse file of `bytes` zeros. */
  function sparse(path: string, bytes: number): void {
    const fd = openSync(path, 'w');
    closeSync(fd);
    execFileSync('truncate', ['-s', String(bytes), path]);
  }

  test('are 8 MiB a file, 32 MiB in all and 100 aliases a document', () => {
    expect(IMPORT_LIMITS).toStrictEqual({ fileBytes: 8 * MiB, totalBytes: 32 * MiB, aliases: 100 });
  });

  test('a file over the cap is refused before it is read, exit 2', async () => {
    // GIVEN
    const { repo } = repository();
    sparse(join(repo, 'big.yaml'), 9 * MiB);
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: ${join(repo, 'big.yaml')}: is 9 MiB, more than the 8 MiB the import reads of one input: ESO's objects are small, so this is not a repository's YAML; import the folders that hold them\n`);
  });

  test('a stream is cut off past the cap: a device, and stdin', async () => {
    // GIVEN
    const device = harness();
    const stdin = harness({ stdin: new Uint8Array(IMPORT_LIMITS.fileBytes + 1) });

    // WHEN
    const deviceCode = await device.cli('import', '/dev/zero');
    const stdinCode = await stdin.cli('import', '-');

    // THEN
    expect([deviceCode, device.stderr()]).toStrictEqual([EXIT.usage,
      'homelab-secrets: /dev/zero: holds more, more than the 8 MiB the import reads of one input: ESO\'s objects are small, so this is not a repository\'s YAML; import the folders that hold them\n']);
    expect([stdinCode, stdin.stderr()]).toStrictEqual([EXIT.usage,
      'homelab-secrets: (stdin): holds more, more than the 8 MiB the import reads of one input: ESO\'s objects are small, so this is not a repository\'s YAML; import the folders that hold them\n']);
    expect(readInputBytes('/dev/null', '/', 10)).toStrictEqual({ bytes: Buffer.alloc(0) });
  });

  test('inputs over the total cap are refused at the file that passes it', async () => {
    // GIVEN five files of 7 MiB
    const { repo } = repository();
    for (const n of [1, 2, 3, 4, 5]) sparse(join(repo, `part-${n}.yaml`), 7 * MiB);
    const h = harness();

    // WHEN
    const code = await h.cli('import', repo);

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: the inputs hold more than the 32 MiB the import reads in one run (at ${join(repo, 'part-5.yaml')}): import the repository's folders one by one\n`);
  });
});
