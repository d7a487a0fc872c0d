"""PostgreSQL with fallbacks: keep answering when the database goes away, return by itself.

DatabaseLink knows whether the database is usable. The first call that finds it unreachable
marks it down; from then on every call goes straight to the fallbacks (no per-message
timeouts) while a background task retries with backoff. When the database answers again the
link runs the start-up steps again (migrations, catalogue columns) and the bot is back on it;
memory updates written meanwhile are merged in by the memory wrapper.

The wrappers implement the same ports as the stores they wrap:
- courses: PostgreSQL, else the last catalogue snapshot taken from it, else the bundled one;
- memory: PostgreSQL, else pending files (fallback_store.PendingMemoryStore) merged back into
  PostgreSQL exactly once when it returns;
- inbound log (and the outbox of REST replies): PostgreSQL, else the JSON inbound log.

A turn's memory is read and written where the turn's user lock was taken: a turn that began
while the database was down finishes on the fallback even if the database returns meanwhile,
so one turn never mixes two stores.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict

from app.application.errors import StoreUnavailableError
from app.application.ports import CourseRepository, DeliveryCounts, InboundLog, InboundRecord, UserStatistics
from app.domain.courses import Course, CourseFilters, CourseStatistics
from app.domain.delivery import Delivery, DeliveryOutcome
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.fallback_store import CatalogSnapshot, PendingMemoryStore
from app.infrastructure.json_store.course_repository import InMemoryCourseRepository
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.postgres.client import PostgresClient, RetryPolicy
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from app.infrastructure.postgres.errors import DatabaseQueryError, DatabaseUnavailableError
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.postgres.memory_repository import LoadedVersion, PostgresUserMemoryRepository

logger = logging.getLogger(__name__)
T = TypeVar("T")
Store = Literal["postgres", "fallback"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class LinkTiming(BaseModel):
    model_config = ConfigDict(frozen=True)

    startup_budget: float = 3.0  # seconds of connection attempts before starting without the database
    first_retry: float = 0.5
    max_retry: float = 15.0
    reconnect_budget: float = 2.0


class ComponentStatus(BaseModel):
    """What serves a port now: backend, ok/degraded, why, and updates waiting for the database."""

    model_config = ConfigDict(frozen=True)

    backend: str
    state: Literal["ok", "degraded", "down"]
    detail: str | None = None
    pending_writes: int | None = None


# --- the link --------------------------------------------------------------------------------


class DatabaseLink:
    """Up or down, and a background task that brings it back up."""

    def __init__(
        self,
        client: PostgresClient,
        on_connect: Callable[[], Awaitable[None]],
        timing: LinkTiming | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._client = client
        self._on_connect = on_connect
        self._timing = timing or LinkTiming()
        self._clock = clock
        self._up = False
        self._since = clock()
        self._error: str | None = "not connected yet"
        self._connected_once = False
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._listeners: list[Callable[[], Awaitable[None]]] = []
        self._listener_tasks: set[asyncio.Task[None]] = set()

    @property
    def is_up(self) -> bool:
        return self._up

    @property
    def since(self) -> datetime:
        return self._since

    @property
    def last_error(self) -> str | None:
        return self._error

    @property
    def connected_once(self) -> bool:
        return self._connected_once

    def when_up(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Run `listener` in the background each time the link comes (back) up."""
        self._listeners.append(listener)

    async def start(self) -> bool:
        """Connect within the start-up budget; on failure, start retrying in the background."""
        try:
            await self._client.connect(RetryPolicy(budget_seconds=self._timing.startup_budget))
            await self._on_connect()
        except StoreUnavailableError as error:
            self._down(error)
            return False
        self._mark_up()
        return True

    def report(self, error: StoreUnavailableError) -> None:
        """A call failed: if the server is the problem, switch to the fallbacks until it is back."""
        if isinstance(error, DatabaseUnavailableError) and self._up:
            logger.warning(
                "PostgreSQL connection lost (%s); answering from the fallbacks until it returns", error
            )
            self._down(error)

    async def close(self) -> None:
        self._closed = True
        tasks = [t for t in (self._task, *self._listener_tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._client.close()

    def _down(self, error: StoreUnavailableError) -> None:
        self._up = False
        self._since = self._clock()
        self._error = str(error)
        if not self._closed and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._reconnect(), name="postgres-reconnect")

    def _mark_up(self) -> None:
        self._up = True
        self._connected_once = True
        self._since = self._clock()
        self._error = None
        for listener in self._listeners:
            task = asyncio.get_running_loop().create_task(_logged(listener), name="postgres-when-up")
            self._listener_tasks.add(task)
            task.add_done_callback(self._listener_tasks.discard)

    async def _reconnect(self) -> None:
        delay = self._timing.first_retry
        down_since = self._since
        while not self._closed:
            await asyncio.sleep(delay)
            try:
                await self._attempt()
            except StoreUnavailableError as error:
                self._error = str(error)
                delay = min(delay * 2, self._timing.max_retry)
                continue
            seconds = (self._clock() - down_since).total_seconds()
            logger.info("PostgreSQL is back after %.0fs; the bot uses it again", seconds)
            self._mark_up()
            return

    async def _attempt(self) -> None:
        if not self._client.is_connected:
            await self._client.connect(RetryPolicy(budget_seconds=self._timing.reconnect_budget))
        else:
            check = await self._client.health_check()
            if not check.ok:
                raise DatabaseUnavailableError(check.error or "health check failed")
            # Connections opened before the outage point at a dead server process.
            await self._client.expire_connections()
        await self._on_connect()


async def _logged(listener: Callable[[], Awaitable[None]]) -> None:
    try:
        await listener()
    except StoreUnavailableError as error:
        logger.warning("background database task stopped: %s", error)
    except Exception:
        logger.exception("background database task failed")


# --- courses ---------------------------------------------------------------------------------


class ResilientCourseRepository:
    """Courses from PostgreSQL; from its last snapshot (else the bundled catalogue) while it is away."""

    def __init__(
        self,
        primary: PostgresCourseRepository,
        link: DatabaseLink,
        snapshot: CatalogSnapshot,
        bundled: Callable[[], CourseRepository],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._primary = primary
        self._link = link
        self._snapshot = snapshot
        self._bundled_factory = bundled
        self._bundled: CourseRepository | None = None
        self._clock = clock
        self._copy: InMemoryCourseRepository | None = None
        self._copy_taken_at: datetime | None = None
        self._problem: str | None = None
        self._ready = False

    @property
    def in_database(self) -> bool:
        return self._link.is_up and self._ready

    async def on_connect(self) -> None:
        """Read the catalogue's columns again; a missing table keeps courses on the fallback."""
        try:
            await self._primary.prepare()
        except DatabaseQueryError as error:
            self._ready, self._problem = False, str(error)
            logger.error("%s; courses come from the fallback catalogue", error)
            return
        self._ready, self._problem = True, None

    async def refresh_snapshot(self) -> int:
        """Copy the whole catalogue to the snapshot file (in the background, after connecting)."""
        if not self.in_database:
            return 0
        courses = await self._primary.export_catalog()
        taken_at = self._clock()
        await asyncio.to_thread(self._snapshot.save, courses, taken_at)
        self._copy, self._copy_taken_at = InMemoryCourseRepository(courses), taken_at
        logger.info("catalogue snapshot refreshed: %d courses in %s", len(courses), self._snapshot.path)
        return len(courses)

    async def load_snapshot(self) -> None:
        """Read the snapshot file of an earlier run, so an outage right after start-up has it."""
        if self._copy is not None:
            return
        loaded = await asyncio.to_thread(self._snapshot.load)
        if loaded is not None and self._copy is None:
            self._copy, self._copy_taken_at = InMemoryCourseRepository(loaded[0]), loaded[1]

    def status(self) -> ComponentStatus:
        if self.in_database:
            return ComponentStatus(backend="postgres", state="ok")
        reason = self._problem if self._link.is_up else f"PostgreSQL unreachable since {_at(self._link.since)}"
        if self._copy is not None:
            shown = f"catalogue snapshot of {_at(self._copy_taken_at)}"
            return ComponentStatus(backend="snapshot", state="degraded", detail=f"{reason}; showing the {shown}")
        return ComponentStatus(backend="json", state="degraded", detail=f"{reason}; showing the bundled catalogue")

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]:
        return await self._use(lambda repo: repo.get_all_courses(filters, limit))

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        return await self._use(lambda repo: repo.search_courses_by_text(search_text, limit))

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        return await self._use(lambda repo: repo.get_course_complete_info(course_id))

    async def get_recommended_courses(
        self, user_interests: list[str], user_level: str | None = None, limit: int = 3
    ) -> list[Course]:
        return await self._use(lambda repo: repo.get_recommended_courses(user_interests, user_level, limit))

    async def get_course_statistics(self) -> CourseStatistics:
        return await self._use(lambda repo: repo.get_course_statistics())

    async def _use(self, call: Callable[[CourseRepository], Awaitable[T]]) -> T:
        if self.in_database:
            try:
                return await call(self._primary)
            except DatabaseQueryError as error:
                # The school's tables may have changed under us (a column dropped or renamed):
                # read their columns again for the next call.
                logger.warning("course query failed (%s); re-reading the catalogue's columns", error)
                await self._reprepare()
            except StoreUnavailableError as error:
                self._link.report(error)
                logger.warning("course query failed (%s); answering from the fallback catalogue", error)
        return await call(self._fallback())

    async def _reprepare(self) -> None:
        try:
            await self.on_connect()
        except StoreUnavailableError as error:
            self._link.report(error)

    def _fallback(self) -> CourseRepository:
        if self._copy is not None:
            return self._copy
        if self._bundled is None:
            self._bundled = self._bundled_factory()
        return self._bundled


# --- memory ----------------------------------------------------------------------------------


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
        cache_size: int = 5_000,
    ) -> None:
        self._primary = primary
        self._pending = pending
        self._link = link
        self._clock = clock
        # Recently seen memories, so a known user keeps their memory during an outage.
        self._cache: OrderedDict[str, LoadedVersion] = OrderedDict()
        self._cache_size = cache_size
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
            f"PostgreSQL unreachable since {_at(self._link.since)}; memory updates are kept in "
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
                except StoreUnavailableError as error:
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
        self._cache.pop(user_id, None)
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
        self._cache[user_id] = loaded
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _origin(self, user_id: str) -> _Origin | None:
        task = asyncio.current_task()
        return self._origins.get(task, {}).get(user_id) if task is not None else None

    def _set_origin(self, user_id: str, origin: _Origin) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._origins.setdefault(task, {})[user_id] = origin


