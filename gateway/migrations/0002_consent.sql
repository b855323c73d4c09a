-- Consent audit trail: one row per (event, destination) decision, with the receipt.
-- The receipt names the policy version, jurisdiction, signals summary and deciding rule;
-- it never holds raw signal strings or personal data.
CREATE TABLE IF NOT EXISTS consent_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  decision TEXT NOT NULL,
  rule TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  receipt TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_audit_event ON consent_audit (site_id, event_id);
CREATE INDEX IF NOT EXISTS consent_audit_expiry ON consent_audit (expires_at);

-- Every policy version ever accepted for a site; the live one is also in KV (`policy:<site>`).
CREATE TABLE IF NOT EXISTS policy_versions (
  site_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  policy_hash TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, version)
);
