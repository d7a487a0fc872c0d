"""SQL over the school's course tables, built once per database from its real columns.

Search reads the bot's own stored documents (course_search_documents, migration 0020), which
`refresh_search_documents` derives from the school's tables; the school's tables only give
the chosen courses' fields.
"""

from __future__ import annotations

from functools import cached_property

from app.infrastructure.postgres.catalog_schema import (
    ACTIVITIES,
    BONDS,
    COURSES,
    HIDDEN_STATUSES,
    METADATA,
    SESSIONS,
    CatalogSchema,
)

# Candidate scores, per query word: a match in the name or summary counts most (plus its
# ts_rank); one in the longer texts adds a little, so that a need told in several words still
# ranks the course that describes it.
HEAD_MATCH = 0.5
BODY_WORD = 0.1


class CourseSql:
    """Statements for one CatalogSchema; each is a single round trip."""

    def __init__(self, schema: CatalogSchema) -> None:
        self.schema = schema

    def _c(self, field: str) -> str:
        return self.schema.column(COURSES, field, "c")

    def _s(self, field: str) -> str:
        return self.schema.column(SESSIONS, field, "s")

    def _a(self, field: str) -> str:
        return self.schema.column(ACTIVITIES, field, "a")

    def _b(self, field: str) -> str:
        return self.schema.column(BONDS, field, "b")

    @property
    def _has_metadata(self) -> bool:
        return self.schema.has_table(METADATA)

    # --- expressions -------------------------------------------------------------------------

    @cached_property
    def visible(self) -> str:
        """Courses the bot may show: named, and not hidden by their status."""
        name = self._c("name")
        conditions = [f"{name} IS NOT NULL", f"btrim({name}) <> ''"]
        if self.schema.has(COURSES, "status"):
            hidden = ", ".join(f"'{status}'" for status in HIDDEN_STATUSES)
            status = self._c("status")
            conditions.append(f"({status} IS NULL OR lower(btrim({status}::text)) NOT IN ({hidden}))")
        return " AND ".join(conditions)

    @cached_property
    def name_sort_key(self) -> str:
        """SQL approximation of domain.text.normalize(name), for ordering and paging."""
        return f"btrim(regexp_replace(lower(advisor_unaccent({self._c('name')})), '[^a-z0-9+#%$]+', ' ', 'g'))"

    @staticmethod
    def normalized(expression: str) -> str:
        return f"lower(advisor_unaccent(btrim({expression}::text)))"

    # --- building blocks ---------------------------------------------------------------------

    @cached_property
    def _course_columns(self) -> str:
        metadata = "m.category AS category, m.tags AS tags" if self._has_metadata else "NULL AS category, NULL AS tags"
        return ",\n       ".join(
            [
                f"{self._c('id')}::text AS id",
                f"{self._c('name')}::text AS name",
                f"{self._c('short_description')}::text AS short_description",
                f"{self._c('long_description')}::text AS long_description",
                f"{self._c('session_count')}::int AS session_count",
                f"{self._c('price')}::text AS price",
                f"{self._c('currency')}::text AS currency",
                f"{self._c('level')}::text AS level",
                f"{self._c('modality')}::text AS modality",
                f"{self._c('total_duration_min')}::bigint AS total_duration_min",
                f"{self._c('start_date')}::date AS start_date",
                metadata,
            ]
        )

    @cached_property
    def _from_courses(self) -> str:
        join = f" LEFT JOIN {METADATA} m ON m.id_course = {self._c('id')}" if self._has_metadata else ""
        return f"{COURSES} c{join}"

    def _sessions_json(self, with_activities: bool) -> str:
        if not self.schema.has_table(SESSIONS) or not self.schema.has(SESSIONS, "course_id"):
            return "'[]'::json AS sessions"
        activities = self._activities_json() if with_activities else "'[]'::json"
        return f"""(
           SELECT coalesce(json_agg(json_build_object(
                      'id', {self._s('id')}::text, 'index', {self._s('index')}, 'title', {self._s('title')}::text,
                      'objective', {self._s('objective')}::text, 'duration_minutes', {self._s('duration_minutes')},
                      'starts_on', {self._s('scheduled_at')}::date, 'activities', {activities})
                  ORDER BY {self._s('index')} NULLS LAST, {self._s('title')}, {self._s('id')}), '[]'::json)
           FROM {SESSIONS} s WHERE {self._s('course_id')} = {self._c('id')}
       ) AS sessions"""

    def _activities_json(self) -> str:
        if not self.schema.has_table(ACTIVITIES) or not self.schema.has(ACTIVITIES, "session_id"):
            return "'[]'::json"
        return f"""(
               SELECT coalesce(json_agg(json_build_object(
                          'id', {self._a('id')}::text, 'session_id', {self._a('session_id')}::text,
                          'item_type', {self._a('item_type')}::text, 'title', {self._a('title')}::text)
                      ORDER BY {self._a('position')} NULLS LAST, {self._a('title')}, {self._a('id')}), '[]'::json)
               FROM {ACTIVITIES} a WHERE {self._a('session_id')} = {self._s('id')})"""

    def _bonuses_json(self) -> str:
        if not self.schema.has_table(BONDS) or not self.schema.has(BONDS, "course_id"):
            return "'[]'::json AS bonuses"
        active = f" AND {self._b('active')} IS NOT FALSE" if self.schema.has(BONDS, "active") else ""
        return f"""(
           SELECT coalesce(json_agg(json_build_object(
                      'id', {self._b('id')}, 'content', {self._b('content')}::text,
                      'bonus_type', {self._b('bonus_type')}::text) ORDER BY {self._b('id')}), '[]'::json)
           FROM {BONDS} b WHERE {self._b('course_id')} = {self._c('id')}{active}
       ) AS bonuses"""

    def _select(self, *, complete: bool, bonuses: bool = False) -> str:
        """Courses with their sessions; activities and bonuses when `complete`, bonuses
        alone when `bonuses` (search ranks on them)."""
        bonuses_json = self._bonuses_json() if complete or bonuses else "'[]'::json AS bonuses"
        return (
            f"SELECT {self._course_columns},\n       {self._sessions_json(with_activities=complete)},\n"
            f"       {bonuses_json}\nFROM {self._from_courses}"
        )

    # --- statements --------------------------------------------------------------------------

    @cached_property
    def complete_course(self) -> str:
        """$1: course id (uuid). The course with sessions, activities and bonuses."""
        return f"{self._select(complete=True)}\nWHERE {self._c('id')} = $1::uuid AND {self.visible}"

    @cached_property
    def complete_courses_page(self) -> str:
        """$1: last id seen ('' to start), $2: page size. Every course, complete, by id."""
        return (
            f"{self._select(complete=True)}\nWHERE {self.visible} AND {self._c('id')}::text > $1\n"
            f"ORDER BY {self._c('id')}::text LIMIT $2"
        )

    def listing(self, *, level: bool, modality: bool, category: bool) -> str:
        """Filtered list by normalised name. Filters take $3.. in this order; $1 offset, $2 limit."""
        conditions = [self.visible]
        parameter = 3
        for wanted, expression in (
            (level, self._c("level")),
            (modality, self._c("modality")),
            (category, "m.category" if self._has_metadata else "NULL"),
        ):
            if wanted:
                conditions.append(f"{self.normalized(expression)} = ${parameter}")
                parameter += 1
        return (
            f"{self._select(complete=False)}\nWHERE {' AND '.join(conditions)}\n"
            f"ORDER BY {self.name_sort_key}, {self._c('id')} OFFSET $1 LIMIT $2"
        )

    def _source_text(self) -> str:
        """Each visible course's text by weight class, for its search document."""
        metadata = "coalesce(m.search_text, '')" if self._has_metadata else "''"
        syllabus = "''"
        if self.schema.has_table(SESSIONS) and self.schema.has(SESSIONS, "course_id"):
            syllabus = f"""coalesce((
               SELECT string_agg(
                          coalesce({self._s('title')}::text, '') || ' ' || coalesce({self._s('objective')}::text, ''),
                          ' ' ORDER BY {self._s('index')} NULLS LAST, {self._s('id')})
               FROM {SESSIONS} s WHERE {self._s('course_id')} = {self._c('id')}), '')"""
        bonuses = "''"
        if self.schema.has_table(BONDS) and self.schema.has(BONDS, "course_id"):
            active = f" AND {self._b('active')} IS NOT FALSE" if self.schema.has(BONDS, "active") else ""
            bonuses = f"""coalesce((
               SELECT string_agg({self._b('content')}::text, ' ' ORDER BY {self._b('id')})
               FROM {BONDS} b WHERE {self._b('course_id')} = {self._c('id')}{active}), '')"""
        return f"""
    SELECT {self._c('id')} AS id, coalesce({self._c('name')}::text, '') AS name,
           {metadata} || ' ' || coalesce({self._c('short_description')}::text, '') AS summary,
           coalesce({self._c('long_description')}::text, '') AS description,
           {syllabus} || ' ' || {bonuses} AS extras
    FROM {self._from_courses} WHERE {self.visible}"""

    @cached_property
    def refresh_search_documents(self) -> str:
        """Bring course_search_documents up to date with the school's tables: rewrite the
        courses whose row changed, drop those gone or hidden. Returns (written, removed).

        `digest` is the md5 of the course exactly as `candidate_courses` reads it (price,
        level, sessions, bonuses...), so a cached Course is reused only while it is current."""
        head = (
            "setweight(to_tsvector('spanish', advisor_unaccent(t.name)), 'A') || "
            "setweight(to_tsvector('spanish', advisor_unaccent(t.summary)), 'B')"
        )
        body = (
            "setweight(to_tsvector('spanish', advisor_unaccent(t.description)), 'C') || "
            "setweight(to_tsvector('spanish', advisor_unaccent(t.extras)), 'D')"
        )
        return f"""
WITH source AS ({self._source_text()}
),
shown AS (
    SELECT x.id, md5(row_to_json(x)::text) AS digest
    FROM ({self._select(complete=False, bonuses=True)} WHERE {self.visible}) x
),
texts AS (
    SELECT source.*, shown.digest FROM source JOIN shown ON shown.id = source.id::text
),
written AS (
    INSERT INTO course_search_documents AS d (id_course, head, body, digest, refreshed_at)
    SELECT t.id, {head}, {body}, t.digest, now()
    FROM texts t LEFT JOIN course_search_documents e ON e.id_course = t.id
    WHERE e.digest IS DISTINCT FROM t.digest
    ON CONFLICT (id_course) DO UPDATE SET head = EXCLUDED.head, body = EXCLUDED.body,
        digest = EXCLUDED.digest, refreshed_at = EXCLUDED.refreshed_at
    RETURNING 1
),
removed AS (
    DELETE FROM course_search_documents e WHERE NOT EXISTS (SELECT 1 FROM source s WHERE s.id = e.id_course)
    RETURNING 1
)
SELECT (SELECT count(*) FROM written) AS written, (SELECT count(*) FROM removed) AS removed"""

    @cached_property
    def candidates(self) -> str:
        """Courses worth ranking for a query, most promising first: (id, digest, score).

        $1: a to_tsquery expression (search_terms.SearchTerms.tsquery, alternatives joined by
        " | "; misspelt words already corrected against the catalogue's names), $2: how many.
        Each word of the query is looked up in the indexes of the stored documents
        (course_search_documents): ranked by ts_rank over the small `head` vectors (name,
        tags, category, short description) where it is there, plus a little where the longer
        texts (`body`) contain it, found in body's index without reading body itself; the
        best are chosen before anything else is read. Nothing is computed from course
        text, and the school's tables are not read (`candidate_courses` reads the courses
        whose copy is not current).
        """
        return f"""
WITH words AS (
    SELECT to_tsquery('spanish', advisor_unaccent(w)) AS tsq FROM unnest(string_to_array($1, ' | ')) AS w
),
hits AS (
    SELECT d.id_course AS id, ts_rank(d.head, words.tsq)::float8 + {HEAD_MATCH} AS score
    FROM words JOIN course_search_documents d ON d.head @@ words.tsq
    UNION ALL
    SELECT d.id_course, {BODY_WORD}::float8 FROM words JOIN course_search_documents d ON d.body @@ words.tsq
),
chosen AS (
    SELECT h.id, sum(h.score) AS score FROM hits h GROUP BY h.id ORDER BY score DESC, h.id LIMIT $2
)
SELECT chosen.id::text AS id, d.digest, chosen.score
FROM chosen JOIN course_search_documents d ON d.id_course = chosen.id
ORDER BY chosen.score DESC, chosen.id"""

    @cached_property
    def candidate_courses(self) -> str:
        """$1: course ids (uuid[]). Those visible courses, with sessions and bonuses."""
        listed = self._select(complete=False, bonuses=True)
        return f"{listed}\nWHERE {self._c('id')} = ANY($1::uuid[]) AND {self.visible}"

    def nearest_level(self) -> str:
        """$1: level rank (0 beginner .. 2 advanced), $2: how many. Courses nearest that level.

        Candidates only (the domain orders them exactly), so the order uses plain lower():
        normalising every name of a large catalogue in SQL costs more than the query.
        """
        level = f"lower(btrim({self._c('level')}::text))"
        rank = (
            f"CASE {level} WHEN 'principiante' THEN 0 WHEN 'basico' THEN 0 WHEN 'básico' THEN 0 "
            f"WHEN 'intermedio' THEN 1 WHEN 'avanzado' THEN 2 ELSE NULL END"
        )
        distance = f"coalesce(abs(({rank}) - $1), 1)"
        # Choose on ai_courses alone; join the rest for the chosen few only.
        return f"""
WITH chosen AS (
    SELECT {self._c('id')} AS id, {distance} AS distance, lower({self._c('name')}) AS sort_name
    FROM {COURSES} c WHERE {self.visible}
    ORDER BY distance, sort_name, id LIMIT $2
)
{self._select(complete=False, bonuses=True)}
JOIN chosen ON chosen.id = {self._c('id')}
ORDER BY chosen.distance, chosen.sort_name, chosen.id"""

    @cached_property
    def statistics(self) -> str:
        """Counts per (level, modality, price, currency), and the number of sessions."""
        sessions = "0"
        if self.schema.has_table(SESSIONS) and self.schema.has(SESSIONS, "course_id"):
            sessions = (
                f"(SELECT count(*) FROM {SESSIONS} s JOIN {COURSES} c ON {self._c('id')} = {self._s('course_id')} "
                f"WHERE {self.visible})"
            )
        return f"""
SELECT {self._c('level')}::text AS level, {self._c('modality')}::text AS modality,
       {self._c('price')}::text AS price, {self._c('currency')}::text AS currency,
       count(*) AS courses, {sessions} AS total_sessions
FROM {COURSES} c WHERE {self.visible}
GROUP BY 1, 2, 3, 4"""

    @cached_property
    def course_names(self) -> str:
        """(id, name) of every visible course, by id: what a message may name."""
        return (
            f"SELECT {self._c('id')}::text AS id, {self._c('name')}::text AS name "
            f"FROM {COURSES} c WHERE {self.visible} ORDER BY 1"
        )

    @cached_property
    def visible_count(self) -> str:
        return f"SELECT count(*) FROM {COURSES} c WHERE {self.visible}"
