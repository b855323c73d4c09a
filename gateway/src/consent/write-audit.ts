import { durationMs, type ConsentReceipt } from '@sluice/consent';
import { sha256Hex } from '../identity/sha256.ts';

/** Default audit retention when the policy names none: 400 days (consent-policy.md example). */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 24 * 60 * 60 * 1000;

export interface AuditRow {
  siteId: string;
  eventId: string;
  receipt: ConsentReceipt;
}

/** How much longer than the audit rows a receipt is kept, so its expiry need not move with every batch. */
const RECEIPT_MARGIN_MS = 24 * 60 * 60 * 1000;

/** Expired audit rows (and receipts) removed per statement by the daily prune; it repeats while a chunk comes back full. */
export const AUDIT_PRUNE_CHUNK = 5000;
/** …at most this many chunks per table and run, so one cron invocation stays within its limits (the next run continues). */
const AUDIT_PRUNE_MAX_CHUNKS = 40;

/**
 * Receipts by the hash of their JSON: the events of one batch that share their signals share one
 * receipt per destination, so a batch stores a handful, not one per event.
 */
export async function receiptsByHash(receipts: Iterable<ConsentReceipt>): Promise<Map<ConsentReceipt, string>> {
  const byJson = new Map<string, Promise<string>>();
  const out = new Map<ConsentReceipt, string>();
  for (const receipt of receipts) {
    if (out.has(receipt)) continue;
    const known = hashOf.get(receipt);
    if (known !== undefined) {
      out.set(receipt, known);
      continue;
    }
    const json = JSON.stringify(receipt);
    let hash = byJson.get(json);
    if (!hash) byJson.set(json, (hash = sha256Hex(json)));
    const value = await hash;
    hashOf.set(receipt, value);
    out.set(receipt, value);
  }
  return out;
}

/**
 * Each receipt object's hash, computed once: receipts are never mutated after evaluation, and the
 * consent planner reuses one evaluation (and so the same receipt objects) for every request with the
 * same signals under the same policy (issue 14: the ingest path hashed 8 receipts of ~700 bytes per
 * request, planning and audit each). Weak: dropped with the evaluation.
 */
const hashOf = new WeakMap<ConsentReceipt, string>();

/**
 * D1 statements (for the caller's single batch) recording every decision (allow, limited and deny
 * alike): one `consent_audit_batches` row per distinct receipt (a receipt names its destination,
 * decision and rule) holding the event ids it decided, each distinct receipt stored once (its
 * expiry raised on reuse). Rows past retention (policy `retention.auditLog`) are removed by the daily
 * `pruneConsentAudit`, not on the ingest path (two statements less per request, issue 14). Two inserts whatever the number of events (one JSON
 * parameter each: D1 binds at most 100 parameters), so a 20-event batch to four destinations writes
 * four audit rows, not 80 (migration 0017; the `consent_audit` view still reads one row per event
 * and destination).
 * @example statements.push(...(await auditStatements(env.DB, rows, policy.retention.auditLog, Date.now())))
 */
export async function auditStatements(db: D1Database, rows: AuditRow[], retention: string | undefined, now: number): Promise<D1PreparedStatement[]> {
  if (!rows.length) return [];
  const expiresAt = now + (durationMs(retention) ?? DEFAULT_AUDIT_RETENTION_MS);
  const hashes = await receiptsByHash(rows.map((r) => r.receipt));
  const siteId = rows[0]!.siteId;
  const groups = new Map<string, { receipt: ConsentReceipt; ids: string[] }>();
  for (const { eventId, receipt } of rows) {
    const hash = hashes.get(receipt)!;
    const group = groups.get(hash);
    if (group) group.ids.push(eventId);
    else groups.set(hash, { receipt, ids: [eventId] });
  }
  const receiptRows = [...groups].map(([hash, { receipt }]) => [hash, JSON.stringify(receipt)]);
  const auditRows = [...groups].map(([hash, { receipt, ids }]) => ({
    d: receipt.destination, c: receipt.decision, r: receipt.rule, p: receipt.policyVersion, j: receipt.jurisdiction.id, h: hash, e: ids,
  }));
  return [
    // A receipt outlives every audit row referencing it. It is written to last a day longer than
    // this batch's rows, and rewritten only once a batch's rows would outlast it: a receipt shared by
    // every batch of a site is updated (an index entry moved) about once a day, not once a batch.
    // `WHERE true`: SQLite's upsert after INSERT … SELECT needs it to parse ON CONFLICT.
    db
      .prepare(
        `INSERT INTO consent_receipts (site_id, hash, receipt, created_at, expires_at)
         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2, ?3 + ${RECEIPT_MARGIN_MS} FROM json_each(?4) WHERE true
         ON CONFLICT (site_id, hash) DO UPDATE SET expires_at = excluded.expires_at WHERE consent_receipts.expires_at < ?3`,
      )
      .bind(siteId, now, expiresAt, JSON.stringify(receiptRows)),
    db
      .prepare(
        `INSERT INTO consent_audit_batches (site_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, event_ids, created_at, expires_at)
         SELECT ?1, json_extract(value, '$.d'), json_extract(value, '$.c'), json_extract(value, '$.r'), json_extract(value, '$.p'), json_extract(value, '$.j'),
                json_extract(value, '$.h'), json_extract(value, '$.e'), ?2, ?3 FROM json_each(?4)`,
      )
      .bind(siteId, now, expiresAt, JSON.stringify(auditRows)),
  ];
}

/**
 * The scheduled handler's prune of the consent audit: audit rows, then receipts, past their expiry
 * (receipts outlive the rows referencing them by a day), in bounded chunks. Returns the rows removed.
 */
export async function pruneConsentAudit(db: D1Database, now: number): Promise<{ auditRows: number; receipts: number }> {
  const chunks = async (sql: string): Promise<number> => {
    let removed = 0;
    for (let i = 0; i < AUDIT_PRUNE_MAX_CHUNKS; i++) {
      const changes = (await db.prepare(sql).bind(now, AUDIT_PRUNE_CHUNK).run()).meta.changes;
      removed += changes;
      if (changes < AUDIT_PRUNE_CHUNK) break;
    }
    return removed;
  };
  const auditRows = await chunks('DELETE FROM consent_audit_batches WHERE id IN (SELECT id FROM consent_audit_batches WHERE expires_at < ? LIMIT ?)');
  const receipts = await chunks('DELETE FROM consent_receipts WHERE (site_id, hash) IN (SELECT site_id, hash FROM consent_receipts WHERE expires_at < ? LIMIT ?)');
  return { auditRows, receipts };
}

/** Writes the audit rows of one request in one D1 batch (see `auditStatements`). */
export async function writeAudit(db: D1Database, rows: AuditRow[], retention: string | undefined, now: number): Promise<void> {
  const statements = await auditStatements(db, rows, retention, now);
  if (statements.length) await db.batch(statements);
}
