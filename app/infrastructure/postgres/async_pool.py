"""The psycopg async pool of the marketers' commands (report, campaigns): autocommit, a
statement time limit of their own, opened explicitly with the project's errors."""

from __future__ import annotations

import psycopg
import psycopg_pool

from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.redaction import redact

DRIVER_ERRORS = (psycopg.Error, psycopg_pool.PoolTimeout, OSError, TimeoutError)


def command_pool(
    dsn: str, *, application_name: str, size: int, connect_timeout: float, statement_timeout_ms: int
) -> psycopg_pool.AsyncConnectionPool:
    return psycopg_pool.AsyncConnectionPool(
        dsn,
        min_size=1,
        max_size=size,
        open=False,
        timeout=connect_timeout,
        kwargs={
            "connect_timeout": max(1, round(connect_timeout)),
            "application_name": application_name,
            "options": f"-c statement_timeout={statement_timeout_ms}",
            "autocommit": True,
        },
    )


async def open_command_pool(pool: psycopg_pool.AsyncConnectionPool, dsn: str, connect_timeout: float) -> None:
    """Connect within `connect_timeout`; StoreUnavailableError (pool closed) if not."""
    try:
        await pool.open(wait=True, timeout=connect_timeout)
    except DRIVER_ERRORS as error:
        await pool.close()
        raise translate_psycopg(error, f"cannot connect to {redact(dsn)}") from error
