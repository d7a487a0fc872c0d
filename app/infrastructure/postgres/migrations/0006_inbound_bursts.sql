-- A burst of short messages answered by one turn (REPLY_DELIVERY=rest, BURST_WINDOW_SECONDS):
-- the burst's last message (its head) lists the earlier ones in merged_from before the turn
-- runs, so the burst is fixed once; each earlier one then ends in the new state 'merged' with
-- merged_into naming the head, whose reply answered it. A merged row has nothing to send.
--
-- Columns are only added (constant defaults: no table rewrite, no row changed) and the state
-- check is replaced by a wider one that every existing row already satisfies, so the file is
-- safe to re-run and loses nothing.

ALTER TABLE inbound_messages
    ADD COLUMN IF NOT EXISTS merged_from TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS merged_into TEXT;

-- The name PostgreSQL gave the unnamed check of migration 0005.
ALTER TABLE inbound_messages DROP CONSTRAINT IF EXISTS inbound_messages_delivery_state_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_delivery_state_check
    CHECK (delivery_state IN ('pending', 'sent', 'failed', 'merged'));
