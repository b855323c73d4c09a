/** D1 binds at most 100 parameters per statement (Cloudflare D1 limits). */
export const D1_MAX_BOUND_PARAMETERS = 100;

/**
 * Multi-row `INSERT` statements for rows of equal width, each under D1's parameter limit.
 * @example insertRows(db, 'INSERT INTO t (a, b) VALUES', [[1, 2], [3, 4]])
 */
export function insertRows(db: D1Database, head: string, rows: unknown[][], tail = ''): D1PreparedStatement[] {
  if (!rows.length) return [];
  const width = rows[0]!.length;
  const perStatement = Math.max(1, Math.floor(D1_MAX_BOUND_PARAMETERS / width));
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const tuple = `(${Array(width).fill('?').join(', ')})`;
    out.push(db.prepare(`${head} ${part.map(() => tuple).join(', ')} ${tail}`).bind(...part.flat()));
  }
  return out;
}
