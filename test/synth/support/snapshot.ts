// Every entry under a folder (dotfiles, records, journals and leftovers included): path → content,
// folders ending in "/", symbolic links as "-> target". Also a script, for a test that must look from
// inside a mount namespace: `node -r test/support/swc-register.js test/synth/support/snapshot.ts DIR`
// prints the snapshot as JSON.
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = prefix + name;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        out[`${rel}/`] = '';
        walk(full, `${rel}/`);
      } else {
        out[rel] = stat.isSymbolicLink() ? `-> ${readlinkSync(full)}` : readFileSync(full, 'utf8');
      }
    }
  };
  walk(root, '');
  return out;
}

if (require.main === module) process.stdout.write(JSON.stringify(snapshot(process.argv[2])));
