import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import type { Declaration } from '../../lib/catalog';
import { OUTPUT_RECORD, OutputPart, synthOutputs } from '../../lib/synth';

/**
 * Every file under `dir`, relative path → content, sorted by path; without the synth's record of its
 * own files (`.homelab-secrets-synth`, test/synth/output-part.test.ts checks it) unless `withRecord`.
 */
export function readTree(dir: string, withRecord = false): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      if (name === OUTPUT_RECORD && !withRecord) continue;
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Runs `synthOutputs` for one folder part into a fresh temp folder and returns its files. */
export function synthPartToTree(declaration: Declaration, part: (target: string) => OutputPart): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'homelab-secrets-test-'));
  try {
    const target = join(root, 'out');
    synthOutputs(declaration, [part(target)]);
    return readTree(target);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** All YAML documents of a tree of manifests, in file then document order. */
export function manifestObjects(tree: Record<string, string>): any[] {
  return Object.values(tree).flatMap((content) => YAML.parseAllDocuments(content).map((d) => d.toJSON()));
}
