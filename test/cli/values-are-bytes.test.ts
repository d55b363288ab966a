// A value is bytes: rotate stores exactly what it was given, or refuses it and changes nothing. The
// framing is the one docs/operations.md states: with one key all of stdin less one final line ending
// (LF or CR LF), with several one value per line. Checked here on the JSON the vault child gets (the
// harness), through a real process's stdin (the package's bin), and at a terminal (HiddenLineReader);
// test/e2e/cli-rotate.test.ts checks what OpenBao then holds.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, HiddenLineReader, TypedNotUtf8Error, utf8Fault } from '../../lib/cli';
import { DECLARATION_ENV } from '../../lib/cli/bin';
import { ByteTty, harness, recordingCommand } from './support/cli-harness';

const ROOT = join(__dirname, '..', '..');
const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** What the vault child got on stdin, parsed; undefined when rotate ran nothing. */
async function rotated(stdin: Buffer, ...keys: string[]): Promise<{ code: number; patch?: Record<string, string>; stderr: string }> {
  const h = harness({ stdin });
  const code = await h.cli('rotate', 'apps/vpn', ...keys);
  const vault = h.runs.find((r) => r.cmd === 'vault');
  return { code, stderr: h.stderr(), ...(vault ? { patch: JSON.parse(vault.input ?? '') } : {}) };
}

describe('rotate stores every value exactly', () => {
  test.each([
    ['no final newline', bytes('v'), 'v'],
    ['one final LF, dropped', bytes('v\n'), 'v'],
    ['one final CR LF, dropped', bytes('v\r\n'), 'v'],
    ['a value that ends with a newline: give one more', bytes('v\n\n'), 'v\n'],
    ['lines inside the value keep their CR LF', bytes('a\r\nb\r\n'), 'a\r\nb'],
    ['a CR that ends no line is kept', bytes('v\r'), 'v\r'],
    ['blanks and backslashes are kept', bytes(' v \\n\t\n'), ' v \\n\t'],
    ['a NUL is kept', bytes('a', [0], 'b\n'), 'a\u0000b'],
    ['a U+FEFF inside the value is kept', bytes('a\ufeffb'), 'a\ufeffb'],
    ['characters of two, three and four bytes', bytes('é€😀\n'), 'é€😀'],
  ])('one key, %s', async (_case, stdin, value) => {
    expect(await rotated(stdin, 'PASSWORD')).toStrictEqual({ code: EXIT.ok, stderr: '', patch: { PASSWORD: value } });
  });

  test.each([
    ['LF lines', bytes('u\np\n'), ['u', 'p']],
    ['CR LF lines', bytes('u\r\np\r\n'), ['u', 'p']],
    ['no final line ending', bytes('u\np'), ['u', 'p']],
    ['a CR that ends no line is kept', bytes('u\r\np\r'), ['u', 'p\r']],
    ['a NUL is kept', bytes('u', [0], '\np\n'), ['u\u0000', 'p']],
  ])('several keys, %s', async (_case, stdin, [user, password]) => {
    expect(await rotated(stdin, 'USER', 'PASSWORD')).toStrictEqual({ code: EXIT.ok, stderr: '', patch: { USER: user, PASSWORD: password } });
  });
});

