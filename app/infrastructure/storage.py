"""The stores behind the ports when DATABASE_URL is set, and their state for /health.

Built by the composition root (app.bootstrap.database) on the engine's event loop:
- full/database mode: courses and memory in PostgreSQL, the inbound log too;
- hybrid mode (MEMORY_STORE=json): courses in PostgreSQL, memory and inbound log in JSON.
Every PostgreSQL store has a fallback (app.infrastructure.resilient), so a database that is
unreachable at start-up, or lost later, degrades the bot instead of stopping it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundLog, UserMemoryRepository
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.fallback_store import CatalogSnapshot, PendingMemoryStore
from app.infrastructure.json_store.course_repository import JsonCourseRepository
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.postgres.client import PoolOptions, PostgresClient
from app.infrastructure.postgres.course_repository import PostgresCourseRepository
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.postgres.memory_repository import PostgresUserMemoryRepository
from app.infrastructure.postgres.migrator import apply_migrations
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.resilient import (
    ComponentStatus,
    DatabaseLink,
    LinkTiming,
    ResilientCourseRepository,
    ResilientInboundLog,
    ResilientMemoryRepository,
)
from app.infrastructure.resilient.memory import DEFAULT_CACHE_BYTES

logger = logging.getLogger(__name__)

FALLBACK_DIR = "postgres_fallback"
# Another process running the migrations: wait this long, then start on the fallbacks.
MIGRATION_LOCK_WAIT = 20.0


class StorageOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    database_url: str
    data_dir: Path
    memory_in_json: bool = False  # hybrid mode
    timing: LinkTiming = LinkTiming()
    pool: PoolOptions = PoolOptions()
    snapshot_every_seconds: float | None = 600.0  # None: never copy the catalogue to disk
    retention: timedelta = timedelta(days=90)  # RETENTION_DAYS: inbound records kept this long
    memory_cache_bytes: int = DEFAULT_CACHE_BYTES  # MEMORY_CACHE_MB: recent memories kept for outages


class DatabaseStorage:
    """PostgreSQL stores wrapped in their fallbacks, plus the link that watches the database."""

    def __init__(self, options: StorageOptions) -> None:
        self._options = options
        fallback_dir = options.data_dir / FALLBACK_DIR
        self.client = PostgresClient(options.database_url, options.pool)
        self.link = DatabaseLink(self.client, on_connect=self._on_connect, timing=options.timing)
        self.courses = ResilientCourseRepository(
            PostgresCourseRepository(self.client),
            self.link,
            CatalogSnapshot(fallback_dir / "catalog_snapshot.json"),
            bundled=JsonCourseRepository,
        )
        json_inbound = JsonInboundLog(options.data_dir / "inbound")
        self.memory: UserMemoryRepository
        self.inbound_log: InboundLog
        self.database_memory: ResilientMemoryRepository | None = None
        self.database_inbound: PostgresInboundLog | None = None
        if options.memory_in_json:
            self.memory = JsonUserMemoryRepository(options.data_dir / "memory")
            self.inbound_log = json_inbound
        else:
            self.database_memory = ResilientMemoryRepository(
                PostgresUserMemoryRepository(self.client),
                PendingMemoryStore(fallback_dir / "pending_memory"),
                self.link,
                cache_bytes=options.memory_cache_bytes,
            )
            self.database_inbound = PostgresInboundLog(self.client)
            self.memory = self.database_memory
            self.inbound_log = ResilientInboundLog(self.database_inbound, json_inbound, self.link)
        self._background: set[asyncio.Task[None]] = set()
        self._snapshot_task: asyncio.Task[None] | None = None
        self.link.when_up(self._after_connect)

    @property
    def courses_in_database(self) -> bool:
        return self.courses.in_database

    @property
    def memory_in_database(self) -> bool:
        return self.database_memory is not None and self.database_memory.in_database

    async def start(self) -> bool:
        """Connect (short budget), migrate, read the catalogue's columns; never raises."""
        started = await self.link.start()
        if started:
            self._spawn(self.courses.load_snapshot())
        else:
            await self.courses.load_snapshot()  # needed right away (its courses are read at first use)
        return started

    def status(self) -> dict[str, ComponentStatus]:
        memory = (
            self.database_memory.status()
            if self.database_memory is not None
            else ComponentStatus(backend="json", state="ok", detail="MEMORY_STORE=json (hybrid mode)")
        )
        return {"courses": self.courses.status(), "memory": memory}

    async def close(self) -> None:
        for task in (*self._background, *([self._snapshot_task] if self._snapshot_task else [])):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.link.close()

    # --- connecting --------------------------------------------------------------------------

    async def _on_connect(self) -> None:
        """Steps that must succeed before the database is used: schema, catalogue columns."""
        await asyncio.to_thread(self._migrate)
        await self.courses.on_connect()

    def _migrate(self) -> None:
        database = SyncDatabase(self._options.database_url, connect_timeout=self._options.pool.connect_timeout)
        try:
            database.open(budget_seconds=self._options.timing.reconnect_budget)
            apply_migrations(database, lock_wait_seconds=MIGRATION_LOCK_WAIT)
        finally:
            database.close()

    async def _after_connect(self) -> None:
        """Catch-up work after each (re)connection, in the background."""
        if self.database_memory is not None:
            await self.database_memory.merge_all_pending()
        if self.database_inbound is not None:
            await self.database_inbound.purge_older_than(datetime.now(UTC) - self._options.retention)
        if self._options.snapshot_every_seconds is not None:
            await self.courses.refresh_snapshot()
            if self._snapshot_task is None or self._snapshot_task.done():
                self._snapshot_task = asyncio.get_running_loop().create_task(self._refresh_periodically())

    async def _refresh_periodically(self) -> None:
        assert self._options.snapshot_every_seconds is not None
        while True:
            await asyncio.sleep(self._options.snapshot_every_seconds)
            try:
                await self.courses.refresh_snapshot()
            except StoreUnavailableError as error:
                self.link.report(error)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def open_database_storage(options: StorageOptions, loop: EventLoopThread) -> DatabaseStorage:
    """Build the stores and connect on `loop` (the engine's); log one line if it failed."""
    storage = DatabaseStorage(options)
    budget = options.timing.startup_budget + options.timing.reconnect_budget + MIGRATION_LOCK_WAIT + 30.0
    if not loop.run(storage.start(), timeout=budget):
        logger.warning(
            "PostgreSQL unreachable at start-up (%s): answering from the JSON fallbacks, retrying in the background",
            storage.link.last_error,
        )
    return storage
