-- Course search support: accent-insensitive full text and trigrams, and the catalogue fields
-- the school's tables have no column for (category, tags).
--
-- unaccent and pg_trgm are "trusted" extensions: a database owner may create them without
-- being a superuser, and managed services (RDS, Cloud SQL, Supabase) ship both.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- IMMUTABLE wrapper around unaccent() so that search expressions can be indexed; identical to
-- the one in estructura_db.sql. Created only when missing: if the school's DBA created it
-- (and owns it), replacing it would fail for lack of ownership.
DO $$
DECLARE
    extension_schema text := (
        SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'
    );
BEGIN
    IF to_regprocedure('advisor_unaccent(text)') IS NULL THEN
        EXECUTE format(
            'CREATE FUNCTION advisor_unaccent(text) RETURNS text '
            'LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT '
            'AS $f$ SELECT %1$s.unaccent(%2$L::regdictionary, $1) $f$',
            extension_schema, extension_schema || '.unaccent'
        );
    END IF;
END
$$;

-- One row per course that has a category or tags (written by `db load-catalog`). No foreign
-- key to ai_courses: the bot attaches nothing to the school's tables; rows whose course is
-- gone are simply never joined.
CREATE TABLE IF NOT EXISTS course_metadata (
    id_course   uuid PRIMARY KEY,
    category    TEXT,
    tags        TEXT[] NOT NULL DEFAULT '{}',
    -- category and tags as one text, "|" between tags, for the search indexes below.
    search_text TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_course_metadata_search_tsv ON course_metadata
    USING gin (to_tsvector('spanish', advisor_unaccent(search_text)));
CREATE INDEX IF NOT EXISTS idx_course_metadata_search_trgm ON course_metadata
    USING gin (advisor_unaccent(lower(search_text)) gin_trgm_ops);
