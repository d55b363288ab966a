// Everything a homelab decides beyond its catalog: the KMS unseal key, the Vault install, where the
// Argo CD Applications or the Flux objects go, and where Terraform keeps its state. Declared once (next to the catalog),
// validated in the same pass as the catalog, and read by every renderer from the resolved form.
import { FluxSettings, ResolvedFlux, fluxSettingsProblems, resolveFluxSettings } from './flux-settings';
import { InputProblem, isOptionsObject, optionProblems } from './options';
import {
  RuleCheck,
  checkAwsRegion,
  checkHttpsUrl,
  checkIamUserName,
  checkKmsAlias,
  checkLabel,
  checkNonEmpty,
  checkPositiveInteger,
  checkQuantity,
  checkSubdomain,
} from './rules';

/** The AWS KMS key Vault auto-unseals with, created by the KMS Terraform stack. */
export interface KmsUnsealSettings {
  /** AWS region of the key, such as `eu-central-1`. */
  readonly region: string;
  /** KMS alias of the key, also what Vault's `seal "awskms"` stanza names. @default 'alias/vault-unseal' */
  readonly alias?: string;
  /** IAM user whose access key Vault uses. @default 'vault-unseal' */
  readonly iamUserName?: string;
  /** Secret in Vault's namespace holding the key id and the access key pair, made by hand and never in git. @default 'vault-aws-kms' */
  readonly secretName?: string;
}