# --- inbound log -----------------------------------------------------------------------------


class ResilientInboundLog:
    """De-duplication and the reply outbox in PostgreSQL, in the JSON inbound log while it is away.

    A record that had to be copied to the fallback (the database went away while it was being
    answered) lives on there: later changes go to the copy, which starts from the latest state
    this process knew, so a part already sent is not sent again. The rows such copies leave
    behind are handed the copy's state by the sweep (pending_deliveries), so they stop looking
    unfinished. Deliveries recorded during an outage stay in the fallback log.
    """

    def __init__(self, primary: PostgresInboundLog, fallback: JsonInboundLog, link: DatabaseLink) -> None:
        self._primary = primary
        self._fallback = fallback
        self._link = link
        # The latest state this process saw of recent deliveries: enough to continue one in the
        # fallback if the database went away mid-turn or mid-delivery.
        self._recent: OrderedDict[str, InboundRecord] = OrderedDict()

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        if message_id not in self._recent:
            self._note(InboundRecord(message_id=message_id, user_id=user_id, received_at=received_at))
        if self._link.is_up:
            try:
                return await self._primary.record_if_new(message_id, user_id, received_at)
            except StoreUnavailableError as error:
                self._link.report(error)
        return await self._fallback.record_if_new(message_id, user_id, received_at)

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        self._track(message_id, lambda record: record.model_copy(update={"reply": reply}))
        await self._route(message_id, lambda log: log.store_reply(message_id, reply))

    async def get(self, message_id: str) -> InboundRecord | None:
        record = None
        if self._link.is_up:
            try:
                record = await self._primary.get(message_id)
            except StoreUnavailableError as error:
                self._link.report(error)
        fallback = await self._fallback.get(message_id)
        if fallback is not None and fallback.delivery is not None:
            return fallback  # a delivery copied to the fallback is continued there: its copy is the latest
        if record is not None and record.reply is not None:
            return record
        # A delivery answered during an outage is only in the fallback log.
        return fallback if fallback is not None and (record is None or fallback.reply is not None) else record

    # --- the outbox ----------------------------------------------------------------------------

    async def record_for_delivery(self, message: InboundMessage) -> bool:
        self._note(
            InboundRecord(
                message_id=message.message_id,
                user_id=message.user_id,
                received_at=message.received_at,
                message=message,
                delivery=Delivery(),
            )
        )
        if self._link.is_up:
            try:
                return await self._primary.record_for_delivery(message)
            except StoreUnavailableError as error:
                self._link.report(error)
        return await self._fallback.record_for_delivery(message)

    async def claim_delivery(
        self, message_id: str, worker: str, until: datetime, now: datetime
    ) -> InboundRecord | None:
        claimed = await self._route(message_id, lambda log: log.claim_delivery(message_id, worker, until, now))
        if claimed is not None:
            self._note(claimed)
        return claimed

    async def record_burst(self, message_id: str, worker: str, merged_from: tuple[str, ...]) -> bool:
        recorded = await self._route(message_id, lambda log: log.record_burst(message_id, worker, merged_from))
        if recorded:
            self._track_delivery(message_id, lambda d: d.with_burst(worker, merged_from))
        return recorded

    async def record_part_sent(
        self, message_id: str, worker: str, index: int, provider_id: str, lease_until: datetime
    ) -> bool:
        recorded = await self._route(
            message_id, lambda log: log.record_part_sent(message_id, worker, index, provider_id, lease_until)
        )
        if recorded:
            self._track_delivery(message_id, lambda d: d.with_part(worker, index, provider_id, lease_until))
        return recorded

    async def finish_delivery(self, message_id: str, worker: str, outcome: DeliveryOutcome, now: datetime) -> bool:
        finished = await self._route(message_id, lambda log: log.finish_delivery(message_id, worker, outcome, now))
        if finished:
            self._track_delivery(message_id, lambda d: d.finish(worker, outcome, now))
        return finished

    async def pending_deliveries(self, user_id: str | None = None, limit: int = 200) -> list[InboundRecord]:
        found = {r.message_id: r for r in await self._primary_pending(user_id, limit)}
        for message_id in list(found):
            copy = await self._fallback.get(message_id)
            if copy is not None and copy.delivery is not None:
                del found[message_id]
                await self._hand_back(copy)
        found.update({r.message_id: r for r in await self._fallback.pending_deliveries(user_id, limit)})
        return sorted(found.values(), key=lambda r: (r.received_at, r.message_id))[:limit]

    async def delivery_counts(self) -> DeliveryCounts:
        """Both logs added up (a delivery being continued in the fallback may count twice)."""
        counts = await self._fallback.delivery_counts()
        if self._link.is_up:
            try:
                stored = await self._primary.delivery_counts()
            except StoreUnavailableError as error:
                self._link.report(error)
            else:
                counts = DeliveryCounts(pending=counts.pending + stored.pending, failed=counts.failed + stored.failed)
        return counts

    # --- helpers -------------------------------------------------------------------------------

    async def _route(self, message_id: str, call: Callable[[InboundLog], Awaitable[T]]) -> T:
        """PostgreSQL, unless it is away or the record already lives in the fallback."""
        if self._link.is_up and await self._fallback.get(message_id) is None:
            try:
                return await call(self._primary)
            except StoreUnavailableError as error:
                self._link.report(error)
        latest = self._recent.get(message_id)
        if latest is not None:
            await self._fallback.import_record(latest)  # no-op when the copy exists
        return await call(self._fallback)

    async def _primary_pending(self, user_id: str | None, limit: int) -> list[InboundRecord]:
        if not self._link.is_up:
            return []
        try:
            return await self._primary.pending_deliveries(user_id, limit)
        except StoreUnavailableError as error:
            self._link.report(error)
            return []

    async def _hand_back(self, copy: InboundRecord) -> None:
        try:
            await self._primary.adopt(copy)
        except StoreUnavailableError as error:
            self._link.report(error)

    def _note(self, record: InboundRecord) -> None:
        self._recent[record.message_id] = record
        self._recent.move_to_end(record.message_id)
        while len(self._recent) > 1_000:
            self._recent.popitem(last=False)

    def _track(self, message_id: str, change: Callable[[InboundRecord], InboundRecord]) -> None:
        record = self._recent.get(message_id)
        if record is not None:
            self._note(change(record))

    def _track_delivery(self, message_id: str, change: Callable[[Delivery], Delivery | None]) -> None:
        record = self._recent.get(message_id)
        changed = change(record.delivery) if record is not None and record.delivery is not None else None
        if record is not None and changed is not None:
            self._note(record.model_copy(update={"delivery": changed}))


def _at(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "unknown"
