"""The CourseRepository port over the school's course tables.

Search and recommendations take two steps: one SQL statement ranks the stored search documents
(Spanish full text without accents; misspelt words corrected against the names) and returns a
bounded set of candidates, then the domain ranking (app.domain.course_search) orders them, the
same function that orders the JSON catalogue. The same query therefore puts the same course
first in both stores, and what the database adds is speed: it never scans the catalogue in
Python.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

from app.domain.course_search import DEFAULT_TOPICS, parse_level, rank_courses, recommend_courses
from app.domain.courses import Course, CourseFilters, CourseStatistics, Level, Modality
from app.domain.focus import CourseNames
from app.domain.recommendations import StudentProfile, recommend_for_student, role_topics, target_level
from app.domain.text import normalize
from app.infrastructure.postgres.catalog_schema import CATALOG_TABLES, INTROSPECTION_SQL, CatalogSchema
from app.infrastructure.postgres.catalog_version import catalog_version_sql
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.course_rows import course_from_row, courses_from_rows
from app.infrastructure.postgres.course_sql import CourseSql
from app.infrastructure.postgres.errors import DatabaseQueryError
from app.infrastructure.postgres.search_terms import SearchTerms, search_terms

logger = logging.getLogger(__name__)

# Candidates ranked in Python per query: enough that the ranking's favourite is always among
# them (the parity tests check it), few enough that a message costs about the same on any
# catalogue: the stored documents are ranked by weight and rarity much as the domain ranks.
CANDIDATES = 30
_LEVEL_RANK = {Level.PRINCIPIANTE: 0, Level.INTERMEDIO: 1, Level.AVANZADO: 2}
_PAGE = 200
DEFAULTS_TTL = 60.0
NAMES_TTL = 60.0
SEARCH_REFRESH_TTL = 30.0
MAX_CACHED_COURSES = 20_000


async def read_catalog_schema(client: PostgresClient) -> CatalogSchema:
    rows = await client.fetch(INTROSPECTION_SQL, list(CATALOG_TABLES))
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["table_name"], []).append(row["column_name"])
    return CatalogSchema.from_columns(found)


class PostgresCourseRepository:
    """Courses from ai_courses, ai_course_session, ai_tema_activity, bond (+ course_metadata)."""

    def __init__(self, client: PostgresClient, *, candidates: int = CANDIDATES) -> None:
        self._client = client
        self._candidates = candidates
        self._sql: CourseSql | None = None
        self._defaults: dict[Level, tuple[float, list[Course]]] = {}
        self._names: tuple[float, tuple[tuple[str, str], ...]] | None = None
        self._refreshed_at = float("-inf")
        self._spelling: tuple[tuple[tuple[str, str], ...], CourseNames] | None = None
        # Courses as last read for search, by id: (digest of the row, Course).
        self._read: dict[str, tuple[str, Course | None]] = {}

    async def prepare(self) -> CatalogSchema:
        """Read which catalogue columns exist; call after connecting (and reconnecting)."""
        schema = await read_catalog_schema(self._client)
        missing = schema.missing_required()
        if missing:
            raise DatabaseQueryError(f"the course catalogue cannot be read: missing {', '.join(missing)}")
        optional = schema.missing_optional()
        if optional:
            logger.info("course tables lack %s; those fields are read as empty", ", ".join(optional))
        self._sql = CourseSql(schema)
        self._defaults = {}
        self._names = None
        self._read = {}
        await self.refresh_search_documents()
        return schema

    async def refresh_search_documents(self) -> int:
        """Rewrite the stored search documents of the courses whose text changed (and drop
        those gone); the number of documents written or dropped."""
        row = await self._client.fetchrow(self.sql.refresh_search_documents, time_limit=120)
        self._refreshed_at = time.monotonic()
        changed = int(row["written"]) + int(row["removed"]) if row is not None else 0
        if changed:
            logger.info("course search documents refreshed: %d written, %d removed", row["written"], row["removed"])
        return changed

    async def _refresh_if_stale(self) -> None:
        """Courses written to the school's tables by other programs are searchable within
        SEARCH_REFRESH_TTL seconds: one statement that rewrites only what changed."""
        if time.monotonic() - self._refreshed_at > SEARCH_REFRESH_TTL:
            await self.refresh_search_documents()

    @property
    def sql(self) -> CourseSql:
        if self._sql is None:
            raise DatabaseQueryError("the course repository was used before prepare()")
        return self._sql

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]:
        if limit <= 0:
            return []
        filters = filters or CourseFilters()
        values = [
            _sql_normalized(value)
            for value in (
                filters.level.value if filters.level else None,
                filters.modality.value if filters.modality else None,
                filters.category,
            )
            if value is not None
        ]
        statement = self.sql.listing(
            level=filters.level is not None,
            modality=filters.modality is not None,
            category=filters.category is not None,
        )
        if filters.max_price is None:
            rows = await self._client.fetch(statement, 0, limit, *values)
            return _by_name(courses_from_rows(rows))
        return await self._within_budget(statement, values, filters.max_price, limit)

    async def _within_budget(self, statement: str, values: list[Any], budget: Decimal, limit: int) -> list[Course]:
        # Prices are free text: parse_price reads them in Python, page by page, until enough.
        selected: list[Course] = []
        offset = 0
        while len(selected) < limit:
            rows = await self._client.fetch(statement, offset, _PAGE, *values)
            page = courses_from_rows(rows)
            selected.extend(c for c in page if c.price_amount is not None and c.price_amount <= budget)
            if len(rows) < _PAGE:
                break
            offset += _PAGE
        return _by_name(selected)[:limit]

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        """Courses matching the text, most relevant first; accent- and typo-tolerant."""
        terms = await self._terms([search_text])
        if limit <= 0 or terms.is_empty:
            return []
        candidates = await self._candidates_for(terms)
        return rank_courses(candidates, search_text, limit, catalogue_size=await self._catalogue_size())

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        """The course with its sessions, activities and bonuses, in one statement."""
        try:
            key = uuid.UUID(course_id)
        except (ValueError, AttributeError, TypeError):
            return None  # ids are UUIDs here: anything else cannot name a course
        row = await self._client.fetchrow(self.sql.complete_course, key)
        return course_from_row(row) if row is not None else None

    async def get_recommended_courses(
        self,
        user_interests: list[str],
        user_level: str | None = None,
        limit: int = 3,
        *,
        role: str | None = None,
        message: str = "",
    ) -> list[Course]:
        """The domain's recommendations, over candidates for the interests, else for its defaults.

        The domain recommends from the interests when any course matches them, and only
        otherwise from its flagship subjects and the courses nearest the level; the same
        order is followed here, so the broad (slow) default candidates are fetched only when
        the interests match nothing, and are then reused for DEFAULTS_TTL seconds.
        """
        if limit <= 0:
            return []
        if role is not None or message:
            student = StudentProfile(message=message, interests=tuple(user_interests), role=role, level=user_level)
            return await self._recommend_for_student(student, limit)
        interests = await self._terms(user_interests)
        if not interests.is_empty:
            matching = await self._candidates_for(interests)
            size = await self._catalogue_size()
            if rank_courses(matching, " ".join(user_interests), 1, catalogue_size=size):
                return recommend_courses(matching, user_interests, user_level, limit, catalogue_size=size)
        defaults = await self._default_candidates(parse_level(user_level) or Level.PRINCIPIANTE, limit)
        size = await self._catalogue_size()
        return recommend_courses(defaults, user_interests, user_level, limit, catalogue_size=size)

    async def _recommend_for_student(self, student: StudentProfile, limit: int) -> list[Course]:
        """Candidates for the message, the interests and the role's subjects, plus the level's
        flagship courses (cached) that fill the places left; the domain orders them all."""
        profile = [*student.interests, *role_topics(student.role), student.role or ""]
        wanted = await self._terms([student.message, *profile])
        matching = await self._candidates_for(wanted) if not wanted.is_empty else []
        defaults = await self._default_candidates(target_level(student) or Level.PRINCIPIANTE, limit)
        size = await self._catalogue_size()
        return recommend_for_student(_unique(matching, defaults), student, limit, catalogue_size=size)

    async def _default_candidates(self, level: Level, limit: int) -> list[Course]:
        """Flagship-subject courses and the courses nearest the level: the same for everyone.

        Cached per level; a course added since shows in searches at once and among these
        suggestions within DEFAULTS_TTL seconds.
        """
        now = time.monotonic()
        cached = self._defaults.get(level)
        if cached is not None and now - cached[0] <= DEFAULTS_TTL and len(cached[1]) >= limit:
            return cached[1]
        async with self._client.connection() as connection:
            flagship = await self._candidates_for(await self._terms(DEFAULT_TOPICS), connection)
            rows = await connection.fetch(self.sql.nearest_level(), _LEVEL_RANK[level], 3 * max(limit, 10))
        courses = _unique(flagship, courses_from_rows(rows))
        self._defaults[level] = (now, courses)
        return courses

    async def get_course_statistics(self) -> CourseStatistics:
        rows = await self._client.fetch(self.sql.statistics)
        return _statistics(rows)

    async def get_course_names(self) -> tuple[tuple[str, str], ...]:
        """Every visible course's name, read again at most every NAMES_TTL seconds: a message
        names a course by the words that set it apart in the whole catalogue."""
        now = time.monotonic()
        if self._names is not None and now - self._names[0] <= NAMES_TTL:
            return self._names[1]
        rows = await self._client.fetch(self.sql.course_names)
        names = tuple((str(row["id"]), str(row["name"])) for row in rows)
        self._names = (now, names)
        return names

    async def _terms(self, phrases: Sequence[str]) -> SearchTerms:
        """The candidate query's terms, misspelt words also searched as the catalogue's name
        words they stand for ("pyton" -> "python")."""
        names = await self.get_course_names()
        if self._spelling is None or self._spelling[0] is not names:
            self._spelling = (names, CourseNames(names))
        return search_terms(phrases, self._spelling[1].spellings)

    async def _catalogue_size(self) -> int:
        return len(await self.get_course_names())

    async def count_courses(self) -> int:
        return int(await self._client.fetchval(self.sql.visible_count))

    async def catalog_version(self) -> str:
        """A fingerprint of the course tables' contents: equal fingerprints, same catalogue."""
        return str(await self._client.fetchval(catalog_version_sql(self.sql.schema), time_limit=60))

    async def export_pages(self, page_size: int = 200) -> AsyncIterator[list[Course]]:
        """Every visible course with everything it has, by id, a page at a time (for the snapshot)."""
        last = ""
        while True:
            rows = await self._client.fetch(self.sql.complete_courses_page, last, page_size, time_limit=60)
            yield courses_from_rows(rows)
            if len(rows) < page_size:
                return
            last = str(rows[-1]["id"])

    async def _candidates_for(self, terms: SearchTerms, connection: Any = None) -> list[Course]:
        """The courses the stored documents rank best for the terms, best first. A course whose
        row is unchanged since it was last read (same digest) is not read again."""
        await self._refresh_if_stale()
        fetch = connection.fetch if connection is not None else self._client.fetch
        ranked = await fetch(self.sql.candidates, terms.tsquery, self._candidates)
        wanted = [(str(row["id"]), str(row["digest"])) for row in ranked]
        missing = [course_id for course_id, digest in wanted if self._read.get(course_id, ("", None))[0] != digest]
        if missing:
            rows = await fetch(self.sql.candidate_courses, [uuid.UUID(course_id) for course_id in missing])
            digests = dict(wanted)
            if len(self._read) + len(rows) > MAX_CACHED_COURSES:
                self._read.clear()
            for course in courses_from_rows(rows):
                self._read[course.id] = (digests[course.id], course)
        return [course for course_id, _ in wanted if (course := self._read.get(course_id, ("", None))[1]) is not None]