/** The Vault ingress. */
export interface VaultIngressSettings {
  /** Host name of the UI and API. */
  readonly host: string;
  /** IngressClass of the Ingress. @default - the cluster's default IngressClass */
  readonly className?: string;
  /** TLS Secret (in Vault's namespace) the ingress serves for `host`. @default - the server's TLS Secret; none with plain HTTP */
  readonly tlsSecretName?: string;
  /** Annotations of the Ingress, e.g. the controller's "the backend speaks HTTPS" setting. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** How Vault serves its API. */
export interface VaultTlsSettings {
  /**
   * Serve plain HTTP. Root and operator tokens, ESO's service account JWT and every secret value then
   * travel in clear text, and the store's address becomes `http://`. @default false
   */
  readonly disabled?: boolean;
  /** `kubernetes.io/tls` Secret in Vault's namespace with `tls.crt`, `tls.key` and `ca.crt` (cert-manager's layout). @default 'vault-tls' */
  readonly secretName?: string;
}

/**
 * Vault's TLS certificate: a `kubernetes.io/tls` Secret with `tls.crt`, `tls.key` and `ca.crt`, the
 * layout cert-manager writes. Vault serves it; the store's caProvider trusts its `ca.crt`.
 */
export const VAULT_TLS_DEFAULTS = {
  secretName: 'vault-tls',
  certKey: 'tls.crt',
  privateKeyKey: 'tls.key',
  caKey: 'ca.crt',
} as const;

/** Where Vault runs and how it is installed, and Vault's own configuration. */
export interface VaultSettings {
  /**
   * The address ESO reaches a Vault outside the cluster at, such as `https://vault.lan:8200`. Only
   * without the Vault component (`components.vault: false`). @default - Vault in the cluster: `<http|https>://<releaseName>.<namespace>.svc:8200`
   */
  readonly address?: string;
  /** Namespace Vault is installed into; the KMS Secret lives there too. @default 'vault' */
  readonly namespace?: string;
  /** Argo CD Application and Helm release name, and so the name of Vault's Service. @default 'vault' */
  readonly releaseName?: string;
  /** StorageClass of the data volume. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** Size of the data volume, as a Kubernetes quantity. @default - the Vault chart's default size */
  readonly storageSize?: string;
  /** Ingress for the UI and API. @default - no ingress */
  readonly ingress?: VaultIngressSettings;
  /** TLS of Vault's listener. @default - TLS on, from the Secret `vault-tls` */
  readonly tls?: VaultTlsSettings;
  /** Kubernetes API address Vault's Kubernetes auth calls to review tokens. @default 'https://kubernetes.default.svc' */
  readonly kubernetesHost?: string;
  /** PEM CA of the Kubernetes API, for a Vault outside the cluster. @default - none: Vault in the cluster uses its pod's CA */
  readonly kubernetesCaCert?: string;
  /** Versions the KV v2 mount keeps per secret. @default 10, Vault's own default */
  readonly kvMaxVersions?: number;
}

/** Where the Argo CD Applications live and what they install into. */
export interface ArgoCdSettings {
  /** Argo CD project of the Applications. @default 'default' */
  readonly project?: string;
  /** API server the charts are installed into. @default 'https://kubernetes.default.svc', the cluster Argo CD runs in */
  readonly server?: string;
  /** Namespace Argo CD runs in; Application objects must live there. @default 'argocd' */
  readonly namespace?: string;
}

/**
 * State in a local file. Synth replaces the output folder as a whole, so the state file must live
 * outside it.
 */
export interface LocalStateBackend {
  readonly kind: 'local';
  /**
   * State file, relative to the stack's working directory `<output>/stacks/<stack>` (where
   * `cdktf deploy` runs Terraform) or absolute. Relative keeps the synthesized JSON machine-independent.
   * @default '../../../state/<stack>.tfstate', a `state/` folder beside the output folder
   */
  readonly path?: string;
}

/** State in an S3 bucket, encrypted at rest. */
export interface S3StateBackend {
  readonly kind: 's3';
  /** Existing bucket that holds the state files. */
  readonly bucket: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Key prefix; each stack writes `<prefix>/<stack>.tfstate`. @default 'homelab-secrets' */
  readonly keyPrefix?: string;
  /** Lock with a `.tflock` object beside the state (needs Terraform or OpenTofu 1.10 or later). @default true */
  readonly useLockfile?: boolean;
  /** DynamoDB table for the older lock mechanism. @default - none */
  readonly dynamodbTable?: string;
}

/** Where Terraform keeps a stack's state. */
export type StateBackendSettings = LocalStateBackend | S3StateBackend;

/** The Terraform stacks' settings. */
export interface TerraformSettings {
  /** Where every stack keeps its state. @default - local files in a `state/` folder beside the output folder */
  readonly stateBackend?: StateBackendSettings;
}

/** The GitOps tool that applies the committed manifests; it decides which ordering annotations they carry. */
export type GitOpsFlavour = 'argocd' | 'flux' | 'plain';

/** Which components are installed: as Argo CD Applications, or as Flux HelmReleases. */
export interface ComponentSettings {
  /** The Vault chart. @default true under Argo CD and Flux */
  readonly vault?: boolean;
  /** External Secrets Operator's chart, with its CRDs. @default true under Argo CD and Flux */
  readonly externalSecrets?: boolean;
  /** Stakater Reloader's chart. @default true under Argo CD and Flux */
  readonly reloader?: boolean;
}

/** Everything beyond the catalog, declared once next to it. */
export interface PlatformSettings {
  /** The AWS KMS key Vault auto-unseals with. @default - no KMS: no KMS stack, no awskms seal (Vault unseals another way) */
  readonly kms?: KmsUnsealSettings;
  /**
   * Argo CD: sync-wave annotations and the components' Applications. Flux: no Argo CD annotations; the
   * components' HelmReleases and Kustomizations that order them with dependsOn. Plain: no GitOps
   * annotations at all. @default 'argocd'
   */
  readonly gitops?: GitOpsFlavour;
  /** Which components are installed (Argo CD Applications, Flux HelmReleases). @default - all three under Argo CD and Flux; none under plain */
  readonly components?: ComponentSettings;
  /** The Vault install and configuration. @default - Vault in namespace `vault`, release `vault`, the chart's storage defaults */
  readonly vault?: VaultSettings;
  /** Where the Argo CD Applications go. @default - project `default`, namespace `argocd`, the local cluster */
  readonly argocd?: ArgoCdSettings;
  /** Where Flux reads the manifests from (only with gitops "flux"). @default - `flux bootstrap`'s layout: GitRepository `flux-system`, cluster folder `./clusters/my-cluster` */
  readonly flux?: FluxSettings;
  /** The Terraform stacks' state. @default - local state files */
  readonly terraform?: TerraformSettings;
}

/** Defaults that are generic: the names the charts and Vault use out of the box. */
export const SETTINGS_DEFAULTS = {
  kms: { alias: 'alias/vault-unseal', iamUserName: 'vault-unseal', secretName: 'vault-aws-kms' },
  vault: { namespace: 'vault', releaseName: 'vault', kubernetesHost: 'https://kubernetes.default.svc', kvMaxVersions: 10, port: 8200 },
  argocd: { project: 'default', server: 'https://kubernetes.default.svc', namespace: 'argocd' },
  s3KeyPrefix: 'homelab-secrets',
} as const;

/** The KMS actions Vault's awskms seal needs; without DescribeKey Vault crash-loops at start. */
export const UNSEAL_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'];

/** The keys of the KMS Secret: the environment variables Vault's awskms seal reads. */
export const KMS_SECRET_KEYS = {
  keyId: 'VAULT_AWSKMS_SEAL_KEY_ID',
  region: 'AWS_REGION',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
} as const;

/** KmsUnsealSettings with defaults resolved. */
export interface ResolvedKmsUnseal {
  readonly region: string;
  readonly alias: string;
  readonly iamUserName: string;
  /** The hand-made Secret with the unseal credentials, in Vault's namespace. */
  readonly secretName: string;
  readonly secretNamespace: string;
}

/** VaultSettings with defaults resolved. */
export interface ResolvedVault {
  readonly namespace: string;
  readonly releaseName: string;
  readonly storageClass?: string;
  readonly storageSize?: string;
  readonly ingress?: VaultIngressSettings;
  readonly kubernetesHost: string;
  readonly kubernetesCaCert?: string;
  readonly kvMaxVersions: number;
  /** The TLS Secret Vault serves, or undefined for plain HTTP. */
  readonly tlsSecretName?: string;
  /** Vault's API port, as the chart's Service exposes it. */
  readonly port: number;
  /** Vault's address inside the cluster, derived from the release, namespace and TLS. */
  readonly serviceUrl: string;
  /** The address the store uses: `address` for a Vault outside the cluster, else `serviceUrl`. */
  readonly address: string;
  /** Whether Vault runs outside the cluster (an `address` is given). */
  readonly external: boolean;
}

/** The TLS Secret Vault serves from `tls`: the named one or `vault-tls`, or undefined for plain HTTP. */
export function vaultTlsSecretName(tls: VaultTlsSettings | undefined): string | undefined {
  return tls?.disabled === true ? undefined : tls?.secretName ?? VAULT_TLS_DEFAULTS.secretName;
}

/** Vault's address inside the cluster: the chart names the Service after the release; the scheme follows the listener. */
export function vaultServiceUrl(releaseName: string, namespace: string, tlsSecretName: string | undefined): string {
  return `${tlsSecretName === undefined ? 'http' : 'https'}://${releaseName}.${namespace}.svc:${SETTINGS_DEFAULTS.vault.port}`;
}

/** PlatformSettings with every default resolved. */
export interface ResolvedPlatformSettings {
  /** The KMS unseal key, or undefined without one. */
  readonly kms?: ResolvedKmsUnseal;
  readonly gitops: GitOpsFlavour;
  readonly components: Required<ComponentSettings>;
  readonly vault: ResolvedVault;
  readonly argocd: Required<ArgoCdSettings>;
  readonly flux: ResolvedFlux;
  readonly terraform: { readonly stateBackend: StateBackendSettings };
}

/** A settings problem with its row (`settings.kms`). */
export interface SettingsProblem extends InputProblem {
  readonly row: string;
}

const KMS_OPTIONS = ['region', 'alias', 'iamUserName', 'secretName'];
const VAULT_OPTIONS = ['address', 'namespace', 'releaseName', 'storageClass', 'storageSize', 'ingress', 'tls', 'kubernetesHost', 'kubernetesCaCert', 'kvMaxVersions'];
const INGRESS_OPTIONS = ['host', 'className', 'tlsSecretName', 'annotations'];
const TLS_OPTIONS = ['disabled', 'secretName'];
const ARGOCD_OPTIONS = ['project', 'server', 'namespace'];
const TERRAFORM_OPTIONS = ['stateBackend'];
const LOCAL_OPTIONS = ['kind', 'path'];
const S3_OPTIONS = ['kind', 'bucket', 'region', 'keyPrefix', 'useLockfile', 'dynamodbTable'];
const SETTINGS_OPTIONS = ['kms', 'gitops', 'components', 'vault', 'argocd', 'flux', 'terraform'];
const COMPONENT_OPTIONS = ['vault', 'externalSecrets', 'reloader'];
const GITOPS_FLAVOURS: readonly GitOpsFlavour[] = ['argocd', 'flux', 'plain'];

/** Collects the problems of one settings object, each with its row. */
class Problems {
  public readonly list: SettingsProblem[] = [];
  public options(row: string, value: unknown, known: readonly string[], what: string, optional = true): boolean {
    const problems = optionProblems(value, known, what, optional);
    this.list.push(...problems.map((p) => ({ row, ...p })));
    return isOptionsObject(value);
  }
  public check(row: string, field: string, value: unknown, check: RuleCheck, optional = true): void {
    if (value === undefined && optional) return;
    const rule = check(value);
    if (rule !== undefined) this.list.push({ row, field, value, rule });
  }
}

const checkBoolean: RuleCheck = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');
const checkHttpUrl: RuleCheck = (value) =>
  typeof value === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value) ? undefined : 'must be an http:// or https:// URL such as "https://vault.lan:8200"';
