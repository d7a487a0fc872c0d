"""OpenAI (or any OpenAI-compatible server) behind the ConversationAI port."""

from __future__ import annotations

import time
from collections.abc import Callable

from app.infrastructure.openai.breaker import CircuitBreaker
from app.infrastructure.openai.dialect import ServerDialect

__all__ = ["CircuitBreaker", "ServerDialect", "build_conversation_ai"]


def build_conversation_ai(
    *,
    api_key: str,
    model: str,
    base_url: str | None,
    attempt_timeout: float,
    max_retries: int,
    budget_seconds: float,
    cooldown_seconds: float,
    clock: Callable[[], float] = time.monotonic,
    dialect: ServerDialect | None = None,
) -> CircuitBreaker:
    """The OpenAI adapter wrapped in the circuit breaker that reports the AI's state.

    One clock times both the budget (whether a retry still fits) and the cool-down, so a
    test can step the AI's time without depending on how fast the machine is.
    """
    # Imported here: the openai SDK takes ~0.6 s to import, which commands that never call
    # the AI (report, db, basic-mode chat) should not pay.
    from app.infrastructure.openai.adapter import OpenAIConversationAI

    adapter = OpenAIConversationAI(
        api_key=api_key,
        model=model,
        base_url=base_url,
        attempt_timeout=attempt_timeout,
        max_retries=max_retries,
        budget_seconds=budget_seconds,
        clock=clock,
        dialect=dialect,
    )
    return CircuitBreaker(adapter, cooldown_seconds=cooldown_seconds, clock=clock)
