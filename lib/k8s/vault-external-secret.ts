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
import { assertRule, checkGoDuration, checkSecretKey, checkText, invalidProp, metadataProblems } from '../catalog';
import { escapeKeys, renderKeysExactly } from './private/exact-keys';
import { SYNC_WAVES, annotationsOrNone, argoAnnotations } from './sync-waves';

const CREATION: Record<'Owner' | 'Orphan' | 'Merge' | 'None', ExternalSecretSpecTargetCreationPolicy> = {
  Owner: ExternalSecretSpecTargetCreationPolicy.OWNER,
  Orphan: ExternalSecretSpecTargetCreationPolicy.ORPHAN,
  Merge: ExternalSecretSpecTargetCreationPolicy.MERGE,
  None: ExternalSecretSpecTargetCreationPolicy.NONE,
};

const DELETION: Record<'Retain' | 'Delete' | 'Merge', ExternalSecretSpecTargetDeletionPolicy> = {
  Retain: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
  Delete: ExternalSecretSpecTargetDeletionPolicy.DELETE,
  Merge: ExternalSecretSpecTargetDeletionPolicy.MERGE,
};

/** One key copied from Vault into the Secret (ESO `data[]`). */
export interface ExternalSecretDataEntry {
  /** The key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** The Vault path inside the mount, as `remoteRef.key` takes it (`apps/db`). */
  readonly remoteKey: string;
  /** The key at that path, as `remoteRef.property` takes it. */
  readonly property: string;
}

/** The Secret's metadata and templated values (ESO `target.template`). */
export interface ExternalSecretTemplate {
  /** Kubernetes Secret type. @default - none: Kubernetes makes it `Opaque` */
  readonly type?: string;
  /** Labels on the Secret. @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the Secret. @default - no annotations */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Templated values: Secret key → Go template. @default - no templated values */
  readonly data?: Readonly<Record<string, string>>;
  /** Replace: the Secret holds only the templated keys. Merge: they are added to the copied ones. @default 'Replace' */
  readonly mergePolicy?: 'Replace' | 'Merge';
}

/** Properties for `VaultExternalSecret`. */
export interface VaultExternalSecretProps {
  /** Name of the ExternalSecret. */
  readonly name: string;
  /** Namespace of the ExternalSecret and of the Secret it writes. */
  readonly namespace: string;
  /** Name of the store to read through. */
  readonly storeName: string;
  /** Kind of that store: the cluster's, or the namespace's own. @default 'ClusterSecretStore' */
  readonly storeKind?: 'ClusterSecretStore' | 'SecretStore';
  /** Name of the Secret ESO writes. @default - the ExternalSecret's name */
  readonly secretName?: string;
  /** Keys copied one by one. @default - none (then `extract` must name a path) */
  readonly data?: readonly ExternalSecretDataEntry[];
  /** Vault paths whose every key is copied (ESO `dataFrom[].extract`). @default - none */
  readonly extract?: readonly string[];
  /** How often ESO re-reads Vault, as a Go duration. @default '1h' */
  readonly refreshInterval?: string;
  /** How ESO writes the Secret: Owner, Orphan, Merge, or None (no Secret). @default 'Owner' */
  readonly creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None';
  /** What ESO does with the Secret when its source disappears: Retain, Delete or Merge. @default 'Retain' */
  readonly deletionPolicy?: 'Retain' | 'Delete' | 'Merge';
  /** The Secret's metadata and templated values. @default - an empty template (none with creationPolicy None) */
  readonly template?: ExternalSecretTemplate;
  /** Annotations of the ExternalSecret itself, such as a GitOps tool's ordering. @default - Argo CD's sync wave 0 and SkipDryRunOnMissingResource */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The ExternalSecret of one Secret, read through a Vault store. Every field the API
 * server would default is written out, so that Argo CD's diff of the live object against git is empty.
 */
export class VaultExternalSecret extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly resource: ExternalSecret;

  constructor(scope: Construct, id: string, props: VaultExternalSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    const data: ExternalSecretSpecData[] = (props.data ?? []).map((entry) => ({
      secretKey: entry.secretKey,
      remoteRef: { key: entry.remoteKey, property: entry.property },
    }));
    const dataFrom: ExternalSecretSpecDataFrom[] = (props.extract ?? []).map((key) => ({ extract: { key } }));
    const creationPolicy = props.creationPolicy ?? 'Owner';
    // With None ESO writes no Secret, so there is nothing a template could shape.
    if (creationPolicy === 'None' && props.template !== undefined) {
      invalidProp(`ExternalSecret "${props.name}"`, 'template', props.template, 'has no effect with creationPolicy "None": ESO writes no Secret');
    }
    const template = props.template ?? {};
    // What the API server and ESO would refuse of the Secret, with the rules the catalog's validator uses.
    const owner = `ExternalSecret "${props.name}"`;
    for (const entry of props.data ?? []) assertRule(checkSecretKey, 'secretKey', entry.secretKey, owner);
    for (const [key, value] of Object.entries(template.data ?? {})) {
      assertRule(checkSecretKey, 'template key', key, owner);
      assertRule(checkText, `template.${key}`, value, owner);
    }
    for (const problem of [...metadataProblems('labels', template.labels ?? {}), ...metadataProblems('annotations', template.annotations ?? {})]) {
      invalidProp(owner, problem.field, problem.value, problem.rule);
    }
    if (props.refreshInterval !== undefined) assertRule(checkGoDuration, 'refreshInterval', props.refreshInterval, owner);
    const annotations = props.annotations ?? argoAnnotations(SYNC_WAVES.externalSecrets);
    this.resource = new ExternalSecret(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: annotationsOrNone(annotations),
      },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: {
          kind: props.storeKind === 'SecretStore' ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
          name: props.storeName,
        },
        target: {
          name: props.secretName ?? props.name,
          creationPolicy: CREATION[creationPolicy],
          deletionPolicy: DELETION[props.deletionPolicy ?? 'Retain'],
          // Always a template when ESO writes a Secret: without one ESO copies this object's labels and
          // annotations, Argo CD's tracking ones included, onto the Secret, and Argo CD may then prune it.
          template: creationPolicy === 'None' ? undefined : {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            mergePolicy: template.mergePolicy === 'Merge'
              ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE
              : ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
            type: template.type,
            metadata: {
              labels: escapeKeys(nonEmpty(template.labels)),
              annotations: escapeKeys(nonEmpty(template.annotations)),
            },
            data: template.data ? escapeKeys({ ...template.data }) : undefined,
          },
        },
        data: data.length > 0 ? data : undefined,
        dataFrom: dataFrom.length > 0 ? dataFrom : undefined,
      },
    });
    // `constructor` and `__proto__` are Secret keys and label names like any other.
    renderKeysExactly(this.resource);
  }
}

function nonEmpty(record: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return record && Object.keys(record).length > 0 ? { ...record } : undefined;
}
