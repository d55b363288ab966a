import { SecretCatalog } from '../../lib/catalog';
import { EXIT, LIST_EXTERNAL_SECRETS_ARGS, RunResult, SECRET_KEYS_TEMPLATE, secretKeysArgs } from '../../lib/cli';
import { Harness, harness } from './support/cli-harness';

/** apps/vpn → vpn-credentials (arr); apps/chat → chat-secrets (chat) and a Merge target; a None target. */
function statusCatalog(): SecretCatalog {
  const catalog = new SecretCatalog({ mount: 'homelab' });
  catalog.path('apps/vpn', ['USER', 'PASSWORD']).syncTo({ name: 'vpn-credentials', namespace: 'arr' });
  const chat = catalog.path('apps/chat', ['TOKEN', 'API_KEY']);
  chat.syncTo({ name: 'chat-secrets', namespace: 'chat' });
  chat.syncTo({ name: 'argocd-secret', namespace: 'argocd', keys: ['TOKEN'], renames: { TOKEN: 'chat.token' }, creationPolicy: 'Merge' });
  catalog.path('apps/check', ['PROBE']).syncTo({ name: 'probe', namespace: 'chat', creationPolicy: 'None' });
  return catalog;
}

const SYNCED = { type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'secret synced' };

function externalSecret(namespace: string, name: string, ready?: Record<string, string>, refreshTime = '2026-12-06T10:00:00Z'): any {
  return { metadata: { namespace, name }, status: ready ? { conditions: [ready], refreshTime } : {} };
}

/** A kubectl that answers the three reads from the given cluster state. */
function cluster(state: { externalSecrets: any[]; secrets: Record<string, Record<string, string[]>>; context?: string }) {
  return (_cmd: string, args: readonly string[]): RunResult => {
    if (args[0] === 'config') return { exitCode: 0, stdout: `${state.context ?? 'homelab'}\n`, stderr: '' };
    if (args[1] === 'externalsecrets.external-secrets.io') return { exitCode: 0, stdout: JSON.stringify({ items: state.externalSecrets }), stderr: '' };
    const namespace = args[3];
    const names = args.slice(4, args.indexOf('--ignore-not-found'));
    const found = names.filter((n) => state.secrets[namespace]?.[n]).map((n) => `${n}${state.secrets[namespace][n].map((k) => ` ${k}`).join('')}\n`);
    return { exitCode: 0, stdout: found.join(''), stderr: '' };
  };
}

const HEALTHY = {
  externalSecrets: [
    externalSecret('arr', 'vpn-credentials', SYNCED),
    externalSecret('chat', 'chat-secrets', SYNCED),
    externalSecret('argocd', 'argocd-secret', SYNCED),
    externalSecret('chat', 'probe', SYNCED),
  ],
  secrets: {
    arr: { 'vpn-credentials': ['PASSWORD', 'USER'] },
    chat: { 'chat-secrets': ['API_KEY', 'TOKEN'] },
    argocd: { 'argocd-secret': ['admin.password', 'chat.token', 'server.secretkey'] },
  },
};

function statusHarness(state: Parameters<typeof cluster>[0]): Harness {
  return harness({ catalog: statusCatalog(), run: cluster(state) });
}

