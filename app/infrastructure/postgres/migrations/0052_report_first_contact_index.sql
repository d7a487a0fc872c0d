-- migrate:no-transaction
-- Lead report: new leads per day over the last weeks, a range read of this index instead of
-- a scan of every contact. See 0050 for why CONCURRENTLY and one index per file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_user_memory_report_first_contact
    ON user_memory (first_interaction_at)
    WHERE NOT opted_out;
