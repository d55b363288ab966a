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
  'kustomize.toolkit.fluxcd.io': ['crds/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
  'helm.toolkit.fluxcd.io': ['crds/flux/helm.toolkit.fluxcd.io_helmreleases.yaml'],
  'source.toolkit.fluxcd.io': ['crds/flux/source.toolkit.fluxcd.io_helmrepositories.yaml'],
};

/**
 * The store providers the library writes. The (Cluster)SecretStore CRDs describe some forty providers;
 * bound whole they are 1.2 MB of TypeScript that every process loading the library evaluates. The
 * bindings keep only these; the CRDs in crds/ stay whole, and the tests and kubeconform validate every
 * object against them.
 */
const PROVIDERS = ['vault'];

/** Drops every store provider but PROVIDERS from a (Cluster)SecretStore CRD version's schema. */
function onlyProviders(version) {
  const provider = version.schema?.openAPIV3Schema?.properties?.spec?.properties?.provider;
  if (provider?.properties) {
    provider.properties = Object.fromEntries(Object.entries(provider.properties).filter(([name]) => PROVIDERS.includes(name)));
  }
  return version;
}

const work = mkdtempSync(join(tmpdir(), 'homelab-secrets-import-'));
try {
  for (const [group, files] of Object.entries(GROUPS)) {
    const docs = files.map((file) => {
      const crd = YAML.parse(readFileSync(file, 'utf8'));
      crd.spec.versions = crd.spec.versions.filter((v) => v.served);
      if (/SecretStore$/.test(crd.spec.names.kind)) crd.spec.versions = crd.spec.versions.map(onlyProviders);
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
