"""The UserMemoryRepository port on the user_memory table.

Two mechanisms keep concurrent updates of one user from overwriting each other:
- user_lock() takes a PostgreSQL advisory lock for the user, held on one pooled connection for
  the whole turn, so turns for the same user run one at a time across every process; the
  turn's load and save run on that same connection;
- save_user_memory() is a compare-and-swap upsert on the row's version: the save carries the
  version its memory was loaded at, and if another writer got there first (someone who did
  not take the lock, or a merge of fallback writes), their row is locked (FOR UPDATE) and our
  changes are merged into it with the domain's three-way merge. No update is lost either way.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

import asyncpg
from pydantic import ValidationError

from app.application.ports import UserStatistics
from app.domain.memory import UserMemory
from app.domain.memory_merge import merge_concurrent
from app.infrastructure.postgres.client import DRIVER_ERRORS, PostgresClient, translate
from app.infrastructure.postgres.errors import DatabaseQueryError
from app.infrastructure.postgres.memory_rows import COLUMNS, memory_from_row, memory_to_row

logger = logging.getLogger(__name__)

# Advisory lock namespace of per-user locks (the migrations use 72_301).
USER_LOCK_CLASS = 72_302
LOCK_WAIT_SECONDS = 10.0
HIGH_SCORE = 60

_SELECT = f"SELECT {', '.join(COLUMNS)}, version FROM user_memory"
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "user_id")


def upsert_sql(first_parameter: int = 1) -> str:
    """Write the memory, memory_values() as parameters from `first_parameter` on."""
    values = ", ".join(f"${i}" for i in range(first_parameter, first_parameter + len(COLUMNS)))
    return (
        f"INSERT INTO user_memory ({', '.join(COLUMNS)}, version) VALUES ({values}, 1)\n"
        f"ON CONFLICT (user_id) DO UPDATE SET {_UPDATES}, version = user_memory.version + 1"
    )


def compare_and_swap_sql(first_parameter: int, version_parameter: int) -> str:
    """Write the memory only if its row is still at the version in `version_parameter` (0:
    "there was no row", which never matches a row written meanwhile); the new version, or no row."""
    return f"{upsert_sql(first_parameter)}\nWHERE user_memory.version = ${version_parameter}\nRETURNING version"


COMPARE_AND_SWAP_SQL = compare_and_swap_sql(1, len(COLUMNS) + 1)
OVERWRITE_SQL = f"{upsert_sql()}\nRETURNING version"


class LoadedVersion(NamedTuple):
    version: int  # 0: the user had no row
    memory: UserMemory | None


class SavedMemory(NamedTuple):
    memory: UserMemory  # what is stored now (the merge, if there was a conflict)
    version: int
    merged: bool


# The connection holding the current task's user lock: (repository, user id, connection).
_LOCK_CONNECTION: contextvars.ContextVar[tuple[object, str, asyncpg.Connection] | None] = contextvars.ContextVar(
    "user_lock_connection", default=None
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class PostgresUserMemoryRepository:
    """UserMemoryRepository on user_memory: advisory-locked turns, compare-and-swap saves."""

    def __init__(self, client: PostgresClient, clock: Callable[[], datetime] = utc_now) -> None:
        self._client = client
        self._clock = clock
        # What each task loaded, per user: the base of its next save. Weak keys: a finished
        # task's entries disappear with it.
        self._loaded: WeakKeyDictionary[asyncio.Task[Any], dict[str, LoadedVersion]] = WeakKeyDictionary()

    # --- locking -----------------------------------------------------------------------------

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._hold(user_id)

    @asynccontextmanager
    async def _hold(self, user_id: str) -> AsyncIterator[None]:
        held = _LOCK_CONNECTION.get()
        if held is not None and held[0] is self and held[1] == user_id:
            yield  # re-entrant: this task already holds the lock
            return
        connection = await self._client.acquire()
        try:
            await self._lock(connection, user_id)
        except BaseException:
            await self._client.release(connection)
            raise
        token = _LOCK_CONNECTION.set((self, user_id, connection))
        try:
            yield
        finally:
            _LOCK_CONNECTION.reset(token)
            await self._unlock(connection, user_id)

    async def _lock(self, connection: asyncpg.Connection, user_id: str) -> None:
        try:
            await connection.execute(
                "SELECT pg_advisory_lock($1, hashtext($2))", USER_LOCK_CLASS, user_id, timeout=LOCK_WAIT_SECONDS
            )
        except TimeoutError as error:
            # A busy user, not a dead server: the caller may go on without the lock, and
            # the compare-and-swap save still keeps both updates.
            raise DatabaseQueryError(f"user {user_id} stayed locked for {LOCK_WAIT_SECONDS:.0f}s") from error
        except DRIVER_ERRORS as error:
            raise translate(error, "cannot lock the user's memory") from error

    async def _unlock(self, connection: asyncpg.Connection, user_id: str) -> None:
        try:
            await connection.execute("SELECT pg_advisory_unlock($1, hashtext($2))", USER_LOCK_CLASS, user_id)
        except DRIVER_ERRORS as error:
            # The lock dies with the session: the connection is closed, never pooled with it
            # (the pool does not reset session locks).
            logger.debug("could not unlock %s (%s); the connection is dropped", user_id, error)
            connection.terminate()
        await self._client.release(connection)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        held = _LOCK_CONNECTION.get()
        if held is not None and held[0] is self:
            try:
                yield held[2]
            except DRIVER_ERRORS as error:
                raise translate(error, "memory query failed") from error
            return
        async with self._client.connection() as connection:
            yield connection

    async def _fetchrow(self, query: str, *args: Any) -> asyncpg.Record | None:
        async with self._connection() as connection:
            return await connection.fetchrow(query, *args, timeout=self._client.options.query_timeout)

    async def _fetchval(self, query: str, *args: Any) -> Any:
        async with self._connection() as connection:
            return await connection.fetchval(query, *args, timeout=self._client.options.query_timeout)

    # --- the port ----------------------------------------------------------------------------

    async def load_user_memory(self, user_id: str) -> UserMemory | None:
        loaded = await self.load_versioned(user_id)
        return loaded.memory.model_copy(deep=True) if loaded.memory is not None else None

    async def load_versioned(self, user_id: str) -> LoadedVersion:
        """The stored memory and its version; remembered as the base of this task's next save."""
        row = await self._fetchrow(f"{_SELECT} WHERE user_id = $1", user_id)
        loaded = LoadedVersion(row["version"], read_memory_row(row)) if row is not None else LoadedVersion(0, None)
        self._remember(user_id, loaded)
        return loaded

    async def save_user_memory(self, memory: UserMemory) -> None:
        await self.save(memory)

    async def save(self, memory: UserMemory, base: LoadedVersion | None = None) -> SavedMemory:
        """Store the memory without losing a concurrent update.

        `base` is what the memory was derived from; by default, what this task last loaded
        for the user. With no base at all (a save without a load) the row is overwritten.
        """
        base = base or self._base(memory.user_id)
        if base is None:
            version = await self._fetchval(OVERWRITE_SQL, *memory_values(memory))
            return self._saved(memory, version, merged=False)
        version = await self._fetchval(COMPARE_AND_SWAP_SQL, *memory_values(memory), base.version)
        if version is not None:
            return self._saved(memory, version, merged=False)
        return await self._merge_and_save(memory, base)

    async def _merge_and_save(self, memory: UserMemory, base: LoadedVersion) -> SavedMemory:
        """Someone saved since our load: merge into their copy, with the row locked meanwhile.

        FOR UPDATE makes the read, the merge and the write one step, so concurrent savers
        queue instead of retrying against each other.
        """
        timeout = self._client.options.query_timeout
        async with self._connection() as connection, connection.transaction():
            current = await connection.fetchrow(
                f"{_SELECT} WHERE user_id = $1 FOR UPDATE", memory.user_id, timeout=timeout
            )
            theirs = read_memory_row(current) if current is not None else UserMemory(user_id=memory.user_id)
            merged = merge_concurrent(base.memory, memory, theirs, self._clock())
            version = await connection.fetchval(OVERWRITE_SQL, *memory_values(merged), timeout=timeout)
        logger.info("concurrent update of %s merged", memory.user_id)
        return self._saved(merged, version, merged=True)

    async def apply_pending(
        self, pending_id: uuid.UUID, memory: UserMemory, base: UserMemory | None, base_version: int | None
    ) -> SavedMemory | None:
        """Merge an update written to the local fallback while the database was away.

        Exactly once: the update's id is recorded in memory_reconcile_log in the same
        transaction, so running this again (after a crash before the local file was removed)
        changes nothing and returns None. When the row is still at the version the update
        started from, the update is stored as it is; otherwise the two are merged.
        """
        async with self._connection() as connection, connection.transaction():
            timeout = self._client.options.query_timeout
            done = await connection.fetchval(
                "SELECT 1 FROM memory_reconcile_log WHERE pending_id = $1", pending_id, timeout=timeout
            )
            if done is not None:
                return None
            row = await connection.fetchrow(f"{_SELECT} WHERE user_id = $1 FOR UPDATE", memory.user_id, timeout=timeout)
            final, merged = memory, False
            if row is not None and (base_version is None or row["version"] != base_version):
                final, merged = merge_concurrent(base, memory, read_memory_row(row), self._clock()), True
            version = await connection.fetchval(OVERWRITE_SQL, *memory_values(final), timeout=timeout)
            await connection.execute(
                "INSERT INTO memory_reconcile_log (pending_id, user_id) VALUES ($1, $2)",
                pending_id,
                memory.user_id,
                timeout=timeout,
            )
        return self._saved(final, version, merged=merged)

    async def get_high_score_leads(self, min_score: int = HIGH_SCORE, limit: int = 100) -> list[UserMemory]:
        async with self._connection() as connection:
            rows = await connection.fetch(
                f"{_SELECT} WHERE lead_score >= $1 AND NOT opted_out "
                'ORDER BY lead_score DESC, user_id COLLATE "C" LIMIT $2',
                min_score,
                limit,
                timeout=self._client.options.query_timeout,
            )
        return _readable(rows)

    async def get_user_statistics(self, now: datetime) -> UserStatistics:
        row = await self._fetchrow(
            """
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE last_interaction_at >= $1) AS active_7,
                   count(*) FILTER (WHERE last_interaction_at >= $2) AS active_30,
                   coalesce(sum(coalesce(lead_score, 0)), 0) AS score_sum,
                   count(*) FILTER (WHERE lead_score >= $3 AND NOT opted_out) AS high,
                   count(*) FILTER (WHERE opted_out) AS opted_out,
                   count(*) FILTER (WHERE human_requested) AS human_requested
            FROM user_memory
            """,
            now - timedelta(days=7),
            now - timedelta(days=30),
            HIGH_SCORE,
        )
        assert row is not None  # an aggregate always returns one row
        total = int(row["total"])
        return UserStatistics(
            total_users=total,
            active_last_7_days=int(row["active_7"]),
            active_last_30_days=int(row["active_30"]),
            average_lead_score=round(int(row["score_sum"]) / total, 1) if total else 0.0,
            high_score_leads=int(row["high"]),
            opted_out=int(row["opted_out"]),
            human_requested=int(row["human_requested"]),
        )

    async def delete_user(self, user_id: str) -> bool:
        async with self.user_lock(user_id):
            deleted = await self._fetchval("DELETE FROM user_memory WHERE user_id = $1 RETURNING 1", user_id)
        self._forget(user_id)
        return deleted is not None

    async def export_user(self, user_id: str) -> UserMemory | None:
        row = await self._fetchrow(f"{_SELECT} WHERE user_id = $1", user_id)
        return read_memory_row(row) if row is not None else None

    # --- bases of the next save --------------------------------------------------------------

    def _base(self, user_id: str) -> LoadedVersion | None:
        task = asyncio.current_task()
        return self._loaded.get(task, {}).get(user_id) if task is not None else None

    def _remember(self, user_id: str, loaded: LoadedVersion) -> None:
        task = asyncio.current_task()
        if task is not None:
            copy = LoadedVersion(loaded.version, loaded.memory.model_copy(deep=True) if loaded.memory else None)
            self._loaded.setdefault(task, {})[user_id] = copy

    def _forget(self, user_id: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._loaded.get(task, {}).pop(user_id, None)

    def _saved(self, memory: UserMemory, version: int, *, merged: bool) -> SavedMemory:
        self._remember(memory.user_id, LoadedVersion(version, memory))
        return SavedMemory(memory.model_copy(deep=True), version, merged)


def memory_values(memory: UserMemory) -> list[Any]:
    row = memory_to_row(memory)
    return [row[column] for column in COLUMNS]


def _readable(rows: list[asyncpg.Record]) -> list[UserMemory]:
    """Rows that can be read; an unreadable one is logged, not allowed to fail the list."""
    memories = []
    for row in rows:
        try:
            memories.append(read_memory_row(row))
        except DatabaseQueryError as error:
            logger.error("%s", error)
    return memories


def read_memory_row(row: asyncpg.Record | Mapping[str, Any]) -> UserMemory:
    try:
        return memory_from_row(dict(row))
    except ValidationError as error:
        raise DatabaseQueryError(f"user_memory row of {row['user_id']} cannot be read: {error}") from error
