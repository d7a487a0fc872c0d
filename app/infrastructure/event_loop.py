"""One long-lived asyncio loop in a background thread, for synchronous callers.

Flask views and the CLI are synchronous; async resources (asyncpg pools, AsyncOpenAI
clients) belong to the loop that created them. Creating them once on this loop and
sending every coroutine here keeps them valid for the life of the process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class EventLoopThread:
    def __init__(self, name: str = "conversation-engine") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            ready = threading.Event()
            self._thread = threading.Thread(target=self._run, args=(ready,), name=self._name, daemon=True)
            self._thread.start()
            ready.wait()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        self.start()
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return self.submit(coroutine).result(timeout)

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Run a plain callback on the loop's thread (objects of the loop are not thread-safe)."""
        self.start()
        assert self._loop is not None
        self._loop.call_soon_threadsafe(callback)

    def stop(self) -> None:
        with self._lock:
            if self._thread is None or self._loop is None:
                return
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()
            self._thread, self._loop = None, None

    def _run(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        ready.set()
        self._loop.run_forever()
