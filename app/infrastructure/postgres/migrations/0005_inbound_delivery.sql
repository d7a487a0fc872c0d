-- Replies sent through Twilio's REST API (REPLY_DELIVERY=rest): each inbound row is also the
-- outbox entry of its reply. The message itself is kept so that a delivery whose worker died
-- before the turn can be re-run; parts_sent advances after each part Twilio accepted, so a
-- crash between parts resumes with the next part; claimed_by/claimed_until is a lease that
-- keeps two workers from sending the same part.
--
-- Only columns are added (NULL or constant defaults: no table rewrite, no row changed), so the
-- file is safe to re-run. Existing rows keep delivery_state NULL: answered inline as TwiML,
-- nothing to send.

ALTER TABLE inbound_messages
    ADD COLUMN IF NOT EXISTS message              JSONB,
    ADD COLUMN IF NOT EXISTS delivery_state       VARCHAR(10)
        CHECK (delivery_state IN ('pending', 'sent', 'failed')),
    ADD COLUMN IF NOT EXISTS parts_sent           INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS attempts             INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS last_error           TEXT,
    ADD COLUMN IF NOT EXISTS provider_ids         TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS claimed_by           TEXT,
    ADD COLUMN IF NOT EXISTS claimed_until        TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS delivery_finished_at TIMESTAMPTZ;

-- The sweep reads the unfinished deliveries in arrival order, and /health counts them and
-- the failed ones: small partial indexes, since almost every row is finished.
CREATE INDEX IF NOT EXISTS idx_inbound_messages_pending
    ON inbound_messages (received_at, message_id) WHERE delivery_state = 'pending';
CREATE INDEX IF NOT EXISTS idx_inbound_messages_failed
    ON inbound_messages (received_at) WHERE delivery_state = 'failed';
