/** Records what an SDK queue had to drop; best effort (a lost report must not fail the batch). */
export async function recordClientDrops(db: D1Database, siteId: string, dropped: number, now = Date.now()): Promise<void> {
  await db
    .prepare('INSERT INTO client_drops (site_id, dropped, reported_at) VALUES (?, ?, ?)')
    .bind(siteId, dropped, now)
    .run()
    .catch(() => undefined);
}

/** Events SDK queues of a site reported dropped since `since`. */
export async function clientDropsSince(db: D1Database, siteId: string, since: number): Promise<number> {
  const row = await db.prepare('SELECT COALESCE(SUM(dropped), 0) AS n FROM client_drops WHERE site_id = ? AND reported_at >= ?').bind(siteId, since).first<{ n: number }>();
  return row?.n ?? 0;
}
