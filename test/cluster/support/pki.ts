import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key, as PEM files. */
export interface CertFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Everything the cluster's TLS and service account tokens need, as files in one folder. */
export interface ClusterPki {
  /** The cluster CA: signs the API server's certificate and the admin's client certificate; the pod's `ca.crt`. */
  readonly ca: CertFiles;
  /** The API server's serving certificate (the `kubernetes` Service's names and 127.0.0.1). */
  readonly apiServer: CertFiles;
  /** A client certificate in `system:masters`: the harness's own identity. */
  readonly admin: CertFiles;
  /** The service account signing key (ES256) and its public half: TokenRequest signs, TokenReview verifies. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
  /** Vault's CA: what the store's `caProvider` Secret `vault-tls` holds. */
  readonly vaultCa: CertFiles;
  /** OpenBao's serving certificate (`vault.vault.svc` and 127.0.0.1). */
  readonly vault: CertFiles;
}

/** The names of the API server's in-cluster Service, as its certificate lists them. */
export const API_SERVER_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

/** Vault's Service names for release `vault` in namespace `vault` (the store's server is https://vault.vault.svc:8200). */
export const VAULT_NAMES = ['vault', 'vault.vault', 'vault.vault.svc', 'vault.vault.svc.cluster.local'];

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed CA `<name>-ca.{crt,key}`, EC P-256, valid for two days. */
export function makeCa(dir: string, name: string, subject: string): CertFiles {
  openssl(['req', '-x509', ...EC, '-keyout', `${name}-ca.key`, '-out', `${name}-ca.crt`, '-days', '2', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { certFile: join(dir, `${name}-ca.crt`), keyFile: join(dir, `${name}-ca.key`) };
}

/** A certificate `<name>.{crt,key}` signed by `ca`, for a server (`sans`) or a client. */
export function issue(dir: string, ca: CertFiles, name: string, options: { subject: string; sans?: readonly string[]; client?: boolean }): CertFiles {
  const ext = [
    ...(options.sans ? [`subjectAltName=${options.sans.join(',')}`] : []),
    `extendedKeyUsage=${options.client ? 'clientAuth' : 'serverAuth'}`,
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
  ];
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', options.subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', `${name}.crt`,
    '-days', '2', '-extfile', `${name}.ext`], dir);
  return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
}

/** Makes the cluster's CAs, certificates and signing key in `dir`. */
export function makeClusterPki(dir: string): ClusterPki {
  const ca = makeCa(dir, 'cluster', '/CN=homelab-secrets test cluster CA');
  const apiServer = issue(dir, ca, 'kube-apiserver', {
    subject: '/CN=kube-apiserver',
    sans: [...API_SERVER_NAMES.map((n) => `DNS:${n}`), 'IP:127.0.0.1'],
  });
  const admin = issue(dir, ca, 'admin', { subject: '/O=system:masters/CN=homelab-secrets-admin', client: true });
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'service-account.key'], dir);
  openssl(['ec', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub'], dir);
  const vaultCa = makeCa(dir, 'vault', '/CN=homelab-secrets test Vault CA');
  const vault = issue(dir, vaultCa, 'vault', { subject: '/CN=vault.vault.svc', sans: [...VAULT_NAMES.map((n) => `DNS:${n}`), 'IP:127.0.0.1'] });
  return {
    ca,
    apiServer,
    admin,
    serviceAccountKey: join(dir, 'service-account.key'),
    serviceAccountPublicKey: join(dir, 'service-account.pub'),
    vaultCa,
    vault,
  };
}

/** The PEM text of a file. */
export function pem(file: string): string {
  return readFileSync(file, 'utf8');
}
