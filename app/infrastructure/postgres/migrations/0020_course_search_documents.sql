-- Stored, indexed search documents of the school's courses, owned by the bot.
--
-- One row per visible course, its whole text as two weighted Spanish tsvectors computed once
-- per change instead of per row and per query: `head` (A: name; B: category, tags and short
-- description), small enough to stay inline and be ranked cheaply, and `body` (C: long
-- description; D: session titles and objectives, bonuses), only ever looked up in its index.
-- The school's tables are only read:
-- `PostgresCourseRepository` refreshes these rows from them at each connection, every 30 s
-- from the search path and after `db load-catalog`, rewriting only the courses whose row
-- changed (`digest`: md5 of the course as search reads it). No foreign key: nothing is
-- attached to the school's tables.
CREATE TABLE IF NOT EXISTS course_search_documents (
    id_course    uuid PRIMARY KEY,
    head         tsvector NOT NULL,
    body         tsvector NOT NULL,
    digest       TEXT NOT NULL,
    refreshed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_course_search_documents_head ON course_search_documents USING gin (head);
CREATE INDEX IF NOT EXISTS idx_course_search_documents_body ON course_search_documents USING gin (body);

-- Search no longer reads course_metadata's text through these expressions (the documents
-- above hold category and tags): keeping them would only slow `db load-catalog`.
DROP INDEX IF EXISTS idx_course_metadata_search_tsv;
DROP INDEX IF EXISTS idx_course_metadata_search_trgm;
