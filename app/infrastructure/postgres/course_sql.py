"""SQL over the school's course tables, built once per database from its real columns.

The search expressions here are exactly the ones indexed in estructura_db.sql; PostgreSQL
only uses an expression index when the query repeats the expression, so change both together.
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
    def course_tsv(self) -> str:
        return (
            f"to_tsvector('spanish', advisor_unaccent(coalesce({self._c('name')}, '') || ' ' || "
            f"coalesce({self._c('short_description')}, '') || ' ' || coalesce({self._c('long_description')}, '')))"
        )

    @cached_property
    def course_trgm(self) -> str:
        # The name only: typos matter most there, and short texts keep the similarity
        # recheck cheap (descriptions are still searched by full text).
        return f"advisor_unaccent(lower(coalesce({self._c('name')}, '')))"

    @cached_property
    def session_tsv(self) -> str:
        return f"to_tsvector('spanish', advisor_unaccent(coalesce({self._s('title')}, '')))"

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

    def _select(self, *, complete: bool) -> str:
        bonuses = self._bonuses_json() if complete else "'[]'::json AS bonuses"
        return (
            f"SELECT {self._course_columns},\n       {self._sessions_json(with_activities=complete)},\n"
            f"       {bonuses}\nFROM {self._from_courses}"
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

    @cached_property
    def candidates(self) -> str:
        """Courses worth ranking for a query, most promising first.

        $1: a to_tsquery expression (search_terms.SearchTerms.tsquery), $2: words for trigram
        similarity (text[]), $3: how many. Every source is an index lookup; scores are fixed
        per source instead of ts_rank(), which would rebuild each matching row's tsvector
        (hundreds of milliseconds when a common word matches thousands of courses). Matches in
        the name count double and shorter names come first, as in the domain ranking, where a
        name the query covers better scores higher.
        """
        sessions = ""
        if self.schema.has_table(SESSIONS) and self.schema.has(SESSIONS, "course_id"):
            sessions = f"""
    UNION ALL
    SELECT DISTINCT {self._s('course_id')}, 0.5::float8
    FROM {SESSIONS} s, q WHERE {self.session_tsv} @@ q.tsq"""
        metadata = ""
        if self._has_metadata:
            metadata = """
    UNION ALL
    SELECT m.id_course, 2::float8
    FROM course_metadata m, q WHERE to_tsvector('spanish', advisor_unaccent(m.search_text)) @@ q.tsq
    UNION ALL
    SELECT m.id_course, 1::float8
    FROM unnest($2::text[]) AS t(term)
    JOIN course_metadata m ON t.term <% advisor_unaccent(lower(m.search_text))"""
        name_hit = f"to_tsvector('spanish', advisor_unaccent(coalesce({self._c('name')}, ''))) @@ q.tsq"
        return f"""
WITH q AS (SELECT to_tsquery('spanish', advisor_unaccent($1)) AS tsq),
hits AS (
    SELECT {self._c('id')} AS id, CASE WHEN {name_hit} THEN 4 ELSE 2 END::float8 AS score
    FROM {COURSES} c, q WHERE {self.course_tsv} @@ q.tsq
    UNION ALL
    SELECT {self._c('id')}, 1.5::float8
    FROM unnest($2::text[]) AS t(term)
    JOIN {COURSES} c ON t.term <% {self.course_trgm}{sessions}{metadata}
),
best AS (
    SELECT h.id, sum(h.score) AS score FROM hits h WHERE h.id IS NOT NULL GROUP BY h.id
),
chosen AS (
    SELECT best.id, best.score FROM best JOIN {COURSES} c ON {self._c('id')} = best.id
    WHERE {self.visible}
    ORDER BY best.score DESC, length({self._c('name')}), {self._c('id')}
    LIMIT $3
)
{self._select(complete=False)}
JOIN chosen ON chosen.id = {self._c('id')}
ORDER BY chosen.score DESC, length({self._c('name')}), {self._c('id')}"""

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
    def visible_count(self) -> str:
        return f"SELECT count(*) FROM {COURSES} c WHERE {self.visible}"
