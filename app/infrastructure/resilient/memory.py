"""User memory in PostgreSQL, else pending files merged back into it exactly once when it returns.

The pending files are fallback_store.PendingMemoryStore. A turn's memory is read and written
where the turn's user lock was taken: a turn that began while the database was down finishes
on the fallback even if the database returns meanwhile, so one turn never mixes two stores.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import Any, Literal, NamedTuple
from weakref import WeakKeyDictionary

from app.application.errors import StoreUnavailableError
from app.application.ports import UserStatistics
from app.domain.memory import UserMemory
from app.infrastructure.fallback_store import PendingMemoryStore
from app.infrastructure.postgres.errors import DatabaseQueryError, DatabaseUnavailableError
from app.infrastructure.postgres.memory_repository import LoadedVersion, PostgresUserMemoryRepository
from app.infrastructure.resilient.link import ComponentStatus, DatabaseLink, utc_now, utc_text
from app.infrastructure.resilient.memory_cache import RecentMemories

logger = logging.getLogger(__name__)
Store = Literal["postgres", "fallback"]
DEFAULT_CACHE_BYTES = 16_000_000  # MEMORY_CACHE_MB


class _Origin(NamedTuple):
    """Where a task's copy of a user's memory came from: the base of its next save."""

    store: Store
    base: UserMemory | None
    base_version: int | None  # None: unknown (the database could not be asked)


# The store whose lock the current task holds for a user: (wrapper, user id, store).
_TURN_STORE: contextvars.ContextVar[tuple[object, str, Store] | None] = contextvars.ContextVar(
    "memory_turn_store", default=None
)


class ResilientMemoryRepository:
    """User memory in PostgreSQL; pending files while it is away, merged back exactly once."""

    def __init__(
        self,
        primary: PostgresUserMemoryRepository,
        pending: PendingMemoryStore,
        link: DatabaseLink,
        clock: Callable[[], datetime] = utc_now,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self._primary = primary
        self._pending = pending
        self._link = link
        self._clock = clock
        # Recently seen memories, so a known user keeps their memory during an outage.
        self._cache = RecentMemories(cache_bytes)
        self._origins: WeakKeyDictionary[asyncio.Task[Any], dict[str, _Origin]] = WeakKeyDictionary()

    @property
    def in_database(self) -> bool:
        return self._link.is_up

    @property
    def pending(self) -> PendingMemoryStore:
        return self._pending

    def status(self) -> ComponentStatus:
        waiting = self._pending.count()
        if self._link.is_up:
            detail = f"{waiting} fallback updates being merged" if waiting else None
            return ComponentStatus(backend="postgres", state="ok", detail=detail, pending_writes=waiting)
        detail = (
            f"PostgreSQL unreachable since {utc_text(self._link.since)}; memory updates are kept in "
            f"{self._pending.directory} and merged when it returns"
        )
        return ComponentStatus(backend="json-fallback", state="degraded", detail=detail, pending_writes=waiting)

    # --- locking -----------------------------------------------------------------------------

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._hold(user_id)

    @asynccontextmanager
    async def _hold(self, user_id: str) -> AsyncIterator[None]:
        if self._turn_store(user_id) is not None:
            yield  # re-entrant
            return
        async with AsyncExitStack() as stack:
            store: Store = "fallback"
            if self._link.is_up:
                try:
                    await stack.enter_async_context(self._primary.user_lock(user_id))
                    store = "postgres"
                except DatabaseUnavailableError as error:
                    # Only a server that is gone sends the turn to the fallback; a lock held
                    # too long or a busy pool refuses it (never runs it unlocked).
                    self._failed(error)
            if store == "fallback":
                await stack.enter_async_context(self._pending.user_lock(user_id))
            token = _TURN_STORE.set((self, user_id, store))
            try:
                yield
            finally:
                _TURN_STORE.reset(token)

    def _turn_store(self, user_id: str) -> Store | None:
        held = _TURN_STORE.get()
        return held[2] if held is not None and held[0] is self and held[1] == user_id else None

    def _use_database(self, user_id: str) -> bool:
        store = self._turn_store(user_id)
        return self._link.is_up if store is None else store == "postgres" and self._link.is_up

    # --- the port ----------------------------------------------------------------------------

    async def load_user_memory(self, user_id: str) -> UserMemory | None:
        if self._use_database(user_id):
            try:
                await self._merge_pending(user_id)
                loaded = await self._primary.load_versioned(user_id)
            except StoreUnavailableError as error:
                self._failed(error)
            else:
                self._remember(user_id, loaded)
                self._set_origin(user_id, _Origin("postgres", loaded.memory, loaded.version))
                return loaded.memory.model_copy(deep=True) if loaded.memory else None
        return await self._load_fallback(user_id)

    async def _load_fallback(self, user_id: str) -> UserMemory | None:
        waiting = await self._pending.load(user_id)
        if waiting is not None:
            self._set_origin(user_id, _Origin("fallback", waiting.base, waiting.base_version))
            return waiting.memory
        cached = self._cache.get(user_id)
        if cached is not None:
            self._set_origin(user_id, _Origin("fallback", cached.memory, cached.version))
            return cached.memory.model_copy(deep=True) if cached.memory else None
        self._set_origin(user_id, _Origin("fallback", None, None))
        return None

    async def save_user_memory(self, memory: UserMemory) -> None:
        user_id = memory.user_id
        origin = self._origin(user_id)
        if (origin is None or origin.store == "postgres") and self._use_database(user_id):
            try:
                saved = await self._primary.save(memory)
            except StoreUnavailableError as error:
                self._failed(error)
            else:
                self._remember(user_id, LoadedVersion(saved.version, saved.memory))
                self._set_origin(user_id, _Origin("postgres", saved.memory, saved.version))
                return
        await self._save_fallback(memory, origin)

    async def _save_fallback(self, memory: UserMemory, origin: _Origin | None) -> None:
        user_id = memory.user_id
        if origin is None:
            cached = self._cache.get(user_id)
            origin = _Origin("fallback", cached.memory, cached.version) if cached else _Origin("fallback", None, None)
        if self._turn_store(user_id) == "fallback":
            # The turn already holds this user's file lock.
            await self._pending.write(memory, origin.base, origin.base_version, self._clock())
        else:
            async with self._pending.user_lock(user_id):
                await self._pending.write(memory, origin.base, origin.base_version, self._clock())
        self._set_origin(user_id, _Origin("fallback", origin.base, origin.base_version))

    async def get_high_score_leads(self, min_score: int = 60, limit: int = 100) -> list[UserMemory]:
        self._require_database("lead lists")
        try:
            return await self._primary.get_high_score_leads(min_score, limit)
        except StoreUnavailableError as error:
            self._failed(error)
            raise

    async def get_user_statistics(self, now: datetime) -> UserStatistics:
        self._require_database("user statistics")
        try:
            return await self._primary.get_user_statistics(now)
        except StoreUnavailableError as error:
            self._failed(error)
            raise

    async def delete_user(self, user_id: str) -> bool:
        """Delete everywhere; refused while the database is away (it would come back)."""
        self._require_database("deleting a user")
        deleted = await self._primary.delete_user(user_id)
        async with self._pending.user_lock(user_id):
            discarded = await self._pending.discard(user_id)
        self._cache.pop(user_id)
        return deleted or discarded

    async def export_user(self, user_id: str) -> UserMemory | None:
        if self._use_database(user_id):
            try:
                await self._merge_pending(user_id)
                return await self._primary.export_user(user_id)
            except StoreUnavailableError as error:
                self._failed(error)
        waiting = await self._pending.load(user_id)
        if waiting is not None:
            return waiting.memory
        cached = self._cache.get(user_id)
        return cached.memory if cached else None

    # --- merging fallback writes -------------------------------------------------------------

    async def merge_all_pending(self) -> int:
        """Merge every pending update into PostgreSQL; stops at the first sign it is gone."""
        merged = 0
        for user_id in self._pending.user_ids():
            if not self._link.is_up:
                break
            try:
                merged += await self._merge_pending(user_id)
            except DatabaseQueryError as error:
                logger.error("pending memory of %s could not be merged (%s); it is kept", user_id, error)
            except StoreUnavailableError as error:
                self._failed(error)
                break
        if merged:
            logger.info("merged %d memory updates written while PostgreSQL was away", merged)
        return merged

    async def _merge_pending(self, user_id: str) -> int:
        if not self._pending.has(user_id):
            return 0
        async with self._primary.user_lock(user_id), self._pending.user_lock(user_id):
            record = await self._pending.load(user_id)
            if record is None:
                return 0
            saved = await self._primary.apply_pending(
                record.pending_id, record.memory, record.base, record.base_version
            )
            await self._pending.remove(user_id, record.pending_id)
        if saved is not None:
            self._remember(user_id, LoadedVersion(saved.version, saved.memory))
        return 1

    # --- helpers -----------------------------------------------------------------------------

    def _failed(self, error: StoreUnavailableError) -> None:
        self._link.report(error)
        logger.warning("memory store error (%s); using the fallback", error)

    def _require_database(self, what: str) -> None:
        if not self._link.is_up:
            raise DatabaseUnavailableError(f"PostgreSQL is unavailable; {what} needs it")

    def _remember(self, user_id: str, loaded: LoadedVersion) -> None:
        self._cache.put(user_id, loaded)

    def _origin(self, user_id: str) -> _Origin | None:
        task = asyncio.current_task()
        return self._origins.get(task, {}).get(user_id) if task is not None else None

    def _set_origin(self, user_id: str, origin: _Origin) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._origins.setdefault(task, {})[user_id] = origin
