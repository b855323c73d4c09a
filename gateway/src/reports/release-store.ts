import type { ReportRelease } from './run-report.ts';
import { auditStatement } from '../audit/append-audit.ts';

/** A stored release as served and exported. */
export interface StoredRelease {
  releaseId: string;
  releasedAt: string;
  caller: string;
  release: ReportRelease;
}

/**
 * Stores a noisy release in D1 (the released history) together with its row in the append-only
 * admin audit log (who released what, with the ε spent), in one batch: a release is never stored
 * without its audit row.
 */
export async function storeRelease(db: D1Database, row: { id: string; siteId: string; queryHash: string; epsilon: string; caller: string; actor: string; days: readonly string[]; at: number; release: ReportRelease }): Promise<void> {
  await db.batch([
    db
      .prepare('INSERT INTO report_releases (id, site_id, query_hash, epsilon, caller, released_at, release) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(row.id, row.siteId, row.queryHash, row.epsilon, row.caller, row.at, JSON.stringify(row.release)),
    auditStatement(db, { siteId: row.siteId, actor: row.actor, action: 'report.release', target: `/v1/reports/${row.siteId}/releases/${row.id}`, detail: { releaseId: row.id, epsilon: row.epsilon, days: row.days, queryHash: row.queryHash }, at: row.at }),
  ]);
}

/** One stored release of a site, or null. */
export async function loadRelease(db: D1Database, siteId: string, id: string): Promise<StoredRelease | null> {
  const row = await db.prepare('SELECT id, caller, released_at, release FROM report_releases WHERE site_id = ? AND id = ?').bind(siteId, id).first<ReleaseRow>();
  return row ? toStored(row) : null;
}

/** A site's releases, oldest first, from `since` (ms), at most `limit`. */
export async function listReleases(db: D1Database, siteId: string, since: number, limit: number): Promise<StoredRelease[]> {
  const { results } = await db
    .prepare('SELECT id, caller, released_at, release FROM report_releases WHERE site_id = ? AND released_at >= ? ORDER BY released_at, id LIMIT ?')
    .bind(siteId, since, limit)
    .all<ReleaseRow>();
  return results.map(toStored);
}

interface ReleaseRow {
  id: string;
  caller: string;
  released_at: number;
  release: string;
}

function toStored(row: ReleaseRow): StoredRelease {
  return { releaseId: row.id, releasedAt: new Date(row.released_at).toISOString(), caller: row.caller, release: JSON.parse(row.release) as ReportRelease };
}

/**
 * The newest stored release of a site whose dimensions are exactly `dimensions` (any order),
 * among its `scan` newest releases; null when there is none.
 * @example
 * await latestReleaseOver(env.DB, 'shop', ['event', 'model', 'modelVersion']);
 */
export async function latestReleaseOver(db: D1Database, siteId: string, dimensions: readonly string[], scan = 200): Promise<StoredRelease | null> {
  const { results } = await db.prepare('SELECT id, caller, released_at, release FROM report_releases WHERE site_id = ? ORDER BY released_at DESC, id DESC LIMIT ?').bind(siteId, scan).all<ReleaseRow>();
  const want = [...dimensions].sort().join('\n');
  for (const row of results) {
    const stored = toStored(row);
    if ([...stored.release.dimensions].sort().join('\n') === want && stored.release.metrics.includes('count')) return stored;
  }
  return null;
}
