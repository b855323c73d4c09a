-- Issue 14 (round 2): the consent audit is stored one row per (ingest batch, destination, receipt)
-- carrying the batch's event ids as a JSON array, instead of one row per (event, destination).
-- Every row inserted into a table with a random-keyed index costs a B-tree insert (D1 bills index
-- writes as rows written); a 20-event batch to four destinations wrote 80 rows + 160 index entries,
-- and now writes four rows. `consent_audit` stays readable and writable with its old columns, as a
-- view expanding the arrays (json_each), so every reader (console, /metrics, event fate, rights
-- deletion and retention) keeps its SQL; deletes and inserts on the view go to the batch rows.
CREATE TABLE IF NOT EXISTS consent_audit_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  decision TEXT NOT NULL,
  rule TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  receipt_hash TEXT NOT NULL,
  event_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

INSERT INTO consent_audit_batches (site_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, event_ids, created_at, expires_at)
  SELECT site_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, json_array(event_id), created_at, expires_at FROM consent_audit ORDER BY id;
DROP TABLE consent_audit;

CREATE INDEX IF NOT EXISTS consent_audit_batches_site ON consent_audit_batches (site_id, created_at);
CREATE INDEX IF NOT EXISTS consent_audit_batches_expiry ON consent_audit_batches (expires_at);

-- One row per (event, destination) decision, as before; `id` is the batch row's.
CREATE VIEW consent_audit AS
  SELECT b.id AS id, b.site_id AS site_id, e.value AS event_id, b.destination AS destination, b.decision AS decision, b.rule AS rule,
         b.policy_version AS policy_version, b.jurisdiction AS jurisdiction, b.receipt_hash AS receipt_hash, b.created_at AS created_at, b.expires_at AS expires_at
    FROM consent_audit_batches b, json_each(b.event_ids) e;

-- Deleting an audit row removes its event id from the batch row; a batch row left empty is marked
-- expired (expires_at 0), so the daily consent-audit prune removes it. The statement's change count
-- stays the number of audit rows deleted.
CREATE TRIGGER IF NOT EXISTS consent_audit_delete INSTEAD OF DELETE ON consent_audit
BEGIN
  UPDATE consent_audit_batches
     SET event_ids = (SELECT json_group_array(e.value) FROM json_each(consent_audit_batches.event_ids) e WHERE e.value <> OLD.event_id),
         expires_at = CASE WHEN json_array_length(event_ids) <= 1 THEN 0 ELSE expires_at END
   WHERE id = OLD.id;
END;

-- A single audit row (tools, tests, back-fills) becomes a batch row of one.
CREATE TRIGGER IF NOT EXISTS consent_audit_insert INSTEAD OF INSERT ON consent_audit
BEGIN
  INSERT INTO consent_audit_batches (site_id, destination, decision, rule, policy_version, jurisdiction, receipt_hash, event_ids, created_at, expires_at)
  VALUES (NEW.site_id, NEW.destination, NEW.decision, NEW.rule, NEW.policy_version, NEW.jurisdiction, NEW.receipt_hash, json_array(NEW.event_id), NEW.created_at, NEW.expires_at);
END;
