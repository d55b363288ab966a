// The CLI's argv, stdin and environment: rotate's values (non-UTF-8, CR LF, NUL, a BOM, empty, huge),
// unknown paths and keys, `--` tricks, junk VAULT_* settings, kms-secret's input, and the printed
// commands of new, rebuild and force-sync run through bash against recording stand-ins. A value fed on
// stdin is never printed, and reaches Vault (a stand-in) exactly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { type Expect, type SweepCase, cliCase } from '../case';
import { type VaultHandler, json, kvMount, startVault } from '../fake-vault';
import type { Finding } from '../model';
import type { Project } from '../project';

/** A value that must never be printed: `rotate` gets it on stdin. */
const SECRET = 'S3cr3t-Value-Of-The-Sweep';

/** Problems when the vault stand-in did not get exactly `argv` and, as its JSON stdin, `values`. */
function vaultGot(p: Project, argv: readonly string[], values: Readonly<Record<string, string>>): Finding[] {
  const run = p.standInRun('vault');
  if (run === undefined) return [{ outcome: 'wrongly refused', text: 'vault was not run' }];
  const problems: Finding[] = [];
  if (JSON.stringify(run.argv) !== JSON.stringify(argv)) problems.push({ outcome: 'wrongly accepted', text: `vault got argv ${JSON.stringify(run.argv)}, not ${JSON.stringify(argv)}` });
  let got: unknown;
  try {
    got = JSON.parse(run.stdin.toString('utf8'));
  } catch {
    got = run.stdin.toString('utf8');
  }
  if (JSON.stringify(got) !== JSON.stringify(values)) problems.push({ outcome: 'wrongly accepted', text: `vault got the values ${JSON.stringify(got)}, not ${JSON.stringify(values)} (a value was altered)` });
  return problems;
}

/** Problems when vault ran at all (a refused rotate must change nothing). */
function vaultNotRun(p: Project): Finding[] {
  return p.standInRun('vault') === undefined ? [] : [{ outcome: 'wrongly accepted', text: 'vault was run although the values were refused' }];
}

const withVault = (p: Project): void => {
  p.standIn('vault');
  p.standIn('kubectl');
};

/** `rotate apps/db <keys>` with `stdin`: refused before vault runs. */
function rotateRefused(name: string, what: string, keys: readonly string[], stdin: string | Buffer, ...names: string[]): SweepCase {
  return cliCase('cli', name, what, ['rotate', 'apps/db', ...keys], [2, ...names], {
    stdin, secrets: [SECRET], setup: withVault, check: (p) => vaultNotRun(p),
  });
}

/** `rotate apps/db <keys>` with `stdin`: vault gets exactly `values`. */
function rotateAccepted(name: string, what: string, keys: readonly string[], stdin: string | Buffer, values: Record<string, string>): SweepCase {
  return cliCase('cli', name, what, ['rotate', 'apps/db', ...keys], 'accepted', {
    stdin, secrets: Object.values(values).filter((v) => v.length > 8), setup: withVault,
    check: (p) => vaultGot(p, ['kv', 'patch', '-mount=kv', 'apps/db', '-'], values),
  });
}

/**
 * Runs the printed command line through bash with stand-ins of vault (and jq, the real one) and
 * values on stdin; problems when vault did not get exactly `argv` and `values`.
 */
function printedLineWorks(p: Project, stdout: string, values: readonly string[], argv: readonly string[], expected: Record<string, string>): Finding[] {
  const line = stdout.split('\n')[0];
  const result = spawnSync('bash', ['-c', line], { cwd: p.dir, input: values.map((v) => `${v}\n`).join(''), env: { PATH: p.pathWithStandIns(), HOME: p.aux }, encoding: 'utf8' });
  if (result.status !== 0) return [{ outcome: 'wrongly accepted', text: `the printed line fails in bash (exit ${result.status}): ${result.stderr.slice(0, 300)}` }];
  return vaultGot(p, argv, expected);
}

