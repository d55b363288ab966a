import { spawnSync } from 'node:child_process';
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
 * and fails this run. First, every suite must pass on the unmutated copy, or a catch would prove
 * nothing.
 */
const ROOT = join(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest');

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
  /** A suite that did not run its tests (a load error, a crash): neither a pass nor a catch. */
  readonly error?: string;
}

function runSuite(name: SuiteName, output: string, work: string): SuiteRun {
  const suite = SUITES[name];
  const report = join(work, `report-${process.hrtime.bigint()}.json`);
  const run = spawnSync(process.execPath, ['--no-opt', JEST, '-c', suite.config, '--ci', '--json', `--outputFile=${report}`,
    ...(suite.testNamePattern ? ['-t', suite.testNamePattern] : []), ...suite.files], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, [MUTATED_OUTPUT_ENV]: output },
    timeout: 10 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  let result: any;
  try {
    result = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return { passed: 0, failed: [], error: `no jest report (exit ${run.status}${run.signal ? `, ${run.signal}` : ''}): ${run.stderr.slice(-2000)}` };
  }
  const broken = result.testResults.filter((file: any) => file.testExecError || (file.status === 'failed' && file.assertionResults.length === 0));
  if (broken.length > 0) return { passed: 0, failed: [], error: broken.map((file: any) => file.message || file.testExecError?.message).join('\n').slice(-2000) };
  const assertions = result.testResults.flatMap((file: any) => file.assertionResults);
  return {
    passed: assertions.filter((a: any) => a.status === 'passed').length,
    failed: assertions.filter((a: any) => a.status === 'failed').map((a: any) => a.title),
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
}

describe('mutations of the synthesized output are each caught by a suite', () => {
  let work: string;
  let base: string;
  const rows: Row[] = [];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'homelab-secrets-mutations-'));
    base = join(work, 'base');
    for (const name of Object.keys(OUTPUT_DECLARATIONS) as OutputName[]) writeOutput(name, join(base, name));
  });

  afterAll(() => {
    const width = Math.max(...rows.map((r) => r.mutation.length), 'mutation'.length);
    const suiteWidth = Math.max(...rows.map((r) => r.suite.length), 'suite'.length);
    const lines = [
      `${'mutation'.padEnd(width)}  ${'suite'.padEnd(suiteWidth)}  result`,
      ...rows.map((r) => `${r.mutation.padEnd(width)}  ${r.suite.padEnd(suiteWidth)}  ${r.result}`),
    ];
    process.stdout.write(`\nmutations (${rows.filter((r) => r.result.startsWith('caught')).length} caught of ${MUTATIONS.length}):\n${lines.join('\n')}\n\n`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('every suite passes on the unmutated output, running tests', () => {
    const suites = [...new Set(MUTATIONS.flatMap((m) => m.suites))];
    const results = suites.map((suite) => {
      const run = runSuite(suite, base, work);
      rows.push({ mutation: '(none: baseline)', suite, result: run.error ? `error: ${run.error.split('\n')[0]}` : run.failed.length > 0 ? `FAILED: ${run.failed[0]}` : `passed (${run.passed} tests)` });
      return { suite, error: run.error, failed: run.failed, ran: run.passed > 0 };
    });
    expect(results).toStrictEqual(suites.map((suite) => ({ suite, error: undefined, failed: [], ran: true })));
  });

  test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
    // GIVEN the output with this one change
    const dir = join(work, `mutated-${MUTATIONS.indexOf(mutation)}`);
    mutatedCopy(mutation, base, dir);

    // WHEN its suites run against it, until one fails
    let caught: { suite: SuiteName; tests: string[] } | undefined;
    const errors: string[] = [];
    for (const suite of mutation.suites) {
      const run = runSuite(suite, dir, work);
      if (run.error) errors.push(`${suite}: ${run.error}`);
      if (run.failed.length > 0) {
        caught = { suite, tests: run.failed };
        break;
      }
    }
    rows.push({
      mutation: mutation.name,
      suite: caught?.suite ?? mutation.suites.join(', '),
      result: caught ? `caught by ${caught.tests.length} test${caught.tests.length === 1 ? '' : 's'}: ${caught.tests.map((t) => `"${t}"`).join(', ')}` : errors.length > 0 ? `error: ${errors[0].split('\n')[0]}` : 'SURVIVED',
    });
    rmSync(dir, { recursive: true, force: true });

    // THEN a test failed (a suite that could not run is not a catch)
    expect({ caught: caught !== undefined, errors }).toStrictEqual({ caught: true, errors: [] });
  });
});
