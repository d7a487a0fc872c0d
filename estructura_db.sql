-- The school's course catalogue in PostgreSQL, as the integration guide describes it.
--
-- Four tables that belong to the school: ai_courses, ai_course_session, ai_tema_activity and
-- bond. The bot reads them as they are (only `id_course` and `Name` are required; every other
-- column is used when present) and never alters or drops them. `python -m app db
-- load-catalog FILE` upserts a JSON catalogue into them; nothing else in the bot writes here.
--
-- The bot's own tables (user_memory, inbound_messages, course_metadata, ...) are not in this
-- file: they are created and upgraded by `python -m app db init` (app/infrastructure/postgres/
-- migrations/).
--
-- Column names are the guide's, typo included (Long_descrption). They are written unquoted,
-- as in the guide, so PostgreSQL stores them in lower case (name, short_description, ...).
--
-- NOT NULL is kept only for keys (all with defaults), the link from an activity to its
-- session, and what a row is (an activity's title, a bonus's content). Everything else may
-- be NULL, so that rows written with only the guide's columns are accepted: the bot reads a
-- NULL modality, activity type, position or bonus type as unknown. A database created from
-- an earlier version of this file is not changed by running it again; docs/postgres.md has
-- the ALTER statements that relax it.
--
-- Safe to run more than once: every statement is IF NOT EXISTS or OR REPLACE.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f estructura_db.sql

-- Accent-insensitive full-text search and trigram similarity for typos.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could be reloaded), so it cannot appear in an
-- index expression. This wrapper names the dictionary explicitly and is declared IMMUTABLE,
-- the usual way to index unaccented text. The bot's migrations create the same function when
-- it is missing; keep both definitions identical.
DO $$
DECLARE
    extension_schema text := (
        SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'
    );
BEGIN
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION advisor_unaccent(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT '
        'AS $f$ SELECT %1$s.unaccent(%2$L::regdictionary, $1) $f$',
        extension_schema, extension_schema || '.unaccent'
    );
END
$$;

-- Courses ----------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS ai_courses (
    id_course          uuid NOT NULL DEFAULT gen_random_uuid(),
    Name               character varying,
    Short_description  character varying,
    Long_descrption    character varying,          -- sic: the school's column name
    created_at         timestamp with time zone NOT NULL DEFAULT now(),
    session_count      smallint,
    total_duration_min bigint,
    Price              character varying,          -- free text: "299", "$1.299,00", "USD 49.99"
    Currency           character varying,
    course_url         character varying,
    Purchase_url       character varying,
    level              character varying,          -- principiante | intermedio | avanzado
    language           character varying,
    audience_category  character varying,
    status             character varying,          -- 'active'; inactive/archived/draft are hidden
    start_date         timestamp without time zone,
    end_date           timestamp without time zone,
    roi                character varying,
    modality           character varying,          -- online | presencial | híbrido; NULL: unknown
    CONSTRAINT ai_courses_pkey PRIMARY KEY (id_course)
);

CREATE TABLE IF NOT EXISTS ai_course_session (
    id_session       uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at       timestamp with time zone NOT NULL DEFAULT now(),
    session_index    smallint,
    title            character varying,
    objective        character varying,
    duration_minutes bigint,
    scheduled_at     timestamp without time zone,
    id_course_fk     uuid,
    CONSTRAINT ai_course_session_pkey PRIMARY KEY (id_session),
    CONSTRAINT ai_course_session_id_course_fk_fkey
        FOREIGN KEY (id_course_fk) REFERENCES ai_courses (id_course)
);

CREATE TABLE IF NOT EXISTS ai_tema_activity (
    id_activity   uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at    timestamp with time zone NOT NULL DEFAULT now(),
    id_course_fk  uuid,                             -- implied by the session; the bot does not need it
    id_session_fk uuid NOT NULL,
    item_session  integer,                          -- position in its session; NULL: after those with one
    item_type     text,                             -- video | lectura | ejercicio | quiz | ...
    title_item    character varying NOT NULL,
    CONSTRAINT ai_tema_activity_pkey PRIMARY KEY (id_activity),
    CONSTRAINT ai_tema_activity_id_session_fk_fkey
        FOREIGN KEY (id_session_fk) REFERENCES ai_course_session (id_session),
    CONSTRAINT ai_tema_activity_id_course_fk_fkey
        FOREIGN KEY (id_course_fk) REFERENCES ai_courses (id_course)
);

CREATE TABLE IF NOT EXISTS bond (
    id_bond       bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    created_at    timestamp with time zone NOT NULL DEFAULT now(),
    content       text NOT NULL,
    type_bond     character varying,
    id_courses_fk uuid,
    CONSTRAINT bond_pkey PRIMARY KEY (id_bond),
    CONSTRAINT bond_id_courses_fk_fkey
        FOREIGN KEY (id_courses_fk) REFERENCES ai_courses (id_course)
);

-- The guide's recommended indexes -------------------------------------------------------------

CREATE INDEX IF NOT EXISTS idx_ai_courses_level ON ai_courses (level);
CREATE INDEX IF NOT EXISTS idx_ai_courses_modality ON ai_courses (modality);
CREATE INDEX IF NOT EXISTS idx_ai_courses_name_tsv ON ai_courses USING gin (to_tsvector('spanish', Name));
CREATE INDEX IF NOT EXISTS idx_ai_course_session_course_fk ON ai_course_session (id_course_fk);
CREATE INDEX IF NOT EXISTS idx_ai_tema_activity_session_fk ON ai_tema_activity (id_session_fk);

-- Foreign keys the bot follows from a course to its activities and bonuses.
CREATE INDEX IF NOT EXISTS idx_ai_tema_activity_course_fk ON ai_tema_activity (id_course_fk);
CREATE INDEX IF NOT EXISTS idx_bond_courses_fk ON bond (id_courses_fk);

-- Course search needs nothing on these tables: the bot keeps each course's search document
-- (a stored, indexed Spanish tsvector of all its text) in its own table
-- `course_search_documents`, refreshed from these tables (docs/postgres.md, "Search").
