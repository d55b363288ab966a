import { type PlatformSettings, SecretCatalog, validateDeclaration } from '../../lib/catalog';
import { FIXTURE_SETTINGS } from '../support/fixtures';

/** Messages of a catalog built by `declare`; `any` stands in for a JavaScript caller. */
function messages(declare: (catalog: SecretCatalog) => void, mount = 'kv'): string[] {
  const catalog = new SecretCatalog({ mount });
  declare(catalog);
  return catalog.validate().map((issue) => issue.message);
}

/** Messages of the settings, with a valid one-path catalog. */
function settingsMessages(settings: unknown): string[] {
  const catalog = new SecretCatalog({ mount: 'kv' });
  catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' });
  return validateDeclaration({ catalog, settings: settings as PlatformSettings }).map((issue) => issue.message);
}

const KEY = 'must match ^[-._a-zA-Z0-9]+$';
const DOTS = 'must not be "." or "..": Kubernetes refuses them as Secret keys, which name files in a volume';
const DOTDOT = 'must not start with "..": Kubernetes refuses it, as the names of a Secret volume\'s own files start so';
const NAME = 'must be a Kubernetes qualified name: an optional DNS-1123 subdomain prefix of at most 253 characters and "/", then a name of at most 63 characters of a-z, A-Z, 0-9, "-", "_" and ".", starting and ending alphanumeric';

