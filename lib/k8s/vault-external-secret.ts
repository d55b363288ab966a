import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecData,
  ExternalSecretSpecDataFrom,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../imports/external-secrets.io';
import type { SyncTarget } from '../catalog';
import { SYNC_WAVES, argoAnnotations } from './sync-waves';

/** Reloader's search mode restarts workloads that opted in when a Secret with this annotation changes. */
export const RELOADER_MATCH_ANNOTATION = 'reloader.stakater.com/match';

export interface VaultExternalSecretProps {
  /** The catalog row this ExternalSecret renders. */
  readonly target: SyncTarget;
  /** Name of the ClusterSecretStore to read through. */
  readonly storeName: string;
  /** Argo CD sync wave. @default SYNC_WAVES.externalSecrets */
  readonly syncWave?: number;
}

/**
 * The ExternalSecret of one sync target. Every field the API server would default is written out,
 * so that Argo CD's diff of the live object against git is empty.
 */
export class VaultExternalSecret extends Construct {
  public readonly resource: ExternalSecret;

  constructor(scope: Construct, id: string, props: VaultExternalSecretProps) {
    super(scope, id);
    const { target } = props;
    const data: ExternalSecretSpecData[] = [];
    const dataFrom: ExternalSecretSpecDataFrom[] = [];
    for (const source of target.sources) {
      if (source.kind === 'extract') {
        dataFrom.push({ extract: { key: source.path.path } });
        continue;
      }
      for (const key of source.keys) {
        data.push({
          secretKey: source.renames[key] ?? key,
          remoteRef: { key: source.path.path, property: key },
        });
      }
    }
    const annotations = { ...target.annotations };
    if (target.reloaderMatch) annotations[RELOADER_MATCH_ANNOTATION] = 'true';
    this.resource = new ExternalSecret(this, 'Resource', {
      metadata: {
        name: target.name,
        namespace: target.namespace,
        annotations: argoAnnotations(props.syncWave ?? SYNC_WAVES.externalSecrets),
      },
      spec: {
        refreshInterval: target.refreshInterval,
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.storeName },
        target: {
          name: target.name,
          creationPolicy: target.creationPolicy === 'Merge'
            ? ExternalSecretSpecTargetCreationPolicy.MERGE
            : ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
          // Always a template: without one ESO copies this object's labels and annotations, Argo CD's
          // tracking ones included, onto the Secret, and Argo CD may then prune the Secret.
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            mergePolicy: target.templateMergePolicy === 'Merge'
              ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE
              : ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
            type: target.type,
            metadata: {
              labels: nonEmpty(target.labels),
              annotations: nonEmpty(annotations),
            },
            data: target.templateData ? { ...target.templateData } : undefined,
          },
        },
        data: data.length > 0 ? data : undefined,
        dataFrom: dataFrom.length > 0 ? dataFrom : undefined,
      },
    });
  }
}

function nonEmpty(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}
