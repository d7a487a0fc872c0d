"""Versioned schema changes for the bot's own tables.

Migrations are numbered SQL files, `migrations/NNNN_name.sql`, applied in number order, each
in its own transaction, and recorded in `schema_migrations` so that each runs exactly once.
A PostgreSQL advisory lock serialises runners: two processes starting together (gunicorn
workers, a CLI command beside the server) neither race nor apply a file twice; the second
waits, then finds nothing left to do.

A file whose first line is `-- migrate:no-transaction` runs outside a transaction (needed by
CREATE INDEX CONCURRENTLY); it should then be written to be safe to re-run.

Never edit an applied file: add a new one. An edited file is reported, not re-applied.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from datetime import datetime
from pathlib import Path

import psycopg
from pydantic import BaseModel, ConfigDict

from app.infrastructure.postgres.errors import DatabaseQueryError, DatabaseUnavailableError
from app.infrastructure.postgres.sync_client import SyncDatabase, translate_psycopg
from app.infrastructure.queue.schema import ensure_queue_schema

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# (class id, object id) of the advisory lock; the first number is this application's namespace.
MIGRATION_LOCK = (72_301, 1)
LOCK_WAIT_SECONDS = 600.0  # a long index build in another process
LOCK_POLL_SECONDS = 0.1
_FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
_NO_TRANSACTION = "-- migrate:no-transaction"

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    duration_ms INTEGER NOT NULL DEFAULT 0
)
"""


class Migration(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    name: str
    sql: str
    checksum: str

    @property
    def label(self) -> str:
        return f"{self.version:04d}_{self.name}"

    @property
    def transactional(self) -> bool:
        return not self.sql.lstrip().startswith(_NO_TRANSACTION)


class MigrationStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    applied_at: datetime | None = None
    changed_since_applied: bool = False


class MigrationReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    applied: tuple[str, ...] = ()
    already_applied: int = 0
    changed_since_applied: tuple[str, ...] = ()
    queue_installed: bool = False  # procrastinate's schema was installed by this run

    @property
    def schema_version(self) -> str:
        return "unchanged" if not self.applied else self.applied[-1]


class MigrationFileError(ValueError):
    """A file in the migrations directory that does not follow NNNN_name.sql, or a duplicate number."""


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in number order; misnamed or duplicate files stop the run."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise MigrationFileError(f"{path.name}: migration files must be named NNNN_lower_case_name.sql")
        version = int(match["version"])
        if version in migrations:
            used_by = migrations[version].label
            raise MigrationFileError(f"{path.name}: number {version:04d} is already used by {used_by}")
        sql = path.read_text(encoding="utf-8")
        migrations[version] = Migration(
            version=version, name=match["name"], sql=sql, checksum=hashlib.sha256(sql.encode()).hexdigest()
        )
    return [migrations[v] for v in sorted(migrations)]


def apply_migrations(
    database: SyncDatabase, directory: Path = MIGRATIONS_DIR, *, lock_wait_seconds: float = LOCK_WAIT_SECONDS
) -> MigrationReport:
    """Apply every pending migration, under the advisory lock; safe to call at every start-up.

    `lock_wait_seconds` bounds the wait for another runner; the bot's start-up uses a short
    one and, past it, starts on its fallbacks and retries later.
    """
    migrations = discover(directory)
    with database.connection() as connection:
        _lock(connection, lock_wait_seconds)
        try:
            connection.execute(_CREATE_LEDGER)
            applied = _applied_checksums(connection)
            changed = tuple(m.label for m in migrations if m.version in applied and applied[m.version] != m.checksum)
            for label in changed:
                logger.warning("migration %s was edited after it was applied; the change is NOT applied", label)
            done: list[str] = []
            for migration in (m for m in migrations if m.version not in applied):
                _apply(connection, migration)
                done.append(migration.label)
            queue_installed = ensure_queue_schema(connection)
        finally:
            _unlock(connection)
    if done:
        logger.info("database schema upgraded: %s", ", ".join(done))
    return MigrationReport(
        applied=tuple(done),
        already_applied=len(applied),
        changed_since_applied=changed,
        queue_installed=queue_installed,
    )


def migration_status(database: SyncDatabase, directory: Path = MIGRATIONS_DIR) -> list[MigrationStatus]:
    """Each known migration with when it was applied (None when pending)."""
    with database.connection() as connection:
        exists = connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
        rows = (
            connection.execute("SELECT version, checksum, applied_at FROM schema_migrations").fetchall()
            if exists and exists[0]
            else []
        )
    recorded = {version: (checksum, applied_at) for version, checksum, applied_at in rows}
    return [
        MigrationStatus(
            label=m.label,
            applied_at=recorded[m.version][1] if m.version in recorded else None,
            changed_since_applied=m.version in recorded and recorded[m.version][0] != m.checksum,
        )
        for m in discover(directory)
    ]


def _apply(connection: psycopg.Connection, migration: Migration) -> None:
    logger.info("applying migration %s", migration.label)
    started = datetime.now()
    try:
        if migration.transactional:
            with connection.transaction():
                connection.execute(migration.sql.encode())
                _record(connection, migration, started)
        else:
            connection.execute(migration.sql.encode())
            _record(connection, migration, started)
    except psycopg.Error as error:
        failure = translate_psycopg(error, f"migration {migration.label} failed")
        if isinstance(failure, DatabaseQueryError) and migration.transactional:
            raise DatabaseQueryError(f"{failure}; nothing of it was applied") from error
        raise failure from error


def _record(connection: psycopg.Connection, migration: Migration, started: datetime) -> None:
    duration_ms = int((datetime.now() - started).total_seconds() * 1000)
    connection.execute(
        "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES (%s, %s, %s, %s)",
        (migration.version, migration.name, migration.checksum, duration_ms),
    )


def _applied_checksums(connection: psycopg.Connection) -> dict[int, str]:
    return dict(connection.execute("SELECT version, checksum FROM schema_migrations").fetchall())


def _lock(connection: psycopg.Connection, wait_seconds: float = LOCK_WAIT_SECONDS) -> None:
    """Take the runners' lock, polling instead of blocking.

    A runner blocked in pg_advisory_lock() sits in a statement with a snapshot, and CREATE
    INDEX CONCURRENTLY in the runner holding the lock waits for every such snapshot to end:
    a deadlock. Short pg_try_advisory_lock() calls hold no snapshot between attempts.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        row = connection.execute("SELECT pg_try_advisory_lock(%s, %s)", MIGRATION_LOCK).fetchone()
        if row is not None and row[0]:
            return
        if time.monotonic() > deadline:
            raise DatabaseUnavailableError(f"another process kept the migration lock for {wait_seconds:.0f}s")
        time.sleep(LOCK_POLL_SECONDS)


def _unlock(connection: psycopg.Connection) -> None:
    if not connection.closed and not connection.broken:
        connection.execute("SELECT pg_advisory_unlock(%s, %s)", MIGRATION_LOCK)
