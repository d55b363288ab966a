// Imported first by `homelab-secrets/tf`'s index: every module after it loads cdktf, so without cdktf
// the import fails here, with one line naming what is missing and how to install it, instead of
// Node's "Cannot find module" and its require stack. The providers are checked only where a stack
// needs one (providers.ts); while cdktf is missing, the missing providers are named too, to spare a
// second round.
import { isInstalled, requirePeers } from '../synth';
import { TERRAFORM_ENTRY_POINT, TERRAFORM_PEERS } from './peers';

if (!isInstalled(TERRAFORM_PEERS.cdktf.name)) requirePeers(TERRAFORM_ENTRY_POINT, Object.values(TERRAFORM_PEERS));
