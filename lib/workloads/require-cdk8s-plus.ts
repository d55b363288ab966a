// Imported first by `homelab-secrets/workloads`'s index: cdk8s-plus-27 is an optional peer
// dependency, so without it the import fails here with one line naming it and how to install it,
// instead of Node's "Cannot find module" and its require stack.
import { type PeerDependency, requirePeers } from '../synth';

/** The optional peer of `homelab-secrets/workloads`; its range is package.json's (a test keeps them equal). */
export const WORKLOADS_PEER = { name: 'cdk8s-plus-27', range: '^2.9.0', neededFor: 'wireSecret' } as const satisfies PeerDependency;

requirePeers('homelab-secrets/workloads', [WORKLOADS_PEER]);
