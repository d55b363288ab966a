// The settings' one validator: every problem at once, each with its row, field, value and rule.
import { UnreadValue, showText, showValue } from '../errors';
import { KEY_OF, type PlainProblem, isOptionsObject, optionNames, optionProblems, readPlain } from '../options';
import {
  RuleCheck,
  checkAwsRegion,
  checkBoolean,
  checkHttpUrl,
  checkHttpsServer,
  checkIamUserName,
  checkKmsAlias,
  checkLabel,
  checkNonEmpty,
  checkPemCertificate,
  checkDynamoDbTable,
  checkKvMaxVersions,
  checkS3Bucket,
  checkS3KeyPrefix,
  checkStatePath,
  checkQuantity,
  checkSubdomain,
  checkTerraformLiteral,
  checkVaultReleaseName,
  metadataProblems,
} from '../rules';
import { fluxClusterPathSegments } from './resolution';
import type {
  ArgoCdSettings,
  ComponentSettings,
  FluxSettings,
  FluxSourceKind,
  FluxSourceRef,
  GitOpsFlavour,
  KmsUnsealSettings,
  LocalStateBackend,
  PlatformSettings,
  S3StateBackend,
  SettingsProblem,
  TerraformSettings,
  VaultIngressSettings,
  VaultSettings,
  VaultTlsSettings,
} from './types';

const KMS_OPTIONS = optionNames<KmsUnsealSettings>({ region: true, alias: true, iamUserName: true, secretName: true });
const VAULT_OPTIONS = optionNames<VaultSettings>({
  address: true, namespace: true, releaseName: true, storageClass: true, storageSize: true, ingress: true, tls: true, kubernetesHost: true,
  kubernetesCaCert: true, kvMaxVersions: true, operatorCanDestroy: true,
});
const INGRESS_OPTIONS = optionNames<VaultIngressSettings>({ host: true, className: true, tlsSecretName: true, annotations: true });
const TLS_OPTIONS = optionNames<VaultTlsSettings>({ disabled: true, secretName: true, storeTrust: true });
const ARGOCD_OPTIONS = optionNames<ArgoCdSettings>({ project: true, server: true, namespace: true });
const TERRAFORM_OPTIONS = optionNames<TerraformSettings>({ stateBackend: true });
const LOCAL_OPTIONS = optionNames<LocalStateBackend>({ kind: true, path: true });
const S3_OPTIONS = optionNames<S3StateBackend>({ kind: true, bucket: true, region: true, keyPrefix: true, useLockfile: true, dynamodbTable: true });
const SETTINGS_OPTIONS = optionNames<PlatformSettings>({ kms: true, gitops: true, components: true, vault: true, argocd: true, flux: true, terraform: true });
const FLUX_OPTIONS = optionNames<FluxSettings>({ sourceRef: true, clusterPath: true, namespace: true });
const SOURCE_REF_OPTIONS = optionNames<FluxSourceRef>({ kind: true, name: true, namespace: true });
const SOURCE_KINDS: readonly FluxSourceKind[] = ['GitRepository', 'OCIRepository'];
const COMPONENT_OPTIONS = optionNames<ComponentSettings>({ vault: true, externalSecrets: true, reloader: true });
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

/** Where in the settings readPlain found a problem, as a row and a field: `settings.vault.tls` and `disabled`. */
function readProblem({ at, value, rule }: PlainProblem): SettingsProblem {
  const keyOf = at[at.length - 1] === KEY_OF;
  const path = keyOf ? at.slice(0, -1) : at;
  const suffix = keyOf ? ' key' : '';
  if (path.length === 0) return { row: 'settings', field: `the settings${suffix}`, value, rule };
  const row = path.slice(0, -1).reduce((r, segment) => (segment.startsWith('[') ? `${r}${segment}` : `${r}.${segment}`), 'settings');
  return { row, field: `${path[path.length - 1]}${suffix}`, value, rule };
}

/**
 * Every rule the settings break, in declaration order; empty when they are valid. The settings are
 * read once as plain data (no getter runs, no Proxy is entered); what is not data is reported first,
 * and the rules check the copy.
 */
