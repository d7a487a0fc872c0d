-- Memory updates written to the local fallback while the database was unreachable are merged
-- back when it returns. Recording each merged update's id in the same transaction as the
-- merge makes the merge exactly-once: a crash before the local file is removed cannot apply
-- the same update twice.

CREATE TABLE IF NOT EXISTS memory_reconcile_log (
    pending_id UUID PRIMARY KEY,
    user_id    VARCHAR(255) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_memory_reconcile_log_applied ON memory_reconcile_log (applied_at);
