import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');

/** A component as the committed Argo CD Application installs it: the vendored chart, its release, its values. */
export interface ComponentRelease {
  /** The Application's name (`vault`, `external-secrets`, `reloader`). */
  readonly name: string;
  readonly chartDir: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/** The three component Applications of the committed manifests/argocd-applications.yaml, by name. */
export function componentReleases(): Record<string, ComponentRelease> {
  const file = join(ROOT, 'manifests', 'argocd-applications.yaml');
  const releases: Record<string, ComponentRelease> = {};
  for (const doc of YAML.parseAllDocuments(readFileSync(file, 'utf8'))) {
    const app = doc.toJSON();
    if (app?.kind !== 'Application') continue;
    const source = app.spec.source;
    releases[app.metadata.name] = {
      name: app.metadata.name,
      chartDir: join(ROOT, 'charts', `${source.chart}-${source.targetRevision}`),
      releaseName: source.helm.releaseName,
      namespace: app.spec.destination.namespace,
      values: source.helm.valuesObject ?? {},
    };
  }
  return releases;
}

/**
 * `helm template` of a release from its vendored chart with the Application's values: the objects Argo
 * CD would apply, but its CustomResourceDefinitions (the harness applies the vendored CRDs). ESO's
 * chart renders 2 MB of CRDs, which cost the yaml package 1.2 CPU-seconds a cluster start to parse:
 * a document whose top-level `kind:` line names one is left out before parsing.
 */
export function renderRelease(helm: string, release: ComponentRelease): any[] {
  const output = execFileSync(helm, ['template', release.releaseName, release.chartDir, '-n', release.namespace, '--values', '-'], {
    input: JSON.stringify(release.values),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  // helm starts each document with a `---` line; within a document, a top-level key such as `kind:` is
  // the only YAML at column 0 (beside helm's `# Source:` comments): a block scalar's lines are indented
  const documents = output.split(/^---[ \t]*$/m).filter((document) => !/^kind:[ \t]*CustomResourceDefinition[ \t]*$/m.test(document));
  return documents.flatMap((document) => YAML.parseAllDocuments(document).map((d) => d.toJSON())).filter((o) => o && typeof o === 'object' && o.kind);
}

/** The kinds that make up a component's identity: its ServiceAccounts and their RBAC. */
export const IDENTITY_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

/** What a controller runs as and with, taken from its chart's Deployment. */
export interface ControllerSpec {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly deployment: string;
  readonly args: readonly string[];
  /** The container's plain `env` values (those taken from the pod's fields are left out). */
  readonly env: Readonly<Record<string, string>>;
}

/** The Deployment named `deployment` among `objects`, as a ControllerSpec. */
export function controllerSpec(objects: readonly any[], deployment: string): ControllerSpec {
  const found = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === deployment);
  if (!found) throw new Error(`the chart renders no Deployment ${deployment}: ${objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).join(', ')}`);
  const pod = found.spec.template.spec;
  const container = pod.containers[0];
  return {
    namespace: found.metadata.namespace,
    serviceAccount: pod.serviceAccountName,
    deployment,
    args: container.args ?? [],
    env: Object.fromEntries((container.env ?? []).filter((e: any) => typeof e.value === 'string').map((e: any) => [e.name, e.value])),
  };
}

/** Replaces (or adds) `--name=value` flags in `args`. */
export function withFlags(args: readonly string[], flags: Readonly<Record<string, string>>): string[] {
  const out = args.filter((arg) => !Object.keys(flags).some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`)));
  for (const [name, value] of Object.entries(flags)) out.push(`--${name}=${value}`);
  return out;
}
