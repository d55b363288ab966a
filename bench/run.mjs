#!/usr/bin/env node
// npm run bench: synth speed and memory as whole processes, against the empty-app floor measured in
// the same run. Wall time and peak RSS (from /usr/bin/time -v's "Maximum resident set size") are the
// median of RUNS runs after one warm-up, the jobs interleaved round-robin. Writes bench/results.json and prints a Markdown table.
// Besides the synth itself (node dist/bench/entry.js), it measures what a user waits for: `npm run synth`
// from the shell, transpile included, cold (no dist/swc/) and after a one-line edit of apps/homelab.ts
// (restored afterwards), writing into a temp folder (HOMELAB_SECRETS_OUTDIR).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? 'homelab,1000,5000').split(',');
const MODES = ['k8s', 'tf', 'validate', 'full'];
const WITH_TESTS = process.env.BENCH_TESTS !== '0';
// The real cluster (npm run engines installs it): its start-up and rotation latency. BENCH_CLUSTER=0 skips.
const WITH_CLUSTER = process.env.BENCH_CLUSTER !== '0';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One process under /usr/bin/time -v: wall seconds and peak RSS in MiB. `job.before` runs first, untimed. */
function measureOnce(job) {
  const { command, args } = job;
  const work = mkdtempSync(join(tmpdir(), 'homelab-secrets-bench-'));
  const timeFile = join(work, 'time.txt');
  const out = (a) => a.replace('{out}', join(work, 'out'));
  job.before?.();
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, command, ...args.map(out)], {
    cwd: ROOT,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1', ...Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, out(v)])) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wall = (performance.now() - start) / 1000;
  const report = readFileSync(timeFile, 'utf8');
  rmSync(work, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const kib = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)[1]);
  return { wall, rssMiB: kib / 1024 };
}

/**
 * Measures every job round-robin: one warm-up each, then RUNS rounds in which every job runs once.
 * Interleaving keeps slow drift of the machine (other load, thermal, caches) from favouring the jobs
 * measured early or late, which matters for ratios such as "homelab full / floor".
 */
function measureAll(jobs) {
  for (const job of jobs) measureOnce(job);
  const samples = jobs.map(() => []);
  const rounds = Math.max(...jobs.map((job) => job.runs));
  for (let round = 0; round < rounds; round++) {
    jobs.forEach((job, i) => {
      if (round < job.runs) samples[i].push(measureOnce(job));
    });
  }
  return jobs.map((job, i) => {
    const row = {
      label: job.label,
      ...(job.size ? { size: job.size, mode: job.mode } : {}),
      ...(job.shell ? { shell: job.shell } : {}),
      wallSeconds: Number(median(samples[i].map((s) => s.wall)).toFixed(3)),
      peakRssMiB: Number(median(samples[i].map((s) => s.rssMiB)).toFixed(1)),
      runs: job.runs,
    };
    process.stderr.write(`${row.label.padEnd(34)} ${row.wallSeconds.toFixed(3)} s  ${row.peakRssMiB.toFixed(0)} MiB\n`);
    return row;
  });
}

// The one-line edit: the description of the first path, alternating between two texts so that every run
// is an edit; the original file is written back when the bench ends, however it ends.
const HOMELAB = join(ROOT, 'apps', 'homelab.ts');
const homelabSource = readFileSync(HOMELAB, 'utf8');
const EDITED_LINE = "description: 'MinIO root credentials',";
if (!homelabSource.includes(EDITED_LINE)) throw new Error(`bench: apps/homelab.ts no longer has ${EDITED_LINE}; pick another line to edit`);
let edits = 0;
function editHomelab() {
  edits += 1;
  writeFileSync(HOMELAB, homelabSource.replace(EDITED_LINE, `description: 'MinIO root credentials (bench edit ${edits % 2})',`));
}
function restoreHomelab() {
  if (edits > 0 && readFileSync(HOMELAB, 'utf8') !== homelabSource) writeFileSync(HOMELAB, homelabSource);
}
process.on('exit', restoreHomelab);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

execFileSync('node', ['scripts/tsc.mjs', 'build'], { cwd: ROOT, stdio: 'inherit' });
const entry = join('dist', 'bench', 'entry.js');
const jobs = [{ label: 'floor (empty apps)', command: 'node', args: [entry, 'floor', '0', '{out}'], runs: RUNS }];
for (const size of SIZES) {
  for (const mode of MODES) jobs.push({ label: `${mode} ${size}`, size, mode, command: 'node', args: [entry, mode, size, '{out}'], runs: RUNS });
}
const shellSynth = { command: 'npm', args: ['run', '--silent', 'synth'], env: { HOMELAB_SECRETS_OUTDIR: '{out}' }, runs: RUNS };
jobs.push({ ...shellSynth, label: 'npm run synth (cold, no dist/swc)', shell: 'cold', before: () => rmSync(join(ROOT, 'dist', 'swc'), { recursive: true, force: true }) });
jobs.push({ ...shellSynth, label: 'npm run synth (one-line edit)', shell: 'edit', before: editHomelab });
// Warm npm test: apps/homelab.ts as committed (the edit job changes it, and the tests compare the homelab
// with the committed output), and the type check's build info brought up to date untimed, as after any
// earlier run. npm test takes seconds and this machine's speed drifts: the median of three runs.
const warmTests = () => {
  restoreHomelab();
  execFileSync('node', ['scripts/tsc.mjs', 'check'], { cwd: ROOT, stdio: 'inherit' });
};
if (WITH_TESTS) jobs.push({ label: 'npm test (warm)', command: 'npm', args: ['test', '--silent'], runs: Math.min(RUNS, 3), before: warmTests });
let rows;
try {
  rows = measureAll(jobs);
} finally {
  restoreHomelab();
}
for (const row of rows) row.ratioToFloor = Number((row.wallSeconds / rows[0].wallSeconds).toFixed(2));

