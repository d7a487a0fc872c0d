"""procrastinate's own tables and functions, installed once by the release step (`db init`).

procrastinate ships its whole schema for the installed version; it is applied when its jobs
table is missing, under the bot's migration lock. Upgrading procrastinate later means
applying its own migration files (`procrastinate schema --migrations-path` lists them) before
deploying the new version.
"""

from __future__ import annotations

import logging
from importlib.metadata import version

import psycopg
from procrastinate.schema import SchemaManager

logger = logging.getLogger(__name__)


def queue_schema_installed(connection: psycopg.Connection) -> bool:
    row = connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def ensure_queue_schema(connection: psycopg.Connection) -> bool:
    """Install procrastinate's schema if it is missing; True when it was installed now."""
    if queue_schema_installed(connection):
        return False
    with connection.transaction():
        connection.execute(SchemaManager.get_schema().encode())
    logger.info("job queue schema installed (procrastinate %s)", version("procrastinate"))
    return True
