import type { Env } from '../../env.ts';
import { alignSeries, type TimeWindow } from '../time-window.ts';

export const DECISIONS = ['allow', 'limited', 'deny'] as const;

/**
 * The signal a receipt was decided on, by precedence: a TCF string (or GPP's TCF section), a GPP
 * US section, Global Privacy Control, Google Consent Mode, else none (the jurisdiction's no-signal rule).
 * Reads the receipt (`r`) that an audit row (`a`) references by hash: see {@link AUDIT_WITH_RECEIPTS}.
 */
export const SIGNAL_SOURCE_SQL = `CASE
  WHEN json_extract(r.receipt, '$.signals.tcf') IS NOT NULL THEN 'tcf'
  WHEN json_array_length(json_extract(r.receipt, '$.signals.gpp.applicable')) > 0 THEN 'gpp'
  WHEN json_extract(r.receipt, '$.signals.gpc.on') = 1 THEN 'gpc'
  WHEN json_extract(r.receipt, '$.signals.consentMode') IS NOT NULL THEN 'consent-mode'
  ELSE 'none' END`;

/** Audit rows with the receipt each one references (receipts are stored once per distinct decision). */
export const AUDIT_WITH_RECEIPTS = 'consent_audit a JOIN consent_receipts r ON r.site_id = a.site_id AND r.hash = a.receipt_hash';

export interface ShareRow {
  jurisdiction: string;
  source: string;
  total: number;
  counts: Record<(typeof DECISIONS)[number], number>;
}

/** Decisions per jurisdiction and signal source in the window (one row per event × destination). */
export async function consentShares(env: Env, siteId: string, since: number): Promise<ShareRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT a.jurisdiction AS jurisdiction, ${SIGNAL_SOURCE_SQL} AS source, a.decision AS decision, COUNT(*) AS n FROM ${AUDIT_WITH_RECEIPTS}
      WHERE a.site_id = ? AND a.created_at >= ? GROUP BY a.jurisdiction, source, a.decision ORDER BY a.jurisdiction, source`,
  )
    .bind(siteId, since)
    .all<{ jurisdiction: string; source: string; decision: string; n: number }>();
  const rows = new Map<string, ShareRow>();
  for (const r of results) {
    const key = `${r.jurisdiction}\u0000${r.source}`;
    const row = rows.get(key) ?? { jurisdiction: r.jurisdiction, source: r.source, total: 0, counts: { allow: 0, limited: 0, deny: 0 } };
    if (r.decision in row.counts) row.counts[r.decision as keyof ShareRow['counts']] += r.n;
    row.total += r.n;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** Share (%) of each decision per bucket, optionally for one jurisdiction; null where a bucket has no decision (a gap, not 0 %). */
export async function consentShareSeries(
  env: Env,
  siteId: string,
  window: TimeWindow,
  filter: { jurisdiction?: string; source?: string } = {},
): Promise<Record<string, Array<number | null>>> {
  const { results } = await env.DB.prepare(
    `SELECT a.decision AS decision, (a.created_at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, COUNT(*) AS n FROM ${AUDIT_WITH_RECEIPTS}
      WHERE a.site_id = ? AND a.created_at >= ? AND (?5 IS NULL OR a.jurisdiction = ?5) AND (?6 IS NULL OR ${SIGNAL_SOURCE_SQL} = ?6) GROUP BY a.decision, bucket`,
  )
    .bind(window.bucketMs, window.bucketMs, siteId, window.since, filter.jurisdiction ?? null, filter.source ?? null)
    .all<{ decision: string; bucket: number; n: number }>();
  const counts = alignSeries(window, results.map((r) => ({ bucket: r.bucket, key: r.decision, n: r.n })), [...DECISIONS]);
  const totals = window.buckets.map((_, i) => DECISIONS.reduce((sum, d) => sum + counts[d]![i]!, 0));
  return Object.fromEntries(DECISIONS.map((d) => [d, counts[d]!.map((n, i) => (totals[i] ? Math.round((n / totals[i]!) * 1000) / 10 : null))]));
}