describe('what Kubernetes refuses of a Secret', () => {
  test('a Secret key: its characters, at most 253 of them, not "." or "..", not starting with ".."; wherever one is named', () => {
    const long = 'k'.repeat(254);
    expect(messages((c) => {
      c.path('apps/a', ['.', '..', '..x', long, 'a b', '.ok', 'ok..']).syncTo({ name: 'a', namespace: 'apps', keys: ['.ok'] });
      c.path('apps/b', ['k', 'l', 'm']).syncTo({ name: 'b', namespace: 'apps', renames: { k: '..', l: '..data', m: 'x'.repeat(254) } });
      c.path('apps/c', ['k']).syncTo({ name: 'c', namespace: 'apps', template: () => ({ '.': 'x', '..y': 'x', 'a/b': 'x' }) });
      c.identity('ca', { store: { kind: 'SecretStore', namespaces: ['apps'], trust: { configMap: { name: 'ca', key: '..ca' } } } });
      c.path('apps/d', ['k']).syncTo({ name: 'd', namespace: 'apps', identity: c.identities[c.identities.length - 1] as never });
    })).toStrictEqual([
      `apps/a: key "." ${DOTS}`,
      `apps/a: key ".." ${DOTS}`,
      `apps/a: key "..x" ${DOTDOT}`,
      `apps/a: key "${long}" must be at most 253 characters long (it has 254): Kubernetes refuses a longer Secret key`,
      `apps/a: key "a b" ${KEY}`,
      `apps/b → b in apps: renames.k ".." ${DOTS}`,
      `apps/b → b in apps: renames.l "..data" ${DOTDOT}`,
      `apps/b → b in apps: renames.m "${'x'.repeat(254)}" must be at most 253 characters long (it has 254): Kubernetes refuses a longer Secret key`,
      `apps/c → c in apps: template key "." ${DOTS}`,
      `apps/c → c in apps: template key "..y" ${DOTDOT}`,
      `apps/c → c in apps: template key "a/b" ${KEY}`,
      `identity ca: store.trust.configMap.key "..ca" ${DOTDOT}`,
    ]);
  });

  test('the keys a typed Secret requires, counted from what ESO writes: the keys, the template\'s, or both with Merge; not a whole-path extract\'s', () => {
    expect(messages((c) => {
      const tls = c.path('apps/tls', ['crt', 'key', 'ca']);
      tls.syncTo({ name: 'no-rename', namespace: 'apps', type: 'kubernetes.io/tls' });
      tls.syncTo({ name: 'renamed', namespace: 'apps', type: 'kubernetes.io/tls', renames: { crt: 'tls.crt', key: 'tls.key' } });
      tls.syncTo({ name: 'half', namespace: 'apps', type: 'kubernetes.io/tls', keys: ['crt'], renames: { crt: 'tls.crt' } });
      // a template replaces the copied keys: the template must write them
      tls.syncTo({ name: 'replaced', namespace: 'apps', type: 'kubernetes.io/tls', renames: { crt: 'tls.crt', key: 'tls.key' }, template: (v) => ({ 'ca.crt': v.ca }) });
      tls.syncTo({ name: 'merged', namespace: 'apps', type: 'kubernetes.io/tls', renames: { crt: 'tls.crt', key: 'tls.key' }, templateMergePolicy: 'Merge', template: (v) => ({ 'ca.crt': v.ca }) });
      tls.syncTo({ name: 'templated', namespace: 'apps', type: 'kubernetes.io/tls', template: (v) => ({ 'tls.crt': v.crt, 'tls.key': v.key }) });
      // Merge writes into a Secret someone else made, with its own keys: not checked
      tls.syncTo({ name: 'argo-made', namespace: 'apps', type: 'kubernetes.io/tls', creationPolicy: 'Merge' });
      const registry = c.path('apps/registry', ['.dockerconfigjson']);
      registry.syncTo({ name: 'pull', namespace: 'apps', type: 'kubernetes.io/dockerconfigjson' });
      c.addTarget({ name: 'pull-all', namespace: 'web', type: 'kubernetes.io/dockerconfigjson', sources: [registry.extractAll()] });
      // a whole-path extract: Vault's keys at sync time, which no catalog knows (import declares a placeholder)
      c.addTarget({ name: 'pull-unknown', namespace: 'web', type: 'kubernetes.io/dockerconfigjson', sources: [c.path('apps/registry2', ['TODO-keys']).extractAll()] });
      c.path('apps/old', ['cfg']).syncTo({ name: 'old', namespace: 'apps', type: 'kubernetes.io/dockercfg' });
      c.path('apps/basic', ['user', 'password']).syncTo({ name: 'basic', namespace: 'apps', type: 'kubernetes.io/basic-auth', keys: ['user'] });
      c.path('apps/basic2', ['password']).syncTo({ name: 'basic2', namespace: 'apps', type: 'kubernetes.io/basic-auth' });
      c.path('apps/ssh', ['id_ed25519']).syncTo({ name: 'ssh', namespace: 'apps', type: 'kubernetes.io/ssh-auth' });
      c.path('apps/custom', ['x']).syncTo({ name: 'custom', namespace: 'apps', type: 'example.com/anything' });
    })).toStrictEqual([
      'apps/tls → no-rename in apps: type "kubernetes.io/tls" needs the keys "tls.crt" and "tls.key", which Kubernetes requires of a Secret of this type (the Secret gets "crt", "key", "ca"): provide them, with renames or a template',
      'apps/tls → half in apps: type "kubernetes.io/tls" needs the key "tls.key", which Kubernetes requires of a Secret of this type (the Secret gets "tls.crt"): provide it, with renames or a template',
      'apps/tls → replaced in apps: type "kubernetes.io/tls" needs the keys "tls.crt" and "tls.key", which Kubernetes requires of a Secret of this type (the Secret gets "ca.crt"): provide them, with renames or a template',
      'apps/old → old in apps: type "kubernetes.io/dockercfg" needs the key ".dockercfg", which Kubernetes requires of a Secret of this type (the Secret gets "cfg"): provide it, with renames or a template',
      'apps/basic → basic in apps: type "kubernetes.io/basic-auth" needs the key "username" or "password", which Kubernetes requires of a Secret of this type (the Secret gets "user"): provide one, with renames or a template',
      'apps/ssh → ssh in apps: type "kubernetes.io/ssh-auth" needs the key "ssh-privatekey", which Kubernetes requires of a Secret of this type (the Secret gets "id_ed25519"): provide it, with renames or a template',
    ]);
  });

  test('a type that is no Secret type', () => {
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo({ name: 'a', namespace: 'apps', type: 'my type' });
      a.syncTo({ name: 'b', namespace: 'apps', type: '' });
    })).toStrictEqual([
      'apps/a → a in apps: type "my type" must be a Secret type such as "kubernetes.io/dockerconfigjson": at most 253 visible ASCII characters, no space',
      'apps/a → b in apps: type "" must be a Secret type such as "kubernetes.io/dockerconfigjson": at most 253 visible ASCII characters, no space',
    ]);
  });

  test('template values are text: no null, undefined, number, boolean, object, or lone surrogate', () => {
    expect(messages((c) => {
      c.path('apps/a', ['k']).syncTo({
        name: 'a', namespace: 'apps',
        template: () => ({ n: null, u: undefined, one: 1, yes: true, o: { a: 'b' }, half: 'x\ud800', ok: '{{ .k }}' }) as never,
      });
    })).toStrictEqual([
      'apps/a → a in apps: template.n null must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")',
      'apps/a → a in apps: template.u undefined must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")',
      'apps/a → a in apps: template.one 1 must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")',
      'apps/a → a in apps: template.yes true must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")',
      'apps/a → a in apps: template.o {"a":"b"} must be a string: the template text of the Secret key (ESO takes text only; write a number as "1")',
      'apps/a → a in apps: template.half "x\\ud800" must be valid Unicode text: it holds a lone surrogate (half of a UTF-16 pair), which no file can hold',
    ]);
  });
});

