"""The asyncpg pool the conversation engine uses, with retries, timeouts and health checks.

The pool belongs to the event loop that created it, so it must be created (connect()) on the
engine's long-lived loop (app.infrastructure.event_loop) and only used from that loop. Every
driver error leaves this module as DatabaseUnavailableError or DatabaseQueryError.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from pydantic import BaseModel, ConfigDict

from app.application.errors import StoreUnavailableError
from app.infrastructure.postgres.errors import DatabaseBusyError, DatabaseUnavailableError, classify
from app.infrastructure.redaction import redact

logger = logging.getLogger(__name__)

# Everything the driver or the network can raise while talking to the server.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)
# Retrying cannot fix a wrong password or a missing database.
_PERMANENT_CONNECT_SQLSTATES = frozenset({"28000", "28P01", "3D000"})
# Typos of five letters or more score about 0.45-0.6 against the right word; the default
# (0.6) misses many of them. Only candidates are fetched with it, the ranking is stricter.
WORD_SIMILARITY_THRESHOLD = "0.45"


class PoolOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    min_size: int = 1
    max_size: int = 10
    connect_timeout: float = 3.0
    # How long a caller waits for a free pooled connection: a busy pool is back-pressure, so
    # this is generous, and running out of it is DatabaseBusyError, not an outage.
    acquire_timeout: float = 30.0
    query_timeout: float = 5.0
    # Connections idle this long are closed, so a pool does not keep dead sockets forever.
    idle_lifetime: float = 300.0


class RetryPolicy(BaseModel):
    """How long connect() keeps trying, and how it spaces the attempts."""

    model_config = ConfigDict(frozen=True)

    budget_seconds: float = 3.0
    first_delay: float = 0.2
    max_delay: float = 1.0


class HealthCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    latency_ms: float | None = None
    error: str | None = None


def translate(error: BaseException, context: str) -> StoreUnavailableError:
    """The project's exception for any driver error."""
    if isinstance(error, StoreUnavailableError):
        return error
    sqlstate = getattr(error, "sqlstate", None) if isinstance(error, asyncpg.PostgresError) else None
    if isinstance(error, TimeoutError):
        return DatabaseUnavailableError(f"{context}: no answer within the time limit")
    return classify(error, sqlstate, context)


