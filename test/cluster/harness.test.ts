// The harness itself: what it starts it stops, however its owner ends, and it leaves nothing behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { type Cluster, esoCrdFiles, readCrdFile, startCluster } from './support/cluster';

const ROOT = join(__dirname, '..', '..');

/** `pid` and every process below it, from /proc (children of each thread). */
function descendants(pid: number): number[] {
  const children = (p: number): number[] => {
    const tasks = join('/proc', String(p), 'task');
    if (!existsSync(tasks)) return [];
    return readdirSync(tasks).flatMap((task) => {
      try {
        return readFileSync(join(tasks, task, 'children'), 'utf8').split(' ').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]));
  return [...new Set(all)];
}

/** The executable name of a live process, or undefined when it is gone. */
function command(pid: number): string | undefined {
  try {
    return readFileSync(join('/proc', String(pid), 'comm'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Whether something accepts a connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the cluster harness', () => {
  // One cluster for both (a start is about 8 s of CPU): reset() first, then stop(), which must end a
  // cluster in any state; here the failed reset's, with its controllers stopped.
  describe('a started cluster', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster({ components: ['vault', 'external-secrets'], namespaces: ['kept'], resettable: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    test('the CRDs it applies as text are the vendored files as the yaml package reads them (ESO\'s four, its generator CRDs), established', async () => {
      const files = esoCrdFiles(cluster.engines);
      expect(files.filter((f) => f.startsWith(join(ROOT, 'crds', 'external-secrets'))).length).toBe(4);
      expect(files.length).toBeGreaterThan(20);
      for (const file of files) {
        const vendored = YAML.parse(readFileSync(file, 'utf8'));
        const live = await cluster.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${vendored.metadata.name}`);
        expect({ file, spec: live?.spec, established: live?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True') })
          .toMatchObject({ file, spec: vendored.spec, established: true });
      }
    });

    test('reset() returns the cluster to its start: what was made since is gone (a finalizer and a namespace too), OpenBao is new, ESO runs again; a start object deleted makes it fail', async () => {
      // GIVEN objects made after the start, one held by a finalizer, one in a namespace of its own, and a mount in OpenBao
      const kept = (await cluster.get('/api/v1/namespaces/kept')).metadata.uid;
      const rootToken = cluster.vault.rootToken;
      await cluster.apply([
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'made', namespace: 'kept' }, stringData: { k: 'placeholder' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'kept', finalizers: ['example.com/hold'] }, data: { k: 'v' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'made' } },
      ]);
      await cluster.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside', namespace: 'made' }, data: { k: 'v' } }]);
      expect((await cluster.vault.api('POST', 'sys/mounts/kv', { type: 'kv', options: { version: '2' } })).status).toBe(204);

      // WHEN it is reset
      await cluster.reset();

      // THEN they are gone, the start's namespace is the same object, OpenBao is a new server, ESO is back
      expect(await Promise.all(['/api/v1/namespaces/kept/secrets/made', '/api/v1/namespaces/kept/configmaps/held', '/api/v1/namespaces/made/configmaps/inside', '/api/v1/namespaces/made']
        .map((path) => cluster.get(path)))).toStrictEqual([undefined, undefined, undefined, undefined]);
      expect((await cluster.get('/api/v1/namespaces/kept')).metadata.uid).toBe(kept);
      expect(cluster.vault.rootToken).not.toBe(rootToken);
      const mounts = await cluster.vault.api('GET', 'sys/mounts');
      expect([mounts.status, Object.keys(mounts.body.data).includes('kv/')]).toStrictEqual([200, false]);
      expect(descendants(cluster.pid).map(command)).toEqual(expect.arrayContaining(['external-secret', 'bao']));

      // AND a start object deleted cannot be made again: reset says which
      await cluster.kubectl(['delete', 'secret', '-n', 'vault', 'vault-tls']);
      await expect(cluster.reset()).rejects.toThrow('cannot reset the cluster: objects it held at start were deleted or replaced: /api/v1/namespaces/vault/secrets/vault-tls');
    });

    test('stop() ends every process it started, closes its relays and removes its folder; nothing is mounted outside', async () => {
      const pids = descendants(cluster.pid);
      const names = pids.map(command);
      expect(names).toEqual(expect.arrayContaining(['unshare', 'node', 'etcd', 'kube-apiserver', 'bao']));
      const ports = [Number(new URL(cluster.server).port), Number(new URL(cluster.vault.addr).port)];
      expect(await Promise.all(ports.map(listening))).toStrictEqual([true, true]);
      const mountsBefore = readFileSync('/proc/self/mountinfo', 'utf8');
      expect(mountsBefore).not.toContain(cluster.dir);

      await cluster.stop();

      expect(pids.filter((pid) => command(pid) !== undefined)).toStrictEqual([]);
      expect(await Promise.all(ports.map(listening))).toStrictEqual([false, false]);
      expect(existsSync(cluster.dir)).toBe(false);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(cluster.dir);
      // Stopping twice is harmless.
      await cluster.stop();
    });
  });

  test('a CRD file is read as one CustomResourceDefinition, its name from the lines before its spec; anything else is refused, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crd-file-'));
    try {
      const head = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n';
      const spec = 'spec:\n  group: example.com\n  names:\n    kind: Widget\n';
      const write = (name: string, text: string): string => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      expect(readCrdFile(write('one.yaml', `---\n${head}${spec}`))).toStrictEqual({ file: join(dir, 'one.yaml'), kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, text: `---\n${head}${spec}` });
      for (const [name, text] of [
        ['two.yaml', `${head}${spec}---\n${head}${spec}`],
        ['ended.yaml', `${head}${spec}...\n`],
        ['no-spec.yaml', head],
        ['spec-first.yaml', `${spec}${head}`],
        ['two-specs.yaml', `${head}${spec}${spec}`],
        ['another-kind.yaml', `${head.replace('CustomResourceDefinition', 'ConfigMap')}${spec}`],
        ['v1beta1.yaml', `${head.replace('/v1', '/v1beta1')}${spec}`],
      ]) {
        expect(() => readCrdFile(write(name, text))).toThrow(`${join(dir, name)}: not one apiextensions.k8s.io/v1 CustomResourceDefinition with its apiVersion, kind and metadata.name before its one top-level spec`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a harness killed without stopping its cluster takes the cluster with it: no process, no folder left', async () => {
    const state = mkdtempSync(join(tmpdir(), 'homelab-secrets-keeper-'));
    const keeper = spawn(process.execPath, [join(ROOT, 'scripts', 'cluster.mjs'), 'serve', '--bare'], {
      cwd: ROOT, env: { ...process.env, HOMELAB_CLUSTER_STATE: state }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    keeper.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<void>((resolve) => keeper.once('exit', () => resolve()));
    try {
      await until('the keeper to start its cluster', () => existsSync(join(state, 'state.json')) || keeper.exitCode !== null, 180_000);
      expect([keeper.exitCode, stderr.includes('cluster: ready')]).toStrictEqual([null, true]);
      const { dir } = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8'));
      const pids = descendants(keeper.pid!).filter((pid) => pid !== keeper.pid);
      // /proc/<pid>/comm keeps 15 characters: external-secrets is external-secret.
      expect(pids.map(command)).toEqual(expect.arrayContaining(['unshare', 'etcd', 'kube-apiserver', 'bao', 'external-secret', 'reloader']));

      keeper.kill('SIGKILL');
      await exited;

      await until('every process of the cluster to end', () => pids.every((pid) => command(pid) === undefined));
      await until('the cluster\'s folder to be removed', () => !existsSync(dir));
    } finally {
      if (keeper.exitCode === null && keeper.signalCode === null) keeper.kill('SIGKILL');
      rmSync(state, { recursive: true, force: true });
    }
  });
});