const CRLF_VALUE = 'line one\r\nline two';

export const CLI_CASES: readonly SweepCase[] = [
  // rotate: values are bytes
  rotateRefused('rotate-not-utf8', 'rotate with a Latin-1 value on stdin', ['password'], Buffer.from([0x70, 0xe9, 0x0a]), 'password', 'not UTF-8', '0xe9', 'offset 1'),
  rotateRefused('rotate-not-utf8-second-line', 'rotate of two keys whose second line is not UTF-8', ['user', 'password'], Buffer.concat([Buffer.from(`${SECRET}\n`), Buffer.from([0xc3, 0x28, 0x0a])]), 'password', 'line 2', '0xc3'),
  rotateRefused('rotate-bom', 'rotate with a value that starts with a byte-order mark', ['password'], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SECRET)]), 'password', 'byte-order mark'),
  rotateRefused('rotate-empty', 'rotate with empty stdin', ['password'], '', 'password', 'empty'),
  rotateRefused('rotate-only-newline', 'rotate with a lone newline on stdin', ['password'], '\n', 'password', 'empty'),
  rotateRefused('rotate-line-count', 'rotate of two keys with three lines', ['user', 'password'], `a\nb\n${SECRET}\n`, '3 lines', '2 keys'),
  rotateRefused('rotate-surrogate-bytes', 'rotate with the UTF-8 bytes of a UTF-16 surrogate (CESU-8)', ['password'], Buffer.from([0xed, 0xa0, 0x80, 0x0a]), 'password', 'not UTF-8', '0xed'),
  rotateRefused('rotate-overlong', 'rotate with an overlong encoding of "/"', ['password'], Buffer.from([0xc0, 0xaf, 0x0a]), 'password', '0xc0'),
  rotateAccepted('rotate-crlf', 'rotate with a value of CR LF lines, ending in CR LF: the last CR LF dropped, the rest kept', ['password'], `${CRLF_VALUE}\r\n`, { password: CRLF_VALUE }),
  rotateAccepted('rotate-nul', 'rotate with a NUL inside the value: kept', ['password'], `a\u0000${SECRET}\n`, { password: `a\u0000${SECRET}` }),
  rotateAccepted('rotate-blanks', 'rotate with leading and trailing blanks and a trailing CR: kept', ['password'], ` ${SECRET}\t \r`, { password: ` ${SECRET}\t \r` }),
  rotateAccepted('rotate-two-keys-crlf', 'rotate of two keys from CR LF lines', ['user', 'password'], `admin\r\n${SECRET}\r\n`, { user: 'admin', password: SECRET }),
  rotateAccepted('rotate-unicode', 'rotate with emoji, a bidi override and U+2028 in the value: kept', ['password'], `😀\u202e\u2028${SECRET}\n`, { password: `😀\u202e\u2028${SECRET}` }),
  rotateAccepted('rotate-huge', 'rotate with a value of 4 MiB', ['password'], `${'x'.repeat(4 * 1024 * 1024)}\n`, { password: 'x'.repeat(4 * 1024 * 1024) }),
  rotateAccepted('rotate-trailing-newlines', 'rotate with a value that itself ends in a newline (given with one more)', ['password'], `${SECRET}\n\n`, { password: `${SECRET}\n` }),
  cliCase('cli', 'rotate-unknown-path', 'rotate of an undeclared path', ['rotate', 'apps/nope', 'user'], [2, 'apps/nope', 'unknown path'], { stdin: SECRET, secrets: [SECRET], setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-path-with-mount', 'rotate of a path written with the mount', ['rotate', 'kv/apps/db', 'user'], [2, 'kv/apps/db', 'write "apps/db"'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-unknown-key', 'rotate of an undeclared key', ['rotate', 'apps/db', 'nope'], [2, 'nope', 'not declared'], { stdin: SECRET, secrets: [SECRET], setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-repeated-key', 'rotate naming a key twice', ['rotate', 'apps/db', 'user', 'user'], [2, 'user', 'more than once'], { stdin: `a\nb\n`, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-path-escape', 'rotate of a path holding a terminal escape and a bidi override', ['rotate', 'apps/\u001b[31mx\u202e', 'user'], [2, 'unknown path', '\\u001b[31mx\\u202e'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-key-escape', 'rotate of a key holding a newline and a bidi override', ['rotate', 'apps/db', 'us\ner\u202e'], [2, 'not declared', '\\n', '\\u202e'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-double-dash', 'rotate -- -x user: "-x" read as a path', ['rotate', '--', '-x', 'user'], [2, '"-x"', 'unknown path'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-option-as-key', 'rotate apps/db --vault-bin: the option without its value', ['rotate', 'apps/db', 'user', '--vault-bin'], [2, '--vault-bin'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),
  cliCase('cli', 'rotate-vault-fails', 'rotate when vault exits 2 with an error: exit 1, nothing force-synced', ['rotate', 'apps/db', 'password'], [1, 'exited with 2', 'nothing was changed'], {
    stdin: `${SECRET}\n`, secrets: [SECRET], setup: (p) => { p.standIn('vault', 2, 'Error making API request. Code: 403. permission denied'); p.standIn('kubectl'); },
    check: (p) => (p.standInRun('kubectl') === undefined ? [] : [{ outcome: 'wrongly accepted', text: 'kubectl ran after vault failed' }]),
  }),
  cliCase('cli', 'rotate-vault-missing', 'rotate with VAULT_BIN naming no program', ['rotate', 'apps/db', 'password'], [1, '--vault-bin', 'VAULT_BIN'], { stdin: `${SECRET}\n`, secrets: [SECRET], env: { VAULT_BIN: '/nonexistent/vault' } }),
  cliCase('cli', 'rotate-dry-run', 'rotate --dry-run: the commands, quoted, and no value read', ['rotate', 'apps/db', 'password', '--dry-run'], 'accepted', {
    stdin: SECRET, secrets: [SECRET], setup: withVault, check: (p, run) => [...vaultNotRun(p), ...bashParses(run.stdout)],
  }),

  // endless input: read up to a cap, never to the end
  cliCase('cli', 'rotate-endless-stdin', 'rotate < /dev/zero: refused at its cap, not read out of memory', ['rotate', 'apps/db', 'password'], [2, 'more than 32 MiB'], {
    setup: withVault, check: (p) => vaultNotRun(p),
    run: (p, ctx) => ctx.exec(p, { argv: ['sh', '-c', `exec "${process.execPath}" "${p.path('dist/swc/lib/cli/bin.js')}" rotate apps/db password < /dev/zero`] }),
  }),
  cliCase('cli', 'kms-secret-endless-stdin', 'kms-secret < /dev/zero', ['kms-secret'], [2, 'more than 1 MiB'], {
    run: (p, ctx) => ctx.exec(p, { argv: ['sh', '-c', `exec "${process.execPath}" "${p.path('dist/swc/lib/cli/bin.js')}" kms-secret < /dev/zero`] }),
  }),
  cliCase('cli', 'kms-secret-file-dev-zero', 'kms-secret --file /dev/zero', ['kms-secret', '--file', '/dev/zero'], [2, '/dev/zero', 'more than 1 MiB']),
  cliCase('cli', 'check-cacert-dev-zero', 'check with VAULT_CACERT=/dev/zero', ['check'], [2, 'VAULT_CACERT', 'more than 1 MiB'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_CACERT: '/dev/zero' } }),
  cliCase('cli', 'check-token-file-dev-zero', 'check where ~/.vault-token is a link to /dev/zero', ['check'], [2, '.vault-token', 'more than 64 KiB'], {
    env: { VAULT_ADDR: 'https://127.0.0.1:1' }, setup: (p) => void symlinkSync('/dev/zero', `${p.aux}/.vault-token`),
  }),

  // new and the printed commands
  cliCase('cli', 'new-runs-in-bash', 'new prints a line that bash runs: vault gets the typed values exactly, as JSON on stdin', ['new', 'apps/db'], 'accepted', {
    setup: withVault,
    check: (p, run) => printedLineWorks(p, run.stdout, [` ${SECRET} "'$(id)`, 'u\\n$HOME'], ['kv', 'put', '-mount=kv', 'apps/db', '-'], { user: ` ${SECRET} "'$(id)`, password: 'u\\n$HOME' }),
  }),
  cliCase('cli', 'new-unknown-path', 'new of an undeclared path with shell syntax in it', ['new', '$(touch pwned)'], [2, 'unknown path', '$(touch pwned)']),
  cliCase('cli', 'new-dash-path', 'new -- -mount=x: an operand, not an option', ['new', '--', '-mount=x'], [2, 'unknown path', '-mount=x']),
  cliCase('cli', 'rebuild-parses', 'rebuild: every printed command parses in bash', ['rebuild'], 'accepted', { check: (_p, run) => bashParses(run.stdout, '      ') }),
  cliCase('cli', 'force-sync-dry-run', 'force-sync --dry-run of a path', ['force-sync', 'apps/db', '--dry-run'], 'accepted', { check: (_p, run) => bashParses(run.stdout) }),
  cliCase('cli', 'force-sync-unknown', 'force-sync of a name with a newline', ['force-sync', 'db\ncredentials', '--dry-run'], [2, 'no ExternalSecret matches', '\\n']),
  cliCase('cli', 'force-sync-kubectl-fails', 'force-sync when kubectl fails: exit 1, its error named', ['force-sync', 'apps/db'], [1, 'kubectl annotate', 'exited with 1'], { setup: (p) => p.standIn('kubectl', 1, 'error: the server doesn\'t have a resource type "externalsecret"') }),
  cliCase('cli', 'table', 'table over the fixture catalog', ['table'], 'accepted'),

  // argv junk
  cliCase('cli', 'no-arguments', 'no command at all', [], [2, 'Usage']),
  cliCase('cli', 'unknown-command', 'an unknown command holding a terminal escape', ['\u001b]0;pwned\u0007rm'], [2, 'unknown command']),
  cliCase('cli', 'unknown-option', 'an unknown option holding a newline', ['table', '--fo\no'], [2, 'unknown option']),
  cliCase('cli', 'help', '--help', ['--help'], 'accepted'),
  cliCase('cli', 'long-argument', 'an argument of 100,000 characters', ['rotate', 'a'.repeat(100_000), 'user'], [2, 'unknown path', '(100000 characters)'], { stdin: SECRET, setup: withVault, check: vaultNotRun }),

  // the environment: junk VAULT_* settings (check and seed --dry-run talk to Vault)
  cliCase('cli', 'check-no-addr', 'check without VAULT_ADDR', ['check'], [2, 'VAULT_ADDR is not set']),
  cliCase('cli', 'check-addr-junk', 'check with VAULT_ADDR "not a url"', ['check'], [2, 'VAULT_ADDR', '"not a url"'], { env: { VAULT_ADDR: 'not a url', VAULT_TOKEN: 't' } }),
  cliCase('cli', 'check-addr-escape', 'check with VAULT_ADDR holding a terminal escape', ['check'], [2, 'VAULT_ADDR', '\\u001b'], { env: { VAULT_ADDR: 'https://vault\u001b[2J.example', VAULT_TOKEN: 't' } }),
  cliCase('cli', 'check-addr-ftp', 'check with VAULT_ADDR ftp://', ['check'], [2, 'VAULT_ADDR', 'ftp://'], { env: { VAULT_ADDR: 'ftp://vault.example', VAULT_TOKEN: 't' } }),
  cliCase('cli', 'check-addr-credentials', 'check with credentials in VAULT_ADDR: never printed', ['check'], [2, 'VAULT_ADDR'], { env: { VAULT_ADDR: 'https://admin:Pa55word-In-Addr@127.0.0.1:1', VAULT_TOKEN: 't' }, secrets: ['Pa55word-In-Addr'] }),
  cliCase('cli', 'check-unreachable', 'check against a port nobody listens on', ['check'], [2, '127.0.0.1:1'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 'hvs.TokenOfTheSweep' }, secrets: ['hvs.TokenOfTheSweep'] }),
  cliCase('cli', 'check-token-newline', 'check with a VAULT_TOKEN holding a newline: never printed', ['check'], [2, 'VAULT_TOKEN'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 'hvs.Token\nOfTheSweep' }, secrets: ['hvs.Token', 'OfTheSweep'] }),
  cliCase('cli', 'check-cacert-missing', 'check with VAULT_CACERT naming no file', ['check'], [2, 'VAULT_CACERT', 'nope.pem'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_CACERT: 'nope.pem' } }),
  cliCase('cli', 'check-cacert-folder', 'check with VAULT_CACERT naming a folder', ['check'], [2, 'VAULT_CACERT'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_CACERT: '.' } }),
  cliCase('cli', 'check-cacert-junk', 'check with VAULT_CACERT of binary junk', ['check'], [2, 'VAULT_CACERT', 'no PEM'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_CACERT: 'ca.pem' }, setup: (p) => void p.write('ca.pem', Buffer.from([0xff, 0x00, 0x1b, 0x5b, 0x32, 0x4a])) }),
  cliCase('cli', 'check-skip-verify', 'check with VAULT_SKIP_VERIFY=1', ['check'], [2, 'VAULT_SKIP_VERIFY'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_SKIP_VERIFY: '1' } }),
  cliCase('cli', 'check-token-file-folder', 'check where ~/.vault-token is a folder', ['check'], [2, '.vault-token'], { env: { VAULT_ADDR: 'https://127.0.0.1:1' }, setup: (p) => void mkdirSync(`${p.aux}/.vault-token`) }),
  cliCase('cli', 'check-json-unreachable', 'check --json against nobody: a JSON failure, exit 2', ['check', '--json'], [2, '"kind"'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't' } }),
  cliCase('cli', 'seed-dry-run-no-token', 'seed --dry-run with no token anywhere', ['seed', '--dry-run'], [2, 'no Vault token'], { env: { VAULT_ADDR: 'https://127.0.0.1:1' } }),
  cliCase('cli', 'seed-dry-run-unreachable', 'seed --dry-run against a port nobody listens on', ['seed', '--dry-run'], [2, '127.0.0.1:1'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 'hvs.TokenOfTheSweep' }, secrets: ['hvs.TokenOfTheSweep'] }),
  cliCase('cli', 'seed-namespace-junk', 'seed --dry-run with VAULT_NAMESPACE of a space', ['seed', '--dry-run'], [2, 'VAULT_NAMESPACE'], { env: { VAULT_ADDR: 'https://127.0.0.1:1', VAULT_TOKEN: 't', VAULT_NAMESPACE: 'a b' } }),

  // kms-secret's input
  cliCase('cli', 'kms-secret-not-json', 'kms-secret with stdin that is not JSON and holds a terminal escape', ['kms-secret'], [2, 'not JSON'], { stdin: 'key_id = \u001b[2J"x"\n' }),
  cliCase('cli', 'kms-secret-not-utf8', 'kms-secret with stdin that is not UTF-8', ['kms-secret'], [2, 'not UTF-8'], { stdin: Buffer.from([0x7b, 0xff, 0x7d]) }),
  cliCase('cli', 'kms-secret-empty', 'kms-secret with empty stdin', ['kms-secret'], [2, 'not JSON']),
  cliCase('cli', 'kms-secret-null', 'kms-secret with the JSON null', ['kms-secret'], [2, 'JSON object'], { stdin: 'null' }),
  cliCase('cli', 'kms-secret-missing-output', 'kms-secret with outputs lacking key_id', ['kms-secret'], [2, 'lack'], { stdin: '{"region":{"value":"us-east-1"}}' }),
  cliCase('cli', 'kms-secret-hostile-value', 'kms-secret with a key id of "$(id)" and a newline', ['kms-secret'], [2, 'key_id', '$(id)'], { stdin: kmsOutputs('$(id)\nx') }),
  cliCase('cli', 'kms-secret-proto-json', 'kms-secret with outputs named __proto__ and constructor only', ['kms-secret'], [2, 'lack'], { stdin: '{"__proto__":{"value":"x"},"constructor":{"value":"y"}}' }),
  cliCase('cli', 'kms-secret-file-missing', 'kms-secret --file naming no file', ['kms-secret', '--file', 'nope.json'], [2, 'nope.json']),
  cliCase('cli', 'kms-secret-file-not-utf8', 'kms-secret --file of Latin-1 bytes', ['kms-secret', '--file', 'out.json'], [2, 'out.json', 'UTF-8'], { setup: (p) => void p.write('out.json', Buffer.concat([Buffer.from(kmsOutputs('1234abcd-12ab-34cd-56ef-1234567890ab').replace('us-east-1', 'us-east-1\u00e9'), 'latin1')])) }),
  cliCase('cli', 'kms-secret-file-escape-name', 'kms-secret --file of a name holding a terminal escape', ['kms-secret', '--file', 'x\u001b[2J.json'], [2, '\\u001b']),
  cliCase('cli', 'kms-secret-ok', 'kms-secret with real outputs: commands that parse', ['kms-secret'], 'accepted', { stdin: kmsOutputs('1234abcd-12ab-34cd-56ef-1234567890ab'), check: (_p, run) => bashParses(run.stdout) }),
];

