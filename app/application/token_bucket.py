"""A token bucket that paces requests to a provider's rate limit.

Twilio queues WhatsApp messages beyond the sender's throughput and fails them later with
63018 when the queue overflows; pacing at the source keeps a campaign under the limit. The
bucket holds at most `capacity` tokens (1 by default: no burst at all, one request every
1/rate seconds), refilled continuously; `acquire` waits for a whole token. Acquirers queue on
a lock, so concurrent senders share one rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

_MIN_WAIT_SECONDS = 1e-6


class TokenBucket:
    def __init__(
        self,
        rate: float,
        capacity: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or capacity < 1:
            raise ValueError("a token bucket needs a positive rate and room for one token")
        self._rate = rate
        self._capacity = capacity
        self._clock = clock
        self._sleep = sleep
        self._tokens = 1.0  # the first request goes at once; the rest are paced
        self._updated = clock()
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            # A loop, not one sleep: a timer may fire a hair early, and a token is whole. The
            # floor on the wait makes progress where float rounding leaves a token 1e-15 short.
            while self._tokens < 1.0:
                await self._sleep(max((1.0 - self._tokens) / self._rate, _MIN_WAIT_SECONDS))
                self._refill()
            self._tokens -= 1.0

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
