-- Per-user memory: the integration guide's columns, the typed fields the bot keeps for
-- marketing and conversation state, and a version number for optimistic concurrency.

CREATE TABLE IF NOT EXISTS user_memory (
    user_id              VARCHAR(255) PRIMARY KEY,
    name                 VARCHAR(255),
    role                 VARCHAR(255),
    interests            TEXT[] DEFAULT '{}',
    pain_points          TEXT[] DEFAULT '{}',
    lead_score           INTEGER DEFAULT 0,
    interaction_count    INTEGER DEFAULT 0,
    first_interaction_at TIMESTAMPTZ,
    last_interaction_at  TIMESTAMPTZ,
    message_history      JSONB DEFAULT '[]'::jsonb,
    additional_data      JSONB DEFAULT '{}'::jsonb,
    created_at           TIMESTAMPTZ DEFAULT now(),
    updated_at           TIMESTAMPTZ DEFAULT now()
);

-- A user_memory created earlier by the guide's own code has only the columns above; adding
-- the rest here (instead of in CREATE TABLE) upgrades such a table in place, rows included.
ALTER TABLE user_memory
    ADD COLUMN IF NOT EXISTS level                VARCHAR(20),
    ADD COLUMN IF NOT EXISTS opted_out            BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS opted_out_at         TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS human_requested      BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS human_requested_at   TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS marketing_consent    BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS consent_asked_at     TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS pending_question     VARCHAR(40),
    ADD COLUMN IF NOT EXISTS intent_counts        JSONB NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN IF NOT EXISTS last_course_ids      TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS requested_course_ids TEXT[] NOT NULL DEFAULT '{}',
    -- Bumped by every save; a save based on an older version merges instead of overwriting.
    ADD COLUMN IF NOT EXISTS version              BIGINT NOT NULL DEFAULT 1;

CREATE INDEX IF NOT EXISTS idx_user_memory_lead_score ON user_memory (lead_score);
CREATE INDEX IF NOT EXISTS idx_user_memory_last_interaction ON user_memory (last_interaction_at);
