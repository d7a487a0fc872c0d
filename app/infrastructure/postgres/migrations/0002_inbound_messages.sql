-- Inbound deliveries by the channel's message id (Twilio's MessageSid), so that a retried
-- webhook gets the reply already given instead of a second turn.

CREATE TABLE IF NOT EXISTS inbound_messages (
    message_id  TEXT PRIMARY KEY,
    user_id     VARCHAR(255) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    reply       JSONB,
    replied_at  TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Data-protection requests find and delete a user's deliveries; retention deletes old ones.
CREATE INDEX IF NOT EXISTS idx_inbound_messages_user ON inbound_messages (user_id);
CREATE INDEX IF NOT EXISTS idx_inbound_messages_received ON inbound_messages (received_at);
