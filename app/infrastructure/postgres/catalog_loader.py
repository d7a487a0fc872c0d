"""`db load-catalog`: a JSON catalogue upserted into the school's four course tables.

Idempotent: loading the same file twice changes nothing the second time. It only inserts and
updates the rows the file describes, never deletes, and never takes over a row that belongs
to another course (a session or bonus id already used elsewhere is reported and left alone).
Fields the guide's tables have no column for (category, tags) go to the bot's own
course_metadata table.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Literal

import psycopg
from pydantic import BaseModel, Field

from app.application.errors import StoreUnavailableError
from app.domain.courses import Course, CourseSession
from app.infrastructure.postgres.catalog_schema import (
    ACTIVITIES,
    BONDS,
    CATALOG_TABLES,
    COURSES,
    METADATA,
    SESSIONS,
    CatalogSchema,
    quote_identifier,
)
from app.infrastructure.postgres.course_sql import CourseSql
from app.infrastructure.postgres.errors import DatabaseQueryError
from app.infrastructure.postgres.sync_client import SyncDatabase

logger = logging.getLogger(__name__)

# Ids that are not UUIDs ("c-python") become stable UUIDs derived from them.
ID_NAMESPACE = uuid.UUID("6f1d3a52-2c55-4b8e-9a51-5c2d2f0e7a10")
Progress = Callable[[int, int], None]
Outcome = Literal["inserted", "updated", "unchanged", "taken"]


class CatalogLoadReport(BaseModel):
    courses_inserted: int = 0
    courses_updated: int = 0
    courses_unchanged: int = 0
    sessions: int = 0
    activities: int = 0
    bonuses: int = 0
    metadata_rows: int = 0
    derived_ids: dict[str, str] = Field(default_factory=dict)  # file id -> UUID stored
    skipped: list[str] = Field(default_factory=list)
    statistics_problem: str | None = None  # ANALYZE failed; autovacuum will do it later

    @property
    def courses(self) -> int:
        return self.courses_inserted + self.courses_updated + self.courses_unchanged


def stored_id(raw: str, kind: str, report: CatalogLoadReport | None = None) -> uuid.UUID:
    """The UUID a catalogue id is stored under: itself, or a UUIDv5 derived from it."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        derived = uuid.uuid5(ID_NAMESPACE, f"{kind}:{raw}")
        if report is not None:
            report.derived_ids[f"{kind} {raw}"] = str(derived)
        return derived


def read_schema(connection: psycopg.Connection) -> CatalogSchema:
    rows = connection.execute(INTROSPECTION_SQL_PSYCOPG, (list(CATALOG_TABLES),)).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return CatalogSchema.from_columns(found)


INTROSPECTION_SQL_PSYCOPG = """
SELECT t.name, a.attname
FROM unnest(%s::text[]) AS t(name)
JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) AND a.attnum > 0 AND NOT a.attisdropped
"""


def load_catalog_into(
    database: SyncDatabase, courses: Sequence[Course], progress: Progress | None = None
) -> CatalogLoadReport:
    """Upsert every course (sessions, activities, bonuses, metadata) in one transaction."""
    report = CatalogLoadReport()
    with database.transaction() as connection:
        schema = read_schema(connection)
        _require_tables(schema)
        writer = _Writer(connection, schema, report)
        for done, course in enumerate(courses, start=1):
            writer.course(course)
            if progress is not None:
                progress(done, len(courses))
        writer.advance_bond_identity()
        # The courses are searchable at once, in the same transaction.
        connection.execute(CourseSql(schema).refresh_search_documents)
    _refresh_statistics(database, report)
    return report


# The bot's search documents, rewritten by the load (migration 0020).
SEARCH_DOCUMENTS = "course_search_documents"


def _refresh_statistics(database: SyncDatabase, report: CatalogLoadReport) -> None:
    """Planner statistics for the rows just written.

    Until autovacuum reaches freshly loaded tables the planner knows nothing of them, and
    every course search cost PostgreSQL about six times the CPU. The rows are committed
    already, so a failure here (a role that may write but not ANALYZE) is only reported.
    """
    tables = ", ".join([*(quote_identifier(table) for table in CATALOG_TABLES), SEARCH_DOCUMENTS])
    try:
        with database.connection() as connection:
            connection.execute(f"ANALYZE {tables}")
    except StoreUnavailableError as error:
        report.statistics_problem = str(error)


def _require_tables(schema: CatalogSchema) -> None:
    missing = [t for t in (COURSES, SESSIONS, ACTIVITIES, BONDS, METADATA) if not schema.has_table(t)]
    missing += schema.missing_required()
    if missing:
        raise DatabaseQueryError(
            f"missing {', '.join(dict.fromkeys(missing))}: create the course tables "
            "(psql -f estructura_db.sql) and run `python -m app db init` first"
        )


