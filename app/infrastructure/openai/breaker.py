"""A circuit breaker around the ConversationAI: the AI's on/degraded state lives here.

A failing AI costs each student the whole time budget before the templates answer, so
after a failure of the service (timeout, connection, 401, 429, 5xx) the breaker opens at
once: messages skip the AI and are answered by the templates immediately. After a
cool-down one message is let through as a probe (half-open); if it succeeds the AI is on
again, otherwise the cool-down starts over. Bad answers from a working service (malformed,
cut at the token limit, refused, off-schema) never open it: a model that writes badly is
not a model that is down, and the templates already answer each such turn. They are
counted per reason in /health instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from app.application.errors import AIUnavailableError
from app.application.ports import ConversationAI
from app.domain.ai import AIAnalysis, AIFailure, AIRequest
from app.domain.modes import AIState

logger = logging.getLogger(__name__)

DEFAULT_COOLDOWN_SECONDS = 30.0


class CircuitBreaker:
    """The ConversationAI port, failing fast while the AI is degraded."""

    def __init__(
        self,
        inner: ConversationAI,
        *,
        cooldown_seconds: float = DEFAULT_COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner
        self._cooldown = cooldown_seconds
        self._clock = clock
        self._state = AIState.ON
        self._retry_at = 0.0
        self._probing = False
        self._last_failure: AIFailure | None = None

    @property
    def inner(self) -> ConversationAI:
        return self._inner

    async def warm_up(self) -> None:
        """Let the inner adapter load what its first call would, if it has anything to load."""
        warm_up = getattr(self._inner, "warm_up", None)
        if warm_up is not None:
            await warm_up()

    async def aclose(self) -> None:
        """Release the inner adapter's connections, if it holds any."""
        close = getattr(self._inner, "aclose", None)
        if close is not None:
            await close()

    def state(self) -> AIState:
        return self._state

    def detail(self) -> str | None:
        """Why the AI is degraded and when it is tried again, for /health."""
        if self._state != AIState.DEGRADED or self._last_failure is None:
            return None
        wait = max(0.0, self._retry_at - self._clock())
        when = "with the next message" if wait == 0 else f"in {wait:.0f}s"
        return f"last failure: {self._last_failure.value}; templates answer; AI retried {when}"

    async def analyse(self, request: AIRequest) -> AIAnalysis:
        if self._state == AIState.DEGRADED:
            if self._probing or self._clock() < self._retry_at:
                raise AIUnavailableError(AIFailure.CIRCUIT_OPEN, "AI degraded, cooling down")
            self._probing = True  # half-open: this message tries the AI, the others wait
        try:
            analysis = await self._inner.analyse(request)
        except AIUnavailableError as error:
            self._failed(error.reason)
            raise
        finally:
            self._probing = False
        self._succeeded()
        return analysis

    def _failed(self, reason: AIFailure) -> None:
        if reason.is_outage:
            self._last_failure = reason
            self._degrade(reason)
        elif self._state == AIState.DEGRADED:
            self._succeeded()  # the probe got an answer: the service is back, this one was just bad

    def _degrade(self, reason: AIFailure) -> None:
        self._retry_at = self._clock() + self._cooldown
        if self._state != AIState.DEGRADED:
            logger.warning(
                "AI degraded (%s): templates answer; trying the AI again in %.0fs", reason.value, self._cooldown
            )
        self._state = AIState.DEGRADED

    def _succeeded(self) -> None:
        if self._state == AIState.DEGRADED:
            logger.warning("AI is back on after a successful call")
        self._state = AIState.ON
