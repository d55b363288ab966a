// The Flux settings (`settings.flux`, read with `gitops: 'flux'`): where Flux reads the repository
// from and where the manifests folder sits in it. Types, defaults, validation and resolution of the
// block, kept together; settings.ts calls them.
import { isOptionsObject, optionProblems } from './options';
import { RuleCheck, checkLabel, checkSubdomain } from './rules';
import type { GitOpsFlavour, SettingsProblem } from './settings';

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

/** FluxSettings with every default resolved. */
export interface ResolvedFlux {
  readonly sourceRef: { readonly kind: FluxSourceKind; readonly name: string; readonly namespace: string };
  /** The cluster folder, normalized: `./` and the segments, or `.` for the repository root. */
  readonly clusterPath: string;
  readonly namespace: string;
}

/** What `flux bootstrap` lays out, used where the settings say nothing. */
export const FLUX_DEFAULTS = {
  namespace: 'flux-system',
  sourceKind: 'GitRepository',
  sourceName: 'flux-system',
  clusterPath: './clusters/my-cluster',
} as const;

const FLUX_OPTIONS = ['sourceRef', 'clusterPath', 'namespace'];
const SOURCE_REF_OPTIONS = ['kind', 'name', 'namespace'];
const SOURCE_KINDS: readonly FluxSourceKind[] = ['GitRepository', 'OCIRepository'];

/** A folder segment that needs no quoting anywhere (YAML, a shell, kustomize) and cannot climb out. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The cluster folder's segments, or undefined when `value` is not a folder inside the repository. */
function clusterPathSegments(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === '.' || value === './') return [];
  const segments = (value.startsWith('./') ? value.slice(2) : value).replace(/\/$/, '').split('/');
  return segments.every((segment) => PATH_SEGMENT.test(segment)) ? segments : undefined;
}

const checkClusterPath: RuleCheck = (value) =>
  clusterPathSegments(value) !== undefined
    ? undefined
    : 'must be a folder inside the repository, relative to its root, such as "./clusters/home": segments of letters, digits, ".", "_" and "-" that do not start with "." or "-", separated by single "/", no ".." and no leading "/"';

const checkSourceKind: RuleCheck = (value) =>
  SOURCE_KINDS.includes(value as FluxSourceKind) ? undefined : `must be ${SOURCE_KINDS.map((k) => `"${k}"`).join(' or ')}`;

/** Every rule `settings.flux` breaks, given the settings' GitOps flavour. */
export function fluxSettingsProblems(flux: unknown, gitops: unknown): SettingsProblem[] {
  const row = 'settings.flux';
  if (flux === undefined) return [];
  const problems: SettingsProblem[] = optionProblems(flux, FLUX_OPTIONS, row).map((p) => ({ row, ...p }));
  if (!isOptionsObject(flux)) return problems;
  const check = (at: string, field: string, value: unknown, rule: RuleCheck): void => {
    const broken = value === undefined ? undefined : rule(value);
    if (broken !== undefined) problems.push({ row: at, field, value, rule: broken });
  };
  if (gitops !== 'flux' && (gitops === undefined || ['argocd', 'plain'].includes(gitops as GitOpsFlavour))) {
    problems.push({ row: 'settings', field: 'flux', value: flux, rule: `is read only with gitops "flux", not "${String(gitops ?? 'argocd')}": set gitops: "flux", or remove flux` });
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

/** `settings.flux` with every default resolved. Call on settings without problems. */
export function resolveFluxSettings(flux: FluxSettings | undefined): ResolvedFlux {
  const namespace = flux?.namespace ?? FLUX_DEFAULTS.namespace;
  const segments = clusterPathSegments(flux?.clusterPath ?? FLUX_DEFAULTS.clusterPath)!;
  return {
    sourceRef: {
      kind: flux?.sourceRef?.kind ?? FLUX_DEFAULTS.sourceKind,
      name: flux?.sourceRef?.name ?? FLUX_DEFAULTS.sourceName,
      namespace: flux?.sourceRef?.namespace ?? namespace,
    },
    clusterPath: segments.length === 0 ? '.' : `./${segments.join('/')}`,
    namespace,
  };
}
