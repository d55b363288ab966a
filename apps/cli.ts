#!/usr/bin/env node
// `npx homelab-secrets <command>`: the operator commands over the homelab's catalog (package.json `bin`).
import { nodeContext, runCli } from '../lib/cli';
import { resolveKmsUnseal } from '../lib/platform/kms-unseal';
import { homelabCatalog } from './homelab';
import { HOMELAB_KMS } from './platform';

// `homelab-secrets table | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

runCli(nodeContext(homelabCatalog(), { kms: resolveKmsUnseal(HOMELAB_KMS) }), process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
);
