-- Stored, indexed search documents of the school's courses, owned by the bot.
--
-- One row per visible course: its whole text (name; category, tags and short description;
-- long description; session titles and objectives, and bonuses) as one weighted Spanish
-- tsvector, computed once per change instead of per row and per query, and the name for
-- trigram typo search. The school's tables are only read: `PostgresCourseRepository`
-- refreshes these rows from them at each connection, on a short timer and after
-- `db load-catalog`, rewriting only the courses whose text changed (`digest`).
-- No foreign key: nothing is attached to the school's tables.
CREATE TABLE IF NOT EXISTS course_search_documents (
    id_course    uuid PRIMARY KEY,
    name_text    TEXT NOT NULL DEFAULT '',
    document     tsvector NOT NULL,
    digest       TEXT NOT NULL,
    refreshed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_course_search_documents_document
    ON course_search_documents USING gin (document);
CREATE INDEX IF NOT EXISTS idx_course_search_documents_name_trgm
    ON course_search_documents USING gin (name_text gin_trgm_ops);

-- Search no longer reads course_metadata's text through these expressions (the documents
-- above hold category and tags): keeping them would only slow `db load-catalog`.
DROP INDEX IF EXISTS idx_course_metadata_search_tsv;
DROP INDEX IF EXISTS idx_course_metadata_search_trgm;
