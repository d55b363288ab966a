import {
  KMS_SECRET_KEYS,
  ResolvedKmsUnseal,
  SETTINGS_DEFAULTS,
  VAULT_TLS_DEFAULTS,
  VaultIngressSettings,
  VaultSettings,
  assertRule,
  invalidProp,
  checkAwsRegion,
  checkKmsAlias,
  checkLabel,
  checkQuantity,
  checkSubdomain,
  checkVaultReleaseName,
  vaultServiceUrl,
  vaultTlsSecretName,
} from '../catalog';
import { HELM_CHARTS } from './charts';
import type { ComponentRelease, HelmValues } from './helm-values';
import {
  AWSKMS_SEAL_TYPE,
  VAULT_DATA_PATH,
  VaultServerConfig,
  renderVaultServerConfig,
} from './vault-server-config';

/** Velero's opt-in file-system backup: the pod annotation naming the volumes to copy. */
export const VELERO_BACKUP_VOLUMES_ANNOTATION = 'backup.velero.io/backup-volumes';

/** The name the Vault chart gives the data PVC's volume (its volumeClaimTemplate). */
export const VAULT_DATA_VOLUME = 'data';

/** Environment variable that selects the seal type; Vault reads it besides the `seal` block. */
export const VAULT_SEAL_TYPE_ENV = 'VAULT_SEAL_TYPE';

/** Where the chart mounts an `extraVolumes` entry: `/vault/userconfig/<name>`. */
export const VAULT_USERCONFIG_DIR = '/vault/userconfig';

/** The CA file the Vault CLI in the pod (`kubectl exec vault-0 -- vault ...`) verifies the server with. */
export const VAULT_CACERT_ENV = 'VAULT_CACERT';

/**
 * The KMS Secret's keys the pod reads, as `extraSecretEnvironmentVars`. The Secret's keys are the
 * environment variable names. AWS_REGION is left out on purpose: the region comes from git (the
 * stanza), and an AWS_REGION variable would override it with whatever the hand-made Secret holds.
 */
const KMS_SECRET_ENV = [KMS_SECRET_KEYS.keyId, KMS_SECRET_KEYS.accessKeyId, KMS_SECRET_KEYS.secretAccessKey] as const;

/** What Vault's release is derived from: the Vault install's settings (`VaultSettings`, documented there) and the KMS key. */
export interface VaultReleaseOptions extends Pick<VaultSettings, 'namespace' | 'releaseName' | 'storageClass' | 'storageSize' | 'ingress' | 'tls'> {
  /** The KMS unseal key and the Secret with its credentials, as the KMS stack creates the key. @default - no KMS auto-unseal: Vault's Shamir seal, unsealed by hand */
  readonly kms?: ResolvedKmsUnseal;
}

/** Vault's release, with the server configuration its values carry. */
export interface VaultRelease extends ComponentRelease {
  readonly serverConfig: VaultServerConfig;
  /** The rendered `server.standalone.config`. */
  readonly serverConfigHcl: string;
  /** The TLS Secret the listener serves, or undefined for plain HTTP. */
  readonly tlsSecretName?: string;
  /** Vault's address inside the cluster, from the release name and namespace. */
  readonly serviceUrl: string;
}

/**
 * Vault from the hashicorp/vault chart: one standalone server, file storage on a PVC, auto-unseal
 * through AWS KMS, no agent injector, and the auth-delegator binding Kubernetes auth needs for
 * TokenReview.
 *
 * The `seal "awskms"` stanza names the region and the key alias from the KMS settings, so the
 * committed config reads like the KMS stack. The key id itself comes from the vault-aws-kms Secret as
 * VAULT_AWSKMS_SEAL_KEY_ID, which Vault prefers over `kms_key_id`: the running server is pinned to
 * the exact key, and repointing the alias cannot switch keys under it. The AWS credentials come from
 * the same Secret; neither is ever in git.
 *
 * `subject` names the object in error messages (`the Vault Application`), for callers that make the
 * construct directly; declarations are checked by the settings validation first.
 */
