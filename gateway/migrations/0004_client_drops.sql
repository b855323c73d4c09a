-- Events SDK queues had to drop (queue full while the gateway was unreachable), as the SDK reports them.
CREATE TABLE IF NOT EXISTS client_drops (
  site_id TEXT NOT NULL,
  dropped INTEGER NOT NULL,
  reported_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS client_drops_site ON client_drops (site_id, reported_at);
