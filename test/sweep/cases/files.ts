// Files around the synth: hand-written files in an output, a file where a folder belongs and the
// reverse, symbolic links, a state path inside an output, read-only folders, a read-only and a full
// file system, unreadable folders, records and journals tampered with, two synths at once. Each
// refusal is exit 2 (exit 1 for a setting) with the file and the cause in one line, and every output
// unchanged; what the synth did not write it never removes.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import { type SweepCase, type SweepContext, FIXTURE_BODY, synthCase, withSettings } from '../case';
import type { Execution, Finding } from '../model';
import type { Project } from '../project';

const NOBODY = 65534;

/** The fixture declaration synthesized once, so that the outputs exist (with their records). */
async function synthesized(p: Project, ctx: SweepContext): Promise<void> {
  const first = await ctx.exec(p, p.synth());
  if (first.status !== 0) throw new Error(`the first synth failed: ${first.stderr}`);
}

const refused = (name: string, what: string, setup: (p: Project, ctx: SweepContext) => void | Promise<void>, ...names: string[]): SweepCase =>
  synthCase('files', name, what, FIXTURE_BODY, [2, ...names], { setup });

const accepted = (name: string, what: string, setup: (p: Project, ctx: SweepContext) => void | Promise<void>, extra: Partial<SweepCase> = {}): SweepCase =>
  synthCase('files', name, what, FIXTURE_BODY, 'accepted', { setup, ...extra });

/** The synth run as nobody (setpriv), for folders it may not write. */
const asNobody = (p: Project, ctx: SweepContext): Promise<Execution> =>
  ctx.exec(p, { argv: ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, 'scripts/synth.mjs', 'apps/sweep'] });

/** Runs `script` in a private mount namespace (unshare -m) in the project; the snapshot after it is taken outside, after the mounts are gone. */
function inMountNamespace(p: Project, ctx: SweepContext, lines: readonly string[]): Promise<Execution> {
  return ctx.exec(p, { argv: ['unshare', '-m', 'sh', '-c', lines.join('\n')] });
}

/** The fixture declaration synthesized into `out`/ (SWEEP_OUT). */
async function synthesizedInto(p: Project, ctx: SweepContext, out: string): Promise<void> {
  const first = await ctx.exec(p, p.synth({ env: { SWEEP_OUT: out } }));
  if (first.status !== 0) throw new Error(`the first synth failed: ${first.stderr}`);
}

/** Problems when `file` differs from `content`. */
const holds = (p: Project, file: string, content: string): Finding[] =>
  (p.exists(file) && p.read(file) === content ? [] : [{ outcome: 'data loss', text: `${file} is gone or changed` }]);

