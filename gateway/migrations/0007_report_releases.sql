-- Released, noisy report answers (issue 11). Only DP outputs are stored here: never exact counts,
-- never unit ids. A repeated query is answered from this table instead of drawing new noise.
CREATE TABLE IF NOT EXISTS report_releases (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  query_hash TEXT NOT NULL,
  epsilon TEXT NOT NULL,
  caller TEXT NOT NULL,
  released_at INTEGER NOT NULL,
  release TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS report_releases_site ON report_releases (site_id, released_at);
