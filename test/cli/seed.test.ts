import { SecretCatalog, external, generated } from '../../lib/catalog';
import { EXIT, generateValue, uniformBelow } from '../../lib/cli';
import { SENTINEL, everythingSeen, harness } from './support/cli-harness';
import { FakeKv2, fakeKv2 } from './support/fake-kv2';

const ADDR = 'http://127.0.0.1:8200';
const ENV = { VAULT_ADDR: ADDR, VAULT_TOKEN: 'test-token' };
const HEX = /^[0-9a-f]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Every kind of origin: generated characters and bytes, external with and without a link, none; a path only operators read. */
function seedCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });
  catalog.path('apps/db', ['user', 'password'], {
    origins: { user: external({ hint: 'DBA → Users', url: 'https://db.example.org/users' }), password: generated({ length: 24 }) },
  }).syncTo({ name: 'db', namespace: 'apps' });
  catalog.path('apps/chat', ['GATEWAY_TOKEN', 'HOOKS_TOKEN', 'API_KEY'], {
    origins: { GATEWAY_TOKEN: generated({ bytes: 32, encoding: 'hex' }), HOOKS_TOKEN: generated({ bytes: 16, encoding: 'base64url' }), API_KEY: external({ hint: 'Chat console → API keys' }) },
  }).syncTo({ name: 'chat', namespace: 'chat' });
  catalog.path('apps/vpn', ['USER', 'PASSWORD'], {
    origins: { USER: external({ hint: 'VPN → user' }), PASSWORD: external({ hint: 'VPN → password' }) },
  }).syncTo({ name: 'vpn', namespace: 'arr' });
  catalog.path('infra/pin', ['pin', 'legacy'], { readBy: 'operators', origins: { pin: generated({ length: 6, charset: 'digits' }) } });
  return catalog;
}

const MISSING_LIST = [
  'Still missing, for a person to enter (5 keys in 4 paths):',
  '  apps/db user: DBA → Users (https://db.example.org/users)',
  '  apps/chat API_KEY: Chat console → API keys',
  '  apps/vpn USER: VPN → user',
  '  apps/vpn PASSWORD: VPN → password',
  '  infra/pin legacy: (no origin declared)',
];
const NOT_A_TERMINAL = 'homelab-secrets: 5 keys still missing and stdin is not a terminal, so none was asked for: run seed at a terminal to enter them at hidden prompts, or `homelab-secrets rotate <path> <key>` for a path that exists\n';

/** The values the fake holds, for checks that no output shows one. */
function allValues(vault: FakeKv2, paths: readonly string[]): string[] {
  return paths.flatMap((p) => Object.values(vault.current(p) ?? {}));
}

const writes = (vault: FakeKv2) => vault.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH');

