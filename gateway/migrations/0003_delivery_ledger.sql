-- Which event ids each destination has accepted: a redelivered or replayed message whose event id is
-- here is acked without sending again (no double delivery on a clean path) and counted as a duplicate.
CREATE TABLE IF NOT EXISTS delivered_events (
  site_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  event_id TEXT NOT NULL,
  delivered_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, destination, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS delivered_events_time ON delivered_events (site_id, destination, delivered_at);

-- Dead letters replayed through the admin API keep their row, marked with when they were replayed.
ALTER TABLE dead_letters ADD COLUMN replayed_at INTEGER;

-- Event ids the browser pixels used, as the SDK reports them (dedup auditor). Ids only: no payload.
CREATE TABLE IF NOT EXISTS pixel_event_ids (
  site_id TEXT NOT NULL,
  vendor TEXT NOT NULL,
  event_id TEXT NOT NULL,
  reported_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, vendor, event_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS delivery_log_outcome ON delivery_log (site_id, destination, outcome, created_at);
