/** One row of the append-only admin audit log. `detail` must hold no personal data. */
export interface AdminAuditEntry {
  siteId: string | null;
  /** The actor's token id (`admin:1a2b…`), never the token. */
  actor: string;
  /** `policy.put`, `plan.put`, `deletion.create`, or `METHOD /route/pattern` for other writes. */
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  at: number;
}

/**
 * Appends one row to `admin_audit` (D1). Rows are never updated (a trigger refuses it); only the
 * retention job deletes rows older than the audit TTL.
 * @example await appendAudit(env.DB, { siteId: 'demo', actor: 'admin:1a2b3c4d5e6f', action: 'plan.put', target: '/v1/admin/sites/demo/plan', detail: { version: 2 }, at: Date.now() })
 */
export async function appendAudit(db: D1Database, entry: AdminAuditEntry): Promise<void> {
  await auditStatement(db, entry).run();
}

/** The insert of one audit row, for a caller that writes it in the same D1 batch as the change it records. */
export function auditStatement(db: D1Database, entry: AdminAuditEntry): D1PreparedStatement {
  return db
    .prepare('INSERT INTO admin_audit (site_id, actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(entry.siteId, entry.actor, entry.action, entry.target, entry.detail ? JSON.stringify(entry.detail) : null, entry.at);
}

/** Rows of the audit log, newest first (optionally of one site), for `GET /v1/admin/audit`. */
export async function listAudit(db: D1Database, options: { siteId?: string; before?: number; limit: number }) {
  const where: string[] = [];
  const binds: unknown[] = [];
  if (options.siteId) (where.push('site_id = ?'), binds.push(options.siteId));
  if (options.before) (where.push('id < ?'), binds.push(options.before));
  const sql = `SELECT id, site_id AS siteId, actor, action, target, detail, created_at AS createdAt FROM admin_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...binds, options.limit).all<{ id: number; siteId: string | null; actor: string; action: string; target: string | null; detail: string | null; createdAt: number }>();
  return results.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}
