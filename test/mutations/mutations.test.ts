import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import YAML from 'yaml';
import { MUTATED_OUTPUT_ENV, OUTPUT_DECLARATIONS, OUTPUT_DESCRIBE_PREFIX, type OutputName, writeOutput } from '../e2e/support/outputs';
import { MUTATIONS, type MutatedFile, type Mutation, SUITES, type SuiteName } from './mutations';

/**
 * `npm run test:mutations`: synthesizes the declarations the end-to-end suites read (the homelab and
 * the identity fixture) once, then for each mutation of mutations.ts copies that output and changes one
 * file of the copy. Each suite then runs once over the unmutated copy and every mutated copy it must
 * try (HOMELAB_SECRETS_MUTATED_OUTPUT lists the folders; the suite declares its tests per folder with
 * forEachOutput, and shares its servers or cluster between them where the output does not reach them).
 * A mutation is caught when a test of one of its suites fails on its copy; one that every suite passes
 * survives, and fails this run. A mutation's suites are tried in order, in rounds: the next only if
 * the one before passed. Every suite must also pass on the unmutated copy, or a catch would prove
 * nothing. The suite runs go HOMELAB_MUTATION_JOBS at a time (default 2), the longest first: each
 * starts its own servers or cluster in its own namespaces or on free ports, and much of a cluster
 * suite's time is waiting.
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

/** What one suite said of one output folder. */
interface SuiteRun {
  readonly passed: number;
  readonly failed: string[];
  /** The failed tests' messages, for a baseline that fails: why, not only which. */
  readonly failures?: string[];
  /** A suite that did not run its tests (a load error, a crash): neither a pass nor a catch. */
  readonly error?: string;
}

/** One jest run of a suite over several output folders. */
interface SuiteRunRow {
  readonly suite: SuiteName;
  readonly outputs: number;
  /** Wall time, seconds. */
  readonly seconds: number;
}

/**
 * Runs suite `name` once over the output folders `roots` (their names must differ); what it said of
 * each folder, by folder. A test is a folder's when its describe block is the folder's (forEachOutput).
 */
async function runSuite(name: SuiteName, roots: readonly string[], work: string, timings: SuiteRunRow[]): Promise<Map<string, SuiteRun>> {
  const suite = SUITES[name];
  const report = join(work, `report-${process.hrtime.bigint()}.json`);
  const started = Date.now();
  const run = await new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--no-opt', JEST, '-c', suite.config, '--ci', '--json', `--outputFile=${report}`,
      ...(suite.testNamePattern ? ['-t', suite.testNamePattern] : []), ...suite.files], {
      cwd: ROOT,
      env: { ...process.env, [MUTATED_OUTPUT_ENV]: roots.join(':') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-64 * 1024); });
    const timer = setTimeout(() => child.kill('SIGTERM'), (10 + 2 * roots.length) * 60_000);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr });
    });
  });
  timings.push({ suite: name, outputs: roots.length, seconds: Math.round((Date.now() - started) / 1000) });
  const everyRoot = (error: string): Map<string, SuiteRun> => new Map(roots.map((root) => [root, { passed: 0, failed: [], error }]));
  let result: any;
  try {
    result = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return everyRoot(`no jest report (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}): ${run.stderr.slice(-2000)}`);
  }
  const broken = result.testResults.filter((file: any) => file.testExecError || (file.status === 'failed' && file.assertionResults.length === 0));
  if (broken.length > 0) return everyRoot(broken.map((file: any) => file.message || file.testExecError?.message).join('\n').slice(-2000));
  const assertions: any[] = result.testResults.flatMap((file: any) => file.assertionResults).filter((a: any) => a.status === 'passed' || a.status === 'failed');
  const byName = new Map(roots.map((root) => [basename(root), root]));
  const rootOf = (assertion: any): string | undefined => {
    const title: string | undefined = assertion.ancestorTitles.find((t: string) => t.startsWith(OUTPUT_DESCRIBE_PREFIX));
    return title === undefined ? undefined : byName.get(title.slice(OUTPUT_DESCRIBE_PREFIX.length));
  };
  const stray = assertions.filter((a) => rootOf(a) === undefined);
  if (stray.length > 0) return everyRoot(`tests outside every output's describe block (declare them with forEachOutput): ${stray.map((a) => `"${a.fullName}"`).join(', ')}`);
  return new Map(roots.map((root) => {
    const own = assertions.filter((a) => rootOf(a) === root);
    const failed = own.filter((a) => a.status === 'failed');
    return [root, {
      passed: own.filter((a) => a.status === 'passed').length,
      failed: failed.map((a) => a.title),
      failures: failed.map((a) => `${a.title}: ${(a.failureMessages ?? []).join('\n').slice(0, 2000)}`),
      ...(own.length === 0 ? { error: 'no test of the suite ran for this output' } : {}),
    }];
  }));
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
}

