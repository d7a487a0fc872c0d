-- REST replies moved to the job queue (0007): the outbox columns of inbound_messages (0005,
-- 0006) are retired. Messages still waiting there for a first reply move to
-- conversation_messages, where the worker's catch-up queues a job for them; inbound_messages
-- keeps only what the inline (TwiML) path uses: de-duplication and the reply given.

INSERT INTO conversation_messages (message_sid, user_id, body, media_count, profile_name, received_at)
SELECT message_id,
       user_id,
       coalesce(message ->> 'text', ''),
       coalesce((message ->> 'media_count')::integer, 0),
       message ->> 'profile_name',
       received_at
FROM inbound_messages
WHERE delivery_state = 'pending' AND reply IS NULL AND message IS NOT NULL
ORDER BY received_at, message_id
ON CONFLICT (message_sid) DO NOTHING;

ALTER TABLE inbound_messages
    DROP COLUMN IF EXISTS message,
    DROP COLUMN IF EXISTS delivery_state,
    DROP COLUMN IF EXISTS parts_sent,
    DROP COLUMN IF EXISTS attempts,
    DROP COLUMN IF EXISTS last_error,
    DROP COLUMN IF EXISTS provider_ids,
    DROP COLUMN IF EXISTS claimed_by,
    DROP COLUMN IF EXISTS claimed_until,
    DROP COLUMN IF EXISTS delivery_finished_at,
    DROP COLUMN IF EXISTS merged_from,
    DROP COLUMN IF EXISTS merged_into;
