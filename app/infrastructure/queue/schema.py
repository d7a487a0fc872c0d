"""procrastinate's own tables and functions, installed once by the release step (`db init`).

procrastinate ships its whole schema for the installed version; it is applied when its jobs
table is missing, under the bot's migration lock, and the version is recorded in
schema_migrations so `db status` shows it. Upgrading procrastinate later means applying its
own migration files (`procrastinate schema --migrations-path` lists them) before deploying.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

import psycopg
from procrastinate.schema import SchemaManager

logger = logging.getLogger(__name__)

# A version number outside the range of the bot's numbered files.
QUEUE_SCHEMA_VERSION = 9000


def queue_schema_installed(connection: psycopg.Connection) -> bool:
    row = connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def ensure_queue_schema(connection: psycopg.Connection) -> bool:
    """Install procrastinate's schema if it is missing; True when it was installed now."""
    if queue_schema_installed(connection):
        return False
    installed = version("procrastinate")
    with connection.transaction():
        connection.execute(SchemaManager.get_schema().encode())
        connection.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s) "
            "ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, applied_at = now()",
            (QUEUE_SCHEMA_VERSION, f"procrastinate_{installed.replace('.', '_')}", installed),
        )
    logger.info("job queue schema installed (procrastinate %s)", installed)
    return True
