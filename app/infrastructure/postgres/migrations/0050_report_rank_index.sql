-- migrate:no-transaction
-- Lead report (app/infrastructure/postgres/lead_report.py): the best leads of each inactivity
-- bucket, read in order straight off this index, and the score distribution as an index-only
-- scan. Opted-out contacts are never listed, so they are not indexed. user_id in "C" collation
-- so that ties order by code point, exactly as the JSON report does.
--
-- CONCURRENTLY: building it on a large table must not block the bot's writes. Such a build
-- cannot run in a transaction, hence one index per file. If a build is interrupted, PostgreSQL
-- keeps an INVALID index that IF NOT EXISTS would skip: `python -m app report` warns about it;
-- DROP INDEX CONCURRENTLY it and re-run the migration.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_user_memory_report_rank
    ON user_memory (lead_score DESC NULLS LAST, last_interaction_at DESC NULLS LAST, user_id COLLATE "C")
    WHERE NOT opted_out;
