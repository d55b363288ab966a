// A synth in its own process, for the tests that kill it or make its writes fail:
//   node -r test/support/swc-register.js test/synth/support/synth-child.ts '<config JSON>'
// It runs runSynthMain over the fixture declaration and simple parts that write the given files, so
// its exit code and stderr are a real entry point's. `killAt: n` sends it SIGKILL before step n of the
// swap; `stepDelayMs` makes every step take that long (so that a kill at a random time can land in the
// swap); `steps` appends each step's name to that file. flux-synth-child.ts runs the Flux tree the same way.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Declaration } from '../../../lib/catalog';
import { OutputPart, runSynthMain, synthOutputs } from '../../../lib/synth';
import { swapSteps } from '../../../lib/synth/swap-journal';
import { fixtureDeclaration } from '../../support/fixtures';

/** One output: a folder of `files`, or a file of `content`. */
export interface PartSpec {
  readonly name: string;
  readonly target: string;
  readonly kind: 'dir' | 'file';
  readonly files?: Readonly<Record<string, string>>;
  /** Files of that many bytes, besides `files` (too big for a command line). */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly content?: string;
}

export interface ChildConfig {
  readonly parts: readonly PartSpec[];
  readonly killAt?: number;
  readonly stepDelayMs?: number;
  readonly steps?: string;
}

/** The part that writes `spec`'s files. */
export function filesPart(spec: PartSpec): OutputPart {
  return {
    name: spec.name,
    target: spec.target,
    kind: spec.kind,
    render(_declaration, staging) {
      if (spec.kind === 'file') {
        writeFileSync(staging, spec.content ?? '');
        return;
      }
      const sized = Object.entries(spec.sizes ?? {}).map(([file, size]) => [file, 'x'.repeat(size)] as const);
      for (const [file, content] of [...sized, ...Object.entries(spec.files ?? {})]) {
        mkdirSync(dirname(join(staging, file)), { recursive: true });
        writeFileSync(join(staging, file), content);
      }
    },
  };
}

/** Runs a synth of `declaration` into `parts` and `config`'s file parts, with `config`'s kill, delay and step log. */
export function runChild(config: ChildConfig, declaration: Declaration, parts: readonly OutputPart[] = []): void {
  let step = 0;
  swapSteps.hook = (name) => {
    if (config.steps) appendFileSync(config.steps, `${name}\n`);
    if (config.stepDelayMs) {
      const until = Date.now() + config.stepDelayMs;
      while (Date.now() < until) { /* a slow disk */ }
    }
    if (step++ === config.killAt) process.kill(process.pid, 'SIGKILL');
  };
  runSynthMain(() => synthOutputs(declaration, [...parts, ...config.parts.map(filesPart)]));
}

if (require.main === module) runChild(JSON.parse(process.argv[2]) as ChildConfig, fixtureDeclaration());
