// The reference outputs the kill cases compare with: each declaration of cases/kill.ts synthesized
// once per sweep, in a project of its own.
import type { SweepCase } from './case';
import { REFERENCES, referenceModule } from './cases/kill';
import { type Template, cleanEnv, execute } from './project';

/** Synthesizes each reference declaration when a selected case is a kill case; name → its project folder. */
export async function prepareReferences(template: Template, cases: readonly SweepCase[]): Promise<Map<string, string>> {
  const references = new Map<string, string>();
  if (!cases.some((c) => c.kind === 'kill')) return references;
  for (const version of Object.keys(REFERENCES) as (keyof typeof REFERENCES)[]) {
    const p = template.project(`reference-${version}`);
    p.write('decl.js', referenceModule(version));
    const run = await execute(p.synth(), p.dir, cleanEnv());
    if (run.status !== 0) throw new Error(`the reference synth ${version} failed: ${run.stderr}`);
    references.set(version, p.dir);
  }
  return references;
}