async def _init_connection(connection: asyncpg.Connection) -> None:
    # JSON columns in and out as Python objects, in the same shape the JSON files use.
    for type_name in ("json", "jsonb"):
        await connection.set_type_codec(type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """What a released connection needs before its next use: nothing more than the rollback
    of an open transaction, which the pool does itself. asyncpg's default reset (RESET ALL,
    UNLISTEN, CLOSE ALL, advisory unlock) is one more round trip per release, about ten a
    turn, for session state nobody here sets: the one session lock (the memory's user lock)
    is released by its holder, or its connection is terminated."""


class PostgresClient:
    """One asyncpg pool: connect with retries and backoff, queries with timeouts."""

    def __init__(self, dsn: str, options: PoolOptions | None = None) -> None:
        self._dsn = dsn
        self._options = options or PoolOptions()
        self._pool: asyncpg.Pool | None = None

    @property
    def dsn(self) -> str:
        return self._dsn

    @property
    def redacted_dsn(self) -> str:
        return redact(self._dsn)

    @property
    def options(self) -> PoolOptions:
        return self._options

    @property
    def is_connected(self) -> bool:
        return self._pool is not None

    async def connect(self, retry: RetryPolicy | None = None) -> None:
        """Create the pool, retrying with exponential backoff within the policy's budget."""
        if self._pool is not None:
            return
        retry = retry or RetryPolicy()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + retry.budget_seconds
        delay = retry.first_delay
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - loop.time()
            try:
                self._pool = await self._create_pool(max(0.5, min(self._options.connect_timeout, remaining)))
                logger.info("connected to PostgreSQL at %s (attempt %d)", self.redacted_dsn, attempt)
                return
            except DRIVER_ERRORS as error:
                failure = translate(error, f"cannot connect to {self.redacted_dsn}")
                if getattr(error, "sqlstate", None) in _PERMANENT_CONNECT_SQLSTATES:
                    raise DatabaseUnavailableError(str(failure)) from error
                if loop.time() + delay >= deadline:
                    raise DatabaseUnavailableError(f"{failure} (after {attempt} attempts)") from error
                logger.debug("connection attempt %d failed (%s); retrying in %.1fs", attempt, failure, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, retry.max_delay)

    async def _create_pool(self, connect_limit: float) -> asyncpg.Pool:
        pool = asyncpg.create_pool(
            self._dsn,
            min_size=self._options.min_size,
            max_size=self._options.max_size,
            timeout=connect_limit,
            command_timeout=self._options.query_timeout,
            max_inactive_connection_lifetime=self._options.idle_lifetime,
            init=_init_connection,
            reset=_keep_session,
            server_settings={
                "application_name": "course-advisor",
                "pg_trgm.word_similarity_threshold": WORD_SIMILARITY_THRESHOLD,
            },
        )
        try:
            return await asyncio.wait_for(pool, connect_limit + 1.0)
        except BaseException:
            pool.terminate()
            raise

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), timeout=5.0)
        except (TimeoutError, *DRIVER_ERRORS):
            # A pool whose server is gone cannot close politely.
            pool.terminate()

    async def expire_connections(self) -> None:
        """Replace every pooled connection on next use (after the server restarted)."""
        if self._pool is not None:
            await self._pool.expire_connections()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        """A pooled connection for several statements; driver errors are translated."""
        connection = await self.acquire()
        try:
            yield connection
        except DRIVER_ERRORS as error:
            raise translate(error, "database operation failed") from error
        finally:
            await self.release(connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection inside a transaction: committed on success, rolled back on error."""
        async with self.connection() as connection, connection.transaction():
            yield connection

    async def acquire(self) -> asyncpg.Connection:
        """A connection the caller releases with release(); for locks held across awaits."""
        pool = self._require_pool()
        try:
            return await pool.acquire(timeout=self._options.acquire_timeout)
        except TimeoutError as error:
            # Either every connection stayed busy, or opening a new one hung: only a probe
            # on a fresh connection tells which.
            if await self.server_answers():
                raise DatabaseBusyError(
                    f"no free database connection within {self._options.acquire_timeout:.0f}s"
                ) from error
            raise translate(error, "cannot get a database connection") from error
        except DRIVER_ERRORS as error:
            raise translate(error, "cannot get a database connection") from error

    async def server_answers(self) -> bool:
        """A trivial query on a new connection, outside the pool (which may be busy)."""
        try:
            connection = await asyncpg.connect(self._dsn, timeout=self._options.connect_timeout)
        except (*DRIVER_ERRORS, TimeoutError):
            return False
        try:
            await connection.fetchval("SELECT 1", timeout=self._options.connect_timeout)
            return True
        except (*DRIVER_ERRORS, TimeoutError):
            return False
        finally:
            connection.terminate()

    async def release(self, connection: asyncpg.Connection) -> None:
        pool = self._pool
        if pool is None:
            connection.terminate()
            return
        try:
            await pool.release(connection, timeout=self._options.connect_timeout)
        except DRIVER_ERRORS:
            # Releasing rolls back an open transaction; if even that fails the connection is
            # dropped, which ends the transaction and its locks on the server side.
            connection.terminate()

    async def fetch(self, query: str, *args: Any, time_limit: float | None = None) -> list[asyncpg.Record]:
        async with self.connection() as connection:
            return await self._run(connection.fetch, query, args, time_limit)

    async def fetchrow(self, query: str, *args: Any, time_limit: float | None = None) -> asyncpg.Record | None:
        async with self.connection() as connection:
            return await self._run(connection.fetchrow, query, args, time_limit)

    async def fetchval(self, query: str, *args: Any, time_limit: float | None = None) -> Any:
        async with self.connection() as connection:
            return await self._run(connection.fetchval, query, args, time_limit)

    async def execute(self, query: str, *args: Any, time_limit: float | None = None) -> str:
        async with self.connection() as connection:
            return await self._run(connection.execute, query, args, time_limit)

    async def health_check(self, time_limit: float = 2.0) -> HealthCheck:
        """Whether a trivial query answers within `time_limit` seconds; never raises."""
        if self._pool is None:
            return HealthCheck(ok=False, error="not connected")
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self.fetchval("SELECT 1", time_limit=time_limit), time_limit + 0.5)
        except (StoreUnavailableError, TimeoutError) as error:
            return HealthCheck(ok=False, error=str(error) or type(error).__name__)
        return HealthCheck(ok=True, latency_ms=round((time.perf_counter() - started) * 1000, 2))

    async def _run(self, method: Any, query: str, args: tuple[Any, ...], time_limit: float | None) -> Any:
        try:
            return await method(query, *args, timeout=time_limit or self._options.query_timeout)
        except DRIVER_ERRORS as error:
            raise translate(error, _describe(query)) from error

    def _require_pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise DatabaseUnavailableError(f"not connected to {self.redacted_dsn}")
        return self._pool


def _describe(query: str) -> str:
    """The first words of a statement, to say which one failed without logging data."""
    words = " ".join(query.split())[:60]
    return f"query failed ({words}...)"