const checkStringRecord: RuleCheck = (value) =>
  isOptionsObject(value) && Object.values(value).every((v) => typeof v === 'string') ? undefined : 'must be an object of names to string values';

/** Every rule the settings break, in declaration order; empty when they are valid. */
export function settingsProblems(settings: unknown): SettingsProblem[] {
  const p = new Problems();
  if (!p.options('settings', settings, SETTINGS_OPTIONS, 'the settings', false)) return p.list;
  const s = settings as Record<string, unknown>;

  if (s.kms !== undefined && p.options('settings.kms', s.kms, KMS_OPTIONS, 'settings.kms')) {
    const kms = s.kms as Record<string, unknown>;
    p.check('settings.kms', 'region', kms.region, checkAwsRegion, false);
    p.check('settings.kms', 'alias', kms.alias, checkKmsAlias);
    p.check('settings.kms', 'iamUserName', kms.iamUserName, checkIamUserName);
    p.check('settings.kms', 'secretName', kms.secretName, checkSubdomain);
  }

  const gitops = s.gitops ?? 'argocd';
  if (!GITOPS_FLAVOURS.includes(gitops as GitOpsFlavour)) {
    p.list.push({ row: 'settings', field: 'gitops', value: s.gitops, rule: 'must be "argocd", "flux" or "plain"' });
  }
  const components = s.components as Record<string, unknown> | undefined;
  if (s.components !== undefined && p.options('settings.components', s.components, COMPONENT_OPTIONS, 'settings.components')) {
    for (const name of COMPONENT_OPTIONS) {
      p.check('settings.components', name, components![name], checkBoolean);
      if (components![name] === true && gitops === 'plain') {
        p.list.push({ row: 'settings.components', field: name, value: true,
          rule: 'installs a component, which gitops "plain" does not: install it with your own tool (helm) and remove this, or use gitops "argocd" or "flux"' });
      }
    }
  }
  if (p.options('settings.vault', s.vault, VAULT_OPTIONS, 'settings.vault')) {
    const vault = s.vault as Record<string, unknown>;
    p.check('settings.vault', 'address', vault.address, checkHttpUrl);
    const installsVault = (gitops === 'argocd' || gitops === 'flux') && components?.vault !== false;
    if (vault.address !== undefined && installsVault) {
      p.list.push({ row: 'settings.vault', field: 'address', value: vault.address,
        rule: 'names a Vault outside the cluster, but the Vault component installs one inside it: set components: { vault: false }, or remove address' });
    }
    p.check('settings.vault', 'namespace', vault.namespace, checkLabel);
    p.check('settings.vault', 'releaseName', vault.releaseName, checkLabel);
    p.check('settings.vault', 'storageClass', vault.storageClass, checkSubdomain);
    p.check('settings.vault', 'storageSize', vault.storageSize, checkQuantity);
    p.check('settings.vault', 'kubernetesHost', vault.kubernetesHost, checkHttpsUrl);
    p.check('settings.vault', 'kubernetesCaCert', vault.kubernetesCaCert, checkPemCertificate);
    p.check('settings.vault', 'kvMaxVersions', vault.kvMaxVersions, checkPositiveInteger);
    if (vault.ingress !== undefined && p.options('settings.vault.ingress', vault.ingress, INGRESS_OPTIONS, 'settings.vault.ingress')) {
      const ingress = vault.ingress as Record<string, unknown>;
      p.check('settings.vault.ingress', 'host', ingress.host, checkSubdomain, false);
      p.check('settings.vault.ingress', 'className', ingress.className, checkSubdomain);
      p.check('settings.vault.ingress', 'tlsSecretName', ingress.tlsSecretName, checkSubdomain);
      p.check('settings.vault.ingress', 'annotations', ingress.annotations, checkStringRecord);
    }
    if (vault.tls !== undefined && p.options('settings.vault.tls', vault.tls, TLS_OPTIONS, 'settings.vault.tls')) {
      const tls = vault.tls as Record<string, unknown>;
      p.check('settings.vault.tls', 'disabled', tls.disabled, checkBoolean);
      p.check('settings.vault.tls', 'secretName', tls.secretName, checkSubdomain);
      if (tls.disabled === true && tls.secretName !== undefined) {
        p.list.push({ row: 'settings.vault.tls', field: 'secretName', value: tls.secretName, rule: 'is served only with TLS on: remove it, or remove disabled: true' });
      }
    }
  }

  if (p.options('settings.argocd', s.argocd, ARGOCD_OPTIONS, 'settings.argocd')) {
    const argocd = s.argocd as Record<string, unknown>;
    p.check('settings.argocd', 'project', argocd.project, checkNonEmpty);
    p.check('settings.argocd', 'server', argocd.server, checkHttpsUrl);
    p.check('settings.argocd', 'namespace', argocd.namespace, checkLabel);
  }

  p.list.push(...fluxSettingsProblems(s.flux, s.gitops));

  if (p.options('settings.terraform', s.terraform, TERRAFORM_OPTIONS, 'settings.terraform')) {
    const backend = (s.terraform as Record<string, unknown> | undefined)?.stateBackend;
    const row = 'settings.terraform.stateBackend';
    if (backend !== undefined) checkBackend(p, row, backend);
  }
  return p.list;
}

