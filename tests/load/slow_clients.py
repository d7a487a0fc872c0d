"""Slow clients (slowloris): connections that send a request's headers a byte a second and never
finish them. When the server closes one (408 or not), it is opened again at once, as an attacker
would, so the given number stays open throughout.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

# Headers that never end: a request line, then one endless field.
ENDLESS_REQUEST = b"POST /webhook/whatsapp HTTP/1.1\r\nHost: bot\r\nX-Padding: " + b"a" * 100_000


@dataclass
class SlowClientCounts:
    opened: int = 0
    closed_by_server: int = 0  # the server answered (a 408) or closed the connection
    timed_out_answers: int = 0  # of those, answers "408 Request Timeout"
    bytes_sent: int = 0


class SlowClients:
    """`count` slowloris connections to host:port from a thread of their own, until `stop()`."""

    def __init__(self, host: str, port: int, count: int = 200, byte_every: float = 1.0) -> None:
        self.host, self.port, self.count, self.byte_every = host, port, count, byte_every
        self.counts = SlowClientCounts()
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)

    def start(self) -> SlowClients:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self) -> SlowClientCounts:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(30)
        return self.counts

    def _run(self) -> None:
        asyncio.run(self._all())

    async def _all(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._started.set()
        await asyncio.gather(*(self._one(n) for n in range(self.count)))

    async def _one(self, number: int) -> None:
        assert self._stopping is not None
        await asyncio.sleep(number * 0.005)  # not all in the same millisecond
        while not self._stopping.is_set():
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                await asyncio.sleep(0.2)
                continue
            self.counts.opened += 1
            try:
                await self._trickle(reader, writer)
            finally:
                writer.close()

    async def _trickle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A byte, then a wait for the next one; ends when the server answers or closes."""
        assert self._stopping is not None
        for byte in ENDLESS_REQUEST:
            if self._stopping.is_set():
                return
            try:
                writer.write(bytes([byte]))
                await writer.drain()
                self.counts.bytes_sent += 1
                answer = await asyncio.wait_for(reader.read(64), self.byte_every)
            except TimeoutError:
                continue  # the server is still waiting for the rest: the next byte
            except OSError:
                answer = b""
            self.counts.closed_by_server += 1
            if answer.startswith(b"HTTP/1.1 408"):
                self.counts.timed_out_answers += 1
            return
