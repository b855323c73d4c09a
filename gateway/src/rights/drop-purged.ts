/**
 * Queue consumers call this first: messages whose event was purged by a deletion are acked
 * without being sent, stored or logged (a queue cannot be searched, so purging a queued item
 * means refusing it when it comes out). One D1 read per (site, destination) group.
 * @example const live = await dropPurged(env.DB, messages)
 */
export async function dropPurged<M extends { body: { siteId: string; eventId: string }; ack(): void }>(db: D1Database, messages: readonly M[]): Promise<M[]> {
  if (messages.length === 0) return [];
  const purged = new Set<string>();
  const bySite = new Map<string, string[]>();
  for (const m of messages) bySite.set(m.body.siteId, [...(bySite.get(m.body.siteId) ?? []), m.body.eventId]);
  for (const [siteId, ids] of bySite) {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 90) {
      const part = unique.slice(i, i + 90);
      const { results } = await db
        .prepare(`SELECT event_id FROM purged_events WHERE site_id = ? AND event_id IN (${part.map(() => '?').join(',')})`)
        .bind(siteId, ...part)
        .all<{ event_id: string }>();
      for (const row of results) purged.add(`${siteId}\u0000${row.event_id}`);
    }
  }
  if (purged.size === 0) return [...messages];
  const live: M[] = [];
  for (const m of messages) {
    if (purged.has(`${m.body.siteId}\u0000${m.body.eventId}`)) m.ack();
    else live.push(m);
  }
  return live;
}