describe('labels and annotations, wherever they are written', () => {
  test('keys and values of the Secret\'s, the 256 KiB of all annotations, and Reloader\'s own annotation', () => {
    const big = 'v'.repeat(200 * 1024);
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo({ name: 'a', namespace: 'apps', labels: { constructor: 'x', toString: 'y', 'a/b/c': 'x' }, annotations: { hasOwnProperty: 'ok', '-x': 'y' } });
      a.syncTo({ name: 'b', namespace: 'apps', annotations: { one: big, two: big } });
      a.syncTo({ name: 'c', namespace: 'apps', reloaderMatch: true, annotations: { 'reloader.stakater.com/match': 'false' } });
      a.syncTo({ name: 'd', namespace: 'apps', annotations: { ok: 'x\ud800' } });
    })).toStrictEqual([
      `apps/a → a in apps: labels key "a/b/c" ${NAME}`,
      `apps/a → a in apps: annotations key "-x" ${NAME}`,
      'apps/a → b in apps: annotations "2 annotations" must hold at most 262144 bytes (256 KiB) of keys and values together, as Kubernetes limits them; these hold 409606',
      'apps/a → c in apps: annotations.reloader.stakater.com/match "false" is written by reloaderMatch: true; remove it from annotations',
      'apps/a → d in apps: annotations.ok "x\\ud800" must be valid Unicode text: it holds a lone surrogate (half of a UTF-16 pair), which no file can hold',
    ]);
  });

  test('the Vault ingress\'s annotations', () => {
    expect(settingsMessages({ vault: { ingress: { host: 'vault.lan', annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS', 'bad key': 'x', constructor: 'fine', big: 'v'.repeat(256 * 1024) } } } })).toStrictEqual([
      `settings.vault.ingress: annotations key "bad key" ${NAME}`,
      'settings.vault.ingress: annotations "4 annotations" must hold at most 262144 bytes (256 KiB) of keys and values together, as Kubernetes limits them; these hold 262219',
    ]);
    expect(settingsMessages({ vault: { ingress: { host: 'vault.lan', annotations: ['a'] } } })).toStrictEqual([
      'settings.vault.ingress: annotations ["a"] must be an object of annotation names to string values',
    ]);
  });
});

describe('durations, quantities, regions, numbers and names the consumers take', () => {
  test('refreshInterval fits Go\'s time.Duration (2^63-1 ns), in every unit Go accepts', () => {
    const rule = 'must be a Go duration such as "1h", "30m" or "1h0m0s", of at most 2562047h (Go\'s time.Duration overflows beyond)';
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      ['2562047h', '2562047h47m16.854775807s', '9223372036854775807ns', '1.5µs', '2μs', '2562048h', '2562047h47m16.854775808s', '9223372036854775808ns', '99999999999999999999h']
        .forEach((refreshInterval, i) => a.syncTo({ name: `t${i}`, namespace: 'apps', refreshInterval }));
    })).toStrictEqual([
      `apps/a → t5 in apps: refreshInterval "2562048h" ${rule}`,
      `apps/a → t6 in apps: refreshInterval "2562047h47m16.854775808s" ${rule}`,
      `apps/a → t7 in apps: refreshInterval "9223372036854775808ns" ${rule}`,
      `apps/a → t8 in apps: refreshInterval "99999999999999999999h" ${rule}`,
    ]);
  });

  test('a volume of more than nothing, a region of a real partition, a whole number Vault stores', () => {
    const region = 'must be an AWS region such as "eu-central-1"';
    expect(settingsMessages({ vault: { storageSize: '0Gi', kvMaxVersions: 2 ** 32 }, kms: { region: 'eu-central' } })).toStrictEqual([
      `settings.kms: region "eu-central" ${region}`,
      'settings.vault: storageSize "0Gi" must be greater than 0: a volume of no bytes holds nothing',
      'settings.vault: kvMaxVersions 4294967296 must be a whole number from 1 to 4294967295 (Vault keeps it in 32 bits)',
    ]);
    for (const good of ['us-gov-west-1', 'cn-north-1', 'eu-central-2', 'ap-southeast-4', 'il-central-1', 'us-isob-east-1', 'mx-central-1', 'eusc-de-east-1']) {
      expect([good, settingsMessages({ kms: { region: good } })]).toStrictEqual([good, []]);
    }
    for (const bad of ['xx-east-1', 'us-east-0', 'us-east-01', 'us-middle-1', 'EU-CENTRAL-1', 'eu-central-1a', 'us-gov-1']) {
      expect(settingsMessages({ kms: { region: bad } })).toStrictEqual([`settings.kms: region ${JSON.stringify(bad)} ${region}`]);
    }
    expect(['0', '0.0', '0Mi', '0.5Gi', '1'].map((storageSize) => settingsMessages({ vault: { storageSize } }).length)).toStrictEqual([1, 1, 1, 0, 0]);
  });

  test('the Terraform state: an S3 bucket name, a key prefix Terraform takes, a DynamoDB table, a local path without templates', () => {
    expect(settingsMessages({ terraform: { stateBackend: { kind: 's3', bucket: 'My_Bucket', region: 'eu-central-1', keyPrefix: '/state/', dynamodbTable: 'x' } } })).toStrictEqual([
      'settings.terraform.stateBackend: bucket "My_Bucket" must be an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit, no "..", not an IP address, and without the prefixes and suffixes AWS reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, .mrap, --x-s3, --table-s3)',
      'settings.terraform.stateBackend: keyPrefix "/state/" must be an S3 key prefix such as "secrets/state": not starting or ending with "/", no "//", no NUL, at most 1000 bytes (Terraform\'s S3 backend refuses the rest)',
      'settings.terraform.stateBackend: dynamodbTable "x" must be a DynamoDB table name: 3-255 characters of a-z, A-Z, 0-9, "_", "-" and "."',
    ]);
    expect(settingsMessages({ terraform: { stateBackend: { kind: 'local', path: 'state/${var.x}.tfstate' } } })).toStrictEqual([
      'settings.terraform.stateBackend: path "state/${var.x}.tfstate" must not contain "${" or "%{": Terraform reads this field as written and OpenTofu as a template, so no escape means the same to both',
    ]);
    expect(settingsMessages({ terraform: { stateBackend: { kind: 'local', path: 'state/a\u0000b' } } })).toStrictEqual([
      'settings.terraform.stateBackend: path "state/a\\u0000b" must be a file path, without a NUL character',
    ]);
  });

  test('an Argo CD project is an object name', () => {
    expect(settingsMessages({ argocd: { project: 'My Project' } })).toStrictEqual([
      'settings.argocd: project "My Project" must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters',
    ]);
  });
});

