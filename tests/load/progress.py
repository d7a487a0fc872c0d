"""A line every few seconds while a fault run goes on: webhooks sent and acknowledged, messages
recorded and answered, reply parts at the fake Twilio. A run takes a minute or more; without
these lines it looks hung."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

EVERY_SECONDS = 5.0


@dataclass
class TrafficCounts:
    """Kept up to date by the sender (tests/load/traffic.py) while it posts."""

    planned: int
    sent: int = 0  # posts tried at least once
    acknowledged: int = 0  # posts that got their 200


class Progress:
    """Emits a progress line every `every` seconds from a thread, and one when it stops."""

    def __init__(
        self,
        name: str,
        database_url: str,
        counts: TrafficCounts,
        parts_at_twilio: Callable[[], int],
        emit: Callable[[str], None],
        every: float = EVERY_SECONDS,
    ) -> None:
        self._name, self._database_url, self._counts = name, database_url, counts
        self._parts_at_twilio, self._emit, self._every = parts_at_twilio, emit, every
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._report, name=f"progress-{name}", daemon=True)
        self.phase = "traffic"

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(self._every + 10)
        self._emit(self.line())

    def line(self) -> str:
        counts = self._counts
        return (
            f"[{self._name} {time.monotonic() - self._started:5.0f} s, {self.phase}] "
            f"webhooks sent {counts.sent}/{counts.planned}, acknowledged {counts.acknowledged}; "
            f"{self._answered()}; parts at Twilio {self._parts_at_twilio()}"
        )

    def _report(self) -> None:
        while not self._stop.wait(self._every):
            self._emit(self.line())

    def _answered(self) -> str:
        try:
            with psycopg.connect(self._database_url, connect_timeout=2) as connection:
                row = connection.execute("SELECT count(turn_id), count(*) FROM conversation_messages").fetchone()
        except psycopg.Error as error:  # restarting, or not initialised yet
            return f"database unreachable ({type(error).__name__})"
        answered, recorded = row if row is not None else (0, 0)
        return f"messages answered {answered}/{recorded} recorded"
