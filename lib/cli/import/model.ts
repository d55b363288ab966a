// What the importer reads out of ExternalSecret and ClusterSecretStore YAML, before it becomes a catalog.
// Plain data: the parser fills it, the planner groups it, the generator and the builder read the plan.

import { printable } from '../shell';

/** Where a document came from: the file (or `(stdin)`) and its 1-based position in that file; 0 for the whole file. */
export interface DocumentOrigin {
  readonly file: string;
  readonly document: number;
  /** The overlays that placed the object (kustomizations, Flux Kustomizations), outermost last. @default - none: as written */
  readonly via?: string;
}

/** Something the library cannot express: the import writes nothing while any is left. */
export interface ImportRefusal extends DocumentOrigin {
  /** `ExternalSecret apps/db`, or empty before the kind is known. */
  readonly object: string;
  /** The field, as a path into the document (`spec.dataFrom[0].find`). */
  readonly field: string;
  readonly rule: string;
}

/** Something the import changed or left out on purpose; printed on stderr, never fatal. */
export interface ImportNote extends DocumentOrigin {
  readonly object: string;
  readonly text: string;
  /** Warnings (a Secret in the input) are printed as `warning:`, the rest as `note:`. */
  readonly warning?: boolean;
}

/** One key copied into the Secret (`data[]`), with the leading `/` of the key already removed. */
export interface ImportedDataEntry {
  readonly secretKey: string;
  readonly key: string;
  readonly property: string;
}

/** The Secret's template, with ESO's defaults filled in. */
export interface ImportedTemplate {
  readonly type?: string;
  readonly engineVersion: string;
  readonly mergePolicy: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Secret key → Go template body. */
  readonly data?: Readonly<Record<string, string>>;
}

/** One ExternalSecret, with every default ESO would apply filled in: what the round trip compares. */
export interface ImportedExternalSecret extends DocumentOrigin {
  readonly name: string;
  /** Undefined until `--namespace` or an overlay supplies it. */
  readonly namespace?: string;
  readonly storeName: string;
  /** `secretStoreRef.kind` as written; a SecretStore is refused on its own, so no store is looked up for it. */
  readonly storeKind?: string;
  readonly refreshInterval: string;
  readonly secretName: string;
  readonly creationPolicy: string;
  readonly deletionPolicy: string;
  /** Undefined with creationPolicy None, where ESO writes no Secret. */
  readonly template?: ImportedTemplate;
  readonly data: readonly ImportedDataEntry[];
  /** The paths of `dataFrom[].extract`, leading `/` removed. */
  readonly extract: readonly string[];
  /** Whether the object carries Argo CD or Flux metadata: a hint for the settings' `gitops`. */
  readonly gitops?: 'argocd' | 'flux';
}

/** A store's Vault provider and Kubernetes auth: the ClusterSecretStore, or one namespace's SecretStore. */
export interface ImportedStore extends DocumentOrigin {
  readonly kind: 'ClusterSecretStore' | 'SecretStore';
  readonly name: string;
  /** A SecretStore's namespace; undefined for the ClusterSecretStore (or until --namespace supplies it). */
  readonly namespace?: string;
  readonly server: string;
  /** `provider.vault.path`; empty when the store leaves the mount to each key's first segment. */
  readonly mount: string;
  readonly caProvider?: { readonly type: string; readonly name: string; readonly namespace?: string; readonly key: string };
  readonly authMountPath: string;
  readonly role: string;
  readonly serviceAccountName?: string;
  readonly serviceAccountNamespace?: string;
  readonly audience?: string;
  /**
   * A ClusterSecretStore's `spec.conditions`: the namespaces its `namespaces` lists name, and whether
   * any condition selects by label or regex instead. Undefined: no conditions, every namespace may use it.
   */
  readonly conditions?: { readonly namespaces: readonly string[]; readonly selectors: boolean };
}

/** A ServiceAccount of the input: a store may log in as it, and the library then writes it too. */
export interface ImportedServiceAccount extends DocumentOrigin {
  readonly name: string;
  /** Undefined until an overlay or --namespace supplies it. */
  readonly namespace?: string;
}

/** Everything read from the inputs. */
export interface ImportedInput {
  readonly externalSecrets: readonly ImportedExternalSecret[];
  readonly stores: readonly ImportedStore[];
  readonly serviceAccounts: readonly ImportedServiceAccount[];
  readonly refusals: readonly ImportRefusal[];
  readonly notes: readonly ImportNote[];
}

/** `ExternalSecret apps/db` (or just the name without a namespace). */
export function objectLabel(kind: string, name: unknown, namespace?: unknown): string {
  const shown = typeof name === 'string' && name !== '' ? name : '(no name)';
  return typeof namespace === 'string' && namespace !== '' ? `${kind} ${namespace}/${shown}` : `${kind} ${shown}`;
}

/**
 * `es.yaml document 2 (ExternalSecret apps/db)`: how refusals and notes name their document (document
 * 0 is the whole file). File and object names come from the input: shown through `printable`, so
 * none can start a new line or send an escape sequence to the terminal.
 */
export function originLabel(origin: DocumentOrigin & { readonly object: string }): string {
  const where = origin.document === 0 ? origin.file : `${origin.file} document ${origin.document}`;
  return printable(`${where}${origin.via ? ` via ${origin.via}` : ''}${origin.object ? ` (${origin.object})` : ''}`);
}
