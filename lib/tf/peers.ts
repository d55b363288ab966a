// The packages `homelab-secrets/tf` takes from the project as optional peer dependencies, so that a
// project that only wants the manifests installs none of them (provider-aws alone is ~390 MB). A
// module without cdktf, read before anything loads it.
import type { PeerDependency } from '../synth';

/** The entry point that needs them, as the message names it. */
export const TERRAFORM_ENTRY_POINT = 'homelab-secrets/tf';

/** Each optional peer of `homelab-secrets/tf`: its range in package.json (a test keeps them equal) and what needs it. */
export const TERRAFORM_PEERS = {
  cdktf: { name: 'cdktf', range: '^0.21.0', neededFor: 'every Terraform stack' },
  vault: { name: '@cdktf/provider-vault', range: '^15.6.1', neededFor: 'the Vault stack' },
  aws: { name: '@cdktf/provider-aws', range: '^21.22.1', neededFor: 'the KMS unseal stack' },
} as const satisfies Record<string, PeerDependency>;
