-- Raised by a turn's commit, one statement in autocommit (app/infrastructure/postgres/
-- reply_queue.py), when a message it answers was answered already or the memory moved on
-- since it was read. The error takes the whole statement back (the turn, its parts, the
-- memory, the events), which nothing else can once its parts have run; the worker then runs
-- the turn again. SQLSTATE RT409 names this conflict and nothing else.
CREATE OR REPLACE FUNCTION reply_turn_conflict() RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'the messages or the memory of this turn changed meanwhile' USING ERRCODE = 'RT409';
END
$$;
