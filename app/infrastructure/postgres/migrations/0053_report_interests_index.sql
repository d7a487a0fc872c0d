-- migrate:no-transaction
-- Lead report: `--interest TOPIC` (interests @> ARRAY[topic]) finds the contacts interested in
-- a rare topic without reading everyone. See 0050 for why CONCURRENTLY and one index per file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_user_memory_report_interests
    ON user_memory USING gin (interests)
    WHERE NOT opted_out;
