-- Issue 12, round 2: retention classes per event and the identity graph used by deletions.
-- Nothing here holds raw personal data: event ids are random UUIDs, identifiers are keyed subject digests.

-- When each event of a tracking-plan event with a `retention` class expires (the class's TTL at ingest).
-- The scheduled retention job purges the event from every store keyed by event id when it is due.
CREATE TABLE IF NOT EXISTS event_retention (
  site_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  class TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_retention_due ON event_retention (site_id, expires_at);

-- Identifiers seen together on one event (keyed digests, canonical order key_a < key_b), per site:
-- a deletion by one identifier expands over the person's other identifiers (rights/identity-graph.ts).
CREATE TABLE IF NOT EXISTS subject_links (
  site_id TEXT NOT NULL,
  key_a TEXT NOT NULL,
  kind_a TEXT NOT NULL,
  key_b TEXT NOT NULL,
  kind_b TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (site_id, key_a, key_b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subject_links_b ON subject_links (site_id, key_b);
CREATE INDEX IF NOT EXISTS subject_links_time ON subject_links (last_seen);

-- A deletion record's identity-graph expansion and the scan for rows without index entries (JSON).
ALTER TABLE deletion_requests ADD COLUMN coverage TEXT;
