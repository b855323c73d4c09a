-- Edge decisions (gateway/src/decide). Every experiment version ever accepted (the audit trail of
-- the admin API), and one row per decision for off-policy evaluation, incrementality and export.
CREATE TABLE IF NOT EXISTS experiment_versions (
  site_id TEXT NOT NULL,
  experiment_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  document_hash TEXT NOT NULL,
  document TEXT NOT NULL,
  change TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, experiment_id, version)
);

-- `context` is the featurized vector of declared, coarse features only (no raw context, no ids).
-- `reward` stays NULL until a reward lands inside the window; late and repeated ones are counted.
CREATE TABLE IF NOT EXISTS decisions (
  decision_id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  experiment_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  arm TEXT NOT NULL,
  arm_index INTEGER NOT NULL,
  propensity REAL NOT NULL,
  context TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  holdout INTEGER NOT NULL,
  fallback INTEGER NOT NULL,
  reason TEXT NOT NULL,
  reward REAL,
  rewarded_at INTEGER,
  late_rewards INTEGER NOT NULL DEFAULT 0,
  duplicate_rewards INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_experiment ON decisions (site_id, experiment_id, at);
CREATE INDEX IF NOT EXISTS decisions_expiry ON decisions (expires_at);
