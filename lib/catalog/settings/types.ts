// The settings' types: what a homelab declares beyond its catalog, and the resolved form the renderers read.
import type { InputProblem } from '../options';

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
   * Plain HTTP, the explicit opt-in: Vault serves it (in the cluster), or an `http://` address is
   * accepted (outside it). Root and operator tokens, ESO's service account JWT and every secret value
   * then travel in clear text, and the stores' address is `http://`. @default false
   */
  readonly disabled?: boolean;
  /** `kubernetes.io/tls` Secret in Vault's namespace with `tls.crt`, `tls.key` and `ca.crt` (cert-manager's layout). @default 'vault-tls' */
  readonly secretName?: string;
  /**
   * How the stores verify Vault's certificate, where an identity's store does not say (`store.trust`).
   * `tlsSecret`: the `ca.crt` of `secretName` (a ClusterSecretStore reads the Secret in Vault's
   * namespace, a SecretStore the ConfigMap `<secretName>-ca` in its own namespace). `system`: the CAs of
   * ESO's image, no caProvider, for a Vault with a publicly trusted certificate. @default 'tlsSecret'
   */
  readonly storeTrust?: StoreTrustDefault;
}

/** How the stores verify Vault's certificate by default: the CA of Vault's TLS Secret, or the system CAs. */
export type StoreTrustDefault = 'tlsSecret' | 'system';
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
  /**
   * Let the operator policy delete a path's metadata, which destroys every version of it for good
   * (`vault kv metadata delete`). Off, a mistaken or stolen operator login can overwrite a secret
   * but never erase its history. @default false
   */
  readonly operatorCanDestroy?: boolean;
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

/** The kinds of Flux source a Kustomization can read the repository from. */
export type FluxSourceKind = 'GitRepository' | 'OCIRepository';

/** The Flux source (GitRepository or OCIRepository) the Kustomizations read the repository from. */
export interface FluxSourceRef {
  /** Kind of the source. @default 'GitRepository' */
  readonly kind?: FluxSourceKind;
  /** Name of the source. @default 'flux-system', the GitRepository `flux bootstrap` creates */
  readonly name?: string;
  /** Namespace of the source. @default - the Flux namespace (`flux.namespace`) */
  readonly namespace?: string;
}

/** Where Flux reads the manifests from, and where the Flux objects live (`gitops: 'flux'`). */
export interface FluxSettings {
  /** The source the Kustomizations read the repository from. @default - `flux bootstrap`'s: GitRepository `flux-system` in the Flux namespace */
  readonly sourceRef?: FluxSourceRef;
  /**
   * The cluster folder: what `flux bootstrap --path` names, relative to the repository root. The
   * manifests folder is written inside it, so that Flux's own Kustomization applies the stage
   * Kustomizations in it. @default './clusters/my-cluster', the folder of Flux's getting-started guide
   */
  readonly clusterPath?: string;
  /** Namespace of the Kustomizations, HelmRepositories and HelmReleases. @default 'flux-system' */
  readonly namespace?: string;
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
  /** Whether the operator policy may delete metadata (destroy every version of a path). */
  readonly operatorCanDestroy: boolean;
  /** The TLS Secret Vault serves, or undefined for plain HTTP. */
  readonly tlsSecretName?: string;
  /** Whether the stores reach Vault over plain HTTP (`tls.disabled`, the explicit opt-in). */
  readonly plainHttp: boolean;
  /** How the stores verify Vault's certificate where an identity's store does not say. */
  readonly storeTrust: StoreTrustDefault;
  /** Vault's API port, as the chart's Service exposes it. */
  readonly port: number;
  /** Vault's address inside the cluster, derived from the release, namespace and TLS. */
  readonly serviceUrl: string;
  /** The address the store uses: `address` for a Vault outside the cluster, else `serviceUrl`. */
  readonly address: string;
  /** Whether Vault runs outside the cluster (an `address` is given). */
  readonly external: boolean;
}

/** FluxSettings with every default resolved. */
export interface ResolvedFlux {
  readonly sourceRef: { readonly kind: FluxSourceKind; readonly name: string; readonly namespace: string };
  /** The cluster folder, normalized: `./` and the segments, or `.` for the repository root. */
  readonly clusterPath: string;
  readonly namespace: string;
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
