// What a command is given on its command line is quoted in its refusal as every message quotes a
// value: escaped, on one line, a long one cut (showValue, printable). Found by the sweep (npm run
// sweep): a bidi override in an unknown path or key, a terminal escape in an unknown command, and the
// child's own error text reached the terminal raw; an unknown path of 100,000 characters was printed whole.
import { EXIT } from '../../lib/cli';
import { harness } from './support/cli-harness';

describe('a refusal quotes what it was given, escaped and cut', () => {
  test('an unknown path with a terminal escape and a bidi override', async () => {
    const h = harness({ stdin: 'v' });
    expect(await h.cli('rotate', 'apps/\u001b[31mx\u202e', 'USER')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: unknown path "apps/\\u001b[31mx\\u202e": the catalog declares apps/vpn, apps/chat\n');
  });

  test('an unknown path of 100,000 characters: its first 200, then its length', async () => {
    const h = harness({ stdin: 'v' });
    expect(await h.cli('new', 'a'.repeat(100_000))).toBe(EXIT.usage);
    expect(h.stderr()).toBe(`homelab-secrets: unknown path "${'a'.repeat(200)}"… (100000 characters): the catalog declares apps/vpn, apps/chat\n`);
  });

  test('undeclared keys with a line break and a bidi override', async () => {
    const h = harness({ stdin: 'v' });
    expect(await h.cli('rotate', 'apps/vpn', 'US\nER\u202e', 'x\u200by')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: keys "US\\nER\\u202e", "x\\u200by" are not declared by path "apps/vpn" (declared: USER, PASSWORD); nothing was changed\n');
  });

  test('force-sync of a name with a line break', async () => {
    const h = harness();
    expect(await h.cli('force-sync', 'vpn\ncredentials', '--dry-run')).toBe(EXIT.usage);
    expect(h.stderr()).toBe('homelab-secrets: no ExternalSecret matches "vpn\\ncredentials": give a declared path (apps/vpn, apps/chat) or an ExternalSecret or Secret name (vpn-credentials, chat-secrets, hooks-token)\n');
  });

  test('an unknown command holding a terminal title escape: commander\'s own message, escaped', async () => {
    const h = harness();
    expect(await h.cli('\u001b]0;pwned\u0007rm')).toBe(EXIT.usage);
    expect(h.stderr()).toBe("error: unknown command '\\x1b]0;pwned\\x07rm'\n(add --help for usage)\n");
  });

  test('what vault and kubectl print when they fail is shown escaped, on one line', async () => {
    const h = harness({ stdin: 'value', run: (cmd) => ({ exitCode: cmd === 'vault' ? 2 : 0, stdout: '', stderr: 'Error \u001b[2J\ncode 403 \u202e' }) });
    expect(await h.cli('rotate', 'apps/vpn', 'USER')).toBe(EXIT.failed);
    expect(h.stderr()).toBe([
      'homelab-secrets: vault kv patch -mount=homelab apps/vpn - exited with 2: Error \\x1b[2J\\ncode 403 \\u202e',
      'homelab-secrets: nothing was changed and nothing force-synced',
      '',
    ].join('\n'));
  });
});
