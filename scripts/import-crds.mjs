#!/usr/bin/env node
// Regenerates imports/ from the vendored CRDs in crds/, offline.
// Only served versions are imported: ESO's CRDs still list v1beta1 (served: false), and importing it
// would give the v1 classes version-suffixed names that change whenever upstream drops a version.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

// One import per API group: cdk8s writes one file per group, so CRDs of a group go in together.
const GROUPS = {
  'external-secrets.io': [
    'crds/external-secrets/external-secrets.io_clustersecretstores.yaml',
    'crds/external-secrets/external-secrets.io_externalsecrets.yaml',
    'crds/external-secrets/external-secrets.io_secretstores.yaml',
  ],
  'argoproj.io': ['crds/argocd/application-crd.yaml'],
};

const work = mkdtempSync(join(tmpdir(), 'homelab-secrets-import-'));
try {
  for (const [group, files] of Object.entries(GROUPS)) {
    const docs = files.map((file) => {
      const crd = YAML.parse(readFileSync(file, 'utf8'));
      crd.spec.versions = crd.spec.versions.filter((v) => v.served);
      return YAML.stringify(crd);
    });
    const out = join(work, `${group}.yaml`);
    writeFileSync(out, docs.join('---\n'));
    execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '--no-save', '--language', 'typescript', '--output', 'imports', out], {
      stdio: 'inherit',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
