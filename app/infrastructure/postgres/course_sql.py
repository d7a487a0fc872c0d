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
        courses whose text changed, drop those gone or hidden. Returns (written, removed)."""
        document = (
            "setweight(to_tsvector('spanish', advisor_unaccent(t.name)), 'A') || "
            "setweight(to_tsvector('spanish', advisor_unaccent(t.summary)), 'B') || "
            "setweight(to_tsvector('spanish', advisor_unaccent(t.description)), 'C') || "
            "setweight(to_tsvector('spanish', advisor_unaccent(t.extras)), 'D')"
        )
        return f"""
WITH source AS ({self._source_text()}
),
texts AS (
    SELECT source.*, md5(name || chr(31) || summary || chr(31) || description || chr(31) || extras) AS digest
    FROM source
),
written AS (
    INSERT INTO course_search_documents AS d (id_course, name_text, document, digest, refreshed_at)
    SELECT t.id, advisor_unaccent(lower(t.name)), {document}, t.digest, now()
    FROM texts t LEFT JOIN course_search_documents e ON e.id_course = t.id
    WHERE e.digest IS DISTINCT FROM t.digest
    ON CONFLICT (id_course) DO UPDATE SET name_text = EXCLUDED.name_text, document = EXCLUDED.document,
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
        """Courses worth ranking for a query, most promising first.

        $1: a to_tsquery expression (search_terms.SearchTerms.tsquery), $2: words for trigram
        similarity (text[]), $3: how many. Both sources are index lookups on the stored
        documents (course_search_documents), ranked by ts_rank over the stored, weighted
        vectors: nothing is computed from the course text per row or per query. Only the
        chosen few are then read from the school's tables.
        """
        return f"""
WITH q AS (SELECT to_tsquery('spanish', advisor_unaccent($1)) AS tsq),
hits AS (
    SELECT d.id_course AS id, ts_rank(d.document, q.tsq)::float8 AS score
    FROM course_search_documents d, q WHERE d.document @@ q.tsq
    UNION ALL
    SELECT d.id_course, 0.5::float8
    FROM unnest($2::text[]) AS t(term) JOIN course_search_documents d ON t.term <% d.name_text
),
chosen AS (
    SELECT h.id, sum(h.score) AS score FROM hits h GROUP BY h.id
    ORDER BY score DESC, h.id LIMIT $3
)
{self._select(complete=False, bonuses=True)}
JOIN chosen ON chosen.id = {self._c('id')}
WHERE {self.visible}
ORDER BY chosen.score DESC, {self._c('id')}"""

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
{self._select(complete=False)}
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