export function settingsProblems(settings: unknown): SettingsProblem[] {
  const read = readPlain(settings);
  const problems = [...read.problems.map(readProblem), ...checkedSettingsProblems(read.value)];
  // What readPlain could not read it reported itself; a rule that refuses it again adds nothing.
  return problems.filter((problem, index) => index < read.problems.length || !(problem.value instanceof UnreadValue));
}

function checkedSettingsProblems(settings: unknown): SettingsProblem[] {
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
    p.check('settings.vault', 'releaseName', vault.releaseName, checkVaultReleaseName);
    p.check('settings.vault', 'storageClass', vault.storageClass, checkSubdomain);
    p.check('settings.vault', 'storageSize', vault.storageSize, checkQuantity);
    p.check('settings.vault', 'kubernetesHost', vault.kubernetesHost, checkHttpsServer);
    p.check('settings.vault', 'kubernetesCaCert', vault.kubernetesCaCert, checkPemCertificate);
    p.check('settings.vault', 'kvMaxVersions', vault.kvMaxVersions, checkKvMaxVersions);
    p.check('settings.vault', 'operatorCanDestroy', vault.operatorCanDestroy, checkBoolean);
    if (vault.ingress !== undefined && p.options('settings.vault.ingress', vault.ingress, INGRESS_OPTIONS, 'settings.vault.ingress')) {
      const ingress = vault.ingress as Record<string, unknown>;
      p.check('settings.vault.ingress', 'host', ingress.host, checkSubdomain, false);
      p.check('settings.vault.ingress', 'className', ingress.className, checkSubdomain);
      p.check('settings.vault.ingress', 'tlsSecretName', ingress.tlsSecretName, checkSubdomain);
      if (ingress.annotations !== undefined && !isOptionsObject(ingress.annotations)) {
        p.check('settings.vault.ingress', 'annotations', ingress.annotations, () => 'must be an object of annotation names to string values');
      } else if (ingress.annotations !== undefined) {
        for (const problem of metadataProblems('annotations', ingress.annotations)) p.list.push({ row: 'settings.vault.ingress', ...problem });
      }
    }
    if (vault.tls !== undefined && p.options('settings.vault.tls', vault.tls, TLS_OPTIONS, 'settings.vault.tls')) {
      const tls = vault.tls as Record<string, unknown>;
      p.check('settings.vault.tls', 'disabled', tls.disabled, checkBoolean);
      p.check('settings.vault.tls', 'secretName', tls.secretName, checkSubdomain);
      if (tls.disabled === true && tls.secretName !== undefined) {
        p.list.push({ row: 'settings.vault.tls', field: 'secretName', value: tls.secretName, rule: 'is served only with TLS on: remove it, or remove disabled: true' });
      }
      if (tls.storeTrust !== undefined && tls.storeTrust !== 'tlsSecret' && tls.storeTrust !== 'system') {
        p.list.push({ row: 'settings.vault.tls', field: 'storeTrust', value: tls.storeTrust, rule: 'must be "tlsSecret" (the CA of Vault\'s TLS Secret) or "system" (the CAs of ESO\'s image)' });
      } else if (tls.storeTrust !== undefined && tls.disabled === true) {
        p.list.push({ row: 'settings.vault.tls', field: 'storeTrust', value: tls.storeTrust, rule: 'has no effect over plain HTTP: remove it, or remove disabled: true' });
      }
      if (tls.disabled === true && typeof vault.address === 'string' && vault.address.startsWith('https://')) {
        p.list.push({ row: 'settings.vault.tls', field: 'disabled', value: true, rule: `contradicts the https:// address ${showValue(vault.address)}: remove it` });
      }
    }
    if (typeof vault.address === 'string' && vault.address.startsWith('http://') && (vault.tls as { disabled?: unknown } | undefined)?.disabled !== true) {
      p.list.push({ row: 'settings.vault', field: 'address', value: vault.address,
        rule: 'is plain HTTP, where ESO\'s token and every secret value cross the network in clear text: use https://, or opt in with tls: { disabled: true } (docs/security.md)' });
    }
  }

  if (p.options('settings.argocd', s.argocd, ARGOCD_OPTIONS, 'settings.argocd')) {
    const argocd = s.argocd as Record<string, unknown>;
    p.check('settings.argocd', 'project', argocd.project, checkSubdomain);
    p.check('settings.argocd', 'server', argocd.server, checkHttpsServer);
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

const checkClusterPath: RuleCheck = (value) =>
  fluxClusterPathSegments(value) !== undefined
    ? undefined
    : 'must be a folder inside the repository, relative to its root, such as "./clusters/home": segments of letters, digits, ".", "_" and "-" that do not start with "." or "-", separated by single "/", no ".." and no leading "/"';

const checkSourceKind: RuleCheck = (value) =>
  SOURCE_KINDS.includes(value as FluxSourceKind) ? undefined : `must be ${SOURCE_KINDS.map((k) => `"${k}"`).join(' or ')}`;

/** Every rule `settings.flux` breaks, given the settings' GitOps flavour. */
function fluxSettingsProblems(flux: unknown, gitops: unknown): SettingsProblem[] {
  const row = 'settings.flux';
  if (flux === undefined) return [];
  const problems: SettingsProblem[] = optionProblems(flux, FLUX_OPTIONS, row).map((p) => ({ row, ...p }));
  if (!isOptionsObject(flux)) return problems;
  const check = (at: string, field: string, value: unknown, rule: RuleCheck): void => {
    const broken = value === undefined ? undefined : rule(value);
    if (broken !== undefined) problems.push({ row: at, field, value, rule: broken });
  };
  if (gitops !== 'flux' && (gitops === undefined || ['argocd', 'plain'].includes(gitops as GitOpsFlavour))) {
    problems.push({ row: 'settings', field: 'flux', value: flux, rule: `is read only with gitops "flux", not "${showText(gitops ?? 'argocd')}": set gitops: "flux", or remove flux` });
  }
  check(row, 'clusterPath', flux.clusterPath, checkClusterPath);
  check(row, 'namespace', flux.namespace, checkLabel);
  const sourceRow = 'settings.flux.sourceRef';
  problems.push(...optionProblems(flux.sourceRef, SOURCE_REF_OPTIONS, sourceRow).map((p) => ({ row: sourceRow, ...p })));
  if (isOptionsObject(flux.sourceRef)) {
    check(sourceRow, 'kind', flux.sourceRef.kind, checkSourceKind);
    check(sourceRow, 'name', flux.sourceRef.name, checkSubdomain);
    check(sourceRow, 'namespace', flux.sourceRef.namespace, checkLabel);
  }
  return problems;
}

/** A backend string: Terraform reads the backend block as written, so no template sequence either. */
const checkBackendText: RuleCheck = (value) => checkNonEmpty(value) ?? checkTerraformLiteral(value);

function checkBackend(p: Problems, row: string, backend: unknown): void {
  const kind = isOptionsObject(backend) ? backend.kind : undefined;
  if (kind === 'local') {
    p.options(row, backend, LOCAL_OPTIONS, 'a local state backend');
    p.check(row, 'path', (backend as Record<string, unknown>).path, (v) => checkBackendText(v) ?? checkStatePath(v));
  } else if (kind === 's3') {
    p.options(row, backend, S3_OPTIONS, 'an S3 state backend');
    const s3 = backend as Record<string, unknown>;
    // Terraform's own rule first (no template), then what AWS and the S3 backend take.
    p.check(row, 'bucket', s3.bucket, (v) => checkBackendText(v) ?? checkS3Bucket(v), false);
    p.check(row, 'region', s3.region, checkAwsRegion, false);
    p.check(row, 'keyPrefix', s3.keyPrefix, (v) => checkBackendText(v) ?? checkS3KeyPrefix(v));
    p.check(row, 'useLockfile', s3.useLockfile, checkBoolean);
    p.check(row, 'dynamodbTable', s3.dynamodbTable, (v) => checkBackendText(v) ?? checkDynamoDbTable(v));
  } else if (isOptionsObject(backend)) {
    p.list.push({ row, field: 'kind', value: kind, rule: 'must be "local" or "s3"' });
  } else {
    p.list.push({ row, field: 'stateBackend', value: backend, rule: 'must be an object' });
  }
}