describe('rotate refuses what it cannot store as given, and changes nothing', () => {
  const NOT_UTF8 = 'is not UTF-8 text (%s of the value): Vault keeps values as JSON strings, which cannot hold these bytes as they are; encode binary data first (e.g. base64); nothing was changed';
  test.each([
    ['a byte that is no UTF-8', bytes('ab', [0xff], 'c\n'), ['PASSWORD'], `the value of PASSWORD (all of stdin) ${NOT_UTF8.replace('%s', 'byte 0xff at offset 2')}`],
    ['Latin-1 text', bytes('caf', [0xe9], '!\n'), ['PASSWORD'], `the value of PASSWORD (all of stdin) ${NOT_UTF8.replace('%s', 'byte 0xe9 at offset 3')}`],
    ['a character cut off at the end', bytes('ab', [0xe2, 0x82]), ['PASSWORD'], `the value of PASSWORD (all of stdin) ${NOT_UTF8.replace('%s', 'byte 0xe2 at offset 2')}`],
    ['an encoded UTF-16 surrogate', bytes([0xed, 0xa0, 0x80]), ['PASSWORD'], `the value of PASSWORD (all of stdin) ${NOT_UTF8.replace('%s', 'byte 0xed at offset 0')}`],
    ['an overlong NUL', bytes('a', [0xc0, 0x80]), ['PASSWORD'], `the value of PASSWORD (all of stdin) ${NOT_UTF8.replace('%s', 'byte 0xc0 at offset 1')}`],
    ['the second of two lines', bytes('u\n', [0xff], 'p\n'), ['USER', 'PASSWORD'], `the value of PASSWORD (line 2 of stdin) ${NOT_UTF8.replace('%s', 'byte 0xff at offset 0')}`],
    ['a byte-order mark', bytes([0xef, 0xbb, 0xbf], 'v\n'), ['PASSWORD'], 'the value of PASSWORD (all of stdin) starts with a UTF-8 byte-order mark (EF BB BF), which would become part of the value: remove it (save the file as UTF-8 without BOM); nothing was changed'],
    ['a byte-order mark on a line', bytes([0xef, 0xbb, 0xbf], 'u\r\np\r\n'), ['USER', 'PASSWORD'], 'the value of USER (line 1 of stdin) starts with a UTF-8 byte-order mark (EF BB BF), which would become part of the value: remove it (save the file as UTF-8 without BOM); nothing was changed'],
  ])('%s', async (_case, stdin, keys, message) => {
    expect(await rotated(stdin, ...keys)).toStrictEqual({ code: EXIT.usage, stderr: `homelab-secrets: ${message}\n` });
  });

  test('kms-secret and import read their documents as UTF-8 too, and say where they are not', async () => {
    const h = harness({ stdin: bytes('{"key_id": "', [0xff], '"}'), settings: { kms: { region: 'eu-central-1' } } });
    expect(await h.cli('kms-secret')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: stdin is not UTF-8 text (byte 0xff at offset 12)\n');
  });
});

describe('utf8Fault, the one check', () => {
  test('accepts every code point, and refuses what RFC 3629 refuses', () => {
    const all = Buffer.from(Array.from({ length: 0x110000 }, (_, cp) => (cp >= 0xd800 && cp <= 0xdfff ? '' : String.fromCodePoint(cp))).join(''), 'utf8');
    expect(utf8Fault(all)).toBeUndefined();
    expect([[0x80], [0xc1, 0xbf], [0xe0, 0x9f, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xe2, 0x28, 0xa1]].map((b) => utf8Fault(Uint8Array.from(b))))
      .toStrictEqual([{ offset: 0, byte: 0x80 }, { offset: 0, byte: 0xc1 }, { offset: 0, byte: 0xe0 }, { offset: 0, byte: 0xf0 }, { offset: 0, byte: 0xf4 }, { offset: 0, byte: 0xf5 }, { offset: 0, byte: 0xe2 }]);
  });
});

describe('at a terminal', () => {
  const reader = (tty: ByteTty): HiddenLineReader => new HiddenLineReader(tty, { write: () => undefined });

  test('a character split between two reads stays whole, and Backspace deletes a whole character', async () => {
    // GIVEN
    const tty = new ByteTty();
    const line = reader(tty).read('Value: ');

    // WHEN "é" arrives in two reads, then "€" and a Backspace, then "x" and Enter
    tty.type(0x61, 0xc3);
    tty.type(0xa9, 0xe2, 0x82, 0xac, 0x7f, 0x78, 0x0d);

    // THEN
    await expect(line).resolves.toBe('aéx');
    expect(tty.rawModes).toStrictEqual([true, false]);
  });

  test('a line that is not UTF-8 is refused, and raw mode ends', async () => {
    // GIVEN a Latin-1 terminal's "café"
    const tty = new ByteTty();
    const r = reader(tty);
    const line = r.read('Value: ');

    // WHEN
    tty.type(0x63, 0x61, 0x66, 0xe9, 0x0d);

    // THEN
    await expect(line).rejects.toStrictEqual(new TypedNotUtf8Error({ offset: 3, byte: 0xe9 }));
    await expect(line).rejects.toThrow('what was typed is not UTF-8 text (byte 0xe9 at offset 3): set the terminal to UTF-8; nothing was changed');
    expect(tty.rawModes).toStrictEqual([true, false]);
    expect(tty.listenerCount('data')).toBe(0);
  });

  test('rotate stores a typed value exactly, and refuses one that is not UTF-8 naming the key, the offset and the byte', async () => {
    // GIVEN a UTF-8 terminal (Enter sends CR, or CR LF: one line end), then a Latin-1 one
    const utf8 = harness({ stdin: { tty: [bytes(' é€😀 \\ "q"\r'), bytes(' é€😀 \\ "q"\r\n')] } });
    const latin1 = harness({ stdin: { tty: [bytes('caf', [0xe9], '\r')] } });

    // WHEN
    const stored = await utf8.cli('rotate', 'apps/vpn', 'PASSWORD');
    const refused = await latin1.cli('rotate', 'apps/vpn', 'PASSWORD');

    // THEN
    expect([stored, utf8.stderr()]).toStrictEqual([EXIT.ok, '']);
    expect(JSON.parse(utf8.runs.find((r) => r.cmd === 'vault')!.input!)).toStrictEqual({ PASSWORD: ' é€😀 \\ "q"' });
    expect([refused, latin1.stderr()]).toStrictEqual([EXIT.usage,
      'homelab-secrets: the value of PASSWORD (typed at the prompt) is not UTF-8 text (byte 0xe9 at offset 3 of the value): set the terminal to UTF-8; nothing was changed\n']);
    expect(latin1.runs).toStrictEqual([]);
  });
});

describe('through a real process\'s stdin (the package\'s bin)', () => {
  test.each([
    ['CR LF lines inside one value', bytes('a\r\nb\r\n'), ['password'], { password: 'a\r\nb' }],
    ['one value per line, NUL and U+FEFF kept', bytes('u', [0], '\r\np\ufeff\n'), ['user', 'password'], { user: 'u\u0000', password: 'p\ufeff' }],
  ])('%s: the vault child reads exactly the JSON of the values', (_case, stdin, keys, values) => {
    // GIVEN vault and kubectl stand-ins that record argv and stdin
    const vault = recordingCommand('vault');
    recordingCommand('kubectl', { dir: vault.dir });
    try {
      // WHEN
      const result = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), 'rotate', 'apps/db', ...keys], {
        input: stdin, encoding: 'utf8', env: { PATH: `${vault.dir}:${process.env.PATH}`, [DECLARATION_ENV]: join(ROOT, 'test/support/fixture-declaration.ts') },
      });

      // THEN
      expect([result.status, result.stderr]).toStrictEqual([0, '']);
      expect(vault.calls()).toStrictEqual([['kv', 'patch', '-mount=kv', 'apps/db', '-']]);
      expect(vault.stdins()).toStrictEqual([Buffer.from(JSON.stringify(values), 'utf8')]);
      expect(JSON.parse(vault.stdins()[0].toString('utf8'))).toStrictEqual(values);
    } finally {
      rmSync(vault.dir, { recursive: true, force: true });
    }
  });

  test('bytes that are not UTF-8 reach no vault: exit 2, one line', () => {
    // GIVEN
    const vault = recordingCommand('vault');
    try {
      // WHEN
      const result = spawnSync(process.execPath, ['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'lib/cli/bin.ts'), 'rotate', 'apps/db', 'password'], {
        input: bytes('pa', [0xff], 'ss\n'), encoding: 'utf8', env: { PATH: `${vault.dir}:${process.env.PATH}`, [DECLARATION_ENV]: join(ROOT, 'test/support/fixture-declaration.ts') },
      });

      // THEN
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toStrictEqual({
        status: EXIT.usage,
        stdout: '',
        stderr: 'homelab-secrets: the value of password (all of stdin) is not UTF-8 text (byte 0xff at offset 2 of the value): Vault keeps values as JSON strings, which cannot hold these bytes as they are; encode binary data first (e.g. base64); nothing was changed\n',
      });
      expect(vault.calls()).toStrictEqual([]);
    } finally {
      rmSync(vault.dir, { recursive: true, force: true });
    }
  });
});

