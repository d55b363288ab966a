import { Construct } from 'constructs';
import { DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX, VAULT_TLS_DEFAULTS } from '../catalog';
import { AWS_REGION_PATTERN, KmsUnsealSettings, ResolvedKmsUnseal, SettingsError, VAULT_AWS_KMS_SECRET, resolveKmsUnseal } from '../platform';
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

/** Where the chart mounts an `extraVolumes` entry: `/vault/userconfig/<name>`. */
export const VAULT_USERCONFIG_DIR = '/vault/userconfig';

/** The CA file the Vault CLI in the pod (`kubectl exec vault-0 -- vault ...`) verifies the server with. */
export const VAULT_CACERT_ENV = 'VAULT_CACERT';

/** Environment variable that selects the seal type; Vault reads it besides the `seal` block. */
export const VAULT_SEAL_TYPE_ENV = 'VAULT_SEAL_TYPE';

export const VAULT_DEFAULTS = {
  /** Application and Helm release name; with the chart's naming, also the Service name. */
  name: 'vault',
  storageClass: 'nfs-client',
  storageSize: '10Gi',
  /** Vault's API port, as the chart's Service exposes it. */
  port: 8200,
} as const;

/**
 * The vault-aws-kms keys the pod reads, as `extraSecretEnvironmentVars`. The Secret's keys are the
 * environment variable names. AWS_REGION is left out on purpose: the region comes from git (the
 * stanza), and an AWS_REGION variable would override it with whatever the hand-made Secret holds.
 */
const KMS_SECRET_ENV = [
  VAULT_AWS_KMS_SECRET.keys.keyId,
  VAULT_AWS_KMS_SECRET.keys.accessKeyId,
  VAULT_AWS_KMS_SECRET.keys.secretAccessKey,
] as const;

const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const KMS_KEY_REF = /^[A-Za-z0-9:/_-]+$/;
const SUBDOMAIN_RULE = `must be a DNS-1123 subdomain of at most ${DNS1123_SUBDOMAIN_MAX} characters`;

/** The Vault ingress. */
export interface VaultIngressSettings {
  /** Host name of the UI and API. */
  readonly host: string;
  /** IngressClass of the Ingress. @default the cluster's default IngressClass */
  readonly className?: string;
  /** TLS Secret (in Vault's namespace) the ingress serves for `host`. @default the server's TLS Secret */
  readonly tlsSecretName?: string;
  /** Annotations of the Ingress, e.g. the controller's "backend speaks HTTPS" setting. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** How Vault serves its API. */
export interface VaultTlsSettings {
  /**
   * Serve plain HTTP. Root and operator tokens, ESO's service account JWT and every secret value then
   * travel in clear text; the ClusterSecretStore's server must be `http://` too. @default false
   */
  readonly disabled?: boolean;
  /** `kubernetes.io/tls` Secret in Vault's namespace with `tls.crt`, `tls.key` and `ca.crt` (cert-manager's layout). @default 'vault-tls' */
  readonly secretName?: string;
}

/** The homelab-specific parts of the Vault install. */
export interface VaultSettings {
  /** StorageClass of the data PVC. @default 'nfs-client' */
  readonly storageClass?: string;
  /** Size of the data PVC, as a Kubernetes quantity. @default '10Gi' */
  readonly storageSize?: string;
  /** Ingress for the UI and API. @default no ingress */
  readonly ingress?: VaultIngressSettings;
  /** TLS of the listener. @default TLS on, from the Secret 'vault-tls' */
  readonly tls?: VaultTlsSettings;
}

export interface VaultApplicationProps extends VaultSettings, ArgoDestinationSettings {
  /** The KMS unseal key, the same settings the KMS stack creates it from. */
  readonly kms: KmsUnsealSettings;
  /** Namespace of Vault; the pod can only read the vault-aws-kms Secret in its own namespace. @default VAULT_AWS_KMS_SECRET.namespace */
  readonly namespace?: string;
  /** Argo CD sync wave. @default SYNC_WAVES.components */
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
  public readonly kms: ResolvedKmsUnseal;
  public readonly storageClass: string;
  public readonly storageSize: string;
  public readonly ingress?: VaultIngressSettings;
  public readonly serverConfig: VaultServerConfig;
  /** The rendered `server.standalone.config`. */
  public readonly serverConfigHcl: string;
  /** Vault's address inside the cluster; the ClusterSecretStore must use it. */
  public readonly serviceUrl: string;
  /** The TLS Secret the listener serves, or undefined for plain HTTP. */
  public readonly tlsSecretName?: string;

