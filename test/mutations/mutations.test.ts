import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { MUTATED_OUTPUT_ENV, OUTPUT_DECLARATIONS, type OutputName, writeOutput } from '../e2e/support/outputs';
import { MUTATIONS, type MutatedFile, type Mutation, SUITES, type SuiteName } from './mutations';

/**
 * `npm run test:mutations`: synthesizes the declarations the end-to-end suites read (the homelab and
 * the identity fixture) once, then for each mutation of mutations.ts copies that output, changes one
 * file of the copy, and runs the mutation's suites against the copy (HOMELAB_SECRETS_MUTATED_OUTPUT).
 * A mutation is caught when a test of one of its suites fails; one that every suite passes survives,
 * and fails this run. Every suite must also pass on the unmutated copy, or a catch would prove
 * nothing. The suite runs (the baselines and the mutations) go HOMELAB_MUTATION_JOBS at a time (default
 * 2): each starts its own servers or cluster in its own namespaces or on free ports, and much of a
 * cluster suite's time is waiting.
 */
const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest');
const JOBS = Math.max(1, Number(process.env.HOMELAB_MUTATION_JOBS ?? 2) || 1);

const FILES: Record<MutatedFile, { path: string; yaml: boolean }> = {
  'vault-stack': { path: 'cdktf.out/stacks/vault/cdk.tf.json', yaml: false },
  'applications': { path: 'manifests/argocd-applications.yaml', yaml: true },
  'cluster-secret-store': { path: 'manifests/cluster-secret-store.yaml', yaml: true },
  'externalsecrets-argocd': { path: 'manifests/externalsecrets-argocd.yaml', yaml: true },
  'externalsecrets-arr': { path: 'manifests/externalsecrets-arr.yaml', yaml: true },
  'workloads': { path: 'workloads/wired-workloads.yaml', yaml: true },
};

/** What one suite run against one output said. */
interface SuiteRun {
  readonly passed: number;
  readonly failed: string[];
  /** Wall time of the jest run, seconds. */
  readonly seconds?: number;
  /** The failed tests' messages, for a baseline that fails: why, not only which. */
  readonly failures?: string[];
  /** A suite that did not run its tests (a load error, a crash): neither a pass nor a catch. */
  readonly error?: string;
}

async function runSuite(name: SuiteName, output: string, work: string): Promise<SuiteRun> {
  const suite = SUITES[name];
  const report = join(work, `report-${process.hrtime.bigint()}.json`);
  const started = Date.now();
  const run = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--no-opt', JEST, '-c', suite.config, '--ci', '--json', `--outputFile=${report}`,
      ...(suite.testNamePattern ? ['-t', suite.testNamePattern] : []), ...suite.files], {
      cwd: ROOT,
      env: { ...process.env, [MUTATED_OUTPUT_ENV]: output },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-64 * 1024); });
    const timer = setTimeout(() => child.kill('SIGTERM'), 10 * 60_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr });
    });
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let result: any;
  try {
    result = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return { passed: 0, failed: [], seconds, error: `no jest report (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}): ${run.stderr.slice(-2000)}` };
  }
  const broken = result.testResults.filter((file: any) => file.testExecError || (file.status === 'failed' && file.assertionResults.length === 0));
  if (broken.length > 0) return { passed: 0, failed: [], seconds, error: broken.map((file: any) => file.message || file.testExecError?.message).join('\n').slice(-2000) };
  const assertions = result.testResults.flatMap((file: any) => file.assertionResults);
  return {
    seconds,
    passed: assertions.filter((a: any) => a.status === 'passed').length,
    failed: assertions.filter((a: any) => a.status === 'failed').map((a: any) => a.title),
    failures: assertions.filter((a: any) => a.status === 'failed').map((a: any) => `${a.title}: ${(a.failureMessages ?? []).join('\n').slice(0, 2000)}`),
  };
}

/** Applies a mutation to a copy of `base`; fails when the mutation changes nothing. */
function mutatedCopy(mutation: Mutation, base: string, dir: string): void {
  cpSync(base, dir, { recursive: true });
  const file = join(dir, mutation.output, FILES[mutation.file].path);
  const before = readFileSync(file, 'utf8');
  let after: string;
  if (FILES[mutation.file].yaml) {
    const documents = YAML.parseAllDocuments(before).map((d) => d.toJSON());
    mutation.mutate(documents);
    after = documents.map((d) => YAML.stringify(d)).join('---\n');
  } else {
    const json = JSON.parse(before);
    mutation.mutate(json);
    after = `${JSON.stringify(json, null, 2)}\n`;
  }
  const unchanged = FILES[mutation.file].yaml
    ? JSON.stringify(YAML.parseAllDocuments(after).map((d) => d.toJSON())) === JSON.stringify(YAML.parseAllDocuments(before).map((d) => d.toJSON()))
    : JSON.stringify(JSON.parse(after)) === JSON.stringify(JSON.parse(before));
  if (unchanged) throw new Error(`mutation "${mutation.name}" changed nothing in ${FILES[mutation.file].path}`);
  writeFileSync(file, after);
}

