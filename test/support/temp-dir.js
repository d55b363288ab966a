// jest globalSetup/globalTeardown: every temp folder of a run (the tests' own mkdtemp folders, and
// the cdk8s.outdir.* and cdktf.outdir.* folders that cdk8s's and cdktf's Testing helpers create and
// never remove) goes under one folder that the run removes at its end. Workers inherit TMPDIR, and
// os.tmpdir() reads it on every call.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = {
  setup() {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-jest-'));
    process.env.HOMELAB_SECRETS_JEST_TMP = dir;
    process.env.TMPDIR = dir;
  },
  teardown() {
    const dir = process.env.HOMELAB_SECRETS_JEST_TMP;
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
};