def _unique(*pools: list[Course]) -> list[Course]:
    return list({course.id: course for pool in pools for course in pool}.values())


def _sql_normalized(value: str) -> str:
    """normalize() as the SQL side computes it (advisor_unaccent also drops the ñ's tilde)."""
    return normalize(value).replace("ñ", "n")


def _by_name(courses: Sequence[Course]) -> list[Course]:
    return sorted(courses, key=lambda c: (normalize(c.name), c.id))


def _statistics(rows: Sequence[Any]) -> CourseStatistics:
    by_level: dict[str, int] = {}
    by_modality: dict[str, int] = {}
    prices: list[Decimal] = []
    currencies: set[str] = set()
    total = 0
    sessions = 0
    for row in rows:
        count = int(row["courses"])
        total += count
        sessions = int(row["total_sessions"])
        for bucket, value, vocabulary in ((by_level, row["level"], Level), (by_modality, row["modality"], Modality)):
            key = _canonical(value, vocabulary)
            if key:
                bucket[key] = bucket.get(key, 0) + count
        probe = Course(id="-", name="-", price=row["price"])
        if probe.price_amount is not None:
            prices.append(probe.price_amount)
        if row["currency"] and row["currency"].strip():
            currencies.add(row["currency"].strip())
    return CourseStatistics(
        total_courses=total,
        by_level=dict(sorted(by_level.items())),
        by_modality=dict(sorted(by_modality.items())),
        min_price=min(prices, default=None),
        max_price=max(prices, default=None),
        currencies=tuple(sorted(currencies)),
        total_sessions=sessions,
    )


def _canonical(value: str | None, vocabulary: type[Level] | type[Modality]) -> str | None:
    """The enum spelling of a stored level or modality ("hibrido" -> "híbrido"), else the text."""
    if value is None or not value.strip():
        return None
    for member in vocabulary:
        if normalize(member.value) == normalize(value):
            return member.value
    return value.strip()
