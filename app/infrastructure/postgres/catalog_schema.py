"""Which of the guide's course columns this database really has, and SQL built from them.

The school's tables are read as they are: only ai_courses.id_course and ai_courses.Name are
required. Every other column is used when present and read as NULL when absent, and names
are matched case-insensitively (a table created with quoted "Name" works as well as one with
the guide's unquoted names). Nothing here ever changes the school's tables.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

COURSES = "ai_courses"
SESSIONS = "ai_course_session"
ACTIVITIES = "ai_tema_activity"
BONDS = "bond"
METADATA = "course_metadata"  # the bot's own table (migration 0003)
CATALOG_TABLES = (COURSES, SESSIONS, ACTIVITIES, BONDS, METADATA)

# Logical field -> accepted column names, the guide's first. The guide misspells
# Long_descrption; a corrected column is accepted too.
_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    COURSES: {
        "id": ("id_course",),
        "name": ("name",),
        "short_description": ("short_description",),
        "long_description": ("long_descrption", "long_description"),
        "session_count": ("session_count",),
        "price": ("price",),
        "currency": ("currency",),
        "level": ("level",),
        "modality": ("modality",),
        "status": ("status",),
        "total_duration_min": ("total_duration_min",),
        "start_date": ("start_date",),
    },
    SESSIONS: {
        "id": ("id_session",),
        "course_id": ("id_course_fk",),
        "index": ("session_index",),
        "title": ("title",),
        "objective": ("objective",),
        "duration_minutes": ("duration_minutes",),
        "scheduled_at": ("scheduled_at",),
    },
    ACTIVITIES: {
        "id": ("id_activity",),
        "course_id": ("id_course_fk",),
        "session_id": ("id_session_fk",),
        "position": ("item_session",),
        "item_type": ("item_type",),
        "title": ("title_item",),
    },
    BONDS: {
        "id": ("id_bond",),
        "course_id": ("id_courses_fk",),
        "content": ("content",),
        "bonus_type": ("type_bond",),
        "active": ("active",),
    },
    METADATA: {
        "id": ("id_course",),
        "category": ("category",),
        "tags": ("tags",),
        "search_text": ("search_text",),
    },
}

# Values of ai_courses.status that hide a course. Anything else (NULL, 'active', or a word
# this list does not know) shows it: an unknown convention must not empty the catalogue.
HIDDEN_STATUSES = (
    "inactive", "inactivo", "inactiva", "archived", "archivado", "archivada", "draft", "borrador",
    "deleted", "eliminado", "eliminada", "disabled", "deshabilitado", "deshabilitada", "cancelled",
    "canceled", "cancelado", "cancelada", "hidden", "oculto", "oculta", "retired", "retirado",
)  # fmt: skip

INTROSPECTION_SQL = """
SELECT t.name AS table_name, a.attname AS column_name
FROM unnest($1::text[]) AS t(name)
JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) AND a.attnum > 0 AND NOT a.attisdropped
"""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class CatalogSchema(BaseModel):
    """The catalogue columns found in the database, by logical field."""

    model_config = ConfigDict(frozen=True)

    tables: dict[str, dict[str, str]]  # table -> logical field -> real column name

    @classmethod
    def from_columns(cls, found: Mapping[str, list[str]]) -> CatalogSchema:
        """Build from {table: [column names as stored]}."""
        tables: dict[str, dict[str, str]] = {}
        for table, columns in found.items():
            by_lower = {column.lower(): column for column in columns}
            tables[table] = {}
            for field, candidates in _COLUMNS.get(table, {}).items():
                real = next((by_lower[c] for c in candidates if c in by_lower), None)
                if real is not None:
                    tables[table][field] = real
        return cls(tables=tables)

    def has_table(self, table: str) -> bool:
        return table in self.tables

    def has(self, table: str, field: str) -> bool:
        return field in self.tables.get(table, {})

    def column(self, table: str, field: str, alias: str) -> str:
        """`alias."column"`, or NULL when the table has no such column."""
        real = self.tables.get(table, {}).get(field)
        return f"{alias}.{quote_identifier(real)}" if real else "NULL"

    def missing_required(self) -> list[str]:
        """What stops the catalogue from being read at all."""
        if not self.has_table(COURSES):
            return [f"table {COURSES}"]
        return [f"{COURSES}.{f}" for f in ("id", "name") if not self.has(COURSES, f)]

    def missing_optional(self) -> list[str]:
        """Guide columns this database lacks (read as empty), for the start-up log."""
        missing = []
        for table in (COURSES, SESSIONS, ACTIVITIES, BONDS):
            if not self.has_table(table):
                missing.append(f"table {table}")
                continue
            missing.extend(
                f"{table}.{candidates[0]}"
                for field, candidates in _COLUMNS[table].items()
                if field not in self.tables[table] and (table, field) != (BONDS, "active")
            )
        return missing
