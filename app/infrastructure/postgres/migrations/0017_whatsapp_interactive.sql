-- WhatsApp-native conversation.
-- conversation_messages.extras: what a message carries besides its text, as the webhook read
-- it: a tapped list item or button ({"tap": {"payload", "title"}}) and the media URLs of a voice
-- note ({"media_urls": [...]}), NULL for a plain text. The worker reads it with the message.
-- reply_parts.interactive: the tappable form a part is sent as (list-picker or quick-reply);
-- its body stays the text sent when the tappable form cannot go.
-- whatsapp_contents: the Content API resource (HX… SID) made for each distinct tappable
-- content, keyed by a hash of it, so that each is created once across every worker. A row
-- without a SID is a creation in progress (claimed_at: since when; a stale claim is taken over).
ALTER TABLE conversation_messages ADD COLUMN IF NOT EXISTS extras JSONB;
ALTER TABLE reply_parts ADD COLUMN IF NOT EXISTS interactive JSONB;

CREATE TABLE IF NOT EXISTS whatsapp_contents (
    content_key  TEXT PRIMARY KEY,
    content_sid  TEXT,
    claimed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at   TIMESTAMPTZ
);

DROP FUNCTION IF EXISTS waiting_messages_after_intake(TEXT, INTEGER);
CREATE FUNCTION waiting_messages_after_intake(p_user_id TEXT, p_limit INTEGER)
RETURNS TABLE (
    message_sid TEXT, user_id VARCHAR(255), body TEXT, media_count INTEGER, media_types TEXT[],
    profile_name TEXT, received_at TIMESTAMPTZ, extras JSONB
)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(72303, hashtext(p_user_id));
    RETURN QUERY
        SELECT m.message_sid, m.user_id, m.body, m.media_count, m.media_types, m.profile_name, m.received_at,
               m.extras
        FROM conversation_messages AS m
        WHERE m.user_id = p_user_id AND m.answered_at IS NULL
        ORDER BY m.seq
        LIMIT p_limit;
END
$$;
