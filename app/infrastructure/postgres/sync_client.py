"""A small psycopg pool for the synchronous edge: migrations and the admin commands.

The conversation engine uses asyncpg on its own loop (client.py). Start-up migrations and the
`python -m app db ...` commands are plain synchronous code with progress output; they talk to
the database through this pool instead of starting an event loop of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import psycopg_pool

from app.application.errors import StoreUnavailableError
from app.infrastructure.postgres.errors import DatabaseUnavailableError, classify
from app.infrastructure.redaction import redact

logger = logging.getLogger(__name__)


def translate_psycopg(error: BaseException, context: str) -> StoreUnavailableError:
    if isinstance(error, StoreUnavailableError):
        return error
    if isinstance(error, psycopg_pool.PoolTimeout | TimeoutError):
        return DatabaseUnavailableError(f"{context}: no answer within the time limit")
    sqlstate = getattr(error, "sqlstate", None) if isinstance(error, psycopg.Error) else None
    return classify(error, sqlstate, context)


_DRIVER_ERRORS = (psycopg.Error, psycopg_pool.PoolTimeout, OSError, TimeoutError)


class SyncDatabase:
    """psycopg_pool.ConnectionPool with the project's errors and time limits."""

    def __init__(
        self,
        dsn: str,
        *,
        connect_timeout: float = 3.0,
        statement_timeout_ms: int = 0,
        lock_timeout_ms: int = 60_000,
        max_size: int = 2,
    ) -> None:
        self._dsn = dsn
        self._connect_timeout = connect_timeout
        options = f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={lock_timeout_ms}"
        self._pool = psycopg_pool.ConnectionPool(
            dsn,
            min_size=1,
            max_size=max_size,
            open=False,
            timeout=connect_timeout,
            kwargs={
                "connect_timeout": max(1, round(connect_timeout)),
                "application_name": "course-advisor-admin",
                "options": options,
            },
        )

    @property
    def redacted_dsn(self) -> str:
        return redact(self._dsn)

    def open(self, budget_seconds: float = 3.0) -> None:
        """Connect, retrying for at most `budget_seconds` (the pool backs off on its own)."""
        try:
            self._pool.open(wait=True, timeout=budget_seconds)
        except _DRIVER_ERRORS as error:
            self._pool.close()
            raise translate_psycopg(error, f"cannot connect to {self.redacted_dsn}") from error

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> SyncDatabase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in autocommit mode; use transaction() to group statements."""
        try:
            with self._pool.connection(timeout=self._connect_timeout) as connection:
                connection.autocommit = True
                yield connection
        except _DRIVER_ERRORS as error:
            raise translate_psycopg(error, "database operation failed") from error

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """A connection inside one transaction, committed when the block ends without error."""
        with self.connection() as connection:
            try:
                with connection.transaction():
                    yield connection
            except _DRIVER_ERRORS as error:
                raise translate_psycopg(error, "transaction failed") from error
