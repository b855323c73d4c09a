import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (holds wrangler.toml), found from this file whether run as source or bundled into dist/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'wrangler.toml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('wrangler.toml not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}
