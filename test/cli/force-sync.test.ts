import { rmSync } from 'node:fs';
import { CliContext, EXIT, runCli, spawnRun } from '../../lib/cli';
import { FIXED_NOW_MS, fakeKubectl, harness, smallCatalog } from './support/cli-harness';

describe('force-sync', () => {
  test('a path annotates every ExternalSecret it feeds and says which', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('force-sync', 'apps/chat');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.runs.map((r) => [r.cmd, ...r.args])).toStrictEqual([
      ['kubectl', 'annotate', 'externalsecret', '-n', 'chat', 'chat-secrets', 'force-sync=1700000000000', '--overwrite'],
      ['kubectl', 'annotate', 'externalsecret', '-n', 'monitoring', 'hooks-token', 'force-sync=1700000000000', '--overwrite'],
    ]);
    expect(h.stdout()).toBe([
      'force-sync=1700000000000 on 2 ExternalSecrets fed by apps/chat:',
      '  chat/chat-secrets: annotated',
      '  monitoring/hooks-token: annotated',
      '',
    ].join('\n'));
  });

  test('a Secret name annotates its ExternalSecret', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('force-sync', 'hooks-token');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.runs.map((r) => r.args)).toStrictEqual([
      ['annotate', 'externalsecret', '-n', 'monitoring', 'hooks-token', 'force-sync=1700000000000', '--overwrite'],
    ]);
    expect(h.stdout()).toBe('force-sync=1700000000000 on 1 ExternalSecret named hooks-token:\n  monitoring/hooks-token: annotated\n');
  });

  test('--dry-run prints the kubectl commands and runs nothing', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('force-sync', 'apps/vpn', '--dry-run');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe([
      '# dry run: nothing is run',
      '# force-sync 1 ExternalSecret fed by apps/vpn',
      'kubectl annotate externalsecret -n arr vpn-credentials force-sync=1700000000000 --overwrite',
      '',
    ].join('\n'));
    expect(h.runs).toStrictEqual([]);
  });

  test('nothing matching is refused, naming the input, the paths and the Secrets', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('force-sync', 'apps/nope');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: no ExternalSecret matches "apps/nope": give a declared path (apps/vpn, apps/chat) or an ExternalSecret or Secret name (vpn-credentials, chat-secrets, hooks-token)\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('a path written with the mount is refused with the spelling to use', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('force-sync', 'homelab/apps/vpn');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: no ExternalSecret matches "homelab/apps/vpn": paths are relative to the mount "homelab", write "apps/vpn"\n');
  });

  describe('with a recording kubectl on PATH', () => {
    let kubectl: ReturnType<typeof fakeKubectl>;
    afterEach(() => rmSync(kubectl.dir, { recursive: true, force: true }));

    function contextWithPath(out: string[], err: string[]): CliContext {
      const env = { ...process.env, PATH: `${kubectl.dir}:${process.env.PATH}` };
      return {
        catalog: smallCatalog(),
        stdout: { write: (t) => out.push(t) },
        stderr: { write: (t) => err.push(t) },
        stdin: { isTTY: false, readAll: async () => '', readBytes: async () => new Uint8Array(), readHidden: async () => '' },
        env,
        now: () => FIXED_NOW_MS,
        run: spawnRun(env),
      };
    }

    test('the child processes receive exactly the annotate argument arrays', async () => {
      // GIVEN
      kubectl = fakeKubectl();
      const out: string[] = [];

      // WHEN
      const code = await runCli(contextWithPath(out, []), ['force-sync', 'apps/chat']);

      // THEN
      expect(code).toBe(EXIT.ok);
      expect(kubectl.calls()).toStrictEqual([
        ['annotate', 'externalsecret', '-n', 'chat', 'chat-secrets', 'force-sync=1700000000000', '--overwrite'],
        ['annotate', 'externalsecret', '-n', 'monitoring', 'hooks-token', 'force-sync=1700000000000', '--overwrite'],
      ]);
    });

    test('a failing call is reported and the next one still runs', async () => {
      // GIVEN
      kubectl = fakeKubectl([1, 0]);
      const out: string[] = [];
      const err: string[] = [];

      // WHEN
      const code = await runCli(contextWithPath(out, err), ['force-sync', 'apps/chat']);

      // THEN
      expect(code).toBe(EXIT.failed);
      expect(kubectl.calls()).toHaveLength(2);
      expect(out.join('')).toBe([
        'force-sync=1700000000000 on 2 ExternalSecrets fed by apps/chat:',
        '  chat/chat-secrets: FAILED',
        '  monitoring/hooks-token: annotated',
        '',
      ].join('\n'));
      expect(err.join('')).toBe([
        'homelab-secrets: kubectl annotate externalsecret -n chat chat-secrets exited with 1: error: fake failure',
        'homelab-secrets: 1 of 2 ExternalSecrets not force-synced: chat/chat-secrets',
        '',
      ].join('\n'));
    });
  });
});
