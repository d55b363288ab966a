// Settings: every field with a value of the wrong kind or a hostile string, and the read-as-data rules
// (getters, Proxies, inherited options). Each refused with `settings.<row>: <field> <value> <rule>`.
import { showValue } from '../../../lib/catalog';
import { type SweepCase, synthCase, withSettings } from '../case';
import { lit } from './catalog';

/** A refusal of settings `settings` (an expression over SETTINGS) naming `names`. */
function refused(name: string, what: string, settings: string, ...names: string[]): SweepCase {
  return synthCase('settings', name, what, withSettings(settings), [1, ...names]);
}

function accepted(name: string, what: string, settings: string): SweepCase {
  return synthCase('settings', name, what, withSettings(settings), 'accepted');
}

const vault = (fields: string): string => `{ ...SETTINGS, vault: { ...SETTINGS.vault, ${fields} } }`;
const kms = (fields: string): string => `{ ...SETTINGS, kms: { region: 'us-east-1', ${fields} } }`;

export const SETTINGS_CASES: readonly SweepCase[] = [
  refused('kms-alias-template', 'kms.alias with "${"', kms("alias: 'alias/${x}'"), 'settings.kms', 'alias', showValue('alias/${x}')),
  refused('kms-alias-no-prefix', 'kms.alias without "alias/"', kms("alias: 'vault-unseal'"), 'settings.kms', 'alias', '"vault-unseal"'),
  refused('kms-iam-user-space', 'kms.iamUserName with a space', kms("iamUserName: 'vault unseal'"), 'iamUserName', '"vault unseal"'),
  refused('kms-iam-user-long', 'kms.iamUserName of 65 characters', kms(`iamUserName: ${lit('u'.repeat(65))}`), 'iamUserName'),
  refused('kms-secret-name', 'kms.secretName in upper case', kms("secretName: 'Vault-KMS'"), 'secretName', '"Vault-KMS"'),
  refused('kms-unknown-option', 'kms.regoin, a typo', "{ ...SETTINGS, kms: { regoin: 'us-east-1' } }", 'regoin'),
  refused('kms-null', 'kms: null', '{ ...SETTINGS, kms: null }', 'settings', 'kms', 'null'),
  refused('gitops-junk', 'gitops "helm"', "{ ...SETTINGS, gitops: 'helm' }", 'gitops', '"helm"'),
  refused('components-string', 'components.vault "yes"', "{ ...SETTINGS, components: { vault: 'yes' } }", 'settings.components', 'vault', '"yes"'),
  refused('components-under-plain', 'a component installed under gitops plain', "{ ...SETTINGS, gitops: 'plain', components: { reloader: true } }", 'settings.components', 'reloader', 'plain'),
  refused('vault-address-credentials', 'vault.address with a user and password', `{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://admin:hunter2@vault.example.com:8200' } }`, 'settings.vault', 'address'),
  refused('vault-address-ftp', 'vault.address ftp://', "{ ...SETTINGS, components: { vault: false }, vault: { address: 'ftp://vault.example.com' } }", 'address', '"ftp://vault.example.com"'),
  refused('vault-address-port', 'vault.address of port 99999', "{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://vault.example.com:99999' } }", 'address', '99999'),
  refused('vault-address-newline', 'vault.address with a newline', "{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://vault.example.com\\n' } }", 'address', '\\n'),
  refused('vault-address-query', 'vault.address with a query', "{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://vault.example.com/?x=${y}' } }", 'address'),
  refused('vault-address-bidi-tls-off', 'vault.address with a bidi override, and TLS off: both named, escaped', "{ ...SETTINGS, components: { vault: false }, vault: { address: 'https://vault\\u202e.lan', tls: { disabled: true } } }", 'address', 'contradicts', '"https://vault\\u202e.lan"'),
  refused('vault-address-inside', 'vault.address while the Vault component installs one', "{ ...SETTINGS, vault: { address: 'https://vault.example.com' } }", 'address', 'components'),
  refused('vault-namespace', 'vault.namespace in upper case', vault("namespace: 'Vault'"), 'settings.vault', 'namespace', '"Vault"'),
  refused('vault-release-name', 'vault.releaseName with a dot', vault("releaseName: 'vault.1'"), 'releaseName', '"vault.1"'),
  accepted('vault-release-name-bao', 'vault.releaseName "bao" in namespace "secrets": the stores name the Service the chart renders', vault("namespace: 'secrets', releaseName: 'bao'").replace("kms: { region: 'us-east-1' }", "kms: { region: 'us-east-1' }")),
  accepted('vault-release-name-bao-flux', 'the same under gitops flux', `{ ...SETTINGS, gitops: 'flux', vault: { ...SETTINGS.vault, namespace: 'secrets', releaseName: 'bao' } }`),
  refused('vault-storage-class', 'vault.storageClass "$(id)"', vault("storageClass: '$(id)'"), 'storageClass', '"$(id)"'),
  refused('vault-kubernetes-host-http', 'vault.kubernetesHost over plain HTTP', vault("kubernetesHost: 'http://kubernetes.default.svc'"), 'kubernetesHost'),
  refused('vault-kubernetes-ca-junk', 'vault.kubernetesCaCert that is no PEM', vault("kubernetesCaCert: 'not a certificate'"), 'kubernetesCaCert'),
  refused('vault-kv-max-versions-negative', 'vault.kvMaxVersions -1', vault('kvMaxVersions: -1'), 'kvMaxVersions', '-1'),
  refused('vault-kv-max-versions-huge', 'vault.kvMaxVersions 2^32', vault('kvMaxVersions: 2 ** 32'), 'kvMaxVersions', '4294967296'),
  refused('vault-kv-max-versions-fraction', 'vault.kvMaxVersions 1.5', vault('kvMaxVersions: 1.5'), 'kvMaxVersions', '1.5'),
  refused('vault-operator-can-destroy', 'vault.operatorCanDestroy "yes"', vault("operatorCanDestroy: 'yes'"), 'operatorCanDestroy', '"yes"'),
  refused('vault-ingress-host', 'vault.ingress.host "vault example"', vault("ingress: { host: 'vault example' }"), 'settings.vault.ingress', 'host', '"vault example"'),
  refused('vault-ingress-annotation-key', 'an ingress annotation key of a space', vault("ingress: { host: 'vault.example.com', annotations: { 'a b': 'x' } }"), 'settings.vault.ingress', '"a b"'),
  refused('vault-ingress-annotations-size', 'ingress annotations of 300 KiB', vault(`ingress: { host: 'vault.example.com', annotations: { big: 'x'.repeat(300 * 1024) } }`), 'settings.vault.ingress', 'annotations', '256 KiB'),
  refused('vault-tls-secret-name', 'vault.tls.secretName in upper case', vault("tls: { secretName: 'Vault-TLS' }"), 'settings.vault.tls', 'secretName', '"Vault-TLS"'),
  refused('vault-tls-store-trust', 'vault.tls.storeTrust "all"', vault("tls: { storeTrust: 'all' }"), 'storeTrust', '"all"'),
  refused('argocd-project', 'argocd.project "$(id)"', "{ ...SETTINGS, argocd: { project: '$(id)' } }", 'settings.argocd', 'project', '"$(id)"'),
  refused('argocd-server-http', 'argocd.server over plain HTTP with credentials', "{ ...SETTINGS, argocd: { server: 'http://a:b@kubernetes.default.svc' } }", 'settings.argocd', 'server'),
  refused('argocd-namespace', 'argocd.namespace of 64 characters', `{ ...SETTINGS, argocd: { namespace: ${lit('a'.repeat(64))} } }`, 'settings.argocd', 'namespace'),
  refused('flux-without-gitops', 'flux settings under gitops argocd', "{ ...SETTINGS, flux: { namespace: 'flux-system' } }", 'settings', 'flux', 'gitops'),
  refused('flux-cluster-path-escape', 'flux.clusterPath "../elsewhere"', "{ ...SETTINGS, gitops: 'flux', flux: { clusterPath: '../elsewhere' } }", 'settings.flux', 'clusterPath', '"../elsewhere"'),
  refused('flux-cluster-path-absolute', 'flux.clusterPath "/etc"', "{ ...SETTINGS, gitops: 'flux', flux: { clusterPath: '/etc' } }", 'clusterPath', '"/etc"'),
  refused('flux-source-kind', 'flux.sourceRef.kind "Bucket"', "{ ...SETTINGS, gitops: 'flux', flux: { sourceRef: { kind: 'Bucket' } } }", 'settings.flux.sourceRef', 'kind', '"Bucket"'),
  accepted('flux-defaults', 'gitops flux with its defaults', "{ ...SETTINGS, gitops: 'flux' }"),
  accepted('plain', 'gitops plain, no components', "{ ...SETTINGS, gitops: 'plain' }"),
  refused('state-kind', 'stateBackend kind "gcs"', "{ ...SETTINGS, terraform: { stateBackend: { kind: 'gcs' } } }", 'settings.terraform.stateBackend', 'kind', '"gcs"'),
  refused('state-path-template', 'a local state path with "${"', "{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: 'state/${terraform.workspace}.tfstate' } } }", 'path', showValue('state/${terraform.workspace}.tfstate')),
  refused('state-s3-bucket', 'an S3 bucket of upper case and "_"', "{ ...SETTINGS, terraform: { stateBackend: { kind: 's3', bucket: 'My_Bucket', region: 'eu-central-1' } } }", 'bucket', '"My_Bucket"'),
  refused('state-s3-key-prefix', 'an S3 key prefix with "%{"', "{ ...SETTINGS, terraform: { stateBackend: { kind: 's3', bucket: 'state', region: 'eu-central-1', keyPrefix: 'p%{x}' } } }", 'keyPrefix', '"p%{x}"'),
  refused('state-s3-table', 'a DynamoDB table of a space', "{ ...SETTINGS, terraform: { stateBackend: { kind: 's3', bucket: 'state', region: 'eu-central-1', dynamodbTable: 'a b' } } }", 'dynamodbTable', '"a b"'),
  accepted('state-path-hostile-literal', 'a local state path of quotes, a backslash and braces: written as is',
    "{ ...SETTINGS, terraform: { stateBackend: { kind: 'local', path: '../../../state/\"q\" \\\\ {} %.tfstate' } } }"),
  // Text that is syntax in Terraform's JSON, where the validator lets it through: written escaped (outputs.ts reads every string back).
  accepted('kubernetes-ca-template', 'a Kubernetes CA whose body holds ${...}, %{...}, $${ and quotes: reaches the Terraform JSON escaped',
    vault("kubernetesCaCert: '-----BEGIN CERTIFICATE-----\\n${jsonencode(var.x)} %{ if true }x%{ endif } $${y} \"q\" \\\\\\n-----END CERTIFICATE-----\\n'")),
  accepted('ingress-annotation-template', 'an ingress annotation of ${...} and %{...}: a Helm value, written as is', vault("ingress: { host: 'vault.example.com', annotations: { 'example.com/x': '${var.y} %{ if } $(id)' } }")),
  refused('settings-typo', 'an unknown top-level setting "vualt"', "{ ...SETTINGS, vualt: {} }", 'vualt'),
  refused('settings-null', 'settings: null', 'null', 'settings', 'null'),
  refused('settings-array', 'settings: an array', '[]', 'settings', '[]'),
  refused('settings-getter', 'settings with a getter that throws', "Object.defineProperty({ ...SETTINGS }, 'vault', { get() { throw new Error('boom'); }, enumerable: true })", 'settings', 'vault', 'a getter'),
  refused('settings-proxy', 'settings as a Proxy whose traps throw', "new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); } })", 'settings', 'a Proxy'),
  refused('settings-inherited', 'settings inherited from a prototype', 'Object.create(SETTINGS)', 'settings', 'inherit'),
  refused('settings-symbol-value', 'vault.namespace a Symbol', vault("namespace: Symbol('ns')"), 'namespace', 'Symbol(ns)'),
];