export function vaultRelease(options: VaultReleaseOptions, subject: string): VaultRelease {
  const namespace = options.namespace ?? SETTINGS_DEFAULTS.vault.namespace;
  const releaseName = options.releaseName ?? SETTINGS_DEFAULTS.vault.releaseName;
  const { kms } = options;
  // The same predicates the settings validation uses, for callers that make the constructs directly.
  assertRule(checkLabel, 'namespace', namespace, subject);
  assertRule(checkVaultReleaseName, 'release name', releaseName, subject);
  if (kms) {
    assertRule(checkAwsRegion, 'KMS region', kms.region, subject);
    assertRule(checkKmsAlias, 'KMS alias', kms.alias, subject);
    assertRule(checkSubdomain, 'KMS Secret name', kms.secretName, subject);
    if (kms.secretNamespace !== namespace) {
      invalidProp(subject, 'KMS Secret namespace', kms.secretNamespace,
        `must be ${subject}'s namespace "${namespace}": the pod reads the Secret from its own namespace`);
    }
  }
  if (options.storageClass !== undefined) assertRule(checkSubdomain, 'storage class', options.storageClass, subject);
  if (options.storageSize !== undefined) assertRule(checkQuantity, 'storage size', options.storageSize, subject);
  if (options.ingress) assertRule(checkSubdomain, 'ingress host', options.ingress.host, subject);
  const tlsSecretName = vaultTlsSecretName(options.tls);
  if (tlsSecretName !== undefined) assertRule(checkSubdomain, 'TLS Secret', tlsSecretName, subject);
  if (options.ingress?.tlsSecretName !== undefined) assertRule(checkSubdomain, 'ingress TLS Secret', options.ingress.tlsSecretName, subject);
  const tlsDir = tlsSecretName === undefined ? undefined : `${VAULT_USERCONFIG_DIR}/${tlsSecretName}`;

  const serverConfig: VaultServerConfig = {
    ui: true,
    disableMlock: true,
    // TLS on the listener itself: ESO's JWT, tokens and values are encrypted inside the cluster too.
    listener: {
      address: '[::]:8200',
      clusterAddress: '[::]:8201',
      tlsDisable: tlsDir === undefined,
      ...(tlsDir === undefined ? {} : { tls: { certFile: `${tlsDir}/${VAULT_TLS_DEFAULTS.certKey}`, keyFile: `${tlsDir}/${VAULT_TLS_DEFAULTS.privateKeyKey}` } }),
    },
    storagePath: VAULT_DATA_PATH,
    seal: kms ? { region: kms.region, kmsKeyId: kms.alias } : undefined,
  };
  const serverConfigHcl = renderVaultServerConfig(serverConfig);

  const dataStorage: Record<string, HelmValues[string]> = { enabled: true, mountPath: VAULT_DATA_PATH };
  if (options.storageSize !== undefined) dataStorage.size = options.storageSize;
  if (options.storageClass !== undefined) dataStorage.storageClass = options.storageClass;

  const values: HelmValues = {
    // The chart names its Service and StatefulSet `<release>-vault` unless the release name holds
    // "vault": named after the release always, as the stores' address and rebuild's pod name expect.
    fullnameOverride: releaseName,
    // Must agree with the listener's tls_disable: the chart derives VAULT_ADDR and the probes' scheme from it.
    global: { tlsDisable: tlsDir === undefined },
    injector: { enabled: false },
    server: {
      standalone: { enabled: true, config: serverConfigHcl },
      ha: { enabled: false },
      dataStorage,
      // The ClusterRoleBinding to system:auth-delegator that lets Vault run TokenReview for Kubernetes auth.
      authDelegator: { enabled: true },
      ...(kms || tlsDir !== undefined
        ? {
          extraEnvironmentVars: {
            ...(kms ? { [VAULT_SEAL_TYPE_ENV]: AWSKMS_SEAL_TYPE } : {}),
            ...(tlsDir === undefined ? {} : { [VAULT_CACERT_ENV]: `${tlsDir}/${VAULT_TLS_DEFAULTS.caKey}` }),
          },
        }
        : {}),
      // The chart mounts a `secret` extraVolume read-only at /vault/userconfig/<name>.
      ...(tlsSecretName === undefined ? {} : { extraVolumes: [{ type: 'secret', name: tlsSecretName }] }),
      ...(kms
        ? {
          extraSecretEnvironmentVars: KMS_SECRET_ENV.map((key) => ({
            envName: key,
            secretName: kms.secretName,
            secretKey: key,
          })),
        }
        : {}),
      // Velero's opt-in file-system backup copies the data volume of this pod.
      annotations: { [VELERO_BACKUP_VOLUMES_ANNOTATION]: VAULT_DATA_VOLUME },
      ingress: options.ingress ? ingressValues(options.ingress, tlsSecretName) : { enabled: false },
    },
    ui: { enabled: true },
  };
  return {
    name: releaseName,
    namespace,
    chart: HELM_CHARTS.vault,
    values,
    serverConfig,
    serverConfigHcl,
    tlsSecretName,
    serviceUrl: vaultServiceUrl(releaseName, namespace, tlsSecretName),
  };
}

function ingressValues(ingress: VaultIngressSettings, serverTlsSecret: string | undefined): HelmValues {
  // An empty paths list makes the chart route "/" to the Vault Service.
  const hosts: HelmValues[] = [{ host: ingress.host, paths: [] }];
  const tlsSecret = ingress.tlsSecretName ?? serverTlsSecret;
  return {
    enabled: true,
    ...(ingress.className === undefined ? {} : { ingressClassName: ingress.className }),
    ...(ingress.annotations === undefined ? {} : { annotations: { ...ingress.annotations } }),
    hosts,
    // Without a TLS Secret (plain HTTP and no ingress Secret) the LAN side stays HTTP as well.
    ...(tlsSecret === undefined ? {} : { tls: [{ secretName: tlsSecret, hosts: [ingress.host] }] }),
  };
}