describe('a service account token Secret (found by the sweep)', () => {
  test('needs the annotation naming its ServiceAccount, which the API server requires', () => {
    expect(messages((c) => {
      const a = c.path('apps/a', ['k']);
      a.syncTo({ name: 'bare', namespace: 'apps', type: 'kubernetes.io/service-account-token' });
      a.syncTo({ name: 'named', namespace: 'apps', type: 'kubernetes.io/service-account-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } });
      a.syncTo({ name: 'merged', namespace: 'apps', type: 'kubernetes.io/service-account-token', creationPolicy: 'Merge' });
    })).toStrictEqual([
      'apps/a → bare in apps: type "kubernetes.io/service-account-token" needs the annotation "kubernetes.io/service-account.name", which Kubernetes requires of a Secret of this type (the token controller then writes its token): set it in annotations, or use another type',
    ]);
  });
});

describe('names the library derives are names Kubernetes takes (found by the sweep)', () => {
  test('the CA ConfigMap of namespaced stores, named after Vault\'s TLS Secret with "-ca"', () => {
    const declare = (secretName: string): string[] => {
      const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });
      catalog.path('apps/db', ['k']).syncTo({ name: 'db', namespace: 'apps' });
      return validateDeclaration({ catalog, settings: { vault: { tls: { secretName } } } }).map((i) => i.message);
    };
    expect(declare('t'.repeat(250))).toStrictEqual([]);
    expect(declare('t'.repeat(251))).toStrictEqual([
      `settings.vault.tls: secretName "${'t'.repeat(251)}" names the ConfigMap "${'t'.repeat(251)}-ca" the SecretStores read Vault's CA from (identity external-secrets-apps), which is no Kubernetes name: it must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters; give the Secret a name of at most 250 characters`,
    ]);
  });
});

