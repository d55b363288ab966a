import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How Terraform reads one string of its JSON, as hcl-eval/main.go reports it. */
export interface HclReading {
  /** As an argument: a template, references bound to «name». null when it does not evaluate. */
  readonly template: string | null;
  readonly templateError: string | null;
  /** As a backend setting or an output description: as written. */
  readonly literal: string | null;
  /** Every reference the template makes, sorted (`aws_iam_user.user.arn`). */
  readonly references: readonly string[];
}

const SOURCE = join(__dirname, 'hcl-eval');

/**
 * The hcl-eval tool (hcl-eval/main.go, on github.com/hashicorp/hcl/v2, pinned with hashes in go.sum):
 * built once per source into the engines folder, as `npm run engines` builds helm, with the Go module
 * proxy; its path, or why it cannot be built (under CI that is an error).
 */
export function hclEvalTool(): { path: string } | { path: null; reason: string } {
  const dir = process.env.HOMELAB_ENGINES_DIR ?? join(homedir(), '.cache', 'homelab-secrets', 'engines');
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(SOURCE, file)));
  const bin = join(dir, 'bin', `hcl-eval-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(bin)) return { path: bin };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    const reason = 'Go is not installed, so hcl-eval (Terraform\'s HCL library) cannot be built';
    if (process.env.CI === 'true') throw new Error(`CI needs ${reason}`);
    return { path: null, reason };
  }
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const partial = `${bin}.${process.pid}.partial`;
  // Built as scripts/install-engines.sh builds the engines: no debug info, the compiler's GC less often.
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-gcflags=all=-dwarf=false', '-o', partial, '.'], {
    cwd: SOURCE,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOMODCACHE: join(dir, 'go', 'mod'), GOCACHE: join(dir, 'go', 'build'), GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local', GOGC: '800', GOMEMLIMIT: '3GiB' },
  });
  // Whole or not at all: a killed build leaves only the partial file.
  renameSync(partial, bin);
  return { path: bin };
}

/** Each string read as Terraform reads it (see HclReading). */
export function readAsTerraform(tool: string, strings: readonly string[]): HclReading[] {
  const out = execFileSync(tool, [], { input: JSON.stringify(strings), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out);
}
