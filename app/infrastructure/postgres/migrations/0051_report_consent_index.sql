-- migrate:no-transaction
-- Lead report: the re-engagement lists (consenting contacts silent for 30-89 and 90+ days)
-- and their counts, from a small index of consenting contacts only. Same order as the rank
-- index (0050); see there why CONCURRENTLY and one index per file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_user_memory_report_consent
    ON user_memory (lead_score DESC NULLS LAST, last_interaction_at DESC NULLS LAST, user_id COLLATE "C")
    WHERE marketing_consent AND NOT opted_out;