function checkBackend(p: Problems, row: string, backend: unknown): void {
  const kind = isOptionsObject(backend) ? backend.kind : undefined;
  if (kind === 'local') {
    p.options(row, backend, LOCAL_OPTIONS, 'a local state backend');
    p.check(row, 'path', (backend as Record<string, unknown>).path, checkNonEmpty);
  } else if (kind === 's3') {
    p.options(row, backend, S3_OPTIONS, 'an S3 state backend');
    const s3 = backend as Record<string, unknown>;
    p.check(row, 'bucket', s3.bucket, checkNonEmpty, false);
    p.check(row, 'region', s3.region, checkAwsRegion, false);
    p.check(row, 'keyPrefix', s3.keyPrefix, checkNonEmpty);
    p.check(row, 'useLockfile', s3.useLockfile, checkBoolean);
    p.check(row, 'dynamodbTable', s3.dynamodbTable, checkNonEmpty);
  } else if (isOptionsObject(backend)) {
    p.list.push({ row, field: 'kind', value: kind, rule: 'must be "local" or "s3"' });
  } else {
    p.list.push({ row, field: 'stateBackend', value: backend, rule: 'must be an object' });
  }
}

const checkPemCertificate: RuleCheck = (value) =>
  typeof value === 'string' && /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/.test(value)
    ? undefined
    : 'must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)';

