-- What each queue worker reports about itself every few seconds (mode, AI state, where its
-- courses come from), so that /health on any web process shows every process's state.
CREATE TABLE IF NOT EXISTS worker_status (
    worker       TEXT PRIMARY KEY,
    mode         VARCHAR(20) NOT NULL,
    ai           VARCHAR(20) NOT NULL,
    courses      TEXT NOT NULL,
    reported_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
