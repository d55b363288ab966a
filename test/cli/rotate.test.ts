import { homelabCatalog } from '../../apps/homelab';
import { EXIT } from '../../lib/cli';
import { SENTINEL, everythingSeen, harness } from './support/cli-harness';

const PATCH_ARGS = ['kv', 'patch', '-mount=homelab', 'apps/chat', '-'];
const ANNOTATE_CHAT = ['annotate', 'externalsecret', '-n', 'chat', 'chat-secrets', 'force-sync=1700000000000', '--overwrite'];
const ANNOTATE_HOOKS = ['annotate', 'externalsecret', '-n', 'monitoring', 'hooks-token', 'force-sync=1700000000000', '--overwrite'];

describe('rotate', () => {
  test('patches only the named keys from stdin lines, then force-syncs both ExternalSecrets the path feeds', async () => {
    // GIVEN
    const h = harness({ stdin: `${SENTINEL}-hooks\n${SENTINEL}-api\n`, env: { VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 'tok' } });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN', 'API_KEY');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.runs.map((r) => [r.cmd, r.args])).toStrictEqual([
      ['vault', PATCH_ARGS],
      ['kubectl', ANNOTATE_CHAT],
      ['kubectl', ANNOTATE_HOOKS],
    ]);
    expect(JSON.parse(h.runs[0].input ?? '')).toStrictEqual({ HOOKS_TOKEN: `${SENTINEL}-hooks`, API_KEY: `${SENTINEL}-api` });
    expect(h.stdout()).toBe([
      'patched homelab/apps/chat: HOOKS_TOKEN, API_KEY; its other keys are unchanged',
      'force-sync=1700000000000 on 2 ExternalSecrets fed by apps/chat:',
      '  chat/chat-secrets: annotated',
      '  monitoring/hooks-token: annotated',
      '',
    ].join('\n'));
    expect(h.stderr()).toBe('');
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('the vault child gets VAULT_* and, for OpenBao, the same as BAO_*', async () => {
    // GIVEN
    const h = harness({ stdin: 'v', env: { VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 'tok', PATH: '/bin' } });

    // WHEN
    await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(h.runs[0].env).toStrictEqual({
      VAULT_ADDR: 'http://127.0.0.1:8200', VAULT_TOKEN: 'tok', PATH: '/bin', BAO_ADDR: 'http://127.0.0.1:8200', BAO_TOKEN: 'tok',
    });
  });

  test('with one key, all of stdin is the value: a multi-line file keeps its lines, less one final newline', async () => {
    // GIVEN
    const h = harness({ stdin: `[default]\naws_access_key_id = ${SENTINEL}\n` });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(h.runs[0].input ?? '')).toStrictEqual({ PASSWORD: `[default]\naws_access_key_id = ${SENTINEL}` });
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('at a terminal it prompts without echo, twice per key, and patches what was typed', async () => {
    // GIVEN
    const h = harness({ stdin: { tty: [SENTINEL, SENTINEL] } });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.prompts).toStrictEqual(['New value of PASSWORD (homelab/apps/vpn): ', 'Repeat the value of PASSWORD: ']);
    expect(JSON.parse(h.runs[0].input ?? '')).toStrictEqual({ PASSWORD: SENTINEL });
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('two different values typed at the terminal change nothing', async () => {
    // GIVEN
    const h = harness({ stdin: { tty: [SENTINEL, `${SENTINEL}x`] } });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: the two values typed for PASSWORD differ; nothing was changed\n');
    expect(h.runs).toStrictEqual([]);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('an undeclared key is refused before anything is read or run', async () => {
    // GIVEN
    const h = harness({ stdin: SENTINEL });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN', 'HOOK_TOKEN');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: key "HOOK_TOKEN" is not declared by path "apps/chat" (declared: GATEWAY_TOKEN, HOOKS_TOKEN, API_KEY); nothing was changed\n');
    expect(h.runs).toStrictEqual([]);
    expect(h.stdinRead()).toBe(false);
  });

  test('a key named twice is refused', async () => {
    // GIVEN
    const h = harness({ stdin: 'a\nb\n' });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: key "PASSWORD" is named more than once; nothing was changed\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('an unknown path is refused with the declared paths', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('rotate', 'apps/nope', 'KEY');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: unknown path "apps/nope": the catalog declares apps/vpn, apps/chat\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('a path written with the mount is refused with the spelling to use', async () => {
    // GIVEN
    const h = harness();

    // WHEN
    const code = await h.cli('rotate', 'homelab/apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: unknown path "homelab/apps/vpn": paths are relative to the mount "homelab", write "apps/vpn"\n');
  });

  test('stdin with another number of lines than keys changes nothing and quotes no value', async () => {
    // GIVEN
    const h = harness({ stdin: `${SENTINEL}\n` });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN', 'API_KEY');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: stdin has 1 line but 2 keys were named (HOOKS_TOKEN, API_KEY): give one value per line, in that order; nothing was changed\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('an empty value changes nothing', async () => {
    // GIVEN
    const h = harness({ stdin: `${SENTINEL}\n\n` });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN', 'API_KEY');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: the value of API_KEY is empty; nothing was changed\n');
    expect(h.runs).toStrictEqual([]);
  });

  test('--dry-run prints the commands without values, reads nothing and runs nothing', async () => {
    // GIVEN
    const h = harness({ stdin: SENTINEL });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN', 'API_KEY', '--dry-run');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe([
      '# dry run: nothing is run',
      '# patch HOOKS_TOKEN, API_KEY; the values are read from stdin as a JSON object, never from argv',
      'vault kv patch -mount=homelab apps/chat -',
      '# force-sync 2 ExternalSecrets fed by apps/chat',
      'kubectl annotate externalsecret -n chat chat-secrets force-sync=1700000000000 --overwrite',
      'kubectl annotate externalsecret -n monitoring hooks-token force-sync=1700000000000 --overwrite',
      '',
    ].join('\n'));
    expect(h.runs).toStrictEqual([]);
    expect(h.stdinRead()).toBe(false);
  });

  test('--vault-bin, else VAULT_BIN, names the Vault CLI', async () => {
    // GIVEN
    const fromEnv = harness({ stdin: 'v', env: { VAULT_BIN: '/opt/bao' } });
    const fromOption = harness({ stdin: 'v', env: { VAULT_BIN: '/opt/bao' } });

    // WHEN
    await fromEnv.cli('rotate', 'apps/vpn', 'PASSWORD');
    await fromOption.cli('rotate', 'apps/vpn', 'PASSWORD', '--vault-bin', '/usr/bin/vault');

    // THEN
    expect(fromEnv.runs[0].cmd).toBe('/opt/bao');
    expect(fromOption.runs[0].cmd).toBe('/usr/bin/vault');
  });

  test('a failed patch force-syncs nothing and exits 1', async () => {
    // GIVEN
    const h = harness({
      stdin: SENTINEL,
      run: () => ({ exitCode: 2, stdout: '', stderr: 'Error: No value found at homelab/data/apps/vpn\n' }),
    });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.runs.map((r) => r.cmd)).toStrictEqual(['vault']);
    expect(h.stderr()).toBe([
      'homelab-secrets: vault kv patch -mount=homelab apps/vpn - exited with 2: Error: No value found at homelab/data/apps/vpn',
      'homelab-secrets: nothing was changed and nothing force-synced; create the path first: homelab-secrets new apps/vpn',
      '',
    ].join('\n'));
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('a Vault CLI that cannot be started says how to name another', async () => {
    // GIVEN
    const h = harness({ stdin: 'v', run: () => ({ exitCode: 127, stdout: '', stderr: 'vault: spawn vault ENOENT' }) });

    // WHEN
    const code = await h.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stderr()).toBe([
      'homelab-secrets: vault kv patch -mount=homelab apps/vpn - exited with 127: vault: spawn vault ENOENT',
      'homelab-secrets: nothing was changed and nothing force-synced; set --vault-bin or VAULT_BIN to the Vault CLI',
      '',
    ].join('\n'));
  });

  test('a failed force-sync still tries the others, exits 1 and says the values are changed', async () => {
    // GIVEN
    const h = harness({
      stdin: 'v',
      run: (cmd, args) => (cmd === 'kubectl' && args[3] === 'chat'
        ? { exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): externalsecrets.external-secrets.io "chat-secrets" not found\n' }
        : { exitCode: 0, stdout: '', stderr: '' }),
    });

    // WHEN
    const code = await h.cli('rotate', 'apps/chat', 'HOOKS_TOKEN');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.runs.map((r) => r.args)).toStrictEqual([PATCH_ARGS, ANNOTATE_CHAT, ANNOTATE_HOOKS]);
    expect(h.stderr()).toBe([
      'homelab-secrets: kubectl annotate externalsecret -n chat chat-secrets exited with 1: Error from server (NotFound): externalsecrets.external-secrets.io "chat-secrets" not found',
      'homelab-secrets: 1 of 2 ExternalSecrets not force-synced: chat/chat-secrets',
      'homelab-secrets: the new values are in Vault; ESO reads them at its next refresh, or run: homelab-secrets force-sync apps/chat',
      '',
    ].join('\n'));
  });

  test('in the homelab, apps/openclaw feeds two ExternalSecrets in two namespaces', async () => {
    // GIVEN
    const h = harness({ catalog: homelabCatalog(), stdin: 'v' });

    // WHEN
    await h.cli('rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN');

    // THEN
    expect(h.runs.map((r) => [r.cmd, ...r.args])).toStrictEqual([
      ['vault', 'kv', 'patch', '-mount=homelab', 'apps/openclaw', '-'],
      ['kubectl', 'annotate', 'externalsecret', '-n', 'openclaw', 'openclaw-secrets', 'force-sync=1700000000000', '--overwrite'],
      ['kubectl', 'annotate', 'externalsecret', '-n', 'monitoring', 'alertmanager-openclaw-hooks-token', 'force-sync=1700000000000', '--overwrite'],
    ]);
  });
});