describe('seed', () => {
  test('a fresh mount: creates each path with exactly its generated keys, cas 0, then lists what a person enters and exits 1 without a terminal', async () => {
    // GIVEN
    const vault = fakeKv2();
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout()).toBe([
      `Vault ${ADDR}, mount homelab/:`,
      '  generated into apps/db (a new path): password',
      '  generated into apps/chat (a new path): GATEWAY_TOKEN, HOOKS_TOKEN',
      '  generated into infra/pin (a new path): pin',
      '4 generated keys written; 0 already there.',
      ...MISSING_LIST,
      '',
    ].join('\n'));
    expect(h.stderr()).toBe(NOT_A_TERMINAL);
    expect(writes(vault).map((r) => [r.method, r.path, r.body?.options, Object.keys(r.body?.data ?? {})])).toStrictEqual([
      ['POST', '/v1/homelab/data/apps/db', { cas: 0 }, ['password']],
      ['POST', '/v1/homelab/data/apps/chat', { cas: 0 }, ['GATEWAY_TOKEN', 'HOOKS_TOKEN']],
      ['POST', '/v1/homelab/data/infra/pin', { cas: 0 }, ['pin']],
    ]);
    expect(vault.current('apps/db')!.password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(vault.current('apps/chat')!.GATEWAY_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(vault.current('apps/chat')!.HOOKS_TOKEN).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(vault.current('infra/pin')).toStrictEqual({ pin: expect.stringMatching(/^[0-9]{6}$/) });
    expect(vault.current('apps/vpn')).toBeUndefined();
    const values = allValues(vault, ['apps/db', 'apps/chat', 'infra/pin']);
    expect(values).toHaveLength(4);
    for (const value of values) expect(everythingSeen(h)).not.toContain(value);
  });

  test('a second run writes nothing: no request but reads, every version unchanged', async () => {
    // GIVEN
    const vault = fakeKv2();
    await harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch }).cli('seed');
    const before = ['apps/db', 'apps/chat', 'infra/pin'].map((p) => [vault.version(p), vault.current(p)]);
    vault.requests.length = 0;
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout().split('\n').slice(0, 2)).toStrictEqual([`Vault ${ADDR}, mount homelab/:`, 'every generated key is already there (4 keys): nothing written.']);
    expect(writes(vault)).toStrictEqual([]);
    expect(['apps/db', 'apps/chat', 'infra/pin'].map((p) => [vault.version(p), vault.current(p)])).toStrictEqual(before);
  });

  test('a path that exists gets only its missing generated keys, as a merge patch of the version read; values already there stay', async () => {
    // GIVEN
    const vault = fakeKv2();
    vault.put('apps/chat', { HOOKS_TOKEN: `${SENTINEL}-hooks`, OLD: `${SENTINEL}-old` });
    vault.put('apps/chat', { HOOKS_TOKEN: `${SENTINEL}-hooks`, OLD: `${SENTINEL}-old`, API_KEY: `${SENTINEL}-api` });
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    await h.cli('seed');

    // THEN
    expect(h.stdout().split('\n')[2]).toBe('  generated into apps/chat (version 2): GATEWAY_TOKEN');
    expect(writes(vault).filter((r) => r.path.endsWith('apps/chat')).map((r) => [r.method, r.contentType, r.body?.options, Object.keys(r.body?.data ?? {})])).toStrictEqual([
      ['PATCH', 'application/merge-patch+json', { cas: 2 }, ['GATEWAY_TOKEN']],
    ]);
    expect(vault.current('apps/chat')).toStrictEqual({ HOOKS_TOKEN: `${SENTINEL}-hooks`, OLD: `${SENTINEL}-old`, API_KEY: `${SENTINEL}-api`, GATEWAY_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(vault.version('apps/chat')).toBe(3);
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test('racing another writer: the check-and-set write is refused, seed re-reads and writes only what is still missing', async () => {
    // GIVEN a writer that adds GATEWAY_TOKEN, and another key, just before seed's write lands
    const vault = fakeKv2();
    vault.put('apps/chat', { API_KEY: `${SENTINEL}-api` });
    vault.beforeNextWrite(() => vault.put('apps/chat', { API_KEY: `${SENTINEL}-api`, GATEWAY_TOKEN: `${SENTINEL}-theirs` }));
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    await h.cli('seed');

    // THEN the first patch (cas 1) was refused; the second (cas 2) carried HOOKS_TOKEN only
    expect(writes(vault).filter((r) => r.path.endsWith('apps/chat')).map((r) => [r.method, r.body?.options, Object.keys(r.body?.data ?? {})])).toStrictEqual([
      ['PATCH', { cas: 1 }, ['GATEWAY_TOKEN', 'HOOKS_TOKEN']],
      ['PATCH', { cas: 2 }, ['HOOKS_TOKEN']],
    ]);
    expect(vault.current('apps/chat')).toStrictEqual({ API_KEY: `${SENTINEL}-api`, GATEWAY_TOKEN: `${SENTINEL}-theirs`, HOOKS_TOKEN: expect.stringMatching(BASE64URL) });
    expect(h.stdout().split('\n').slice(2, 5)).toStrictEqual(['  generated into apps/chat (version 1): HOOKS_TOKEN', '  generated into infra/pin (a new path): pin', '3 generated keys written; 1 already there.']);
  });

  test('a writer that keeps winning: after three refused writes seed gives up on the path and exits 1', async () => {
    // GIVEN
    const vault = fakeKv2();
    vault.put('apps/chat', { API_KEY: `${SENTINEL}-api` });
    const race = (): void => {
      vault.put('apps/chat', { API_KEY: `${SENTINEL}-api`, [`N${vault.version('apps/chat')}`]: SENTINEL });
      vault.beforeNextWrite(race);
    };
    vault.beforeNextWrite(race);
    const catalog = new SecretCatalog({ mount: 'homelab' });
    catalog.path('apps/chat', ['GATEWAY_TOKEN'], { origins: { GATEWAY_TOKEN: generated({ length: 8 }) } }).syncTo({ name: 'chat', namespace: 'chat' });
    const h = harness({ catalog, env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(writes(vault).map((r) => r.body?.options)).toStrictEqual([{ cas: 1 }, { cas: 2 }, { cas: 3 }]);
    expect(vault.current('apps/chat')!.GATEWAY_TOKEN).toBeUndefined();
    expect(h.stderr()).toBe(`homelab-secrets: Vault at ${ADDR} refused PATCH /v1/homelab/data/apps/chat: check-and-set parameter did not match the current version (another writer changed the path meanwhile)\n`);
  });

  test('a path whose current version is deleted is not written; seed says how to restore or remove it, and exits 1', async () => {
    // GIVEN
    const vault = fakeKv2();
    vault.put('apps/db', { user: `${SENTINEL}-user`, password: `${SENTINEL}-password` });
    vault.deleteCurrent('apps/db');
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(writes(vault).map((r) => r.path)).toStrictEqual(['/v1/homelab/data/apps/chat', '/v1/homelab/data/infra/pin']);
    expect(h.stderr()).toBe([
      'homelab-secrets: apps/db: its current version 1 is deleted, so nothing is written there: restore it with `vault kv undelete -mount=homelab -versions=1 apps/db`, or remove the path with every version (`vault kv metadata delete -mount=homelab apps/db`), then run seed again (the operator policy grants neither: undelete needs "update" on homelab/undelete/apps/db, metadata delete needs settings.vault.operatorCanDestroy: true; use a token that may)',
      'homelab-secrets: 4 keys still missing and stdin is not a terminal, so none was asked for: run seed at a terminal to enter them at hidden prompts, or `homelab-secrets rotate <path> <key>` for a path that exists',
      '',
    ].join('\n'));
    expect(h.stdout()).not.toContain('apps/db user');
  });

  test('--dry-run reads Vault and says what it would write, writes nothing, exits 0', async () => {
    // GIVEN
    const vault = fakeKv2();
    vault.put('infra/pin', { pin: `${SENTINEL}-pin`, legacy: `${SENTINEL}-legacy` });
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed', '--dry-run');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe([
      '# dry run: nothing is written',
      `Vault ${ADDR}, mount homelab/:`,
      '  would generate into apps/db (a new path): password (24 characters of A-Z, a-z, 0-9)',
      '  would generate into apps/chat (a new path): GATEWAY_TOKEN (32 random bytes as hex: 64 characters of 0-9a-f), HOOKS_TOKEN (16 random bytes as base64url: 22 characters of A-Z, a-z, 0-9, "-", "_", unpadded)',
      '3 generated keys would be written; 1 already there.',
      'Still missing, for a person to enter (4 keys in 3 paths):',
      '  apps/db user: DBA → Users (https://db.example.org/users)',
      '  apps/chat API_KEY: Chat console → API keys',
      '  apps/vpn USER: VPN → user',
      '  apps/vpn PASSWORD: VPN → password',
      'At a terminal seed asks for each, hidden and typed twice; without one it lists them and exits 1.',
      '',
    ].join('\n'));
    expect(writes(vault)).toStrictEqual([]);
    expect(h.stderr()).toBe('');
  });

  test('at a terminal: each missing key at a hidden prompt with where to get it, typed twice, written check-and-set; an empty line skips', async () => {
    // GIVEN the operator types: user, API_KEY (mistyped once), skips USER, then PASSWORD, legacy
    const vault = fakeKv2();
    const typed = [
      `${SENTINEL}-user`, `${SENTINEL}-user`,
      `${SENTINEL}-api`, `${SENTINEL}-apl`, `${SENTINEL}-api`, `${SENTINEL}-api`,
      '',
      `${SENTINEL}-password`, `${SENTINEL}-password`,
      ' legacy value ', ' legacy value ',
    ];
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch, stdin: { tty: typed } });

    // WHEN
    const code = await h.cli('seed');

    // THEN one key is still missing
    expect(code).toBe(EXIT.failed);
    expect(h.prompts).toStrictEqual([
      'homelab/apps/db user: DBA → Users (https://db.example.org/users)\n  value (hidden; empty to skip): ',
      '  the same again: ',
      'homelab/apps/chat API_KEY: Chat console → API keys\n  value (hidden; empty to skip): ',
      '  the same again: ',
      'homelab/apps/chat API_KEY: Chat console → API keys\n  value (hidden; empty to skip): ',
      '  the same again: ',
      'homelab/apps/vpn USER: VPN → user\n  value (hidden; empty to skip): ',
      'homelab/apps/vpn PASSWORD: VPN → password\n  value (hidden; empty to skip): ',
      '  the same again: ',
      'homelab/infra/pin legacy: (no origin declared)\n  value (hidden; empty to skip): ',
      '  the same again: ',
    ]);
    expect(h.stdout().split('\n').slice(11)).toStrictEqual([
      'Enter each value at its prompt: hidden, typed twice; an empty line skips the key.',
      '  wrote apps/db: user',
      '  wrote apps/chat: API_KEY',
      '  wrote apps/vpn: PASSWORD',
      '  wrote infra/pin: legacy',
      'Still missing (1 key):',
      '  apps/vpn USER: VPN → user',
      '',
    ]);
    expect(h.stderr()).toBe('  the two values differ; type it again\n');
    expect(vault.current('apps/db')).toStrictEqual({ password: expect.stringMatching(/^[A-Za-z0-9]{24}$/), user: `${SENTINEL}-user` });
    expect(vault.current('apps/vpn')).toStrictEqual({ PASSWORD: `${SENTINEL}-password` });
    expect(vault.current('infra/pin')).toStrictEqual({ pin: expect.stringMatching(/^\d{6}$/), legacy: ' legacy value ' });
    expect(writes(vault).filter((r) => r.path.endsWith('apps/vpn')).map((r) => [r.method, r.body?.options])).toStrictEqual([['POST', { cas: 0 }]]);
    expect([h.stdout(), h.stderr()].join('\n')).not.toContain(SENTINEL);
  });

  test('at a terminal, every key entered: exit 0 and the next run finds nothing to do', async () => {
    // GIVEN
    const vault = fakeKv2();
    const typed = ['u', 'u', 'a', 'a', 'U', 'U', 'P', 'P', 'l', 'l'];
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch, stdin: { tty: typed } });

    // WHEN
    const code = await h.cli('seed');
    const again = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });
    const againCode = await again.cli('seed');

    // THEN
    expect(code).toBe(EXIT.ok);
    expect(h.stdout().split('\n').slice(-2)).toStrictEqual(['Every declared key of the 4 paths is in Vault.', '']);
    expect(againCode).toBe(EXIT.ok);
    expect(again.stdout()).toBe([
      `Vault ${ADDR}, mount homelab/:`,
      'every generated key is already there (4 keys): nothing written.',
      'Every declared key of the 4 paths is in Vault.',
      '',
    ].join('\n'));
  });

  test('Ctrl-C at a prompt exits 130; what was written stays, the path at the prompt is not written', async () => {
    // GIVEN a terminal where the operator enters `user`, then presses Ctrl-C
    const vault = fakeKv2();
    const CTRL_C = Uint8Array.of(0x03);
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch, stdin: { tty: [`${SENTINEL}-user`, `${SENTINEL}-user`, CTRL_C] } });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.interrupted);
    expect(h.stderr()).toBe('homelab-secrets: interrupted; what is written above stays in Vault, and the value at the prompt was not written: run seed again for the rest\n');
    expect(vault.current('apps/db')).toStrictEqual({ password: expect.any(String), user: `${SENTINEL}-user` });
    expect(vault.current('apps/chat')!.API_KEY).toBeUndefined();
  });

  test('a value typed at the prompt is bytes, as for rotate: stored exactly, or refused with the key, the offset and the byte (exit 2; what was written stays)', async () => {
    // GIVEN a terminal that sends apps/db user as UTF-8 (Enter as CR, then as CR LF: one line end each),
    // then, for apps/chat API_KEY, a Latin-1 "café"
    const vault = fakeKv2();
    const user = `${SENTINEL}-é€😀 \\ "q"`;
    const typed = [Buffer.from(`${user}\r`), Buffer.from(`${user}\r\n`), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d])];
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch, stdin: { tty: typed } });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect([code, h.stderr()]).toStrictEqual([EXIT.usage,
      'homelab-secrets: the value of apps/chat API_KEY (typed at the prompt) is not UTF-8 text (byte 0xe9 at offset 3 of the value): set the terminal to UTF-8; '
      + 'nothing of apps/chat was written, and what is written above stays in Vault: run seed again for the rest\n']);
    expect(vault.current('apps/db')).toStrictEqual({ password: expect.stringMatching(/^[A-Za-z0-9]{24}$/), user });
    expect(Object.keys(vault.current('apps/chat')!).sort()).toStrictEqual(['GATEWAY_TOKEN', 'HOOKS_TOKEN']);
    expect(vault.current('apps/vpn')).toBeUndefined();
    expect(everythingSeen(h)).not.toContain(SENTINEL);
  });

  test.each([
    [{ mountVersion: '1' }, `homelab-secrets: Vault at ${ADDR} has a kv version 1 secrets engine at "homelab/", not KV version 2: nothing was written\n`],
    [{ mountType: 'transit', mountVersion: '' }, `homelab-secrets: Vault at ${ADDR} has a transit secrets engine at "homelab/", not KV version 2: nothing was written\n`],
    [{ token: 'other' }, `homelab-secrets: Vault at ${ADDR} denied GET /v1/sys/internal/ui/mounts/homelab (403 permission denied): the token needs a capability on homelab/\n`],
    [{ mount: 'kv' }, `homelab-secrets: Vault at ${ADDR} has no secrets engine at "homelab/" (GET /v1/sys/internal/ui/mounts/homelab: no handler for route "sys/internal/ui/mounts/homelab". route entry not found.)\n`],
  ])('a mount seed cannot write (%j) exits 2 before any write', async (fake, message) => {
    // GIVEN
    const vault = fakeKv2(fake);
    const h = harness({ catalog: seedCatalog(), env: ENV, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe(message);
    expect(writes(vault)).toStrictEqual([]);
  });

  test('without a token it says where it looked, and makes no request', async () => {
    // GIVEN
    const vault = fakeKv2();
    const h = harness({ catalog: seedCatalog(), env: { VAULT_ADDR: ADDR, HOME: '/nonexistent' }, fetch: vault.fetch });

    // WHEN
    const code = await h.cli('seed');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: no Vault token: VAULT_TOKEN is not set and /nonexistent/.vault-token does not exist; log in with `vault login` (it writes that file) or export VAULT_TOKEN, a token with "read", "create" and "patch" on homelab/data/*\n');
    expect(vault.requests).toStrictEqual([]);
  });
});

describe('the value generator', () => {
  test('draws an index by rejection: bytes in the range\'s uneven top are drawn again, never folded onto small indexes', () => {
    // GIVEN 62 characters: 256 % 62 = 8, so bytes 248..255 are rejected
    const bytes = [248, 255, 61, 62, 247, 0];
    const random = (size: number): Buffer => Buffer.from(bytes.splice(0, size));

    // WHEN
    const drawn = [uniformBelow(62, random), uniformBelow(62, random), uniformBelow(62, random), uniformBelow(62, random)];

    // THEN
    expect(drawn).toStrictEqual([61, 0, 61, 0]);
    expect(bytes).toStrictEqual([]);
  });

  test('takes two bytes for more than 256 choices, and rejects above the largest multiple', () => {
    // 65536 % 1000 = 536: 65000..65535 are rejected
    const words = [0xfe, 0x00, 0xff, 0xff, 0x03, 0xe9];
    const random = (size: number): Buffer => Buffer.from(words.splice(0, size));
    expect(uniformBelow(1000, random)).toBe(1);
  });

  test('makes values of exactly the declared length and alphabet, from node:crypto by default', () => {
    const alphabet = 'αβγ-';
    for (let i = 0; i < 20; i++) {
      expect(generateValue(generated({ length: 40 }))).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(generateValue(generated({ length: 12, charset: 'lower-alnum' }))).toMatch(/^[a-z0-9]{12}$/);
      expect([...generateValue(generated({ length: 9, alphabet }))].every((ch) => alphabet.includes(ch))).toBe(true);
      expect([...generateValue(generated({ length: 9, alphabet }))]).toHaveLength(9);
      expect(generateValue(generated({ bytes: 32, encoding: 'hex' }))).toMatch(/^[0-9a-f]{64}$/);
      expect(generateValue(generated({ bytes: 60, encoding: 'base64' }))).toMatch(/^[A-Za-z0-9+/]{80}$/);
      expect(generateValue(generated({ bytes: 31, encoding: 'base64' }))).toMatch(/^[A-Za-z0-9+/]{42}==$/);
      expect(generateValue(generated({ bytes: 32, encoding: 'base64url' }))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(HEX.test(generateValue(generated({ bytes: 1, encoding: 'hex' })))).toBe(true);
  });

  test('every character of the alphabet is reachable, and two values differ', () => {
    const seen = new Set(generateValue(generated({ length: 4096, charset: 'digits' })));
    expect([...seen].sort().join('')).toBe('0123456789');
    expect(generateValue(generated({ length: 32 }))).not.toBe(generateValue(generated({ length: 32 })));
  });
});
