"""The database link: whether PostgreSQL is usable now, and the task that brings it back.

The first call that finds the database unreachable marks the link down; from then on every
call goes straight to the fallbacks (no per-message timeouts) while a background task retries
with backoff. When the database answers again the link runs the start-up steps again
(migrations, catalogue columns) and tells its listeners, so the wrappers move back to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.application.errors import StoreUnavailableError
from app.infrastructure.postgres.client import PostgresClient, RetryPolicy
from app.infrastructure.postgres.errors import DatabaseUnavailableError

logger = logging.getLogger(__name__)


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
        self._probe: asyncio.Task[None] | None = None
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
        """A call failed: if a probe on a fresh connection confirms the server is the problem,
        switch to the fallbacks until it is back. A slow query or a busy pool under load is
        not an outage, so one failed call alone never switches."""
        if not isinstance(error, DatabaseUnavailableError) or not self._up or self._closed:
            return
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._confirm_down(error), name="postgres-probe")

    async def _confirm_down(self, error: StoreUnavailableError) -> None:
        if await self._client.server_answers():
            logger.info("a database call failed (%s) but the server answers; staying on PostgreSQL", error)
            return
        if self._up:
            logger.warning("PostgreSQL connection lost (%s); answering from the fallbacks until it returns", error)
            self._down(error)

    async def close(self) -> None:
        self._closed = True
        tasks = [t for t in (self._task, self._probe, *self._listener_tasks) if t is not None]
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


def utc_text(moment: datetime | None) -> str:
    """A moment as shown in status details: UTC to the second, "unknown" when never set."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "unknown"
