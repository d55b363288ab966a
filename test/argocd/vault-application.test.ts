import { Chart, Testing } from 'cdk8s';
import { VaultApplication, VaultApplicationProps } from '../../lib/argocd';
import type { ResolvedKmsUnseal } from '../../lib/catalog';
import { crdSchemaErrors, withCrdDefaults } from '../support/crd-schema';
import { userErrorOf } from '../support/user-error';

const KMS: ResolvedKmsUnseal = { region: 'eu-central-1', alias: 'alias/vault-unseal', iamUserName: 'vault-unseal', secretName: 'vault-aws-kms', secretNamespace: 'vault' };

function synth(props: Partial<VaultApplicationProps> = {}): { app: any; vault: VaultApplication } {
  const chart = new Chart(Testing.app(), 'test');
  const vault = new VaultApplication(chart, 'Vault', { kms: KMS, ...props });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return { app: objects[0], vault };
}

function valuesOf(props: Partial<VaultApplicationProps> = {}): any {
  return synth(props).app.spec.source.helm.valuesObject;
}

function build(props: Partial<VaultApplicationProps>): void {
  new VaultApplication(new Chart(Testing.app(), 'test'), 'Vault', { kms: KMS, ...props });
}

describe('VaultApplication', () => {
  test('installs the pinned hashicorp/vault chart into the namespace of the vault-aws-kms Secret', () => {
    // GIVEN the KMS settings alone
    // WHEN synthesized
    const { app } = synth();

    // THEN the source and destination are the pinned chart and "vault"
    expect(app.metadata.name).toStrictEqual('vault');
    expect(app.spec.source).toMatchObject({
      repoURL: 'https://helm.releases.hashicorp.com',
      chart: 'vault',
      targetRevision: '0.34.1',
      helm: { releaseName: 'vault' },
    });
    expect(app.spec.destination).toStrictEqual({ server: 'https://kubernetes.default.svc', namespace: 'vault' });
    expect(app.spec.syncPolicy).toStrictEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true'] });
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.metadata.finalizers).toBeUndefined();
  });

  test('passes the Application CRD schema and is its own defaulted form', () => {
    const { app } = synth({ ingress: { host: 'vault.example.lan', className: 'traefik' } });
    expect(crdSchemaErrors(app)).toStrictEqual([]);
    expect(withCrdDefaults(app)).toStrictEqual(app);
  });

  test('writes the seal stanza with the region and key alias of the KMS settings', () => {
    // GIVEN the KMS settings the KMS stack uses
    // WHEN synthesized
    const values = valuesOf();

    // THEN the standalone config is exactly this HCL
    expect(values.server.standalone).toStrictEqual({
      enabled: true,
      config: [
        'ui            = true',
        'disable_mlock = true',
        '',
        'listener "tcp" {',
        '  address         = "[::]:8200"',
        '  cluster_address = "[::]:8201"',
        '  tls_disable     = false',
        '  tls_cert_file   = "/vault/userconfig/vault-tls/tls.crt"',
        '  tls_key_file    = "/vault/userconfig/vault-tls/tls.key"',
        '}',
        '',
        'storage "file" {',
        '  path = "/vault/data"',
        '}',
        '',
        'seal "awskms" {',
        '  region     = "eu-central-1"',
        '  kms_key_id = "alias/vault-unseal"',
        '}',
        '',
      ].join('\n'),
    });
  });

  test('names the region and alias of its KMS props', () => {
    const { vault } = synth({ kms: { ...KMS, region: 'us-east-2' } });
    expect(vault.serverConfig.seal).toStrictEqual({ region: 'us-east-2', kmsKeyId: 'alias/vault-unseal' });
  });

  test('reads the key id and the AWS credentials from vault-aws-kms, and sets the seal type', () => {
    // GIVEN the hand-made Secret's names
    // WHEN synthesized
    const values = valuesOf();

    // THEN the pod takes three variables from the Secret, named like its keys, and none has a value in git
    expect(values.server.extraSecretEnvironmentVars).toStrictEqual([
      { envName: 'VAULT_AWSKMS_SEAL_KEY_ID', secretName: 'vault-aws-kms', secretKey: 'VAULT_AWSKMS_SEAL_KEY_ID' },
      { envName: 'AWS_ACCESS_KEY_ID', secretName: 'vault-aws-kms', secretKey: 'AWS_ACCESS_KEY_ID' },
      { envName: 'AWS_SECRET_ACCESS_KEY', secretName: 'vault-aws-kms', secretKey: 'AWS_SECRET_ACCESS_KEY' },
    ]);
    expect(values.server.extraEnvironmentVars).toStrictEqual({ VAULT_SEAL_TYPE: 'awskms', VAULT_CACERT: '/vault/userconfig/vault-tls/ca.crt' });
  });

  test('serves TLS by default from the Secret vault-tls, through the chart\'s TLS settings', () => {
    // GIVEN no TLS settings
    // WHEN synthesized
    const { vault, app } = synth();
    const values = app.spec.source.helm.valuesObject;

    // THEN the chart switches VAULT_ADDR and the probes to https, mounts the Secret and the CLI trusts its CA
    expect(values.global).toStrictEqual({ tlsDisable: false });
    expect(values.server.extraVolumes).toStrictEqual([{ type: 'secret', name: 'vault-tls' }]);
    expect(values.server.extraEnvironmentVars.VAULT_CACERT).toStrictEqual('/vault/userconfig/vault-tls/ca.crt');
    expect(vault.serverConfig.listener).toStrictEqual({
      address: '[::]:8200',
      clusterAddress: '[::]:8201',
      tlsDisable: false,
      tls: { certFile: '/vault/userconfig/vault-tls/tls.crt', keyFile: '/vault/userconfig/vault-tls/tls.key' },
    });
    expect([vault.tlsSecretName, vault.serviceUrl]).toStrictEqual(['vault-tls', 'https://vault.vault.svc:8200']);
  });

  test('takes the TLS Secret\'s name from its props', () => {
    const { vault, app } = synth({ tls: { secretName: 'vault-server-tls' } });
    const values = app.spec.source.helm.valuesObject;
    expect(values.server.extraVolumes).toStrictEqual([{ type: 'secret', name: 'vault-server-tls' }]);
    expect(values.server.extraEnvironmentVars.VAULT_CACERT).toStrictEqual('/vault/userconfig/vault-server-tls/ca.crt');
    expect(vault.serverConfigHcl).toContain('  tls_cert_file   = "/vault/userconfig/vault-server-tls/tls.crt"\n');
  });

  test('plain HTTP only when asked for explicitly', () => {
    // GIVEN tls disabled
    // WHEN synthesized
    const { vault, app } = synth({ tls: { disabled: true }, ingress: { host: 'vault.example.lan' } });
    const values = app.spec.source.helm.valuesObject;

    // THEN no certificate, no CA variable, an http:// address and an ingress without TLS
    expect(values.global).toStrictEqual({ tlsDisable: true });
    expect(values.server.extraVolumes).toBeUndefined();
    expect(values.server.extraEnvironmentVars).toStrictEqual({ VAULT_SEAL_TYPE: 'awskms' });
    expect(vault.serverConfig.listener).toStrictEqual({ address: '[::]:8200', clusterAddress: '[::]:8201', tlsDisable: true });
    expect(vault.serverConfigHcl).toContain('  tls_disable     = true\n}');
    expect([vault.tlsSecretName, vault.serviceUrl]).toStrictEqual([undefined, 'http://vault.vault.svc:8200']);
    expect(values.server.ingress).toStrictEqual({ enabled: true, hosts: [{ host: 'vault.example.lan', paths: [] }] });
  });

  test('runs one standalone server on file storage, without the injector, with auth-delegator and the UI', () => {
    // GIVEN no storage settings
    // WHEN synthesized
    const values = valuesOf();

    // THEN the chart runs standalone on a PVC of the default class and size
    expect(values.server.ha).toStrictEqual({ enabled: false });
    expect(values.server.dataStorage).toStrictEqual({ enabled: true, mountPath: '/vault/data' });
    expect(values.injector).toStrictEqual({ enabled: false });
    expect(values.server.authDelegator).toStrictEqual({ enabled: true });
    expect(values.ui).toStrictEqual({ enabled: true });
  });

  test('takes the storage class and size from its props', () => {
    const values = valuesOf({ storageClass: 'longhorn', storageSize: '5Gi' });
    expect(values.server.dataStorage).toStrictEqual({ enabled: true, mountPath: '/vault/data', size: '5Gi', storageClass: 'longhorn' });
  });

  test('asks Velero to back up the data volume of the server pod', () => {
    expect(valuesOf().server.annotations).toStrictEqual({ 'backup.velero.io/backup-volumes': 'data' });
  });

  test('adds an ingress only when a host is given, with a tls block for it', () => {
    expect(valuesOf().server.ingress).toStrictEqual({ enabled: false });
    expect(valuesOf({ ingress: { host: 'vault.example.lan' } }).server.ingress).toStrictEqual({
      enabled: true,
      hosts: [{ host: 'vault.example.lan', paths: [] }],
      tls: [{ secretName: 'vault-tls', hosts: ['vault.example.lan'] }],
    });
    const annotations = { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' };
    expect(valuesOf({ ingress: { host: 'vault.example.lan', className: 'nginx', tlsSecretName: 'vault-ingress-tls', annotations } }).server.ingress).toStrictEqual({
      enabled: true,
      ingressClassName: 'nginx',
      annotations,
      hosts: [{ host: 'vault.example.lan', paths: [] }],
      tls: [{ secretName: 'vault-ingress-tls', hosts: ['vault.example.lan'] }],
    });
  });

  test('exposes the in-cluster address the ClusterSecretStore must use, and names the chart\'s objects after the release so that it holds', () => {
    expect(synth().vault.serviceUrl).toStrictEqual('https://vault.vault.svc:8200');
    const bao = synth({ namespace: 'secrets', releaseName: 'bao', kms: { ...KMS, secretNamespace: 'secrets' } });
    expect(bao.vault.serviceUrl).toStrictEqual('https://bao.secrets.svc:8200');
    // Without it the chart names its Service "bao-vault" (found by the sweep; test/e2e/helm-template.test.ts renders it).
    expect([bao.app.spec.source.helm.releaseName, bao.app.spec.source.helm.valuesObject.fullnameOverride]).toStrictEqual(['bao', 'bao']);
  });

  test('refuses props Vault or the chart cannot use, with the settings validation\'s words', () => {
    const SUBDOMAIN = 'must be a DNS-1123 subdomain (lowercase a-z, 0-9, "-" and ".", starting and ending alphanumeric) of at most 253 characters';
    expect(userErrorOf(() => build({ namespace: 'secrets' }))).toStrictEqual([
      'the Vault Application: KMS Secret namespace "vault" must be the Vault Application\'s namespace "secrets": the pod reads the Secret from its own namespace']);
    expect(userErrorOf(() => build({ kms: { ...KMS, region: 'Frankfurt' } }))).toStrictEqual(['the Vault Application: KMS region "Frankfurt" must be an AWS region such as "eu-central-1"']);
    expect(userErrorOf(() => build({ kms: { ...KMS, alias: 'alias/vault unseal' } }))).toStrictEqual([
      'the Vault Application: KMS alias "alias/vault unseal" must start with "alias/", use only a-z, A-Z, 0-9, "/", "_" and "-", be at most 256 characters long, and not start with "alias/aws/" (reserved by AWS)']);
    expect(userErrorOf(() => build({ storageClass: 'NFS' }))).toStrictEqual([`the Vault Application: storage class "NFS" ${SUBDOMAIN}`]);
    expect(userErrorOf(() => build({ storageSize: '10GB' }))).toStrictEqual([
      'the Vault Application: storage size "10GB" must be a Kubernetes quantity such as "5Gi" or "500Mi"']);
    expect(userErrorOf(() => build({ ingress: { host: 'https://vault.example.lan' } }))).toStrictEqual([`the Vault Application: ingress host "https://vault.example.lan" ${SUBDOMAIN}`]);
    expect(userErrorOf(() => build({ tls: { secretName: 'Vault TLS' } }))).toStrictEqual([`the Vault Application: TLS Secret "Vault TLS" ${SUBDOMAIN}`]);
    expect(userErrorOf(() => build({ ingress: { host: 'vault.example.lan', tlsSecretName: '-x' } }))).toStrictEqual([`the Vault Application: ingress TLS Secret "-x" ${SUBDOMAIN}`]);
  });
});
