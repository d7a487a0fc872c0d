-- The sales team's side (issue: hand-off, lead events).
--
-- handoffs: a person takes a conversation over. While one is open for a user the bot does
-- not answer them (their messages are still recorded); at most one open per user. It closes
-- when an advisor releases it or after HANDOFF_QUIET_HOURS without activity.
-- lead_events: what the bot learnt that the team's tools want to know (handoff.opened,
-- lead.stage_changed, contact.opted_out), written in the same transaction as the turn that
-- caused it, keyed by a stable id (the idempotency key sent to receivers), and delivered to
-- LEAD_WEBHOOK_URL by the queue with retries.

CREATE TABLE IF NOT EXISTS handoffs (
    id               BIGSERIAL PRIMARY KEY,
    user_id          VARCHAR(255) NOT NULL,
    reason           VARCHAR(40) NOT NULL,
    summary          JSONB NOT NULL,
    opened_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_activity_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    notice_sent      BOOLEAN NOT NULL DEFAULT false,
    closed_at        TIMESTAMPTZ,
    closed_by        VARCHAR(80)
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_handoffs_one_open_per_user ON handoffs (user_id) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_handoffs_opened ON handoffs (opened_at);

CREATE TABLE IF NOT EXISTS lead_events (
    id            TEXT PRIMARY KEY,
    type          VARCHAR(40) NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    payload       JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts      INTEGER NOT NULL DEFAULT 0,
    delivered_at  TIMESTAMPTZ,
    last_error    TEXT
);
CREATE INDEX IF NOT EXISTS idx_lead_events_undelivered ON lead_events (created_at) WHERE delivered_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_lead_events_user ON lead_events (user_id, created_at);
