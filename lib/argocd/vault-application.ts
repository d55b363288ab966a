import { Construct } from 'constructs';
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
  vaultServiceUrl,
  vaultTlsSecretName,
} from '../catalog';
import { HELM_CHARTS } from './charts';
import { ArgoDestinationSettings, HelmApplication, HelmValues } from './helm-application';
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

/**
 * Properties for `VaultApplication`: the Vault install's settings (`VaultSettings`, documented there),
 * the KMS key and the Argo CD destination.
 */
export interface VaultApplicationProps
  extends Pick<VaultSettings, 'namespace' | 'releaseName' | 'storageClass' | 'storageSize' | 'ingress' | 'tls'>, ArgoDestinationSettings {
  /** The KMS unseal key and the Secret with its credentials, as the KMS stack creates the key. @default - no KMS auto-unseal: Vault's Shamir seal, unsealed by hand */
  readonly kms?: ResolvedKmsUnseal;
  /** Argo CD sync wave. @default -2, before the store and the ExternalSecrets */
  readonly syncWave?: number;
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
 */
export class VaultApplication extends HelmApplication {
  public readonly kms?: ResolvedKmsUnseal;
  public readonly storageClass?: string;
  public readonly storageSize?: string;
  public readonly ingress?: VaultIngressSettings;
  /** The TLS Secret the listener serves, or undefined for plain HTTP. */
  public readonly tlsSecretName?: string;
  public readonly serverConfig: VaultServerConfig;
  /** The rendered `server.standalone.config`. */
  public readonly serverConfigHcl: string;
  /** Vault's address inside the cluster, from the release name and namespace. */
  public readonly serviceUrl: string;

  constructor(scope: Construct, id: string, props: VaultApplicationProps) {
    const resolved = resolveVault(props);
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: resolved.releaseName,
      namespace: resolved.namespace,
      chart: HELM_CHARTS.vault,
      syncWave: props.syncWave,
      values: resolved.values,
    });
    this.kms = props.kms;
    this.storageClass = props.storageClass;
    this.storageSize = props.storageSize;
    this.ingress = props.ingress;
    this.serverConfig = resolved.serverConfig;
    this.serverConfigHcl = resolved.serverConfigHcl;
    this.tlsSecretName = resolved.tlsSecretName;
    this.serviceUrl = vaultServiceUrl(resolved.releaseName, resolved.namespace, resolved.tlsSecretName);
  }
}

interface ResolvedVaultValues {
  readonly namespace: string;
  readonly releaseName: string;
  readonly serverConfig: VaultServerConfig;
  readonly serverConfigHcl: string;
  readonly tlsSecretName?: string;
  readonly values: HelmValues;
}

function resolveVault(props: VaultApplicationProps): ResolvedVaultValues {
  const namespace = props.namespace ?? SETTINGS_DEFAULTS.vault.namespace;
  const releaseName = props.releaseName ?? SETTINGS_DEFAULTS.vault.releaseName;
  const { kms } = props;
  // The same predicates the settings validation uses, for callers that make the construct directly.
  assertRule(checkLabel, 'namespace', namespace, 'the Vault Application');
  assertRule(checkLabel, 'release name', releaseName, 'the Vault Application');
  if (kms) {
    assertRule(checkAwsRegion, 'KMS region', kms.region, 'the Vault Application');
    assertRule(checkKmsAlias, 'KMS alias', kms.alias, 'the Vault Application');
    assertRule(checkSubdomain, 'KMS Secret name', kms.secretName, 'the Vault Application');
    if (kms.secretNamespace !== namespace) {
      invalidProp('the Vault Application', 'KMS Secret namespace', kms.secretNamespace,
        `must be the Vault Application's namespace "${namespace}": the pod reads the Secret from its own namespace`);
    }
  }
  if (props.storageClass !== undefined) assertRule(checkSubdomain, 'storage class', props.storageClass, 'the Vault Application');
  if (props.storageSize !== undefined) assertRule(checkQuantity, 'storage size', props.storageSize, 'the Vault Application');
  if (props.ingress) assertRule(checkSubdomain, 'ingress host', props.ingress.host, 'the Vault Application');
  const tlsSecretName = vaultTlsSecretName(props.tls);
  if (tlsSecretName !== undefined) assertRule(checkSubdomain, 'TLS Secret', tlsSecretName, 'the Vault Application');
  if (props.ingress?.tlsSecretName !== undefined) assertRule(checkSubdomain, 'ingress TLS Secret', props.ingress.tlsSecretName, 'the Vault Application');
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
  if (props.storageSize !== undefined) dataStorage.size = props.storageSize;
  if (props.storageClass !== undefined) dataStorage.storageClass = props.storageClass;

  const values: HelmValues = {
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
      ingress: props.ingress ? ingressValues(props.ingress, tlsSecretName) : { enabled: false },
    },
    ui: { enabled: true },
  };
  return { namespace, releaseName, serverConfig, serverConfigHcl, tlsSecretName, values };
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
