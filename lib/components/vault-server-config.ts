import { invalidProp } from '../catalog';
// Vault's server configuration, built from typed data and rendered as HCL. The Vault chart accepts
// the standalone config only as a string, and runs it through Helm's `tpl` and a few `sed`
// substitutions, so the renderer refuses anything that either could rewrite.

/** The seal type of AWS KMS auto-unseal: the `seal` block's label and VAULT_SEAL_TYPE. */
export const AWSKMS_SEAL_TYPE = 'awskms';

/** Where the chart mounts the data PVC, and so where the file storage backend writes. */
export const VAULT_DATA_PATH = '/vault/data';

/** The TCP listener. */
export interface VaultListenerConfig {
  /** Address the API listens on. */
  readonly address: string;
  /** Address of the cluster port. */
  readonly clusterAddress: string;
  /** Serve plain HTTP: everything, tokens included, travels in clear text. */
  readonly tlsDisable: boolean;
  /** The certificate and key files the listener serves; required unless `tlsDisable`. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** The `seal "awskms"` block. */
export interface AwsKmsSealConfig {
  /** AWS region of the key. */
  readonly region: string;
  /** Key alias, alias ARN, key id or key ARN. */
  readonly kmsKeyId: string;
}

/** The parts of Vault's configuration this project sets. */
export interface VaultServerConfig {
  /** Serve the web UI. */
  readonly ui: boolean;
  /** Skip mlock; the chart adds `disable_mlock = true` when absent, so it is written out here. */
  readonly disableMlock: boolean;
  /** The TCP listener. */
  readonly listener: VaultListenerConfig;
  /** Directory of the file storage backend. */
  readonly storagePath: string;
  /** The AWS KMS seal. @default - no seal block: Vault's default Shamir seal, unsealed by hand */
  readonly seal?: AwsKmsSealConfig;
}

type HclValue = string | number | boolean;
type HclAttribute = readonly [name: string, value: HclValue];

interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly attributes: readonly HclAttribute[];
}

/** Helm `tpl`, HCL templates and the chart's sed placeholders would all rewrite these. */
const REWRITTEN = /\{\{|\$\{|%\{|HOST_IP|POD_IP|HOSTNAME|API_ADDR|TRANSIT_ADDR|RAFT_ADDR/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function renderValue(name: string, value: HclValue): string {
  if (typeof value !== 'string') return String(value);
  if (REWRITTEN.test(value) || CONTROL.test(value)) {
    invalidProp('the Vault server config', name, value, 'must not contain control characters, template sequences or the chart\'s placeholders');
  }
  return JSON.stringify(value);
}

function renderAttributes(attributes: readonly HclAttribute[], indent: string): string[] {
  const width = Math.max(...attributes.map(([name]) => name.length));
  return attributes.map(([name, value]) => `${indent}${name.padEnd(width)} = ${renderValue(name, value)}`);
}

function renderBlock(block: HclBlock): string[] {
  const labels = block.labels.map((label) => ` ${JSON.stringify(label)}`).join('');
  return [`${block.type}${labels} {`, ...renderAttributes(block.attributes, '  '), '}'];
}

/** The configuration as HCL, laid out like `terraform fmt`; the same input gives the same text. */
export function renderVaultServerConfig(config: VaultServerConfig): string {
  const { listener } = config;
  if (!listener.tlsDisable && listener.tls === undefined) {
    invalidProp('the Vault server config', 'listener.tls', undefined, 'needs cert and key files unless tlsDisable is set');
  }
  const tlsFiles: HclAttribute[] = listener.tls && !listener.tlsDisable
    ? [['tls_cert_file', listener.tls.certFile], ['tls_key_file', listener.tls.keyFile]]
    : [];
  const sections: string[][] = [
    renderAttributes([['ui', config.ui], ['disable_mlock', config.disableMlock]], ''),
    renderBlock({
      type: 'listener',
      labels: ['tcp'],
      attributes: [
        ['address', config.listener.address],
        ['cluster_address', config.listener.clusterAddress],
        ['tls_disable', config.listener.tlsDisable],
        ...tlsFiles,
      ],
    }),
    renderBlock({ type: 'storage', labels: ['file'], attributes: [['path', config.storagePath]] }),
    ...(config.seal
      ? [renderBlock({
        type: 'seal',
        labels: [AWSKMS_SEAL_TYPE],
        attributes: [['region', config.seal.region], ['kms_key_id', config.seal.kmsKeyId]],
      })]
      : []),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
