-- Prometheus counters that no other table already holds (issue 13), shared by every isolate:
-- events accepted/rejected by code, and families other capabilities record into (decide latency,
-- privacy budget spent). One row per metric name and label set; `labels` is canonical JSON.
-- Labels are ids and codes only: never personal data.
CREATE TABLE IF NOT EXISTS metric_counters (
  name TEXT NOT NULL,
  labels TEXT NOT NULL,
  value REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (name, labels)
) WITHOUT ROWID;
