import type { Env } from '../env.ts';
import { D1_MAX_BOUND_PARAMETERS, insertRows } from './d1-chunks.ts';

/** Event ids among `eventIds` that the destination already accepted. */
export async function alreadyDelivered(env: Env, siteId: string, destinationKey: string, eventIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const per = D1_MAX_BOUND_PARAMETERS - 2;
  const unique = [...new Set(eventIds)];
  for (let i = 0; i < unique.length; i += per) {
    const part = unique.slice(i, i + per);
    const { results } = await env.DB.prepare(
      `SELECT event_id FROM delivered_events WHERE site_id = ? AND destination = ? AND event_id IN (${part.map(() => '?').join(', ')})`,
    )
      .bind(siteId, destinationKey, ...part)
      .all<{ event_id: string }>();
    for (const row of results) found.add(row.event_id);
  }
  return found;
}

/** D1 statements marking event ids as delivered to a destination. */
export function markDeliveredStatements(env: Env, siteId: string, destinationKey: string, eventIds: string[], now = Date.now()): D1PreparedStatement[] {
  const rows = eventIds.map((id) => [siteId, destinationKey, id, now]);
  return insertRows(env.DB, 'INSERT OR IGNORE INTO delivered_events (site_id, destination, event_id, delivered_at) VALUES', rows);
}
