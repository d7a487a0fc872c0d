"""A named database holding the course tables, the bot's migrations and a catalogue: what the
catalogue and search benchmarks measure against. Kept after the run, dropped at the next."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from app.domain.courses import Course
from app.infrastructure.postgres.catalog_loader import load_catalog_into
from app.infrastructure.postgres.migrator import apply_migrations
from app.infrastructure.postgres.sync_client import SyncDatabase


def course_database(admin_url: str, name: str, course_tables_sql: bytes, courses: Sequence[Course]) -> str:
    """Create `name` afresh from `course_tables_sql` (an estructura_db.sql), migrate it, load
    `courses`; return its URL."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(course_tables_sql)
    with SyncDatabase(url) as database:
        database.open()
        apply_migrations(database)
        load_catalog_into(database, list(courses))
    return url
