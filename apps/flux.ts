// `HOMELAB_SECRETS_OUTDIR=<dir> node scripts/synth.mjs apps/flux`: the homelab's manifests as a Flux user
// commits them (apps/flux-manifests.ts), in <dir>/clusters/my-cluster/secrets. <dir> stands for the
// repository's root and must be given: this output is never committed.
import { runSynthMain, synthOutputs } from '../lib/synth';
import { homelabFluxDeclaration, homelabFluxManifestsPart } from './flux-manifests';

runSynthMain(() => {
  const repository = process.env.HOMELAB_SECRETS_OUTDIR;
  if (!repository) {
    process.stderr.write('apps/flux: set HOMELAB_SECRETS_OUTDIR to the folder that stands for the repository root\n');
    process.exitCode = 2;
    return;
  }
  synthOutputs(homelabFluxDeclaration(), [homelabFluxManifestsPart(repository)]);
});