/** What one mutation's suites did: the first that failed a test, and the runs that could not run. */
interface MutationResult {
  readonly caught?: { suite: SuiteName; tests: string[] };
  readonly errors: string[];
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

/** Roughly how long a suite takes per output folder, seconds (cluster suites with ESO first): the order of the runs. */
const WEIGHT: Record<SuiteName, number> = { 'cluster-homelab': 20, 'login-identities': 25, 'login-homelab': 6, 'vault-stack': 3, 'helm-argocd': 1 };

describe('mutations of the synthesized output are each caught by a suite', () => {
  let work: string;
  let base: string;
  const rows: Row[] = [];
  const runs: SuiteRunRow[] = [];
  const suites = [...new Set(MUTATIONS.flatMap((m) => m.suites))];
  const baselines = new Map<SuiteName, SuiteRun>();
  const results = new Map<Mutation, MutationResult>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-mutations-'));
    base = join(work, 'base');
    for (const name of Object.keys(OUTPUT_DECLARATIONS) as OutputName[]) writeOutput(name, join(base, name));
    // GIVEN the output with each mutation's one change (a mutation that cannot be made, because it
    // changed nothing, is an error of its own, not of the run)
    const copies = new Map<Mutation, string>();
    for (const [index, mutation] of MUTATIONS.entries()) {
      const dir = join(work, `mutated-${index}`);
      try {
        mutatedCopy(mutation, base, dir);
        copies.set(mutation, dir);
      } catch (error) {
        results.set(mutation, { errors: [`the mutation: ${(error as Error).message}`] });
      }
    }
    // WHEN each suite runs over the unmutated copy and the copies it must try, round after round: a
    // mutation's next suite only if every one before it passed
    const next = new Map<Mutation, number>([...copies.keys()].map((m) => [m, 0]));
    const errors = new Map<Mutation, string[]>([...copies.keys()].map((m) => [m, []]));
    while (next.size > 0) {
      const bySuite = new Map<SuiteName, Mutation[]>();
      for (const [mutation, index] of next) bySuite.set(mutation.suites[index], [...(bySuite.get(mutation.suites[index]) ?? []), mutation]);
      const order = [...bySuite.entries()].sort(([a, am], [b, bm]) => WEIGHT[b] * bm.length - WEIGHT[a] * am.length);
      await pool(order.map(([suite, mutations]) => async () => {
        const withBaseline = !baselines.has(suite);
        const roots = [...(withBaseline ? [base] : []), ...mutations.map((m) => copies.get(m)!)];
        const said = await runSuite(suite, roots, work, runs);
        if (withBaseline) baselines.set(suite, said.get(base)!);
        for (const mutation of mutations) {
          const run = said.get(copies.get(mutation)!)!;
          if (run.error) errors.get(mutation)!.push(`${suite}: ${run.error}`);
          if (run.failed.length > 0) {
            results.set(mutation, { caught: { suite, tests: run.failed }, errors: errors.get(mutation)! });
            next.delete(mutation);
          } else if (next.get(mutation)! + 1 < mutation.suites.length) {
            next.set(mutation, next.get(mutation)! + 1);
          } else {
            results.set(mutation, { errors: errors.get(mutation)! });
            next.delete(mutation);
          }
        }
      }), JOBS);
    }
    // Suites no mutation tried first still need their baseline.
    await pool(suites.filter((suite) => !baselines.has(suite)).map((suite) => async () => {
      baselines.set(suite, (await runSuite(suite, [base], work, runs)).get(base)!);
    }), JOBS);
  }, 60 * 60_000);

  afterAll(() => {
    const width = Math.max(...rows.map((r) => r.mutation.length), 'mutation'.length);
    const suiteWidth = Math.max(...rows.map((r) => r.suite.length), 'suite'.length);
    const lines = [
      `${'mutation'.padEnd(width)}  ${'suite'.padEnd(suiteWidth)}  result`,
      ...rows.map((r) => `${r.mutation.padEnd(width)}  ${r.suite.padEnd(suiteWidth)}  ${r.result}`),
    ];
    const runLines = runs.map((r) => `  ${r.suite.padEnd(suiteWidth)}  ${String(r.outputs).padStart(2)} output${r.outputs === 1 ? ' ' : 's'}  ${`${r.seconds} s`.padStart(5)}`);
    process.stdout.write(`\nmutations (${rows.filter((r) => r.result.startsWith('caught')).length} caught of ${MUTATIONS.length}, ${JOBS} suite runs at a time):\n${lines.join('\n')}\n\n`
      + `suite runs (each over the unmutated output and the mutated ones it tried):\n${runLines.join('\n')}\n\n`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('every suite passes on the unmutated output, running tests', () => {
    const outcome = suites.map((suite) => {
      const run = baselines.get(suite)!;
      rows.push({ mutation: '(none: baseline)', suite, result: run.error ? `error: ${run.error.split('\n')[0]}` : run.failed.length > 0 ? `FAILED: ${run.failed[0]}` : `passed (${run.passed} tests)` });
      for (const failure of run.failures ?? []) process.stderr.write(`baseline ${suite} failed: ${failure}\n`);
      return { suite, error: run.error, failed: run.failed, ran: run.passed > 0 };
    });
    expect(outcome).toStrictEqual(suites.map((suite) => ({ suite, error: undefined, failed: [], ran: true })));
  });

  test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
    const { caught, errors } = results.get(mutation)!;
    rows.push({
      mutation: mutation.name,
      suite: caught?.suite ?? mutation.suites.join(', '),
      result: caught ? `caught by ${caught.tests.length} test${caught.tests.length === 1 ? '' : 's'}: ${caught.tests.map((t) => `"${t}"`).join(', ')}` : errors.length > 0 ? `error: ${errors[0].split('\n')[0]}` : 'SURVIVED',
    });
    // THEN a test failed (a suite that could not run is not a catch)
    expect({ caught: caught !== undefined, errors }).toStrictEqual({ caught: true, errors: [] });
  });
});
