import { durationMs, type ConsentReceipt } from '@sluice/consent';

/** Default audit retention when the policy names none: 400 days (consent-policy.md example). */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 24 * 60 * 60 * 1000;
/** D1 binds at most 100 parameters per statement; rows go in statements of one row each, batched. */
export const AUDIT_BATCH_MAX = 100;

export interface AuditRow {
  siteId: string;
  eventId: string;
  receipt: ConsentReceipt;
}

/** Expired rows removed per ingest request: bounded work on the hot path, still ahead of any real write rate. */
export const AUDIT_PRUNE_PER_WRITE = 500;

/**
 * Writes one audit row per decision (allow, limited and deny alike) in D1 batches, and prunes
 * up to `AUDIT_PRUNE_PER_WRITE` rows whose retention (policy `retention.auditLog`) has passed.
 */
export async function writeAudit(db: D1Database, rows: AuditRow[], retention: string | undefined, now: number): Promise<void> {
  const expiresAt = now + (durationMs(retention) ?? DEFAULT_AUDIT_RETENTION_MS);
  const insert = db.prepare(
    'INSERT INTO consent_audit (site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const prune = db.prepare('DELETE FROM consent_audit WHERE id IN (SELECT id FROM consent_audit WHERE expires_at < ? LIMIT ?)').bind(now, AUDIT_PRUNE_PER_WRITE);
  for (let i = 0; i < rows.length; i += AUDIT_BATCH_MAX) {
    const inserts = rows.slice(i, i + AUDIT_BATCH_MAX).map(({ siteId, eventId, receipt }) =>
      insert.bind(siteId, eventId, receipt.destination, receipt.decision, receipt.rule, receipt.policyVersion, receipt.jurisdiction.id, JSON.stringify(receipt), now, expiresAt),
    );
    await db.batch(i === 0 ? [prune, ...inserts] : inserts);
  }
}