/** The settings with every default resolved. Call on settings without problems. */
export function resolveSettings(settings: PlatformSettings): ResolvedPlatformSettings {
  const vault = settings.vault ?? {};
  const namespace = vault.namespace ?? SETTINGS_DEFAULTS.vault.namespace;
  const releaseName = vault.releaseName ?? SETTINGS_DEFAULTS.vault.releaseName;
  const argocd = settings.argocd ?? {};
  const external = vault.address !== undefined;
  // An external Vault over plain HTTP needs no CA; over https its CA Secret is named like an in-cluster one's.
  const plain = external && vault.address!.startsWith('http://');
  const tlsSecretName = plain ? undefined : vaultTlsSecretName(vault.tls);
  const port = SETTINGS_DEFAULTS.vault.port;
  const gitops = settings.gitops ?? 'argocd';
  // Argo CD installs the components as Applications, Flux as HelmReleases; plain installs none.
  const installs = gitops !== 'plain';
  const components = settings.components ?? {};
  const serviceUrl = vaultServiceUrl(releaseName, namespace, tlsSecretName);
  return {
    kms: settings.kms === undefined ? undefined : {
      region: settings.kms.region,
      alias: settings.kms.alias ?? SETTINGS_DEFAULTS.kms.alias,
      iamUserName: settings.kms.iamUserName ?? SETTINGS_DEFAULTS.kms.iamUserName,
      secretName: settings.kms.secretName ?? SETTINGS_DEFAULTS.kms.secretName,
      secretNamespace: namespace,
    },
    gitops,
    components: {
      vault: installs && components.vault !== false,
      externalSecrets: installs && components.externalSecrets !== false,
      reloader: installs && components.reloader !== false,
    },
    vault: {
      namespace,
      releaseName,
      storageClass: vault.storageClass,
      storageSize: vault.storageSize,
      ingress: vault.ingress,
      kubernetesHost: vault.kubernetesHost ?? SETTINGS_DEFAULTS.vault.kubernetesHost,
      kubernetesCaCert: vault.kubernetesCaCert,
      kvMaxVersions: vault.kvMaxVersions ?? SETTINGS_DEFAULTS.vault.kvMaxVersions,
      tlsSecretName,
      port,
      serviceUrl,
      address: vault.address ?? serviceUrl,
      external,
    },
    argocd: {
      project: argocd.project ?? SETTINGS_DEFAULTS.argocd.project,
      server: argocd.server ?? SETTINGS_DEFAULTS.argocd.server,
      namespace: argocd.namespace ?? SETTINGS_DEFAULTS.argocd.namespace,
    },
    flux: resolveFluxSettings(settings.flux),
    terraform: { stateBackend: settings.terraform?.stateBackend ?? { kind: 'local' } },
  };
}
