// One measured process of `npm run bench`: node dist/bench/entry.js <mode> <size> <outdir>.
//   floor     load cdk8s, cdktf and constructs and synthesize an empty app of each
//   validate  build the catalog and validate it
//   k8s       validate + the Kubernetes manifests
//   tf        validate + the Terraform stacks
//   full      validate + every output of `npm run synth` (what dist/apps/synth.js does)
import { join } from 'node:path';
import { HOMELAB_SETTINGS, homelabCatalog } from '../apps/homelab';
import type { Declaration } from '../lib/catalog';
import { generatedCatalog } from './generated-catalog';

const [mode, size, outdir] = process.argv.slice(2);

function declarationOf(name: string): Declaration {
  return { catalog: name === 'homelab' ? homelabCatalog() : generatedCatalog(Number(name)), settings: HOMELAB_SETTINGS };
}

function main(): void {
  switch (mode) {
    case 'floor': {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const cdk8s = require('cdk8s') as typeof import('cdk8s');
      const cdktf = require('cdktf') as typeof import('cdktf');
      require('constructs');
      const k8sApp = new cdk8s.App({ outdir: join(outdir, 'k8s') });
      new cdk8s.Chart(k8sApp, 'empty');
      k8sApp.synth();
      const tfApp = new cdktf.App({ outdir: join(outdir, 'tf') });
      new cdktf.TerraformStack(tfApp, 'empty');
      tfApp.synth();
      return;
    }
    case 'validate': {
      const { resolveDeclaration } = require('../lib/catalog') as typeof import('../lib/catalog');
      resolveDeclaration(declarationOf(size));
      return;
    }
    case 'k8s': {
      const { synthOutputs } = require('../lib/synth') as typeof import('../lib/synth');
      const { homelabManifestsPart } = require('../apps/manifests') as typeof import('../apps/manifests');
      synthOutputs(declarationOf(size), [homelabManifestsPart(join(outdir, 'manifests'))]);
      return;
    }
    case 'tf': {
      const { synthOutputs } = require('../lib/synth') as typeof import('../lib/synth');
      const { terraformPart } = require('../lib/tf') as typeof import('../lib/tf');
      synthOutputs(declarationOf(size), [terraformPart(join(outdir, 'cdktf.out'))]);
      return;
    }
    case 'full': {
      const { synthOutputs } = require('../lib/synth') as typeof import('../lib/synth');
      const { homelabOutputParts } = require('../apps/outputs') as typeof import('../apps/outputs');
      synthOutputs(declarationOf(size), homelabOutputParts(outdir));
      return;
    }
    default:
      throw new Error(`unknown mode ${JSON.stringify(mode)}: floor, validate, k8s, tf or full`);
  }
}

main();