describe('token TTLs Vault and Terraform hold, and KMS aliases AWS takes (found by the sweep)', () => {
  test('a token TTL beyond 64-bit nanoseconds (1e300, 2^63) is refused; 9223372036 seconds is the last one', () => {
    const RULE = 'must be a whole number of seconds from 1 to 9223372036 (Vault keeps a duration in 64-bit nanoseconds)';
    expect(messages((c) => {
      [9_223_372_036, 9_223_372_037, 2 ** 63, 1e300].forEach((tokenTtlSeconds, i) => {
        const identity = c.identity(`i${i}`, { store: { kind: 'SecretStore', namespaces: ['apps'] }, tokenTtlSeconds });
        c.path(`apps/p${i}`, ['k']).syncTo({ name: `p${i}`, namespace: 'apps', identity });
      });
    })).toStrictEqual([
      `identity i1: tokenTtlSeconds 9223372037 ${RULE}`,
      `identity i2: tokenTtlSeconds 9223372036854776000 ${RULE}`,
      `identity i3: tokenTtlSeconds 1e+300 ${RULE}`,
    ]);
  });

  test('a KMS alias of 257 characters is refused, of 256 taken', () => {
    const RULE = 'must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)';
    expect(settingsMessages({ kms: { region: 'us-east-1', alias: `alias/${'a'.repeat(250)}` } })).toStrictEqual([]);
    expect(settingsMessages({ kms: { region: 'us-east-1', alias: `alias/${'a'.repeat(251)}` } })).toStrictEqual([`settings.kms: alias "alias/${'a'.repeat(194)}"… (257 characters) ${RULE}`]);
  });
});

describe('the Vault release name Helm and the StatefulSet take (found by the sweep)', () => {
  test('52 characters at most: Helm refuses 54, and 53 gives the pods a label value of 64', () => {
    const RULE = 'must be a DNS-1123 label of at most 52 characters: Helm takes release names of 53 at most, and the StatefulSet named after the release labels its pods with its name and a hash of up to 10 characters, 63 at most';
    expect(settingsMessages({ vault: { releaseName: 'v'.repeat(52) } })).toStrictEqual([]);
    expect(settingsMessages({ vault: { releaseName: 'v'.repeat(53) } })).toStrictEqual([`settings.vault: releaseName "${'v'.repeat(53)}" ${RULE}`]);
    expect(settingsMessages({ vault: { releaseName: 'Vault' } })).toStrictEqual([`settings.vault: releaseName "Vault" ${RULE}`]);
  });
});