export const FILES_CASES: readonly SweepCase[] = [
  refused('hand-written-file', 'a hand-written file in manifests/', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('manifests/my-store.yaml', 'kind: Mine\n');
  }, 'manifests/my-store.yaml', 'not written by the synth'),
  refused('hand-written-file-escape-name', 'a hand-written file in manifests/ whose name holds a newline and a terminal escape', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('manifests/a\nb\u001b[2J.yaml', 'kind: Mine\n');
  }, 'manifests/a\\nb\\u001b[2J.yaml', 'not written by the synth'),
  refused('hand-written-before-records', 'a file in a manifests/ folder of no record, differing from what the synth writes', (p) => {
    p.write('manifests/cluster-secret-store.yaml', 'kind: Mine\n');
  }, 'manifests/cluster-secret-store.yaml', 'no record'),
  refused('fifo-in-output', 'a FIFO in manifests/', async (p, ctx) => {
    await synthesized(p, ctx);
    spawnSync('mkfifo', [p.path('manifests/pipe.yaml')]);
  }, 'manifests/pipe.yaml'),
  refused('symlink-in-output', 'a symbolic link in manifests/ to a file outside', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('precious.txt', 'mine\n');
    p.symlink('../precious.txt', 'manifests/link.yaml');
  }, 'manifests/link.yaml'),
  refused('file-where-folder', 'a file where the manifests folder belongs', (p) => void p.write('manifests', 'my notes\n'), 'manifests', 'a file where the manifests folder belongs'),
  refused('folder-where-file', 'a folder where docs/secrets.md belongs', (p) => void p.mkdir('docs/secrets.md/x'), 'docs/secrets.md', 'a folder'),
  refused('file-where-parent', 'a file where the docs folder belongs', (p) => void p.write('docs', 'notes\n'), 'docs', 'a file where a folder belongs'),
  refused('symlink-as-output', 'a symbolic link as the manifests folder', (p) => {
    p.mkdir('elsewhere');
    p.write('elsewhere/mine.yaml', 'kind: Mine\n');
    p.symlink('elsewhere', 'manifests');
  }, 'manifests', 'symbolic link'),
  refused('record-is-folder', 'the record of manifests/ is a folder', async (p, ctx) => {
    await synthesized(p, ctx);
    p.remove('manifests/.homelab-secrets-synth');
    p.mkdir('manifests/.homelab-secrets-synth');
  }, 'manifests/.homelab-secrets-synth', 'not a regular file'),
  accepted('record-names-outside', 'a hand-edited record that lists ../precious.txt: nothing outside the output is removed', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('precious.txt', 'mine\n');
    p.write('manifests/.homelab-secrets-synth', `${p.read('manifests/.homelab-secrets-synth')}../precious.txt\n/etc/hostname\n`);
  }, { check: (p) => holds(p, 'precious.txt', 'mine\n') }),
  refused('journal-garbage', 'a journal of a synth that no longer runs, not JSON', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('.manifests.synth-journal', '{ not json');
  }, '.manifests.synth-journal', 'journal'),
  accepted('journal-forged', 'a journal (of no running synth) whose moves name a file of the user\'s: the file stays', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('precious.txt', 'mine\n');
    const moves = [{ target: p.path('precious.txt'), staging: p.path('precious.txt'), old: p.path('precious.txt'), kind: 'file', hadOld: true, stagingId: '1:1', targetId: '1:2' }];
    p.write('.manifests.synth-journal', JSON.stringify({ version: 1, pid: 999_999_999, state: 'swapping', outputs: [p.path('manifests')], journals: [p.path('.manifests.synth-journal')], moves }));
  }, { check: (p) => holds(p, 'precious.txt', 'mine\n'), outputs: ['manifests/', 'cdktf.out/', 'docs/', '.manifests.synth-journal'] }),
  refused('journal-running-synth', 'a journal of a synth that still runs (pid 1)', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('.manifests.synth-journal', JSON.stringify({ version: 1, pid: 1, state: 'swapping', outputs: [], journals: [], moves: [] }));
  }, 'another synth', 'manifests'),
  accepted('stale-staging', 'the staging folder of a dead synth beside manifests/: removed', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('.manifests.staging-999999999/half.yaml', 'half\n');
  }, { outputs: ['manifests/', 'cdktf.out/', 'docs/', '.manifests.staging-999999999/'] }),
  accepted('pre-record-identical', 'a manifests/ folder of no record whose files are what the synth writes: taken over', async (p, ctx) => {
    await synthesized(p, ctx);
    p.remove('manifests/.homelab-secrets-synth');
  }),
  accepted('terraform-working-files', 'terraform init\'s .terraform/ and lock file in a stack folder: kept', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('cdktf.out/stacks/vault/.terraform/providers/plugin', 'binary\n');
    p.write('cdktf.out/stacks/vault/.terraform.lock.hcl', 'lock\n');
  }, { check: (p) => [...holds(p, 'cdktf.out/stacks/vault/.terraform/providers/plugin', 'binary\n'), ...holds(p, 'cdktf.out/stacks/vault/.terraform.lock.hcl', 'lock\n')] }),
  accepted('state-beside-output', 'a local state file at the default place: untouched', async (p, ctx) => {
    await synthesized(p, ctx);
    p.write('cdktf.out/../state/vault.tfstate', '{"serial": 7}\n');
  }, { check: (p) => holds(p, 'state/vault.tfstate', '{"serial": 7}\n') }),
  synthCase('files', 'state-inside-output', 'a local state path inside the Terraform output', withSettings("{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: 'terraform.tfstate' } } }"),
    [1, 'settings.terraform.stateBackend', 'path', '"terraform.tfstate"', 'inside the terraform output'], {
      // The outputs of a valid declaration, and state where the new one says: the synth must not remove it.
      setup: async (p, ctx) => {
        const refusedDeclaration = p.read('decl.js');
        p.declaration(FIXTURE_BODY);
        await synthesized(p, ctx);
        p.write('cdktf.out/stacks/vault/terraform.tfstate', '{"serial": 3}\n');
        p.write('decl.js', refusedDeclaration);
      },
    }),
  synthCase('files', 'state-inside-manifests', 'a local state path inside the manifests output, by ".."', withSettings("{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: '../../../manifests/vault.tfstate' } } }"),
    [1, 'path', 'inside the manifests output']),
  synthCase('files', 'state-absolute-inside', 'an absolute local state path inside the Terraform output', withSettings("{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: require('path').resolve('cdktf.out/x.tfstate') } } }"),
    [1, 'path', 'inside the terraform output']),
  synthCase('files', 'state-at-docs', 'a local state path that is the docs file', withSettings("{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: '../../../docs/secrets.md' } } }"),
    [1, 'path', 'docs']),
  synthCase('files', 'read-only-project', 'a project folder the user may not write, first synth (EACCES)', FIXTURE_BODY, [2, 'permission denied'], {
    needs: ['root', 'setpriv'],
    run: (p, ctx) => asNobody(p, ctx),
  }),
  synthCase('files', 'read-only-output-nobody', 'outputs owned by root, synthesized as nobody: the staging folder cannot be made (EACCES)', FIXTURE_BODY, [2, 'permission denied', 'the outputs are unchanged'], {
    needs: ['root', 'setpriv'],
    setup: async (p, ctx) => {
      await synthesized(p, ctx);
    },
    run: (p, ctx) => asNobody(p, ctx),
  }),
  synthCase('files', 'unreadable-subfolder', 'a folder inside manifests/ the synth may not read', FIXTURE_BODY, [2, 'manifests/private', 'permission denied'], {
    needs: ['root', 'setpriv'],
    setup: async (p, ctx) => {
      await synthesized(p, ctx);
      spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, p.path('manifests'), p.path('cdktf.out'), p.path('docs')]);
      chownSync(p.dir, NOBODY, NOBODY);
      p.mkdir('manifests/private');
      chmodSync(p.path('manifests/private'), 0o700);
    },
    run: (p, ctx) => asNobody(p, ctx),
  }),
  synthCase('files', 'read-only-file-system', 'outputs on a read-only file system (EROFS)', FIXTURE_BODY, [2, 'read-only file system', 'the outputs are unchanged'], {
    needs: ['root', 'unshare'],
    setup: synthesized,
    run: (p, ctx) => inMountNamespace(p, ctx, [
      'set -e', `mount --bind ${p.dir} ${p.dir}`, `mount -o remount,bind,ro ${p.dir}`,
      `cd ${p.dir} && exec ${process.execPath} scripts/synth.mjs apps/sweep`,
    ]),
  }),
  synthCase('files', 'full-disk', 'outputs on a full file system (ENOSPC)', FIXTURE_BODY, [2, 'no space left on device', 'the outputs are unchanged'], {
    needs: ['root', 'unshare'],
    setup: (p, ctx) => synthesizedInto(p, ctx, 'out'),
    // A tmpfs over out/, holding a copy of the outputs, filled up; the outputs are compared inside, before the mount goes.
    run: (p, ctx) => inMountNamespace(p, ctx, [
      'd=$(mktemp -d)', `cp -a ${p.dir}/out/. "$d"/`, `mount -t tmpfs -o size=1m tmpfs ${p.dir}/out`, `cp -a "$d"/. ${p.dir}/out/`,
      `dd if=/dev/zero of=${p.dir}/out/filler bs=1k 2>/dev/null`, `cp ${p.dir}/out/filler "$d"/filler 2>/dev/null`,
      `cd ${p.dir} && SWEEP_OUT=out ${process.execPath} scripts/synth.mjs apps/sweep; s=$?`,
      `diff -r "$d" ${p.dir}/out >/dev/null || echo 'sweep: the outputs changed' >&2`, 'rm -rf "$d"', 'exit $s',
    ]),
    check: (_p, run) => (run.stderr.includes('sweep: the outputs changed') ? [{ outcome: 'data loss', text: 'the outputs changed on the full file system' }] : []),
    allowed: [/sweep: the outputs changed\n?/],
  }),
  accepted('missing-parents', 'outputs under folders that do not exist yet: created', () => undefined, {
    run: (p, ctx) => ctx.exec(p, p.synth({ env: { SWEEP_OUT: 'a/b/c' } })),
    outputs: ['a/'],
  }),
  synthCase('files', 'name-too-long', 'an output folder whose name is longer than the file system allows', FIXTURE_BODY, [2, 'the name is too long'], {
    run: (p, ctx) => ctx.exec(p, p.synth({ env: { SWEEP_OUT: 'x'.repeat(300) } })),
  }),
  synthCase('files', 'two-synths-at-once', 'two synths of the same outputs at once: each exits 0 or refuses (exit 2), the outputs end whole', FIXTURE_BODY, 'accepted', {
    setup: synthesized,
    run: async (p, ctx) => {
      const [a, b] = await Promise.all([ctx.exec(p, p.synth()), ctx.exec(p, p.synth())]);
      const refusedOne = [a, b].find((r) => r.status !== 0);
      if (refusedOne && (refusedOne.status !== 2 || !/another synth/.test(refusedOne.stderr))) return refusedOne;
      // One ran (or both did, one after the other): the run is the one that wrote, without the other's refusal.
      const wrote = [a, b].find((r) => r.status === 0)!;
      return { ...wrote, stderr: `${a.stderr}${b.stderr}`.replace(/homelab-secrets: another synth[^\n]*\n/g, '') };
    },
    check: (p) => [
      ...(['.manifests.synth-journal', '.cdktf.out.synth-journal'].some((j) => p.exists(j)) ? [{ outcome: 'data loss' as const, text: 'a journal is left' }] : []),
      // The refused synth's staged outputs are its own to remove.
      ...['.', 'docs'].flatMap((dir) => readdirSync(p.path(dir)).filter((name) => /\.staging-\d+$/.test(name)).map((name) => ({ outcome: 'data loss' as const, text: `${dir}/${name} is left` }))),
    ],
  }),
  synthCase('files', 'output-is-mount-of-file', 'docs/secrets.md is a character device (/dev/null)', FIXTURE_BODY, [2, 'docs/secrets.md', 'not a regular file'], {
    needs: ['root'],
    setup: (p) => {
      p.mkdir('docs');
      spawnSync('mknod', [p.path('docs/secrets.md'), 'c', '1', '3']);
      if (!statSync(p.path('docs/secrets.md')).isCharacterDevice()) throw new Error('mknod failed');
    },
  }),
];
