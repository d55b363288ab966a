import { VaultServerConfig, renderVaultServerConfig } from '../../lib/components';
import { userErrorOf } from '../support/user-error';

const CONFIG: VaultServerConfig = {
  ui: true,
  disableMlock: true,
  listener: { address: '[::]:8200', clusterAddress: '[::]:8201', tlsDisable: true },
  storagePath: '/vault/data',
  seal: { region: 'eu-central-1', kmsKeyId: 'alias/vault-unseal' },
};

describe('renderVaultServerConfig', () => {
  test('renders the listener, file storage and awskms seal as formatted HCL', () => {
    // GIVEN the typed configuration
    // WHEN it is rendered
    const hcl = renderVaultServerConfig(CONFIG);

    // THEN the text is exactly what Vault reads
    expect(hcl).toStrictEqual([
      'ui            = true',
      'disable_mlock = true',
      '',
      'listener "tcp" {',
      '  address         = "[::]:8200"',
      '  cluster_address = "[::]:8201"',
      '  tls_disable     = true',
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
    ].join('\n'));
  });

  test('a TLS listener names its certificate and key files', () => {
    const hcl = renderVaultServerConfig({ ...CONFIG, listener: { ...CONFIG.listener, tlsDisable: false, tls: { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' } } });
    expect(hcl.split('\n').slice(3, 10)).toStrictEqual([
      'listener "tcp" {',
      '  address         = "[::]:8200"',
      '  cluster_address = "[::]:8201"',
      '  tls_disable     = false',
      '  tls_cert_file   = "/tls/tls.crt"',
      '  tls_key_file    = "/tls/tls.key"',
      '}',
    ]);
  });

  test('refuses a TLS listener without certificate files', () => {
    expect(userErrorOf(() => renderVaultServerConfig({ ...CONFIG, listener: { ...CONFIG.listener, tlsDisable: false } }))).toStrictEqual([
      'the Vault server config: listener.tls undefined needs cert and key files unless tlsDisable is set']);
  });

  test('gives the same text for the same input', () => {
    expect(renderVaultServerConfig({ ...CONFIG })).toStrictEqual(renderVaultServerConfig(CONFIG));
  });

  test('quotes strings so that a quote cannot end the value', () => {
    // GIVEN a key reference with a quote and a backslash
    // WHEN rendered
    const hcl = renderVaultServerConfig({ ...CONFIG, seal: { region: 'eu-central-1', kmsKeyId: 'a"b\\c' } });

    // THEN both are escaped
    expect(hcl).toContain('kms_key_id = "a\\"b\\\\c"');
  });

  test('refuses what Helm tpl, HCL templates or the chart placeholders would rewrite', () => {
    const rule = 'must not contain control characters, template sequences or the chart\'s placeholders';
    expect(userErrorOf(() => renderVaultServerConfig({ ...CONFIG, storagePath: '/vault/{{ .Release.Name }}' }))).toStrictEqual([
      `the Vault server config: path "/vault/{{ .Release.Name }}" ${rule}`]);
    expect(userErrorOf(() => renderVaultServerConfig({ ...CONFIG, seal: { region: 'eu-central-1', kmsKeyId: 'alias/${x}' } }))).toStrictEqual([
      `the Vault server config: kms_key_id "alias/\${x}" ${rule}`]);
    expect(userErrorOf(() => renderVaultServerConfig({ ...CONFIG, listener: { ...CONFIG.listener, address: 'POD_IP:8200' } }))).toStrictEqual([
      `the Vault server config: address "POD_IP:8200" ${rule}`]);
    expect(userErrorOf(() => renderVaultServerConfig({ ...CONFIG, storagePath: '/vault\n/data' }))).toStrictEqual([
      `the Vault server config: path "/vault\\n/data" ${rule}`]);
  });
});
