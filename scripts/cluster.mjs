#!/usr/bin/env node
// The test cluster (test/cluster/support/cluster.ts) outside jest:
//   npm run cluster:up [-- --bare]   start it in the background; without --bare also apply the homelab
//                                    (the Vault stack, test values seeded over stdin, the committed
//                                    manifests) and wait until every ExternalSecret is synced
//   npm run cluster:down             stop it: every process, the relays, its files
//   node scripts/cluster.mjs bench   measurements for `npm run bench` (JSON on stdout)
// The harness is TypeScript: a require hook transpiles it with swc in memory (as jest does), nothing is
// written. State (the keeper's pid, the environment to source) lives in dist/cluster/ while it runs.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('..', import.meta.url).pathname;
const STATE_DIR = process.env.HOMELAB_CLUSTER_STATE ?? join(ROOT, 'dist', 'cluster');
const STATE = join(STATE_DIR, 'state.json');
const require = createRequire(import.meta.url);

/** Loads TypeScript modules through swc, in memory, as CommonJS (what jest's transform does). */
function loadTs(path) {
  const swc = require('@swc/core');
  require.extensions['.ts'] ??= (module, filename) => {
    const { code } = swc.transformFileSync(filename, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
      swcrc: false,
      configFile: false,
    });
    module._compile(code, filename);
  };
  return require(join(ROOT, path));
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => process.stderr.write(`${line}\n`);

/** Shell-quoted, for the env file. */
const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;

/** The background process that owns the cluster until SIGTERM (cluster:down) or SIGINT. */
async function serve(bare) {
  const { startCluster } = loadTs('test/cluster/support/cluster.ts');
  const { homelabCatalog } = loadTs('apps/homelab.ts');
  const catalog = homelabCatalog();
  const cluster = await startCluster({ namespaces: catalog.namespaces, log });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('cluster: stopping');
    await cluster.stop();
    rmSync(STATE_DIR, { recursive: true, force: true });
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => void stop());
  try {
    if (!bare) {
      const { applyHomelab } = loadTs('test/cluster/support/homelab.ts');
      await applyHomelab(cluster, catalog);
      log(`cluster: the homelab is applied and every ExternalSecret is synced (${catalog.targets.length})`);
    }
    const env = { ...cluster.env, VAULT_TOKEN: cluster.vault.rootToken, BAO_TOKEN: cluster.vault.rootToken };
    const envFile = join(STATE_DIR, 'env.sh');
    writeFileSync(envFile, Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n') + '\n', { mode: 0o600 });
    writeFileSync(STATE, JSON.stringify({ pid: process.pid, dir: cluster.dir, envFile, timings: cluster.timings }, null, 2), { mode: 0o600 });
  } catch (error) {
    log(`cluster: ${error.stack ?? error}`);
    await stop();
  }
}

async function up(bare) {
  if (existsSync(STATE)) {
    const { pid } = JSON.parse(readFileSync(STATE, 'utf8'));
    if (alive(pid)) {
      log(`a cluster is already running (pid ${pid}); npm run cluster:down first`);
      process.exit(1);
    }
    rmSync(STATE_DIR, { recursive: true, force: true });
  }
  mkdirSync(STATE_DIR, { recursive: true });
  const logFile = join(STATE_DIR, 'cluster.log');
  const out = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'serve', ...(bare ? ['--bare'] : [])], {
    detached: true, stdio: ['ignore', out, out], cwd: ROOT,
  });
  closeSync(out);
  child.unref();
  // Ready when the keeper has written its state; failed when it is gone first.
  while (!existsSync(STATE)) {
    if (!alive(child.pid)) {
      log(`the cluster did not start:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no log)'}`);
      rmSync(STATE_DIR, { recursive: true, force: true });
      process.exit(1);
    }
    await sleep(200);
  }
  const state = JSON.parse(readFileSync(STATE, 'utf8'));
  console.log([
    `cluster up in ${((performance.now() - started) / 1000).toFixed(1)} s (pid ${state.pid}; log ${logFile})${bare ? ', bare' : ', the homelab applied'}`,
    `  . ${state.envFile}      # KUBECONFIG, VAULT_ADDR, VAULT_CACERT, VAULT_TOKEN (root), PATH with the engines`,
    '  kubectl get externalsecrets -A',
    '  npx homelab-secrets status   # after npm run build',
    '  npm run cluster:down',
  ].join('\n'));
}

