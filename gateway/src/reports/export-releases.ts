import { QUERY_DIMENSIONS } from './dimensions.ts';
import type { StoredRelease } from './release-store.ts';

/** Flat rows for MMM and clean-room tools: one per released cell, noisy numbers only. */
export const EXPORT_COLUMNS = [
  'release_id', 'released_at', 'from', 'to', 'epsilon', ...QUERY_DIMENSIONS,
  'count', 'count_low', 'count_high', 'sum', 'sum_low', 'sum_high',
  'noise', 'count_scale', 'sum_scale', 'count_variance', 'sum_variance', 'delta', 'k_floor',
] as const;

type Row = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

/**
 * Flattens stored releases; a suppressed cell exports with empty numbers, like an empty one.
 * @example
 * toCsv(exportRows(releases));
 */
export function exportRows(releases: readonly StoredRelease[]): Row[] {
  return releases.flatMap(({ releaseId, releasedAt, release }) =>
    release.cells.map((cell) => {
      const row = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, null])) as Row;
      Object.assign(row, { release_id: releaseId, released_at: releasedAt, from: release.from, to: release.to, epsilon: release.epsilon.spent, k_floor: release.kFloor });
      for (const [d, v] of Object.entries(cell.key)) (row as Record<string, unknown>)[d] = v;
      row.count = cell.count?.value ?? null;
      row.count_low = cell.count?.interval[0] ?? null;
      row.count_high = cell.count?.interval[1] ?? null;
      row.sum = cell.sum?.value ?? null;
      row.sum_low = cell.sum?.interval[0] ?? null;
      row.sum_high = cell.sum?.interval[1] ?? null;
      row.noise = release.noise.mechanism;
      row.count_scale = release.noise.count.scale ?? null;
      row.sum_scale = release.noise.sum?.scale ?? null;
      row.count_variance = release.noise.count.variance ?? null;
      row.sum_variance = release.noise.sum?.variance ?? null;
      row.delta = release.delta;
      return row;
    }),
  );
}

/**
 * RFC 4180 CSV with a header line. Text that a spreadsheet would run as a formula (`=`, `+`,
 * `-`, `@` first; OWASP "CSV injection") is prefixed with `'`; numbers are written as numbers.
 */
export function toCsv(rows: readonly Row[]): string {
  const quote = (v: string | number | null) => {
    if (v === null) return '';
    const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [EXPORT_COLUMNS.join(','), ...rows.map((r) => EXPORT_COLUMNS.map((c) => quote(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** One JSON object per line. */
export function toNdjson(rows: readonly Row[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
}