// Found by the sweep: rotate < /dev/zero and kms-secret < /dev/zero read stdin to its end, and an
// endless stream ended the process out of memory. They read up to a cap, and refuse more.
describe('stdin is read up to a cap', () => {
  test('rotate refuses stdin over 32 MiB, before anything runs', async () => {
    const h = harness({ stdin: new Uint8Array(32 * 1024 * 1024 + 1).fill(0x61) });
    expect(await h.cli('rotate', 'apps/vpn', 'USER')).toBe(EXIT.usage);
    expect([h.stderr(), h.runs]).toStrictEqual([
      'homelab-secrets: stdin holds more than 32 MiB, more than Vault takes in one request (its max_request_size): give the values of a path in smaller pieces, or store a reference; nothing was changed\n',
      [],
    ]);
  });

  test('kms-secret refuses Terraform outputs over 1 MiB', async () => {
    const h = harness({ stdin: `{"x":"${'a'.repeat(1024 * 1024)}"}`, settings: { kms: { region: 'us-east-1' } } });
    expect(await h.cli('kms-secret')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: stdin holds more than 1 MiB: `terraform output -json` of the KMS stack is a few hundred bytes; give that\n');
    const f = harness({ settings: { kms: { region: 'us-east-1' } } });
    expect(await f.cli('kms-secret', '--file', '/dev/zero')).toBe(EXIT.usage);
    expect(f.stderr()).toBe('homelab-secrets: --file "/dev/zero" holds more than 1 MiB: `terraform output -json` of the KMS stack is a few hundred bytes; give that\n');
  });
});