async function down() {
  if (!existsSync(STATE)) {
    log('no cluster is running (no dist/cluster/state.json)');
    return;
  }
  const { pid } = JSON.parse(readFileSync(STATE, 'utf8'));
  if (alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 120_000;
    while (alive(pid)) {
      if (Date.now() > deadline) {
        log(`pid ${pid} did not stop within 120 s; killing it (its namespaces end with it)`);
        process.kill(pid, 'SIGKILL');
      }
      await sleep(200);
    }
  }
  rmSync(STATE_DIR, { recursive: true, force: true });
  console.log(`cluster stopped (pid ${pid})`);
}

/** A child process with `input` on its stdin; its exit code and stderr. */
function runProcess(cmd, args, env, input) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => resolve({ code: 127, stderr: error.message }));
    child.once('close', (code) => resolve({ code: code ?? 1, stderr }));
    child.stdin.end(input);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * `npm run bench`'s cluster rows: the harness's start-up (a fresh cluster, every component ready), the
 * homelab applied until every ExternalSecret is synced, and rotation latency: `homelab-secrets rotate`
 * (the built bin, a real process, the new value on stdin) until Reloader has patched the pod template of
 * the Deployment wired to the rotated Secret.
 */
async function bench(runs) {
  const { startCluster } = loadTs('test/cluster/support/cluster.ts');
  const { applyHomelab, wiredWorkloads, RELOADED_FROM } = loadTs('test/cluster/support/homelab.ts');
  const { homelabCatalog } = loadTs('apps/homelab.ts');
  const bin = join(ROOT, 'dist', 'lib', 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: npm run build first`);
  const catalog = homelabCatalog();
  const startup = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const cluster = await startCluster({ namespaces: catalog.namespaces });
    startup.push((performance.now() - t0) / 1000);
    await cluster.stop();
  }
  const cluster = await startCluster({ namespaces: catalog.namespaces });
  const rotation = [];
  let homelabSeconds;
  try {
    const t0 = performance.now();
    await applyHomelab(cluster, catalog);
    homelabSeconds = (performance.now() - t0) / 1000;
    await cluster.apply(wiredWorkloads(catalog));
    const reloadedFrom = async () => (await cluster.get('/apis/apps/v1/namespaces/openclaw/deployments/openclaw')).spec.template.metadata.annotations?.[RELOADED_FROM];
    let lastSecond = 0;
    for (let i = 0; i < runs; i++) {
      // force-sync's annotation is the time in seconds: a second rotation within the same second would
      // annotate nothing new, and ESO would not sync it before its next refresh.
      while (Math.floor(Date.now() / 1000) <= lastSecond) await sleep(20);
      lastSecond = Math.floor(Date.now() / 1000);
      const before = await reloadedFrom();
      const started = performance.now();
      const env = { ...cluster.env, VAULT_TOKEN: cluster.vault.rootToken, VAULT_BIN: cluster.engines.bao };
      // Not spawnSync: the relays to the cluster run in this process's event loop.
      const rotate = await runProcess(process.execPath, [bin, 'rotate', 'apps/openclaw', 'OPENCLAW_HOOKS_TOKEN'], env, `bench-${i}-${Math.random().toString(36).slice(2)}\n`);
      if (rotate.code !== 0) throw new Error(`rotate exited with ${rotate.code}: ${rotate.stderr}`);
      for (;;) {
        const now = await reloadedFrom();
        if (now !== undefined && now !== before) break;
        if (performance.now() - started > 120_000) throw new Error('Reloader did not patch the Deployment within 120 s');
        await sleep(20);
      }
      rotation.push((performance.now() - started) / 1000);
    }
  } finally {
    await cluster.stop();
  }
  console.log(JSON.stringify({ runs, startupSeconds: startup, homelabSyncedSeconds: homelabSeconds, rotationSeconds: rotation,
    startupMedian: median(startup), rotationMedian: median(rotation) }));
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'up': await up(args.includes('--bare')); break;
  case 'down': await down(); break;
  case 'serve': await serve(args.includes('--bare')); break;
  case 'bench': await bench(Number(args[args.indexOf('--runs') + 1] ?? 5) || 5); break;
  default:
    log('usage: node scripts/cluster.mjs up [--bare] | down | bench [--runs N]');
    process.exit(2);
}
