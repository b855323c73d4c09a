-- Issue 14: O(1) storage per batch. A consent receipt is the same for every event of a batch that
-- shares its signals (policy version, jurisdiction, signals summary, rule, destination), so it is
-- stored once per site under the SHA-256 of its JSON and audit rows reference it by hash.
CREATE TABLE IF NOT EXISTS consent_receipts (
  site_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  receipt TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- The latest expiry of the audit rows referencing it (raised on every reuse).
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS consent_receipts_expiry ON consent_receipts (expires_at);

-- consent_audit keeps one row per (event, destination) decision, now without its own receipt copy.
CREATE TABLE consent_audit_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  decision TEXT NOT NULL,
  rule TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  receipt_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
-- Rows written before this migration keep their receipt, each under a key of its own.
INSERT INTO consent_receipts (site_id, hash, receipt, created_at, expires_at)
  SELECT site_id, 'legacy-' || id, receipt, created_at, expires_at FROM consent_audit;
INSERT INTO consent_audit_v5 (id, site_id, event_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, created_at, expires_at)
  SELECT id, site_id, event_id, destination, decision, rule, policy_version, jurisdiction, 'legacy-' || id, created_at, expires_at FROM consent_audit;
DROP TABLE consent_audit;
ALTER TABLE consent_audit_v5 RENAME TO consent_audit;
CREATE INDEX IF NOT EXISTS consent_audit_event ON consent_audit (site_id, event_id);
CREATE INDEX IF NOT EXISTS consent_audit_expiry ON consent_audit (expires_at);
