-- A user's waiting messages, read after every webhook statement of that user still in flight
-- has committed: those hold the user's shared advisory lock (class 72303) until their commit,
-- and this takes the exclusive one first. One round trip instead of a transaction of four: a
-- VOLATILE function takes a fresh snapshot for each statement it runs, so the read that
-- follows the lock sees what was committed while it waited; the lock ends with the caller's
-- transaction (the statement itself, in autocommit).
CREATE OR REPLACE FUNCTION waiting_messages_after_intake(p_user_id TEXT, p_limit INTEGER)
RETURNS TABLE (
    message_sid TEXT, user_id VARCHAR(255), body TEXT, media_count INTEGER, media_types TEXT[],
    profile_name TEXT, received_at TIMESTAMPTZ
)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(72303, hashtext(p_user_id));
    RETURN QUERY
        SELECT m.message_sid, m.user_id, m.body, m.media_count, m.media_types, m.profile_name, m.received_at
        FROM conversation_messages AS m
        WHERE m.user_id = p_user_id AND m.answered_at IS NULL
        ORDER BY m.seq
        LIMIT p_limit;
END
$$;