describe('status', () => {
  test('reads with three kinds of read-only kubectl calls, Secrets by key name only, one call per namespace', async () => {
    // GIVEN
    const h = statusHarness(HEALTHY);

    // WHEN
    await h.cli('status');

    // THEN
    expect(h.runs.map((r) => [r.cmd, ...r.args])).toStrictEqual([
      ['kubectl', 'config', 'current-context'],
      ['kubectl', ...LIST_EXTERNAL_SECRETS_ARGS],
      ['kubectl', 'get', 'secret', '-n', 'arr', 'vpn-credentials', '--ignore-not-found', '-o', `go-template=${SECRET_KEYS_TEMPLATE}`],
      ['kubectl', 'get', 'secret', '-n', 'chat', 'chat-secrets', '--ignore-not-found', '-o', `go-template=${SECRET_KEYS_TEMPLATE}`],
      ['kubectl', 'get', 'secret', '-n', 'argocd', 'argocd-secret', '--ignore-not-found', '-o', `go-template=${SECRET_KEYS_TEMPLATE}`],
    ]);
    expect(LIST_EXTERNAL_SECRETS_ARGS).toStrictEqual(['get', 'externalsecrets.external-secrets.io', '--all-namespaces', '-o', 'json']);
    expect(secretKeysArgs('ns', ['a', 'b']).slice(0, 7)).toStrictEqual(['get', 'secret', '-n', 'ns', 'a', 'b', '--ignore-not-found']);
    // The template prints names: `.data`'s values are never printed.
    expect(SECRET_KEYS_TEMPLATE).toBe('{{define "keys"}}{{.metadata.name}}{{range $key, $value := .data}} {{$key}}{{end}}{{"\\n"}}{{end}}'
      + '{{if eq .kind "List"}}{{range .items}}{{template "keys" .}}{{end}}{{else}}{{template "keys" .}}{{end}}');
  });

  test('every row synced: a table, exit 0; a Merge Secret may hold keys of its own, a None row has no Secret to check', async () => {
    // GIVEN
    const h = statusHarness(HEALTHY);

    // WHEN
    const code = await h.cli('status');

    // THEN
    expect(h.stderr()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(h.stdout()).toBe([
      'Context homelab: 4 of 4 rows synced.',
      '',
      'NAMESPACE  EXTERNALSECRET   SECRET           READY  REASON        LAST SYNC             KEYS',
      'arr        vpn-credentials  vpn-credentials  True   SecretSynced  2026-12-06T10:00:00Z  ok',
      'chat       chat-secrets     chat-secrets     True   SecretSynced  2026-12-06T10:00:00Z  ok',
      'argocd     argocd-secret    argocd-secret    True   SecretSynced  2026-12-06T10:00:00Z  ok',
      'chat       probe            probe            True   SecretSynced  2026-12-06T10:00:00Z  - (no Secret: None)',
      '',
    ].join('\n'));
  });

  test('rows not synced: exit 1, each named on stderr with why; undeclared ExternalSecrets are listed and change nothing', async () => {
    // GIVEN
    const h = statusHarness({
      externalSecrets: [
        externalSecret('arr', 'vpn-credentials', { type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider' }),
        externalSecret('chat', 'chat-secrets', SYNCED),
        externalSecret('argocd', 'argocd-secret', { type: 'Ready', status: 'True', reason: 'SecretMissing', message: 'secret will not be created due to CreationPolicy=Merge' }),
        externalSecret('arr', 'leftover', SYNCED),
        externalSecret('apps', 'other'),
      ],
      secrets: {
        arr: { 'vpn-credentials': ['PASSWORD', 'USER'] },
        chat: { 'chat-secrets': ['TOKEN', 'EXTRA'] },
      },
    });

    // WHEN
    const code = await h.cli('status');

    // THEN
    expect(code).toBe(EXIT.failed);
    expect(h.stdout()).toBe([
      'Context homelab: 0 of 4 rows synced.',
      '',
      'NAMESPACE  EXTERNALSECRET   SECRET           READY   REASON             LAST SYNC             KEYS',
      'arr        vpn-credentials  vpn-credentials  False   SecretSyncedError  2026-12-06T10:00:00Z  ok',
      'chat       chat-secrets     chat-secrets     True    SecretSynced       2026-12-06T10:00:00Z  missing API_KEY; undeclared EXTRA',
      'argocd     argocd-secret    argocd-secret    True    SecretMissing      2026-12-06T10:00:00Z  no Secret',
      'chat       probe            probe            absent  -                  -                     - (no Secret: None)',
      '',
      'Not synced:',
      '  arr/vpn-credentials (apps/vpn): Ready is False (SecretSyncedError): could not get secret data from provider',
      '  chat/chat-secrets (apps/chat): the Secret lacks API_KEY; the Secret holds undeclared EXTRA',
      '  argocd/argocd-secret (apps/chat): Ready is True (SecretMissing): secret will not be created due to CreationPolicy=Merge; the Secret does not exist (with creationPolicy Merge ESO only adds keys to an existing Secret)',
      '  chat/probe (apps/check): the ExternalSecret does not exist',
      '',
      'ExternalSecrets the catalog does not declare (2):',
      '  NAMESPACE  EXTERNALSECRET  READY  REASON        LAST SYNC',
      '  apps       other           -      -             -',
      '  arr        leftover        True   SecretSynced  2026-12-06T10:00:00Z',
      '',
    ].join('\n'));
    expect(h.stderr()).toBe([
      'homelab-secrets: not synced: arr/vpn-credentials: Ready is False (SecretSyncedError): could not get secret data from provider',
      'homelab-secrets: not synced: chat/chat-secrets: the Secret lacks API_KEY; the Secret holds undeclared EXTRA',
      'homelab-secrets: not synced: argocd/argocd-secret: Ready is True (SecretMissing): secret will not be created due to CreationPolicy=Merge; the Secret does not exist (with creationPolicy Merge ESO only adds keys to an existing Secret)',
      'homelab-secrets: not synced: chat/probe: the ExternalSecret does not exist',
      '',
    ].join('\n'));
  });

  test('what the cluster says is shown escaped: a message, a reason or a context cannot write to the terminal or break a line', async () => {
    // GIVEN a Vault error carried in ESO's message with a line break, an escape sequence and a bidi override
    const h = statusHarness({
      context: 'home\u001b]0;owned\u0007lab',
      externalSecrets: [
        externalSecret('arr', 'vpn-credentials', { type: 'Ready', status: 'False', reason: 'Err\u202eor', message: 'denied\n* fake: line\u001b[2J' }),
        externalSecret('chat', 'chat-secrets', SYNCED),
        externalSecret('argocd', 'argocd-secret', SYNCED),
        externalSecret('chat', 'probe', SYNCED),
      ],
      secrets: HEALTHY.secrets,
    });

    // WHEN
    const code = await h.cli('status');

    // THEN every cluster-sourced character that could act on the terminal is an escape, on one line
    expect(code).toBe(EXIT.failed);
    expect(h.stdout().split('\n')[0]).toBe('Context home\\x1b]0;owned\\x07lab: 3 of 4 rows synced.');
    expect(h.stdout()).toContain('arr        vpn-credentials  vpn-credentials  False  Err\\u202eor   2026-12-06T10:00:00Z  ok\n');
    expect(h.stdout()).toContain('  arr/vpn-credentials (apps/vpn): Ready is False (Err\\u202eor): denied\\n* fake: line\\x1b[2J\n');
    expect(h.stderr()).toBe('homelab-secrets: not synced: arr/vpn-credentials: Ready is False (Err\\u202eor): denied\\n* fake: line\\x1b[2J\n');
    expect(h.stdout() + h.stderr()).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  test('--json prints the report', async () => {
    // GIVEN
    const h = statusHarness({ ...HEALTHY, externalSecrets: [...HEALTHY.externalSecrets, externalSecret('arr', 'leftover', SYNCED)] });

    // WHEN
    const code = await h.cli('status', '--json');

    // THEN
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(h.stdout());
    expect(report.context).toBe('homelab');
    expect(report.synced).toBe(true);
    expect(report.rows[0]).toStrictEqual({
      namespace: 'arr',
      externalSecret: 'vpn-credentials',
      secret: 'vpn-credentials',
      paths: ['apps/vpn'],
      creationPolicy: 'Owner',
      found: true,
      ready: 'True',
      reason: 'SecretSynced',
      message: 'secret synced',
      lastSync: '2026-12-06T10:00:00Z',
      secretFound: true,
      missingKeys: [],
      unexpectedKeys: [],
      synced: true,
      problems: [],
    });
    expect(report.rows.map((r: any) => [r.externalSecret, r.secretFound])).toStrictEqual([
      ['vpn-credentials', true], ['chat-secrets', true], ['argocd-secret', true], ['probe', null],
    ]);
    expect(report.undeclared).toStrictEqual([
      { namespace: 'arr', externalSecret: 'leftover', ready: 'True', reason: 'SecretSynced', message: 'secret synced', lastSync: '2026-12-06T10:00:00Z' },
    ]);
  });

  test('a cluster that cannot be read: exit 2 with kubectl\'s own words, and --json says so', async () => {
    // GIVEN
    const refused = (_cmd: string, args: readonly string[]): RunResult => args[0] === 'config'
      ? { exitCode: 0, stdout: 'homelab\n', stderr: '' }
      : { exitCode: 1, stdout: '', stderr: 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n' };
    const h = harness({ catalog: statusCatalog(), run: refused });
    const json = harness({ catalog: statusCatalog(), run: refused });

    // WHEN
    const code = await h.cli('status');
    const jsonCode = await json.cli('status', '--json');

    // THEN
    expect([code, jsonCode]).toStrictEqual([EXIT.usage, EXIT.usage]);
    const message = 'kubectl get externalsecrets.external-secrets.io exited with 1: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?';
    expect(h.stderr()).toBe(`homelab-secrets: ${message}\n`);
    expect(h.stdout()).toBe('');
    expect(JSON.parse(json.stdout())).toStrictEqual({ context: null, error: { message } });
  });

  test('kubectl missing, or no current context: exit 2', async () => {
    // GIVEN
    const missing = harness({ catalog: statusCatalog(), run: () => ({ exitCode: 127, stdout: '', stderr: 'kubectl: spawn kubectl ENOENT' }) });
    const noContext = harness({ catalog: statusCatalog(), run: () => ({ exitCode: 1, stdout: '', stderr: 'error: current-context is not set\n' }) });

    // WHEN
    const codes = [await missing.cli('status'), await noContext.cli('status')];

    // THEN
    expect(codes).toStrictEqual([EXIT.usage, EXIT.usage]);
    expect(missing.stderr()).toBe('homelab-secrets: kubectl config current-context exited with 127: kubectl is not on PATH\n');
    expect(noContext.stderr()).toBe('homelab-secrets: kubectl config current-context exited with 1: error: current-context is not set\n');
  });

  test('an unknown option is a usage error', async () => {
    // GIVEN
    const h = statusHarness(HEALTHY);

    // WHEN
    const code = await h.cli('status', '--yaml');

    // THEN
    expect(code).toBe(EXIT.usage);
    expect(h.stderr()).toContain("error: unknown option '--yaml'");
    expect(h.runs).toStrictEqual([]);
  });
});
