import { spawnSync } from 'node:child_process';
import { SecretCatalog } from '../../lib/catalog';
import { EXIT, UnquotableError, operands, printable, shellAssignment, shellCommand, shellQuote } from '../../lib/cli';
import { findProgram } from './support/printed-commands';
import { harness } from './support/cli-harness';

/** What `shell` makes of `words` as the arguments of a command: each argument, as the program receives it. */
function parsedBy(shell: string, words: string): string[] {
  const result = spawnSync(shell, ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', LANG: 'C.UTF-8' }, cwd: '/' });
  if (result.status !== 0) throw new Error(`${shell} failed on ${words}: ${result.stderr}`);
  return result.stdout.split('\0').slice(0, -1);
}

/** Every ASCII character but NUL alone, and mixed with the ones shells treat specially, and some Unicode. */
const VALUES = [
  ...Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)),
  ...Array.from({ length: 127 }, (_, i) => `a${String.fromCharCode(i + 1)}b'c\\d`),
  '', ' ', "'", "''", "'\\''", '$(id)', '`id`', '${HOME}', '$HOME', '~', '~root', '=ls', 'a=b', '-n', '--', '!!', '!$', 'a\nb', 'a\r\nb', '\u001b[2J',
  "x'\u0007!\\'", '*', '?', '[a]', '{a,b}', '#', 'a #b', '%1', 'é', '日本', '\u2028', '\u202e', '\u0085', 'tab\there',
];

describe('shellQuote', () => {
  test('leaves plain words as they are, so ordinary commands print as before', () => {
    expect(['apps/vpn', '-mount=homelab', 'token_policies=homelab-operator', 'a.b', '_', '-', 'user@host:8200', '50%', 'a,b', 'x+y'].map(shellQuote))
      .toStrictEqual(['apps/vpn', '-mount=homelab', 'token_policies=homelab-operator', 'a.b', '_', '-', 'user@host:8200', '50%', 'a,b', 'x+y']);
  });

  test('single-quotes anything else, and spells a quote as \'\\\'\'', () => {
    expect(['', 'a b', '$(id)', "it's", '~root', '=ls', '{"k": input}', 'a!b', 'é'].map(shellQuote))
      .toStrictEqual(["''", "'a b'", "'$(id)'", "'it'\\''s'", "'~root'", "'=ls'", '\'{"k": input}\'', "'a!b'", "'é'"]);
  });

  test('writes control characters as $\'...\' escapes, so a quoted value is one line and sends no terminal escape', () => {
    expect(shellQuote('a\nb')).toBe("$'a\\nb'");
    expect(shellQuote("it's\u001b[2J!\\")).toBe("$'it\\x27s\\x1b[2J\\x21\\\\'");
    expect(shellQuote('\t\r\u007f')).toBe("$'\\t\\r\\x7f'");
  });

  test('refuses a NUL, which no argument can hold', () => {
    expect(() => shellQuote('a\u0000b')).toThrow(new UnquotableError('a\u0000b'));
    expect(() => shellQuote('a\u0000b')).toThrow('"a\\u0000b" cannot be an argument of a command: it contains a NUL character');
  });

  const shells = ['bash', 'zsh', 'dash'].map((name) => [name, findProgram(name)] as const);
  test.each(shells.filter(([name]) => name === 'bash' || findProgram(name) !== undefined))('%s reads every quoted value back exactly, one argument each', (name, shell) => {
    // dash has no $'...': only values without control characters are for it (the printed commands are for bash and zsh)
    const values = name === 'dash' ? VALUES.filter((v) => !/[\u0001-\u001f\u007f]/.test(v)) : VALUES;
    expect(parsedBy(shell!, values.map(shellQuote).join(' '))).toStrictEqual(values);
  });
});

describe('shellCommand and the other helpers', () => {
  test('quotes every word, and a program name with "=" that would be an assignment', () => {
    expect(shellCommand(['vault', 'kv', 'put', "-mount=kv'x", 'apps/$(id)', '-'])).toBe("vault kv put '-mount=kv'\\''x' 'apps/$(id)' -");
    expect(shellCommand(['A=b', 'c'])).toBe("'A=b' c");
    expect(shellAssignment('VAULT_ADDR', 'https://v;x')).toBe("VAULT_ADDR='https://v;x'");
  });

  test('puts -- before operands when one looks like an option, and only then', () => {
    expect(operands('apps/a', '-')).toStrictEqual(['apps/a', '-']);
    expect(operands('-tls-skip-verify', '-')).toStrictEqual(['--', '-tls-skip-verify', '-']);
    expect(operands('apps/a', '-n')).toStrictEqual(['--', 'apps/a', '-n']);
  });

  test('printable shows control characters as escapes, and keeps everything else', () => {
    expect(printable("role\nid;x \u001b[2J é 'q'")).toBe("role\\nid;x \\x1b[2J é 'q'");
  });

  test('printable escapes what would reorder or break a line too: C1 controls, bidi overrides, zero widths, separators, lone surrogates', () => {
    // Found by the sweep: a file name with a bidi override reached an import refusal raw.
    expect(printable('repo/a\u202eb\u200b.yaml \u0085 \u2028 \u2066x\u2069 \ufeff \ud800 \u{e0001} 😀 ж')).toBe(
      'repo/a\\u202eb\\u200b.yaml \\x85 \\u2028 \\u2066x\\u2069 \\ufeff \\ud800 \\u{e0001} 😀 ж',
    );
  });
});

describe('a value no command line can carry', () => {
  test('a NUL in Vault\'s address is refused by the validator before rebuild prints anything (shellQuote refuses it too, above)', async () => {
    // GIVEN an external Vault's address holding a NUL
    const catalog = new SecretCatalog({ mount: 'kv' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
    const h = harness({ catalog, settings: { vault: { address: 'https://v\u0000x:8200' }, components: { vault: false } } });

    // WHEN
    const code = await h.cli('rebuild');

    // THEN
    expect([code, h.stdout(), h.stderr()]).toStrictEqual([EXIT.usage, '', [
      'homelab-secrets: 1 error in the secret catalog and its settings:',
      '  - settings.vault: address "https://v\\u0000x:8200" must be an http:// or https:// URL such as "https://vault.lan:8200", without control or invisible characters',
      '',
    ].join('\n')]);
  });

  test('a NUL in the mount is refused by the validator before any command is printed', async () => {
    // GIVEN
    const catalog = new SecretCatalog({ mount: 'kv\u0000x' });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
    const h = harness({ catalog });

    // WHEN
    const code = await h.cli('new', 'apps/a');

    // THEN
    expect([code, h.stdout(), h.stderr()]).toStrictEqual([EXIT.usage, '', [
      'homelab-secrets: 1 error in the secret catalog and its settings:',
      '  - mount: mount "kv\\u0000x" must not contain whitespace, a quote, a backslash, "${" or "%{", which the generated policy and Terraform would read as syntax',
      '',
    ].join('\n')]);
  });
});
