-- Issue 12: tracking plans, quarantine, data-subject rights, retention runs, admin audit log.
-- Nothing here holds raw personal data: identifiers are keyed SHA-256 digests (gateway/src/rights/subject-key.ts).

-- Every tracking plan version ever accepted for a site; the live one is also in KV (`plan:<site>`).
CREATE TABLE IF NOT EXISTS plan_versions (
  site_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  plan_hash TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, version)
);

-- Events the plan set aside (mode `quarantine`): identity fields hashed, URLs and free text scrubbed.
CREATE TABLE IF NOT EXISTS quarantine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  plan_version INTEGER NOT NULL,
  violations TEXT NOT NULL,
  event TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  replayed_at INTEGER
);
CREATE INDEX IF NOT EXISTS quarantine_site ON quarantine (site_id, created_at);
CREATE INDEX IF NOT EXISTS quarantine_event ON quarantine (site_id, event_id);

-- Plan violations counted per site, event and rule (one row per counter; UPSERT adds).
CREATE TABLE IF NOT EXISTS plan_violations (
  site_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  rule TEXT NOT NULL,
  action TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, event_name, rule, action)
) WITHOUT ROWID;

-- What a site has sent, for drafting a plan: names and observed JSON types only, never values.
CREATE TABLE IF NOT EXISTS plan_observations (
  site_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  property TEXT NOT NULL,
  observed_type TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, event_name, property, observed_type)
) WITHOUT ROWID;

-- Which event ids carried which (keyed, hashed) identifier: one row per batch and identifier.
-- Lets a deletion find every row of a person in stores keyed by event id.
CREATE TABLE IF NOT EXISTS subject_events (
  site_id TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  event_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS subject_events_key ON subject_events (site_id, subject_key);
CREATE INDEX IF NOT EXISTS subject_events_time ON subject_events (created_at);

-- People who asked to be forgotten (keyed digests): later events carrying one of these are dropped.
CREATE TABLE IF NOT EXISTS suppressions (
  site_id TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  deletion_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, subject_key)
) WITHOUT ROWID;

-- Event ids purged by a deletion: queue consumers drop messages with these ids instead of sending.
CREATE TABLE IF NOT EXISTS purged_events (
  site_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  purged_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, event_id)
) WITHOUT ROWID;

-- Events dropped at ingest because their person is suppressed, counted per site and day.
CREATE TABLE IF NOT EXISTS suppressed_counts (
  site_id TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site_id, day)
) WITHOUT ROWID;

-- Deletion requests and what each store found and removed.
CREATE TABLE IF NOT EXISTS deletion_requests (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  identifier_kinds TEXT NOT NULL,
  status TEXT NOT NULL,
  stores TEXT NOT NULL,
  destinations TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX IF NOT EXISTS deletion_requests_site ON deletion_requests (site_id, created_at);

-- What each retention run deleted, per store.
CREATE TABLE IF NOT EXISTS retention_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ran_at INTEGER NOT NULL,
  deleted TEXT NOT NULL
);

-- Append-only admin audit log: changes and admin actions with the actor's token id (never the token).
CREATE TABLE IF NOT EXISTS admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_audit_site ON admin_audit (site_id, created_at);
CREATE TRIGGER IF NOT EXISTS admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN SELECT RAISE(ABORT, 'admin_audit is append-only'); END;