interface Row {
  readonly mutation: string;
  readonly suite: string;
  readonly result: string;
  /** The suite runs' wall time, seconds. */
  readonly seconds: number;
}

/** What one mutation's suites did: the first that failed a test, and the runs that could not run. */
interface MutationResult {
  readonly caught?: { suite: SuiteName; tests: string[] };
  readonly errors: string[];
  /** The suite runs' wall time, seconds. */
  readonly seconds?: number;
}

/** Runs `tasks` at most `jobs` at a time, in order of start. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

describe('mutations of the synthesized output are each caught by a suite', () => {
  let work: string;
  let base: string;
  const rows: Row[] = [];
  const suites = [...new Set(MUTATIONS.flatMap((m) => m.suites))];
  const baselines = new Map<SuiteName, SuiteRun>();
  const results = new Map<Mutation, MutationResult>();

  /** Runs a mutation's suites against its copy, in order, until one fails a test. */
  async function tryMutation(mutation: Mutation): Promise<MutationResult> {
    // GIVEN the output with this one change
    const dir = join(work, `mutated-${MUTATIONS.indexOf(mutation)}`);
    mutatedCopy(mutation, base, dir);
    // WHEN its suites run against it, until one fails
    const errors: string[] = [];
    let seconds = 0;
    try {
      for (const suite of mutation.suites) {
        const run = await runSuite(suite, dir, work);
        seconds += run.seconds ?? 0;
        if (run.error) errors.push(`${suite}: ${run.error}`);
        if (run.failed.length > 0) return { caught: { suite, tests: run.failed }, errors, seconds };
      }
      return { errors, seconds };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-mutations-'));
    base = join(work, 'base');
    for (const name of Object.keys(OUTPUT_DECLARATIONS) as OutputName[]) writeOutput(name, join(base, name));
    await pool([
      ...suites.map((suite) => async () => { baselines.set(suite, await runSuite(suite, base, work)); }),
      // A mutation that cannot be made (it changed nothing) is an error of its own, not of the run.
      ...MUTATIONS.map((mutation) => async () => {
        results.set(mutation, await tryMutation(mutation).catch((error: Error): MutationResult => ({ errors: [`the mutation: ${error.message}`] })));
      }),
    ], JOBS);
  }, 60 * 60_000);

  afterAll(() => {
    const width = Math.max(...rows.map((r) => r.mutation.length), 'mutation'.length);
    const suiteWidth = Math.max(...rows.map((r) => r.suite.length), 'suite'.length);
    const lines = [
      `${'mutation'.padEnd(width)}  ${'suite'.padEnd(suiteWidth)}  ${'time'.padStart(5)}  result`,
      ...rows.map((r) => `${r.mutation.padEnd(width)}  ${r.suite.padEnd(suiteWidth)}  ${`${r.seconds} s`.padStart(5)}  ${r.result}`),
    ];
    process.stdout.write(`\nmutations (${rows.filter((r) => r.result.startsWith('caught')).length} caught of ${MUTATIONS.length}, ${JOBS} at a time):\n${lines.join('\n')}\n\n`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('every suite passes on the unmutated output, running tests', () => {
    const outcome = suites.map((suite) => {
      const run = baselines.get(suite)!;
      rows.push({ mutation: '(none: baseline)', suite, seconds: run.seconds ?? 0, result: run.error ? `error: ${run.error.split('\n')[0]}` : run.failed.length > 0 ? `FAILED: ${run.failed[0]}` : `passed (${run.passed} tests)` });
      for (const failure of run.failures ?? []) process.stderr.write(`baseline ${suite} failed: ${failure}\n`);
      return { suite, error: run.error, failed: run.failed, ran: run.passed > 0 };
    });
    expect(outcome).toStrictEqual(suites.map((suite) => ({ suite, error: undefined, failed: [], ran: true })));
  });

  test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
    const { caught, errors, seconds } = results.get(mutation)!;
    rows.push({
      mutation: mutation.name,
      seconds: seconds ?? 0,
      suite: caught?.suite ?? mutation.suites.join(', '),
      result: caught ? `caught by ${caught.tests.length} test${caught.tests.length === 1 ? '' : 's'}: ${caught.tests.map((t) => `"${t}"`).join(', ')}` : errors.length > 0 ? `error: ${errors[0].split('\n')[0]}` : 'SURVIVED',
    });
    // THEN a test failed (a suite that could not run is not a catch)
    expect({ caught: caught !== undefined, errors }).toStrictEqual({ caught: true, errors: [] });
  });
});
