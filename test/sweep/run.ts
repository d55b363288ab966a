// `npm run sweep`: every hostile input and fault of test/sweep/cases/ through the real entry points,
// each in its own project, classed as ok / data loss / crash / leak / wrongly accepted / wrongly
// refused / unclear refusal (classify.ts), with a table of counts per kind. Exits 1 unless every case
// came out as it declared. Options: --only <text> (cases whose id contains it), --jobs <n> (default
// 2), --keep (leave the projects), --verbose (every case's output), --no-code-cache (every process
// compiles its modules itself, as without the sweep: see code-cache.js).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CASES } from './cases';
import { type Need, type SweepCase, type SweepContext, SYNTH_OUTPUTS } from './case';
import { type Classification, classify, visible } from './classify';
import { type Execution, type Finding, KINDS, OUTCOMES, type Outcome } from './model';
import { manifestProblems, markdownTableProblems, terraformProblems, vaultServiceProblems } from './outputs';
import { Template, cleanEnv, diffTrees, execute, snapshotTree, useCodeCache } from './project';
import { prepareReferences } from './references';

interface Options {
  readonly only?: string;
  readonly jobs: number;
  readonly keep: boolean;
  readonly verbose: boolean;
  readonly codeCache: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return { only: value('--only'), jobs: Number(value('--jobs') ?? 2), keep: argv.includes('--keep'), verbose: argv.includes('--verbose'), codeCache: !argv.includes('--no-code-cache') };
}

interface Result {
  readonly sweepCase: SweepCase;
  readonly classification: Classification;
  readonly run: Execution;
  readonly seconds: number;
  readonly dir: string;
}