/** `terraform output -json` of the KMS stack with this key id. */
function kmsOutputs(keyId: string): string {
  return JSON.stringify({ key_id: { value: keyId, type: 'string', sensitive: false }, region: { value: 'us-east-1', type: 'string', sensitive: false }, iam_user_name: { value: 'vault-unseal', type: 'string', sensitive: false } });
}

/** Problems when the commands of a printed text are not valid bash: every line, or with `indent` the lines indented so (rebuild's checklist). */
function bashParses(text: string, indent?: string): Finding[] {
  const lines = text.split('\n').filter((line) => indent === undefined || line.startsWith(indent)).map((line) => line.replace(/^\s+/, '')).join('\n');
  const result = spawnSync('bash', ['-n'], { input: lines, encoding: 'utf8' });
  return result.status === 0 ? [] : [{ outcome: 'wrongly accepted', text: `the printed commands do not parse in bash: ${result.stderr.slice(0, 300)}` }];
}

/** The token every fake-Vault case logs in with: never printed. */
const TOKEN = 'hvs.SweepTokenNeverPrinted';
/** A value the fake Vault holds: check and seed read it (to take its keys), and never print it. */
const VAULT_VALUE = 'Value-Held-In-Vault-Never-Printed';

/** A command against a fake Vault answering with `handler`. */
function vaultCase(name: string, what: string, args: readonly string[], handler: VaultHandler, expectation: Expect, extra: Partial<SweepCase> = {}): SweepCase {
  return cliCase('cli', name, what, args, expectation, {
    secrets: [TOKEN, VAULT_VALUE],
    ...extra,
    run: async (p, ctx) => {
      const vault = await startVault(handler);
      try {
        return await ctx.exec(p, p.cli(args, { env: { VAULT_ADDR: vault.addr, VAULT_TOKEN: TOKEN }, timeoutMs: 40_000 }));
      } finally {
        await vault.stop();
      }
    },
  });
}