describe('TLS settings that contradict Vault\'s address, and addresses no client can use', () => {
  const external = (vault: object, extra: object = {}): unknown => ({ components: { vault: false }, vault, ...extra });
  const URL_RULE = 'must be an http:// or https:// URL such as "https://vault.lan:8200"';

  test('https with TLS off, http without the opt-in, http with a CA or the system trust', () => {
    expect(settingsMessages(external({ address: 'https://vault.lan:8200', tls: { disabled: true } }))).toStrictEqual([
      'settings.vault.tls: disabled true contradicts the https:// address "https://vault.lan:8200": remove it',
    ]);
    // Found by the sweep: the contradiction quoted the address with JSON.stringify, a bidi override raw.
    expect(settingsMessages(external({ address: 'https://vault\u202e.lan', tls: { disabled: true } }))).toStrictEqual([
      `settings.vault: address "https://vault\\u202e.lan" ${URL_RULE}, without control or invisible characters`,
      'settings.vault.tls: disabled true contradicts the https:// address "https://vault\\u202e.lan": remove it',
    ]);
    expect(settingsMessages(external({ address: 'http://vault.lan:8200', tls: { secretName: 'vault-tls' } }))).toStrictEqual([
      'settings.vault: address "http://vault.lan:8200" is plain HTTP, where ESO\'s token and every secret value cross the network in clear text: use https://, or opt in with tls: { disabled: true } (docs/security.md)',
    ]);
    expect(settingsMessages(external({ address: 'http://vault.lan:8200', tls: { disabled: true, storeTrust: 'system', secretName: 'x' } }))).toStrictEqual([
      'settings.vault.tls: secretName "x" is served only with TLS on: remove it, or remove disabled: true',
      'settings.vault.tls: storeTrust "system" has no effect over plain HTTP: remove it, or remove disabled: true',
    ]);
    const catalog = new SecretCatalog({ mount: 'kv' });
    const own = catalog.identity('own', { store: { kind: 'SecretStore', namespaces: ['apps'], trust: 'system' } });
    catalog.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps', identity: own });
    expect(validateDeclaration({ catalog, settings: external({ address: 'http://vault.lan:8200', tls: { disabled: true } }) as PlatformSettings }).map((i) => i.message)).toStrictEqual([
      'identity own: store.trust "system" has no effect over plain HTTP (settings.vault.tls.disabled): remove it, or serve Vault over https://',
    ]);
  });

  test('control characters, credentials, a query, a bad host or port', () => {
    expect(['https://v\u0000x:8200', 'https://vault.lan\u202e:8200', 'https://user:pass@vault.lan', 'https://vault.lan:8200/?x=1', 'https://vault.lan:8200#top', 'https://vault.lan:0', 'https://vault.lan:65536', 'https://-vault-:8200', 'https://va_ult:8200']
      .map((address) => settingsMessages(external({ address }))[0])).toStrictEqual([
      `settings.vault: address "https://v\\u0000x:8200" ${URL_RULE}, without control or invisible characters`,
      `settings.vault: address "https://vault.lan\\u202e:8200" ${URL_RULE}, without control or invisible characters`,
      `settings.vault: address "https://user:pass@vault.lan" ${URL_RULE}, without a user or password (credentials never go into the catalog)`,
      `settings.vault: address "https://vault.lan:8200/?x=1" ${URL_RULE}, without a query or fragment: clients append API paths to it`,
      `settings.vault: address "https://vault.lan:8200#top" ${URL_RULE}, without a query or fragment: clients append API paths to it`,
      `settings.vault: address "https://vault.lan:0" ${URL_RULE}, whose host is a DNS name or an IP address, with a port from 1 to 65535`,
      `settings.vault: address "https://vault.lan:65536" ${URL_RULE}, whose host is a DNS name or an IP address, with a port from 1 to 65535`,
      `settings.vault: address "https://-vault-:8200" ${URL_RULE}, whose host is a DNS name or an IP address, with a port from 1 to 65535`,
      `settings.vault: address "https://va_ult:8200" ${URL_RULE}, whose host is a DNS name or an IP address, with a port from 1 to 65535`,
    ]);
    for (const good of ['https://vault.lan:8200', 'https://10.0.0.2:8200', 'https://[fd00::2]:8200', 'https://vault.lan/proxy/vault']) {
      expect([good, settingsMessages(external({ address: good }))]).toStrictEqual([good, []]);
    }
    expect(settingsMessages({ ...FIXTURE_SETTINGS, argocd: { server: 'https://k8s.lan:6443/?x' } })).toStrictEqual([
      'settings.argocd: server "https://k8s.lan:6443/?x" must be an https:// URL, without a query or fragment: clients append API paths to it',
    ]);
  });
});

describe('the mount and the paths have a character set', () => {
  test('the mount is lowercase letters, digits, ".", "_" and "-", with the respelling as the fix', () => {
    const rule = 'must be lowercase letters, digits, ".", "_" and "-", starting with a letter, digit or "_" (the policies are named after the mount, and Vault lowercases policy names)';
    expect(['Homelab', 'kv@home', 'ké', '-kv', '.kv'].map((mount) => messages((c) => c.path('apps/a', ['k']).syncTo({ name: 'a', namespace: 'apps' }), mount)[0])).toStrictEqual([
      `mount: mount "Homelab" ${rule}: write "homelab"`,
      `mount: mount "kv@home" ${rule}: write "kv-home"`,
      `mount: mount "ké" ${rule}: write "ke"`,
      `mount: mount "-kv" ${rule}: write "kv"`,
      `mount: mount ".kv" ${rule}: write "kv"`,
    ]);
  });
});