class _Writer:
    """Upserts through only the columns this database has."""

    def __init__(self, connection: psycopg.Connection, schema: CatalogSchema, report: CatalogLoadReport) -> None:
        self._connection = connection
        self._schema = schema
        self._report = report
        self._max_bond_id = 0

    def course(self, course: Course) -> None:
        course_id = stored_id(course.id, "course", self._report)
        values = {
            "id": course_id,
            "name": course.name,
            "short_description": course.short_description,
            "long_description": course.long_description,
            "session_count": course.session_count,
            "price": course.price,
            "currency": course.currency,
            "level": course.level,
            # NOT NULL in the guide's table: an unknown modality is stored as empty text.
            "modality": course.modality or "",
            "total_duration_min": course.duration_hours * 60 if course.duration_hours is not None else None,
            "start_date": course.start_date,
        }
        insert_only = {"status": "active"} if self._schema.has(COURSES, "status") else {}
        outcome = self._upsert(COURSES, values, insert_only=insert_only, owner=None)
        if outcome == "inserted":
            self._report.courses_inserted += 1
        elif outcome == "updated":
            self._report.courses_updated += 1
        else:
            self._report.courses_unchanged += 1
        for session in course.sessions:
            self._session(course_id, session)
        for bonus in course.bonuses:
            self._bonus(course_id, bonus.id, bonus.content, bonus.bonus_type)
        self._metadata(course_id, course)

    def _session(self, course_id: uuid.UUID, session: CourseSession) -> None:
        session_id = stored_id(session.id, "session", self._report)
        values = {
            "id": session_id,
            "course_id": course_id,
            "index": session.index,
            "title": session.title,
            "objective": session.objective,
            "duration_minutes": session.duration_minutes,
            "scheduled_at": session.starts_on,
        }
        if self._upsert(SESSIONS, values, owner="course_id") == "taken":
            self._report.skipped.append(f"session {session.id}: the id belongs to another course")
            return
        self._report.sessions += 1
        for position, activity in enumerate(session.activities, start=1):
            activity_values = {
                "id": stored_id(activity.id, "activity", self._report),
                "course_id": course_id,
                "session_id": session_id,
                "position": position,
                "item_type": activity.item_type or "",
                "title": activity.title,
            }
            if self._upsert(ACTIVITIES, activity_values, owner="session_id") == "taken":
                self._report.skipped.append(f"activity {activity.id}: the id belongs to another session")
            else:
                self._report.activities += 1

    def _bonus(self, course_id: uuid.UUID, bonus_id: int, content: str, bonus_type: str | None) -> None:
        values = {"id": bonus_id, "course_id": course_id, "content": content, "bonus_type": bonus_type or ""}
        if self._upsert(BONDS, values, owner="course_id", overriding=True) == "taken":
            self._report.skipped.append(f"bonus {bonus_id}: the id belongs to another course")
            return
        self._report.bonuses += 1
        self._max_bond_id = max(self._max_bond_id, bonus_id)

    def _metadata(self, course_id: uuid.UUID, course: Course) -> None:
        search_text = " | ".join([course.category or "", *course.tags]).strip(" |")
        self._connection.execute(
            """
            INSERT INTO course_metadata (id_course, category, tags, search_text, updated_at)
            VALUES (%s, %s, %s, %s, now())
            ON CONFLICT (id_course) DO UPDATE SET category = EXCLUDED.category, tags = EXCLUDED.tags,
                search_text = EXCLUDED.search_text, updated_at = now()
            WHERE (course_metadata.category, course_metadata.tags, course_metadata.search_text)
                  IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.tags, EXCLUDED.search_text)
            """,
            (course_id, course.category, list(course.tags), search_text),
        )
        self._report.metadata_rows += 1

    def advance_bond_identity(self) -> None:
        """Explicit bond ids skip the identity sequence; move it past them for later inserts."""
        if not self._max_bond_id:
            return
        id_column = self._schema.tables[BONDS]["id"]
        sequence = self._connection.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", (BONDS, id_column)
        ).fetchone()
        if sequence and sequence[0]:
            self._connection.execute(
                f"SELECT setval(%s, greatest((SELECT max({quote_identifier(id_column)}) FROM {BONDS}), 1))",
                (sequence[0],),
            )

    def _upsert(
        self,
        table: str,
        values: dict[str, Any],
        *,
        owner: str | None,
        insert_only: dict[str, Any] | None = None,
        overriding: bool = False,
    ) -> Outcome:
        """INSERT .. ON CONFLICT (id) DO UPDATE, only where something changed and the owner matches."""
        columns = self._schema.tables[table]
        present = {field: value for field, value in values.items() if field in columns}
        extra = {columns.get(field, field): value for field, value in (insert_only or {}).items()}
        names = [quote_identifier(columns[field]) for field in present] + [quote_identifier(n) for n in extra]
        key = quote_identifier(columns["id"])
        updated = [quote_identifier(columns[field]) for field in present if field != "id"]
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in updated)
        # Rewriting an identical row would still bump it; only real changes are written.
        guard = "(" + " OR ".join(f"{table}.{name} IS DISTINCT FROM EXCLUDED.{name}" for name in updated) + ")"
        if owner is not None and owner in columns:
            owner_column = quote_identifier(columns[owner])
            guard = f"{table}.{owner_column} = EXCLUDED.{owner_column} AND {guard}"
        override = " OVERRIDING SYSTEM VALUE" if overriding else ""
        placeholders = ", ".join(["%s"] * len(names))
        statement = (
            f"INSERT INTO {table} ({', '.join(names)}){override} VALUES ({placeholders})\n"
            f"ON CONFLICT ({key}) DO UPDATE SET {updates} WHERE {guard}\n"
            "RETURNING (xmax = 0) AS inserted"
        )
        row = self._connection.execute(statement, [*present.values(), *extra.values()]).fetchone()
        if row is not None:
            return "inserted" if row[0] else "updated"
        if owner is None or owner not in columns:
            return "unchanged"
        # No row back: either nothing changed, or the id belongs to another course or session.
        existing = self._connection.execute(
            f"SELECT {quote_identifier(columns[owner])} FROM {table} WHERE {key} = %s", (present["id"],)
        ).fetchone()
        return "unchanged" if existing is not None and existing[0] == present[owner] else "taken"
