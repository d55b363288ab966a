import type { KvSecretBackendV2 } from '@cdktf/provider-vault/lib/kv-secret-backend-v2';
import type { Mount } from '@cdktf/provider-vault/lib/mount';
import { Construct } from 'constructs';
import { assertRule, checkMount, checkPositiveInteger } from '../catalog';
import { vaultProviderClasses } from './providers';

export const KV_V2_DEFAULTS = {
  description: 'Secrets read by External Secrets Operator; managed by homelab-secrets',
  /** Vault's own default, written out so that it is reviewed rather than implied. */
  maxVersions: 10,
} as const;

/** Properties for `KvV2Mount`. */
export interface KvV2MountProps {
  /** Mount path, without slashes. */
  readonly path: string;
  /** What the mount holds, shown by `vault secrets list`. @default 'Secrets read by External Secrets Operator; managed by homelab-secrets' */
  readonly description?: string;
  /** Versions kept per secret before the oldest is deleted. @default 10, Vault's own default */
  readonly maxVersions?: number;
}

/**
 * A KV v2 secrets engine. `type = "kv-v2"` (the provider maps Vault's reported `kv` + version 2
 * back to it, so there is no drift); `max_versions` lives in the engine's own config
 * (`<mount>/config`, `vault_kv_secret_backend_v2`), not in the mount options.
 */
export class KvV2Mount extends Construct {
  public readonly path: string;
  public readonly maxVersions: number;
  public readonly resource: Mount;
  public readonly config: KvSecretBackendV2;

  constructor(scope: Construct, id: string, props: KvV2MountProps) {
    super(scope, id);
    const vault = vaultProviderClasses();
    this.maxVersions = props.maxVersions ?? KV_V2_DEFAULTS.maxVersions;
    assertRule(checkMount, 'path', props.path, 'KvV2Mount');
    assertRule(checkPositiveInteger, 'maxVersions', this.maxVersions, 'KvV2Mount');
    this.path = props.path;
    this.resource = new vault.Mount(this, 'Resource', {
      path: props.path,
      type: 'kv-v2',
      description: props.description ?? KV_V2_DEFAULTS.description,
    });
    this.config = new vault.KvSecretBackendV2(this, 'Config', {
      mount: this.resource.path,
      maxVersions: this.maxVersions,
    });
  }
}
