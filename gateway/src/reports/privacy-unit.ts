import { sha256Hex } from '../identity/sha256.ts';

/** Counter shards per site: spreads a busy site's ingest over several single-threaded objects. */
export const AGGREGATE_SHARDS = 8;

/**
 * The privacy unit (site, visitor, day) as stored: SHA-256 of the three, so the shard never
 * holds the raw anonymous id, and the same visitor on two days is two unrelated ids. The
 * visitor is the SDK's `anonymousId` (one browser on one device).
 * @example
 * await privacyUnit('shop', 'anon-1', '2026-12-01'); // { id: '3f1c…', shard: 5 }
 */
export async function privacyUnit(siteId: string, anonymousId: string, day: string): Promise<{ id: string; shard: number }> {
  const id = (await sha256Hex(`sluice-report-unit\n${siteId}\n${day}\n${anonymousId}`)).slice(0, 32);
  return { id, shard: parseInt(id.slice(0, 2), 16) % AGGREGATE_SHARDS };
}

/** The UTC day of a time, `YYYY-MM-DD`. Units and reports use the gateway's receive time, never the client's clock. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
