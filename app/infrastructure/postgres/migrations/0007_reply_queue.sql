-- Replies through Twilio's REST API: the webhook records each message here and enqueues
-- the user's job (procrastinate); a worker answers all of a user's waiting messages as one
-- turn, stores the reply's parts in the same transaction that marks the messages answered
-- and saves the memory, then sends the parts one by one.
--
-- conversation_messages: every inbound message once, keyed by Twilio's MessageSid; `seq`
-- is the arrival order (one user's messages are answered in it); `turn_id` is the turn that
-- answered it (NULL: waiting).
-- reply_turns / reply_parts: one row per turn, one per outgoing part. A part is `pending`
-- until a worker is about to send it, `sending` during the request (a part found `sending`
-- after a crash is looked up at Twilio before it is sent again), then `sent` with Twilio's
-- SID, or `failed` with the reason.
-- message_statuses: Twilio's status callbacks by message SID, the most advanced status kept,
-- whatever order they arrive in (a callback may even come before the part is marked sent).

CREATE TABLE IF NOT EXISTS reply_turns (
    id          BIGSERIAL PRIMARY KEY,
    user_id     VARCHAR(255) NOT NULL,
    reply       JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_reply_turns_user ON reply_turns (user_id, id);
CREATE INDEX IF NOT EXISTS idx_reply_turns_created ON reply_turns (created_at);

CREATE TABLE IF NOT EXISTS conversation_messages (
    message_sid   TEXT PRIMARY KEY,
    user_id       VARCHAR(255) NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    media_count   INTEGER NOT NULL DEFAULT 0,
    media_types   TEXT[] NOT NULL DEFAULT '{}',
    profile_name  TEXT,
    received_at   TIMESTAMPTZ NOT NULL,
    seq           BIGSERIAL NOT NULL UNIQUE,
    turn_id       BIGINT REFERENCES reply_turns (id) ON DELETE SET NULL,
    answered_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The job reads one user's waiting messages in arrival order; /health counts them.
CREATE INDEX IF NOT EXISTS idx_conversation_messages_waiting
    ON conversation_messages (user_id, seq) WHERE answered_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_conversation_messages_user ON conversation_messages (user_id, seq);
CREATE INDEX IF NOT EXISTS idx_conversation_messages_received ON conversation_messages (received_at);

CREATE TABLE IF NOT EXISTS reply_parts (
    turn_id       BIGINT NOT NULL REFERENCES reply_turns (id) ON DELETE CASCADE,
    idx           SMALLINT NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    body          TEXT NOT NULL,
    state         VARCHAR(10) NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    provider_sid  TEXT UNIQUE,
    error_code    INTEGER,
    error         TEXT,
    sending_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    PRIMARY KEY (turn_id, idx)
);
CREATE INDEX IF NOT EXISTS idx_reply_parts_unsent
    ON reply_parts (user_id, turn_id, idx) WHERE state IN ('pending', 'sending');
CREATE INDEX IF NOT EXISTS idx_reply_parts_failed ON reply_parts (finished_at) WHERE state = 'failed';

CREATE TABLE IF NOT EXISTS message_statuses (
    provider_sid  TEXT PRIMARY KEY,
    status        VARCHAR(20) NOT NULL,
    rank          SMALLINT NOT NULL,
    error_code    INTEGER,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_message_statuses_errors
    ON message_statuses (error_code, updated_at) WHERE error_code IS NOT NULL;