const HEALTHY = { 'apps/db': { user: VAULT_VALUE, password: VAULT_VALUE }, 'apps/oidc': { clientSecret: VAULT_VALUE } };

export const VAULT_CASES: readonly SweepCase[] = [
  vaultCase('vault-clean', 'check against a Vault holding every declared key: no drift', ['check'], kvMount(HEALTHY), 'accepted'),
  vaultCase('vault-hostile-names', 'check against a Vault whose undeclared paths and keys hold terminal escapes and bidi overrides: drift, shown escaped', ['check'],
    kvMount({ ...HEALTHY, 'apps/db': { ...HEALTHY['apps/db'], 'k\u001b[2J': VAULT_VALUE }, 'apps/\u001b]0;x\u0007y\u202e': { a: VAULT_VALUE } }),
    [1, '\\x1b[2J', '\\u202e']),
  vaultCase('vault-not-json', 'check against a server answering HTML with a terminal escape', ['check'], (_q, r) => {
    r.writeHead(200, { 'Content-Type': 'text/html' });
    r.end(`<html>\u001b[2J${VAULT_VALUE}</html>`);
  }, [2, 'not JSON']),
  vaultCase('vault-errors-escaped', 'check against a Vault answering 500 with errors holding escapes and line breaks', ['check'],
    (_q, r) => json(r, 500, { errors: ['1 error occurred:\n\t* boom \u001b[31mred\u202e\n\n'] }), [2, '500', '\\x1b[31mred\\u202e']),
  vaultCase('vault-redirect', 'check against a Vault that redirects elsewhere: not followed, named', ['check'], (_q, r) => {
    r.writeHead(307, { Location: 'http://127.0.0.1:1/v1/steal' });
    r.end();
  }, [2, 'redirected to http://127.0.0.1:1/v1/steal']),
  vaultCase('vault-values-in-odd-shapes', 'check against a Vault whose answers hold values where no key list is: never printed', ['check'],
    kvMount(HEALTHY, (q, r) => {
      if (q.method !== 'GET' || !q.url?.startsWith('/v1/kv/data/apps/db')) return false;
      json(r, 200, { data: { data: VAULT_VALUE, metadata: { version: VAULT_VALUE } }, warnings: [VAULT_VALUE] });
      return true;
    }), [2, 'data.data']),
  vaultCase('vault-endless-list', 'check against a Vault whose every folder lists a folder: refused, not listed forever', ['check'],
    kvMount(HEALTHY, (q, r) => {
      if (q.method !== 'LIST') return false;
      json(r, 200, { data: { keys: ['a/'] } });
      return true;
    }), [2, 'LIST']),
  vaultCase('vault-huge-answer', 'check against a Vault answering 40 MiB', ['check'], (_q, r) => {
    r.writeHead(200, { 'Content-Type': 'application/json' });
    r.end(`{"data":{"keys":["${'x'.repeat(40 * 1024 * 1024)}"]}}`);
  }, [2, 'MiB']),
  vaultCase('vault-silent', 'check against a Vault that never answers: refused after its timeout', ['check'], () => undefined, [2, 'no answer within']),
  vaultCase('vault-kv-v1', 'seed --dry-run against a KV version 1 mount', ['seed', '--dry-run'],
    kvMount(HEALTHY, (q, r) => {
      if (q.url !== '/v1/sys/internal/ui/mounts/kv') return false;
      json(r, 200, { data: { type: 'kv', options: { version: '1' } } });
      return true;
    }), [2, 'version 2']),
  vaultCase('vault-seed-dry-run', 'seed --dry-run against a Vault that lacks a key: the plan, no value', ['seed', '--dry-run'],
    kvMount({ 'apps/db': { user: VAULT_VALUE }, 'apps/oidc': { clientSecret: VAULT_VALUE } }), 'accepted'),
  vaultCase('vault-denied', 'check with a token Vault denies', ['check'], (_q, r) => json(r, 403, { errors: ['permission denied'] }), [2, 'denied', 'the token needs']),
];
