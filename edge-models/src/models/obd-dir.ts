import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Where the OBD sample lives: `$OBD_DIR`, else `shared/data/obd` beside the checkout or beside its
 * parent (the layout of this project's machines). `undefined` when absent.
 *
 * @example
 * const dir = findObdDir(process.cwd()); if (!dir) throw new Error('set OBD_DIR');
 */
export function findObdDir(repoRoot: string): string | undefined {
  const candidates = [process.env.OBD_DIR, resolve(repoRoot, '../shared/data/obd'), resolve(repoRoot, '../../shared/data/obd')];
  return candidates.find((d): d is string => !!d && existsSync(resolve(d, 'random/men/men.csv')));
}
