import { durationMs, type ConsentReceipt } from '@sluice/consent';
import { insertRows } from '../delivery/d1-chunks.ts';
import { sha256Hex } from '../identity/sha256.ts';

/** Default audit retention when the policy names none: 400 days (consent-policy.md example). */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 24 * 60 * 60 * 1000;

export interface AuditRow {
  siteId: string;
  eventId: string;
  receipt: ConsentReceipt;
}

/** Expired rows removed per ingest request: bounded work on the hot path, still ahead of any real write rate. */
export const AUDIT_PRUNE_PER_WRITE = 500;

/**
 * Receipts by the hash of their JSON: the events of one batch that share their signals share one
 * receipt per destination, so a batch stores a handful, not one per event.
 */
export async function receiptsByHash(receipts: Iterable<ConsentReceipt>): Promise<Map<ConsentReceipt, string>> {
  const byJson = new Map<string, Promise<string>>();
  const out = new Map<ConsentReceipt, string>();
  for (const receipt of receipts) {
    if (out.has(receipt)) continue;
    const json = JSON.stringify(receipt);
    let hash = byJson.get(json);
    if (!hash) byJson.set(json, (hash = sha256Hex(json)));
    out.set(receipt, await hash);
  }
  return out;
}

/**
 * D1 statements (for the caller's single batch) writing one audit row per decision (allow, limited
 * and deny alike) that references its receipt by hash, each distinct receipt once (its expiry
 * raised on reuse), and pruning up to `AUDIT_PRUNE_PER_WRITE` rows and receipts past retention
 * (policy `retention.auditLog`).
 */
export async function auditStatements(db: D1Database, rows: AuditRow[], retention: string | undefined, now: number): Promise<D1PreparedStatement[]> {
  if (!rows.length) return [];
  const expiresAt = now + (durationMs(retention) ?? DEFAULT_AUDIT_RETENTION_MS);
  const hashes = await receiptsByHash(rows.map((r) => r.receipt));
  const siteId = rows[0]!.siteId;
  const receiptRows = [...hashes].map(([receipt, hash]) => [siteId, hash, JSON.stringify(receipt), now, expiresAt]);
  const auditRows = rows.map(({ siteId: site, eventId, receipt }) => [
    site, eventId, receipt.destination, receipt.decision, receipt.rule, receipt.policyVersion, receipt.jurisdiction.id, hashes.get(receipt)!, now, expiresAt,
  ]);
  return [
    db.prepare('DELETE FROM consent_audit WHERE id IN (SELECT id FROM consent_audit WHERE expires_at < ? LIMIT ?)').bind(now, AUDIT_PRUNE_PER_WRITE),
    db.prepare('DELETE FROM consent_receipts WHERE (site_id, hash) IN (SELECT site_id, hash FROM consent_receipts WHERE expires_at < ? LIMIT ?)').bind(now, AUDIT_PRUNE_PER_WRITE),
    ...insertRows(db, 'INSERT INTO consent_receipts (site_id, hash, receipt, created_at, expires_at) VALUES', receiptRows, 'ON CONFLICT (site_id, hash) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)'),
    ...insertRows(db, 'INSERT INTO consent_audit (site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, created_at, expires_at) VALUES', auditRows),
  ];
}

/** Writes the audit rows of one request in one D1 batch (see `auditStatements`). */
export async function writeAudit(db: D1Database, rows: AuditRow[], retention: string | undefined, now: number): Promise<void> {
  const statements = await auditStatements(db, rows, retention, now);
  if (statements.length) await db.batch(statements);
}
