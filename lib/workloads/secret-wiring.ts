import * as kplus from 'cdk8s-plus-27';
import { type SyncTarget, invalidProp } from '../catalog';
import { targetSecretKeys } from './secret-keys';

/** Reloader restarts a workload carrying this annotation when any Secret it references changes. */
export const RELOADER_AUTO_ANNOTATION = 'reloader.stakater.com/auto';

/** Reloader's search mode; it does not combine with `auto`. */
export const RELOADER_SEARCH_ANNOTATION = 'reloader.stakater.com/search';

/** Environment variable names Kubernetes accepts. */
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The workloads Reloader restarts. */
export type ReloadableWorkload = kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet;

/** Expose Secret keys as environment variables. */
export interface SecretEnvWiring<SK extends string> {
  /** Environment variables. */
  readonly as: 'env';
  /** Keys to expose. @default - every key of the Secret */
  readonly keys?: readonly SK[];
  /** Variable name per key, where it differs from the key. @default - the key's own name */
  readonly names?: { readonly [P in SK]?: string };
}

/** Mount the Secret as files, one per key. */
export interface SecretVolumeWiring<SK extends string> {
  /** A read-only volume. */
  readonly as: 'volume';
  /** Absolute directory the files appear in. */
  readonly mountPath: string;
  /** Keys to project as files. @default - every key of the Secret */
  readonly keys?: readonly SK[];
  /** Name of the pod volume. @default `secret-<Secret name>` */
  readonly volumeName?: string;
}

/** How a container receives a Secret. */
export type SecretWiring<SK extends string> = SecretEnvWiring<SK> | SecretVolumeWiring<SK>;

/**
 * Hands the Secret of a sync target to a container, as environment variables or as a volume, and
 * marks the workload for Reloader so that it restarts when ESO changes the Secret.
 *
 * The target's type carries its Secret's key names (`SyncTarget<SK>`), so only those compile in
 * `keys` and `names`. The keys are checked again at synth time, which also covers templated Secrets
 * (whose keys the type does not track) and JavaScript callers.
 */
export function wireSecret<SK extends string>(
  workload: ReloadableWorkload,
  container: kplus.Container,
  target: SyncTarget<SK>,
  wiring: SecretWiring<NoInfer<SK>>,
): void {
  const workloadName = workload.node.path;
  if (!workload.containers.includes(container)) {
    invalidProp('wireSecret()', '', undefined, `container "${container.name}" does not belong to workload "${workloadName}"`);
  }
  const namespace = workload.metadata.namespace;
  if (namespace !== undefined && namespace !== target.namespace) {
    invalidProp('wireSecret()', '', undefined, `Secret "${target.name}" lives in namespace "${target.namespace}", but workload "${workloadName}" is in "${namespace}"`);
  }
  const annotations: Readonly<Record<string, string>> = workload.metadata.toJson().annotations ?? {};
  if (annotations[RELOADER_SEARCH_ANNOTATION] !== undefined) {
    invalidProp('wireSecret()', '', undefined, `workload "${workloadName}" uses Reloader's search mode (${RELOADER_SEARCH_ANNOTATION}), which does not combine with ${RELOADER_AUTO_ANNOTATION}`);
  }
  const available = targetSecretKeys(target);
  const keys: readonly string[] = wiring.keys ?? available;
  if (keys.length === 0) invalidProp('wireSecret()', '', undefined, `no keys selected from Secret "${target.name}" in "${target.namespace}"`);
  for (const key of keys) {
    if (!available.includes(key)) {
      invalidProp('wireSecret()', '', undefined, `key "${key}" is not a key of Secret "${target.name}" in "${target.namespace}" (keys: ${available.join(', ')})`);
    }
  }

  const secretId = `Secret:${target.name}`;
  const secret = (workload.node.tryFindChild(secretId) as kplus.ISecret | undefined)
    ?? kplus.Secret.fromSecretName(workload, secretId, target.name);
  if (wiring.as === 'env') {
    const names: Readonly<Record<string, string | undefined>> = wiring.names ?? {};
    for (const key of Object.keys(names)) {
      if (!keys.includes(key)) invalidProp('wireSecret()', '', undefined, `names gives a variable name for "${key}", which is not a selected key of Secret "${target.name}"`);
    }
    addEnv(container, secret, keys, names);
  } else {
    addVolume(workload, container, secret, keys, wiring, available);
  }
  workload.metadata.addAnnotation(RELOADER_AUTO_ANNOTATION, 'true');
}

function addEnv(
  container: kplus.Container,
  secret: kplus.ISecret,
  keys: readonly string[],
  names: Readonly<Record<string, string | undefined>>,
): void {
  // Check every variable before adding any, so that a refused call leaves the container unchanged.
  const variables = keys.map((key) => ({ key, name: names[key] ?? key }));
  const seen = new Set<string>();
  for (const { key, name } of variables) {
    if (!ENV_VAR_NAME.test(name)) {
      invalidProp('wireSecret()', '', undefined, `environment variable name "${name}" for key "${key}" must match ${ENV_VAR_NAME.source}`);
    }
    if (seen.has(name) || container.env.variables[name] !== undefined) {
      invalidProp('wireSecret()', '', undefined, `environment variable "${name}" is already set on container "${container.name}"`);
    }
    seen.add(name);
  }
  for (const { key, name } of variables) {
    container.env.addVariable(name, kplus.EnvValue.fromSecretValue({ secret, key }));
  }
}

function addVolume(
  workload: ReloadableWorkload,
  container: kplus.Container,
  secret: kplus.ISecret,
  keys: readonly string[],
  wiring: SecretVolumeWiring<string>,
  available: readonly string[],
): void {
  if (!wiring.mountPath.startsWith('/')) invalidProp('wireSecret()', '', undefined, `mountPath "${wiring.mountPath}" must be an absolute path`);
  const name = wiring.volumeName ?? `secret-${secret.name}`;
  const volumeId = `Volume:${name}`;
  if (workload.node.tryFindChild(volumeId)) invalidProp('wireSecret()', '', undefined, `volume "${name}" is already defined on workload "${workload.node.path}"`);
  // Without items every key becomes a file, including keys added to the Secret later.
  const items = keys.length === available.length
    ? undefined
    : Object.fromEntries(keys.map((key) => [key, { path: key }]));
  const volume = kplus.Volume.fromSecret(workload, volumeId, secret, { name, items });
  container.mount(wiring.mountPath, volume, { readOnly: true });
}
