-- Dead letters: deliveries that failed permanently or ran out of retries.
-- `payload` is the destination-shaped item: personal data in it is already SHA-256-hashed.
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  event_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_site ON dead_letters (site_id, destination, created_at);

-- Delivery outcomes per destination, for status and audit.
CREATE TABLE IF NOT EXISTS delivery_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  event_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS delivery_log_site ON delivery_log (site_id, destination, created_at);