  constructor(scope: Construct, id: string, props: VaultApplicationProps) {
    const resolved = resolveVault(props);
    super(scope, id, {
      project: props.project,
      server: props.server,
      argoNamespace: props.argoNamespace,
      name: VAULT_DEFAULTS.name,
      namespace: resolved.namespace,
      chart: HELM_CHARTS.vault,
      syncWave: props.syncWave,
      values: resolved.values,
    });
    this.kms = resolved.kms;
    this.storageClass = resolved.storageClass;
    this.storageSize = resolved.storageSize;
    this.ingress = props.ingress;
    this.serverConfig = resolved.serverConfig;
    this.serverConfigHcl = resolved.serverConfigHcl;
    this.tlsSecretName = resolved.tlsSecretName;
    const scheme = resolved.tlsSecretName === undefined ? 'http' : 'https';
    this.serviceUrl = `${scheme}://${VAULT_DEFAULTS.name}.${resolved.namespace}.svc:${VAULT_DEFAULTS.port}`;
  }
}

interface ResolvedVault {
  readonly namespace: string;
  readonly kms: ResolvedKmsUnseal;
  readonly storageClass: string;
  readonly storageSize: string;
  readonly serverConfig: VaultServerConfig;
  readonly serverConfigHcl: string;
  readonly tlsSecretName?: string;
  readonly values: HelmValues;
}

function resolveVault(props: VaultApplicationProps): ResolvedVault {
  const namespace = props.namespace ?? VAULT_AWS_KMS_SECRET.namespace;
  if (namespace !== VAULT_AWS_KMS_SECRET.namespace) {
    throw new SettingsError(`namespace "${namespace}" of the Vault Application must be "${VAULT_AWS_KMS_SECRET.namespace}", ` +
      `the namespace of the Secret "${VAULT_AWS_KMS_SECRET.name}" the pod reads its KMS credentials from`);
  }
  const kms = resolveKmsUnseal(props.kms);
  if (!AWS_REGION_PATTERN.test(kms.region)) throw new SettingsError(`KMS region "${kms.region}" must be an AWS region such as eu-central-1`);
  if (!KMS_KEY_REF.test(kms.alias)) throw new SettingsError(`KMS alias "${kms.alias}" must be an alias (alias/...), a key id or a key ARN`);
  const storageClass = props.storageClass ?? VAULT_DEFAULTS.storageClass;
  if (!isSubdomain(storageClass)) throw new SettingsError(`storage class "${storageClass}" of the Vault Application ${SUBDOMAIN_RULE}`);
  const storageSize = props.storageSize ?? VAULT_DEFAULTS.storageSize;
  if (!QUANTITY.test(storageSize)) {
    throw new SettingsError(`storage size "${storageSize}" of the Vault Application must be a Kubernetes quantity such as 10Gi`);
  }
  if (props.ingress && !isSubdomain(props.ingress.host)) {
    throw new SettingsError(`ingress host "${props.ingress.host}" of the Vault Application ${SUBDOMAIN_RULE}`);
  }
  const tlsDisabled = props.tls?.disabled === true;
  const tlsSecretName = tlsDisabled ? undefined : props.tls?.secretName ?? VAULT_TLS_DEFAULTS.secretName;
  if (tlsSecretName !== undefined && !isSubdomain(tlsSecretName)) {
    throw new SettingsError(`TLS Secret "${tlsSecretName}" of the Vault Application ${SUBDOMAIN_RULE}`);
  }
  if (props.ingress?.tlsSecretName !== undefined && !isSubdomain(props.ingress.tlsSecretName)) {
    throw new SettingsError(`ingress TLS Secret "${props.ingress.tlsSecretName}" of the Vault Application ${SUBDOMAIN_RULE}`);
  }
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
    seal: { region: kms.region, kmsKeyId: kms.alias },
  };
  const serverConfigHcl = renderVaultServerConfig(serverConfig);

  const values: HelmValues = {
    // Must agree with the listener's tls_disable: the chart derives VAULT_ADDR and the probes' scheme from it.
    global: { tlsDisable: tlsDir === undefined },
    injector: { enabled: false },
    server: {
      standalone: { enabled: true, config: serverConfigHcl },
      ha: { enabled: false },
      dataStorage: { enabled: true, mountPath: VAULT_DATA_PATH, size: storageSize, storageClass },
      // The ClusterRoleBinding to system:auth-delegator that lets Vault run TokenReview for Kubernetes auth.
      authDelegator: { enabled: true },
      extraEnvironmentVars: {
        [VAULT_SEAL_TYPE_ENV]: AWSKMS_SEAL_TYPE,
        ...(tlsDir === undefined ? {} : { [VAULT_CACERT_ENV]: `${tlsDir}/${VAULT_TLS_DEFAULTS.caKey}` }),
      },
      // The chart mounts a `secret` extraVolume read-only at /vault/userconfig/<name>.
      ...(tlsSecretName === undefined ? {} : { extraVolumes: [{ type: 'secret', name: tlsSecretName }] }),
      extraSecretEnvironmentVars: KMS_SECRET_ENV.map((key) => ({
        envName: key,
        secretName: VAULT_AWS_KMS_SECRET.name,
        secretKey: key,
      })),
      // Velero's opt-in file-system backup copies the data volume of this pod.
      annotations: { [VELERO_BACKUP_VOLUMES_ANNOTATION]: VAULT_DATA_VOLUME },
      ingress: props.ingress ? ingressValues(props.ingress, tlsSecretName) : { enabled: false },
    },
    ui: { enabled: true },
  };
  return { namespace, kms, storageClass, storageSize, serverConfig, serverConfigHcl, tlsSecretName, values };
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

function isSubdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}
