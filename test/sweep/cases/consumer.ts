// What the consumers refuse: the API server's Secret keys, typed Secrets, annotation size and label
// rules; Go's durations; Kubernetes quantities; AWS regions; TLS that contradicts the address. Each is
// refused before anything is written, and its valid neighbour is accepted (the boundary is exact).
import { showValue } from '../../../lib/catalog';
import { type SweepCase, onePath, synthCase, withSettings } from '../case';
import { lit } from './catalog';

const refused = (name: string, what: string, body: string, ...names: string[]): SweepCase => synthCase('consumer', name, what, body, [1, ...names]);
const accepted = (name: string, what: string, body: string): SweepCase => synthCase('consumer', name, what, body, 'accepted');
const vault = (fields: string): string => withSettings(`{ ...SETTINGS, vault: { ...SETTINGS.vault, ${fields} } }`);
const target = (options: string, keys?: string): string => onePath(keys, options);

export const CONSUMER_CASES: readonly SweepCase[] = [
  refused('secret-key-dot', 'a Secret key "."', target("{ keys: ['user'], renames: { user: '.' } }"), 'renames.user', '"."'),
  refused('secret-key-dotdot', 'a Secret key ".."', target("{ keys: ['user'], renames: { user: '..' } }"), 'renames.user', '".."'),
  refused('secret-key-dotdot-prefix', 'a Secret key "..a"', onePath("['user', '..a']", "{ keys: ['user'] }"), 'key', '"..a"'),
  refused('secret-key-254', 'a Secret key of 254 characters', onePath(`['user', ${lit('k'.repeat(254))}]`, "{ keys: ['user'] }"), 'key', 'it has 254'),
  accepted('secret-key-253', 'a Secret key of 253 characters', onePath(`[${lit('k'.repeat(253))}]`)),
  accepted('secret-key-dots-inside', 'Secret keys ".a", "a..b", "a."', onePath("['.a', 'a..b', 'a.']")),
  refused('tls-without-keys', 'a kubernetes.io/tls Secret without tls.crt and tls.key', target("{ type: 'kubernetes.io/tls' }"), 'type', '"kubernetes.io/tls"', 'tls.crt'),
  accepted('tls-with-renames', 'a kubernetes.io/tls Secret given its keys by renames', target("{ type: 'kubernetes.io/tls', renames: { user: 'tls.crt', password: 'tls.key' } }")),
  refused('dockerconfigjson-without-key', 'a dockerconfigjson Secret without .dockerconfigjson', target("{ type: 'kubernetes.io/dockerconfigjson' }"), 'type', '.dockerconfigjson'),
  accepted('dockerconfigjson-by-template', 'a dockerconfigjson Secret written by a template', target("{ type: 'kubernetes.io/dockerconfigjson', template: (k) => ({ '.dockerconfigjson': '{\"auths\":{\"r\":{\"auth\":\"' + k.user + '\"}}}' }) }")),
  refused('basic-auth-neither', 'a basic-auth Secret with neither username nor password', onePath("['a', 'b']", "{ type: 'kubernetes.io/basic-auth' }"), 'type', 'username', 'password'),
  refused('ssh-auth-without-key', 'an ssh-auth Secret without ssh-privatekey', target("{ type: 'kubernetes.io/ssh-auth' }"), 'type', 'ssh-privatekey'),
  refused('annotations-too-big', 'annotations of 257 KiB together', target("{ annotations: { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(57 * 1024 + 1) } }"), 'annotations', '256 KiB'),
  accepted('annotations-at-limit', 'annotations of exactly 256 KiB', target("{ annotations: { a: 'x'.repeat(256 * 1024 - 1) } }")),
  refused('label-value-64', 'a label value of 64 characters', target(`{ labels: { app: ${lit('v'.repeat(64))} } }`), 'labels.app'),
  refused('label-prefix-upper', 'a label key whose prefix is upper case', target("{ labels: { 'Example.com/app': 'x' } }"), 'labels key', '"Example.com/app"'),
  refused('duration-overflow', 'refreshInterval 2562048h, past Go\'s int64 of nanoseconds', target("{ refreshInterval: '2562048h' }"), 'refreshInterval', '"2562048h"'),
  accepted('duration-max', 'refreshInterval 2562047h', target("{ refreshInterval: '2562047h' }")),
  refused('duration-nanoseconds-overflow', 'refreshInterval 9223372036854775808ns', target("{ refreshInterval: '9223372036854775808ns' }"), 'refreshInterval', '"9223372036854775808ns"'),
  refused('duration-days', 'refreshInterval "1d" (no day unit in Go)', target("{ refreshInterval: '1d' }"), 'refreshInterval', '"1d"'),
  refused('duration-negative', 'refreshInterval "-1h"', target("{ refreshInterval: '-1h' }"), 'refreshInterval', '"-1h"'),
  refused('duration-zero', 'refreshInterval "0s" without allowZeroRefreshInterval', target("{ refreshInterval: '0s' }"), 'refreshInterval', '"0s"', 'allowZeroRefreshInterval'),
  accepted('duration-micro', 'refreshInterval "1.5µs" and "2μs": both of Go\'s micro signs', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  catalog.path('apps/a', ['user']).syncTo({ name: 'a', namespace: 'apps', refreshInterval: '1500000.5µs' });",
    "  catalog.path('apps/b', ['user']).syncTo({ name: 'b', namespace: 'apps', refreshInterval: '2000000000μs' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n')),
  refused('quantity-zero', 'vault.storageSize "0"', vault("storageSize: '0'"), 'storageSize', '"0"'),
  refused('quantity-zero-units', 'vault.storageSize "0Gi"', vault("storageSize: '0Gi'"), 'storageSize', '"0Gi"'),
  refused('quantity-negative', 'vault.storageSize "-5Gi"', vault("storageSize: '-5Gi'"), 'storageSize', '"-5Gi"'),
  refused('quantity-unit', 'vault.storageSize "5GB" (Kubernetes writes G or Gi)', vault("storageSize: '5GB'"), 'storageSize', '"5GB"'),
  accepted('quantity-fraction', 'vault.storageSize "1.5Gi"', vault("storageSize: '1.5Gi'")),
  refused('region-junk', 'kms.region "mars-1"', withSettings("{ ...SETTINGS, kms: { region: 'mars-1' } }"), 'settings.kms', 'region', '"mars-1"'),
  refused('region-shell', 'kms.region "us-east-1; id"', withSettings("{ ...SETTINGS, kms: { region: 'us-east-1; id' } }"), 'region', showValue('us-east-1; id')),
  refused('region-upper', 'kms.region "EU-CENTRAL-1"', withSettings("{ ...SETTINGS, kms: { region: 'EU-CENTRAL-1' } }"), 'region', '"EU-CENTRAL-1"'),
  accepted('region-gov', 'kms.region "us-gov-west-1"', withSettings("{ ...SETTINGS, kms: { region: 'us-gov-west-1' } }")),
  refused('tls-disabled-https', 'tls disabled with an https:// address', withSettings("{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://vault.example.com', tls: { disabled: true } } }"), 'settings.vault.tls', 'disabled', 'https://'),
  refused('tls-http-without-opt-in', 'an http:// address without tls: { disabled: true }', withSettings("{ ...SETTINGS, components: { vault: false }, vault: { address: 'http://vault.example.com' } }"), 'settings.vault', 'address', 'plain HTTP'),
  refused('tls-disabled-secret', 'tls disabled and a TLS secret named', vault("tls: { disabled: true, secretName: 'vault-tls' }"), 'settings.vault.tls', 'secretName'),
  refused('tls-store-trust-plain-http', 'a store\'s own trust over plain HTTP', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const media = catalog.identity('media', { store: { kind: 'SecretStore', namespaces: ['apps'], trust: { secret: { name: 'ca' } } } });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps', identity: media });",
    "  return { catalog, settings: { ...SETTINGS, vault: { ...SETTINGS.vault, tls: { disabled: true } } } };",
  ].join('\n'), 'store.trust', 'plain HTTP'),
  accepted('tls-plain-http-opt-in', 'an http:// address with the explicit opt-in', withSettings("{ ...SETTINGS, components: { vault: false }, vault: { address: 'http://vault.example.com:8200', tls: { disabled: true } } }")),
  refused('service-account-token-bare', 'a kubernetes.io/service-account-token Secret without the annotation naming its ServiceAccount', target("{ type: 'kubernetes.io/service-account-token' }"), 'type', 'kubernetes.io/service-account.name'),
  accepted('service-account-token-named', 'a kubernetes.io/service-account-token Secret with its annotation', target("{ type: 'kubernetes.io/service-account-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } }")),
  refused('ttl-overflow', 'a token TTL of 1e300 seconds', [
    "  const catalog = new SecretCatalog({ mount: 'kv', vaultRole: { tokenTtlSeconds: 1e300 } });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'tokenTtlSeconds', '1e+300'),
  refused('kms-alias-257', 'a KMS alias of 257 characters', withSettings(`{ ...SETTINGS, kms: { region: 'us-east-1', alias: 'alias/${'a'.repeat(251)}' } }`), 'alias', '(257 characters)'),
  refused('release-name-53', 'a Vault release name of 53 characters', vault(`releaseName: '${'v'.repeat(53)}'`), 'releaseName', 'at most 52'),
  accepted('tls-secret-name-long-namespaced', 'a TLS Secret name of 250 characters with namespaced stores (their CA ConfigMap adds "-ca")', [
    "  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    `  return { catalog, settings: { ...SETTINGS, vault: { ...SETTINGS.vault, tls: { secretName: '${'t'.repeat(250)}' } } } };`,
  ].join('\n')),
  refused('tls-secret-name-252-namespaced', 'a TLS Secret name of 252 characters with namespaced stores: their CA ConfigMap, named with "-ca", would be 255', [
    "  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });",
    "  catalog.path('apps/db', ['user']).syncTo({ name: 'db', namespace: 'apps' });",
    `  return { catalog, settings: { ...SETTINGS, vault: { ...SETTINGS.vault, tls: { secretName: '${'t'.repeat(252)}' } } } };`,
  ].join('\n'), 'settings.vault.tls', 'secretName'),
  accepted('derived-names-longest', 'namespace isolation with a namespace of 63 characters: every name the library derives from it is one Kubernetes takes', [
    "  const catalog = new SecretCatalog({ mount: 'kv', isolation: 'namespace' });",
    `  catalog.path('apps/db', ['user']).syncTo({ name: '${'n'.repeat(253)}', namespace: '${'a'.repeat(63)}' });`,
    '  return { catalog, settings: SETTINGS };',
  ].join('\n')),
  refused('template-extract-type', 'a whole-path extract into a typed Secret with a template lacking its keys (Replace)', [
    "  const catalog = new SecretCatalog({ mount: 'kv' });",
    "  const p = catalog.path('apps/db', ['user']);",
    "  catalog.addTarget({ name: 'db', namespace: 'apps', type: 'kubernetes.io/tls', sources: [p.extractAll()], template: (k) => ({ other: k.user }) });",
    '  return { catalog, settings: SETTINGS };',
  ].join('\n'), 'type', 'tls.crt'),
];
