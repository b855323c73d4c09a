-- Model registry (issue 9). Every published model version, immutable once written; the file
-- itself and the live rollout state are in KV (`model-file:…`, `model-state:…`).
CREATE TABLE IF NOT EXISTS model_versions (
  site_id TEXT NOT NULL,
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, model, version)
);

-- Audit trail of the registry: one row per change (publish, live, canary, shadow, rollback, kill),
-- numbered per model; `state` is the rollout state the change produced (what the SDK is served).
CREATE TABLE IF NOT EXISTS model_changes (
  site_id TEXT NOT NULL,
  model TEXT NOT NULL,
  revision INTEGER NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, model, revision)
);