const floor = rows[0];
const find = (size, mode) => rows.find((r) => r.size === size && r.mode === mode);
const homelabFull = find('homelab', 'full');
const full1k = find('1000', 'full');
const full5k = find('5000', 'full');
const tests = rows.find((r) => r.label.startsWith('npm test'));
const targets = [];
if (homelabFull) {
  const ratio = homelabFull.wallSeconds / floor.wallSeconds;
  targets.push({ target: 'homelab full synth ≤ 1.5× floor', value: `${ratio.toFixed(2)}×`, met: ratio <= 1.5 });
}
if (full5k) {
  targets.push({ target: '5,000-path full synth < 10 s', value: `${full5k.wallSeconds.toFixed(2)} s`, met: full5k.wallSeconds < 10 });
  targets.push({ target: '5,000-path peak RSS < 1 GiB', value: `${full5k.peakRssMiB.toFixed(0)} MiB`, met: full5k.peakRssMiB < 1024 });
}
if (full1k && full5k) {
  // Linear growth is judged on the cost above the fixed start-up floor, which both sizes pay once.
  const ratio = (full5k.wallSeconds - floor.wallSeconds) / (full1k.wallSeconds - floor.wallSeconds);
  targets.push({ target: '5,000 paths ≤ 6× 1,000 paths (above the floor)', value: `${ratio.toFixed(2)}×`, met: ratio <= 6 });
}
const edit = rows.find((r) => r.shell === 'edit');
if (edit) targets.push({ target: 'npm run synth after a one-line edit ≤ 1.5 s', value: `${edit.wallSeconds.toFixed(2)} s (${edit.ratioToFloor}× floor)`, met: edit.wallSeconds <= 1.5 });
if (tests) targets.push({ target: 'npm test warm < 10 s', value: `${tests.wallSeconds.toFixed(1)} s`, met: tests.wallSeconds < 10 });

// The cluster rows: `node scripts/cluster.mjs bench` starts RUNS fresh clusters (the harness's start-up),
// then in one cluster with the homelab applied runs `homelab-secrets rotate` RUNS times (the built bin, a
// real process) and times each until Reloader has patched the wired Deployment's pod template.
let cluster;
if (WITH_CLUSTER) {
  const out = spawnSync('node', ['scripts/cluster.mjs', 'bench', '--runs', String(RUNS)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (out.status !== 0) {
    // The cluster's engines missing (npm run engines), or a cluster that did not start: say why, measure the rest.
    process.stderr.write(`bench: the cluster rows are not measured: ${out.stderr.trim().split('\n').find((l) => /^Error: /.test(l)) ?? out.stderr.trim()}\n`);
  } else {
    cluster = JSON.parse(out.stdout.trim().split('\n').pop());
  }
}
if (cluster) {
  for (const [label, value] of [['cluster start-up (etcd … Reloader ready)', cluster.startupMedian], ['rotation: rotate → pod template patched', cluster.rotationMedian]]) {
    process.stderr.write(`${label.padEnd(34)} ${value.toFixed(3)} s\n`);
  }
}

const results = {
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  runsPerMeasurement: RUNS,
  rows,
  targets,
  ...(cluster ? { cluster } : {}),
};
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');

const lines = ['| Measurement | Wall (median) | × floor | Peak RSS (median) |', '|---|---|---|---|'];
for (const row of rows) lines.push(`| ${row.label} | ${row.wallSeconds.toFixed(3)} s | ${row.ratioToFloor.toFixed(2)}× | ${row.peakRssMiB.toFixed(0)} MiB |`);
lines.push('', '| Target | Measured | Met |', '|---|---|---|');
for (const t of targets) lines.push(`| ${t.target} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`);
if (cluster) {
  lines.push('', '| Cluster (median of ' + cluster.runs + ') | Wall |', '|---|---|');
  lines.push(`| harness start-up: etcd, kube-apiserver, OpenBao, ESO, Reloader ready | ${cluster.startupMedian.toFixed(2)} s |`);
  lines.push(`| the homelab applied until every ExternalSecret is synced (once) | ${cluster.homelabSyncedSeconds.toFixed(2)} s |`);
  lines.push(`| rotation: \`rotate\` → Reloader patched the Deployment's pod template | ${cluster.rotationMedian.toFixed(2)} s |`);
}
console.log(lines.join('\n'));
console.log(`\nNode ${process.version}, ${cpus().length} cores; median of ${RUNS} runs after a warm-up.`);
process.exitCode = targets.every((t) => t.met) ? 0 : 1;
