"""The circuit breaker: degraded at once on an outage, on again by itself after a cool-down."""

import asyncio

import pytest

from app.application.errors import AIUnavailableError
from app.domain.ai import AIAnalysis, AIFailure, AIRequest
from app.domain.intents import Intent
from app.domain.modes import AIState
from app.infrastructure.openai.breaker import CircuitBreaker
from tests.fakes import SteppingMonotonicClock

REQUEST = AIRequest(text="python?", rule_intent=Intent.EXPLORATION, rule_confidence=0.5)
GOOD = AIAnalysis(intent=Intent.EXPLORATION, confidence=0.9, reply="¡Hola!")


class Inner:
    def __init__(self) -> None:
        self.outcomes: list[AIFailure | None] = []
        self.calls = 0

    async def analyse(self, request: AIRequest) -> AIAnalysis:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise AIUnavailableError(outcome)
        return GOOD


def call(breaker: CircuitBreaker) -> AIFailure | None:
    try:
        asyncio.run(breaker.analyse(REQUEST))
    except AIUnavailableError as error:
        return error.reason
    return None


@pytest.fixture
def setup():
    inner, clock = Inner(), SteppingMonotonicClock()
    return inner, clock, CircuitBreaker(inner, cooldown_seconds=30, clock=clock)


@pytest.mark.parametrize(
    "outage", [AIFailure.TIMEOUT, AIFailure.CONNECTION, AIFailure.AUTHENTICATION, AIFailure.RATE_LIMITED,
               AIFailure.SERVER_ERROR]
)  # fmt: skip
def test_an_outage_degrades_at_once_and_later_calls_skip_the_ai(setup, outage):
    inner, _, breaker = setup
    inner.outcomes = [outage]
    assert call(breaker) == outage
    assert breaker.state() == AIState.DEGRADED and "templates answer" in breaker.detail()
    assert call(breaker) == AIFailure.CIRCUIT_OPEN
    assert inner.calls == 1


def test_after_the_cool_down_one_probe_brings_it_back(setup, caplog):
    inner, clock, breaker = setup
    inner.outcomes = [AIFailure.TIMEOUT, AIFailure.SERVER_ERROR]
    call(breaker)
    clock.now = 31
    assert call(breaker) == AIFailure.SERVER_ERROR, "the probe failed: cool down again"
    assert call(breaker) == AIFailure.CIRCUIT_OPEN
    clock.now = 62
    with caplog.at_level("WARNING"):
        assert call(breaker) is None
    assert breaker.state() == AIState.ON and breaker.detail() is None
    assert "AI is back on" in caplog.text
    assert inner.calls == 3


def test_a_stream_of_bad_answers_never_opens_the_breaker(setup):
    inner, _, breaker = setup
    bad = [AIFailure.MALFORMED, AIFailure.TRUNCATED, AIFailure.SCHEMA, AIFailure.REFUSED, AIFailure.PROMPT_LEAK]
    inner.outcomes = bad * 6
    assert [call(breaker) for _ in range(30)] == bad * 6, "every bad answer reaches the caller as itself"
    assert breaker.state() == AIState.ON and inner.calls == 30, "no turn skipped the model"
    inner.outcomes = [AIFailure.TIMEOUT]
    assert call(breaker) == AIFailure.TIMEOUT
    assert breaker.state() == AIState.DEGRADED, "a timeout still opens it"


def test_a_probe_that_gets_a_bad_answer_closes_the_breaker(setup):
    inner, clock, breaker = setup
    inner.outcomes = [AIFailure.SERVER_ERROR, AIFailure.MALFORMED]
    call(breaker)
    clock.now = 31
    assert call(breaker) == AIFailure.MALFORMED
    assert breaker.state() == AIState.ON, "the service answered: it is up"