/** Which of the cases' needs this machine meets. */
function available(): ReadonlySet<Need> {
  const works = (argv: string[]): boolean => spawnSync(argv[0], [...argv.slice(1), 'true']).status === 0;
  const found = new Set<Need>();
  if (process.getuid?.() === 0) found.add('root');
  if (spawnSync('strace', ['-V']).status === 0) found.add('strace');
  if (works(['unshare', '-m'])) found.add('unshare');
  if (works(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'])) found.add('setpriv');
  return found;
}

/** The generic checks of an accepted synth's outputs: every problem a consumer would have is a wrong acceptance. */
function outputFindings(dir: string): Finding[] {
  const problems = [
    ...manifestProblems(join(dir, 'manifests')),
    ...manifestProblems(join(dir, 'clusters')),
    ...vaultServiceProblems(join(dir, 'manifests')),
    ...vaultServiceProblems(join(dir, 'clusters')),
    ...terraformProblems(join(dir, 'cdktf.out')),
    ...markdownTableProblems(join(dir, 'docs', 'secrets.md')),
  ];
  return problems.map((text) => ({ outcome: 'wrongly accepted', text }));
}

async function runCase(template: Template, sweepCase: SweepCase, index: number, ctx: SweepContext, options: Options): Promise<Result> {
  const started = Date.now();
  const p = template.project(`case-${String(index).padStart(3, '0')}`);
  let run: Execution;
  let classification: Classification;
  try {
    await sweepCase.setup?.(p, ctx);
    const before = snapshotTree(p.dir);
    run = await (sweepCase.run ? sweepCase.run(p, ctx) : ctx.exec(p, p.synth()));
    const after = snapshotTree(p.dir);
    const findings: Finding[] = [];
    const accepted = sweepCase.expect === 'accepted' && run.status === 0;
    if (accepted && (sweepCase.checkOutputs ?? sweepCase.run === undefined)) findings.push(...outputFindings(p.dir));
    findings.push(...(await sweepCase.check?.(p, run, ctx)) ?? []);
    classification = classify({
      expect: sweepCase.expect,
      exit: sweepCase.exit ?? 0,
      names: sweepCase.names ?? [],
      secrets: sweepCase.secrets ?? [],
      allowed: sweepCase.allowed ?? [],
      outputs: sweepCase.outputs ?? SYNTH_OUTPUTS,
    }, run, diffTrees(before, after), findings);
  } catch (error) {
    run = { status: null, signal: null, stdout: '', stderr: '', timedOut: false };
    classification = { outcome: 'crash', reasons: [`the case itself failed: ${(error as Error).stack ?? error}`] };
  }
  if (!options.keep && classification.outcome === 'ok') {
    spawnChmod(p.caseDir);
    rmSync(p.caseDir, { recursive: true, force: true });
  }
  return { sweepCase, classification, run, seconds: (Date.now() - started) / 1000, dir: p.caseDir };
}

/** Cases may leave folders without write permission (read-only outputs): give it back before removing. */
function spawnChmod(dir: string): void {
  try {
    spawnSync('chmod', ['-R', 'u+rwX', dir]);
  } catch {
    // removed below as far as possible
  }
}

function table(results: readonly Result[]): string {
  const columns: readonly (Outcome | 'cases')[] = ['cases', ...OUTCOMES];
  const rows = [...KINDS, 'total'] as const;
  const count = (kind: string, column: Outcome | 'cases'): number =>
    results.filter((r) => (kind === 'total' || r.sweepCase.kind === kind) && (column === 'cases' || r.classification.outcome === column)).length;
  const header = ['kind', ...columns];
  const lines = rows.map((kind) => [kind, ...columns.map((c) => String(count(kind, c)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const ids = new Set<string>();
  for (const c of ALL_CASES) {
    if (ids.has(c.id)) throw new Error(`two cases are named ${c.id}`);
    ids.add(c.id);
  }
  const selected = ALL_CASES.filter((c) => options.only === undefined || c.id.includes(options.only));
  // A case whose tools or rights are missing is skipped, and named; under CI that is an error.
  const machine = available();
  const unmet = (c: SweepCase): Need[] => (c.needs ?? []).filter((need) => !machine.has(need));
  const skipped = selected.filter((c) => unmet(c).length > 0);
  const cases = selected.filter((c) => unmet(c).length === 0);
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-sweep-'));
  // A case that runs as nobody must reach its project.
  chmodSync(root, 0o755);
  if (options.codeCache) useCodeCache(join(root, 'code-cache'));
  const template = new Template(root);
  template.prepare();
  const baseEnv = cleanEnv();
  const ctx: SweepContext = {
    exec: (p, invocation) => execute(invocation, p.dir, { ...baseEnv, PATH: p.pathWithStandIns(), HOME: p.aux }),
    references: await prepareReferences(template, cases),
  };
  process.stdout.write(`sweep: ${cases.length} cases, ${options.jobs} at a time, in ${root}\n`);

  const results: Result[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const index = next++;
      const result = await runCase(template, cases[index], index, ctx, options);
      results[index] = result;
      const mark = result.classification.outcome === 'ok' ? 'ok' : result.classification.outcome.toUpperCase();
      process.stdout.write(`${mark.padEnd(16)} ${result.sweepCase.id} (${result.seconds.toFixed(1)} s)\n`);
      if (options.verbose || result.classification.outcome !== 'ok') {
        for (const reason of result.classification.reasons) process.stdout.write(`    - ${visible(reason).slice(1, -1)}\n`);
        if (options.verbose || result.classification.outcome !== 'ok') {
          process.stdout.write(`    exit ${result.run.status}${result.run.signal ? ` (${result.run.signal})` : ''}; stderr: ${visible(result.run.stderr.slice(0, 600))}\n`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));

  const failed = results.filter((r) => r.classification.outcome !== 'ok');
  process.stdout.write(`\n${table(results)}\n\n`);
  if (failed.length > 0) {
    process.stdout.write(`${failed.length} case(s) did not come out as declared:\n`);
    for (const r of failed) process.stdout.write(`  ${r.classification.outcome}: ${r.sweepCase.id}: ${r.sweepCase.what} (kept in ${r.dir})\n`);
  }
  for (const c of skipped) process.stdout.write(`skipped: ${c.id}: needs ${unmet(c).join(', ')}\n`);
  const skipFails = skipped.length > 0 && process.env.CI !== undefined;
  if (skipFails) process.stdout.write(`sweep: under CI every case must run; install what the skipped ones need\n`);
  process.stdout.write(`sweep: ${results.length} cases${skipped.length > 0 ? ` (${skipped.length} skipped)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (failed.length === 0 && !options.keep) rmSync(root, { recursive: true, force: true });
  process.exitCode = failed.length === 0 && !skipFails ? 0 : 1;
}

void main().catch((error) => {
  process.stderr.write(`sweep: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 2;
});
