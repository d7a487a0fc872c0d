"""Runs the REST delivery on the engine's loop: one task per accepted message, and the sweep.

The webhook must answer Twilio at once, so it only hands the user's id over (`submit`) and
returns; the futures are kept (a task nobody references can be garbage-collected mid-way)
and their exceptions logged (nobody awaits them). The sweep runs when the engine starts and
then every `sweep_seconds`, finishing what a dead or failed worker left unsent.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any

from app.application.deliver_replies import DeliverReplies
from app.infrastructure.event_loop import EventLoopThread

logger = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(self, deliveries: DeliverReplies, loop: EventLoopThread, sweep_seconds: float) -> None:
        self._deliveries = deliveries
        self._loop = loop
        self._sweep_seconds = sweep_seconds
        self._futures: set[Future[Any]] = set()
        self._lock = threading.Lock()  # submit() runs on the web server's threads
        self._started = False
        self._tasks: set[asyncio.Task[Any]] = set()  # touched on the loop's thread only

    def start(self) -> None:
        """Start the periodic sweep (the first one at once); idempotent."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._keep(self._loop.submit(self._tracked(self._sweep_forever())))

    def submit(self, user_id: str) -> None:
        """Deliver the user's waiting replies in the background."""
        self._keep(self._loop.submit(self._tracked(self._deliveries.deliver(user_id))))

    def stop(self, timeout: float = 3.0) -> None:
        """Cancel the sweep and unfinished deliveries: their claims expire, and the next start
        (or another worker's sweep) finishes them."""
        with self._lock:
            if not self._started and not self._futures:
                return
            self._started = False
        try:
            self._loop.run(self._cancel_all(), timeout)
        except Exception:
            logger.warning("reply deliveries did not stop cleanly", exc_info=True)

    def _keep(self, future: Future[Any]) -> None:
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[Any]) -> None:
        with self._lock:
            self._futures.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            logger.error("reply delivery failed; the sweep retries it", exc_info=error)

    async def _tracked(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            return await coroutine
        finally:
            self._tasks.discard(task)

    async def _cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self._deliveries.sweep()
            except Exception:
                logger.exception("delivery sweep failed; trying again in %.0fs", self._sweep_seconds)
            await asyncio.sleep(self._sweep_seconds)
