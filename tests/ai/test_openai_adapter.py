"""The OpenAI adapter against the fake chat-completions server, through the real client."""

import asyncio
import json
import time
from datetime import date

import pytest

from app.application.errors import AIUnavailableError
from app.domain.ai import AIAnalysis, AIFailure, AIRequest, ConversationTurn, CourseFacts
from app.domain.intents import Intent
from app.infrastructure.openai.adapter import OpenAIConversationAI
from app.infrastructure.openai.prompt import (
    CANARY,
    PROMPT_TOKEN_BUDGET,
    SYSTEM_PROMPT,
    build_prompt,
    estimate_tokens,
)
from tests.ai.fake_openai import Step, answer, drop, hang, raw, refusal, reply_from_courses, status, structured

PYTHON = CourseFacts(
    id="4a2b9d4b-37f3-575d-a810-9e86d3a0def2", name="Python desde Cero", level="principiante", modality="online",
    session_count=7, duration_hours=11, price="$129 USD", start_date=date(2027, 1, 11),
    description="Tu primer programa en Python, paso a paso.",
)  # fmt: skip
EXCEL = CourseFacts(id="8032791c-0000", name="Automatización de Reportes de Excel", session_count=7, price="$279 USD")
REQUEST = AIRequest(
    text="me interesa programar pero no sé nada",
    rule_intent=Intent.EXPLORATION,
    rule_confidence=0.5,
    profile_summary="name: Ana",
    recent_turns=(ConversationTurn(role="user", text="hola"), ConversationTurn(role="assistant", text="¡Hola!")),
    courses=(PYTHON, EXCEL),
)


def analyse(fake, request=REQUEST, **options) -> tuple[AIAnalysis | AIUnavailableError, float]:
    options = {"attempt_timeout": 0.8, "budget_seconds": 1.5, **options}
    adapter = OpenAIConversationAI(api_key="sk-test", model="fake-small", base_url=fake.base_url, **options)

    async def run():
        try:
            return await adapter.analyse(request)
        except AIUnavailableError as error:
            return error
        finally:
            await adapter.aclose()

    started = time.monotonic()
    result = asyncio.run(run())
    return result, time.monotonic() - started


def test_a_good_structured_answer_becomes_an_analysis(fake_openai):
    fake_openai.script(
        reply_from_courses(
            "PROFESSION_CHANGE", name="Ana", interests=("programación",), pain_points=("no sabe programar",)
        )
    )
    result, _ = analyse(fake_openai)
    assert isinstance(result, AIAnalysis)
    assert result.intent == Intent.PROFESSION_CHANGE
    assert result.reply == "¡Buena idea! Te recomiendo *Python desde Cero*: son 7 sesiones y cuesta $129 USD."
    assert result.course_ids == (PYTHON.id,), "refs are mapped back to course ids"
    assert result.profile.name == "Ana" and result.profile.pain_points == ("no sabe programar",)
    assert result.usage.calls == 1 and result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    request = fake_openai.requests[0]
    assert fake_openai.paths == ["/v1/chat/completions"]
    assert fake_openai.authorizations == ["Bearer sk-test"]
    assert request["model"] == "fake-small"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["max_tokens"] <= 500, "a local server reads max_tokens"
    assert "max_completion_tokens" not in request
    assert request["stream"] is True, "streamed: closing it stops a local server's generation"


def test_the_prompt_gives_only_the_courses_found_and_the_context(fake_openai):
    fake_openai.script(answer())
    analyse(fake_openai)
    messages = fake_openai.requests[0]["messages"]
    context = messages[0]["content"]
    assert "C1: Python desde Cero | principiante | online | 7 sesiones | 11 horas | $129 USD" in context
    assert "C2: Automatización de Reportes de Excel" in context
    assert "C3" not in context and PYTHON.id not in context, "short refs, not ids or other courses"
    assert "name: Ana" in context and "EXPLORATION (0.50)" in context
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"], "one system message"
    assert context.startswith(SYSTEM_PROMPT), "the fixed instructions first, for prompt caching"
    assert messages[-1]["content"] == REQUEST.text


def test_a_long_conversation_is_trimmed_to_the_prompt_budget():
    turns = tuple(ConversationTurn(role="user", text="palabra " * 60) for _ in range(12))
    request = REQUEST.model_copy(update={"recent_turns": turns, "courses": (PYTHON, EXCEL) * 2})
    prompt = build_prompt(request)
    assert prompt.estimated_tokens == estimate_tokens(prompt.messages) <= PROMPT_TOKEN_BUDGET
    assert len(prompt.messages) < 2 + len(turns) + 1


@pytest.mark.parametrize(
    ("step", "reason", "calls"),
    [
        (raw("esto no es JSON {"), AIFailure.MALFORMED, 1),
        (raw(""), AIFailure.MALFORMED, 1),
        # 200 answers that are not chat completions at all
        (Step(body={"choices": [{"index": 0, "finish_reason": "stop"}]}), AIFailure.MALFORMED, 1),
        (Step(body={"choices": []}), AIFailure.MALFORMED, 1),
        (Step(body="<html>gateway</html>"), AIFailure.MALFORMED, 1),
        (raw(json.dumps({"intent": "COMPRAR", "reply": "hola"})), AIFailure.SCHEMA, 1),
        (raw(json.dumps({"intent": "EXPLORATION", "confidence": 1, "profile": {}, "course_refs": []})),
         AIFailure.SCHEMA, 1),
        (refusal(), AIFailure.REFUSED, 1),
        (raw(structured(reply=f"Mis instrucciones dicen [{CANARY}]...")), AIFailure.PROMPT_LEAK, 1),
        (status(401, "invalid api key"), AIFailure.AUTHENTICATION, 1),
        (status(400, "model not found"), AIFailure.BAD_REQUEST, 1),
        (status(429, "slow down", {"retry-after": "30"}), AIFailure.RATE_LIMITED, 1),
        (status(500, "boom"), AIFailure.SERVER_ERROR, 2),
        (status(503, "overloaded"), AIFailure.SERVER_ERROR, 2),
        (drop(), AIFailure.CONNECTION, 2),
    ],
)  # fmt: skip
def test_every_unusable_answer_is_an_ai_unavailable_error(fake_openai, step, reason, calls):
    fake_openai.always(step)
    result, _ = analyse(fake_openai, attempt_timeout=2.0, budget_seconds=4.0)
    assert isinstance(result, AIUnavailableError), result
    assert result.reason == reason
    assert result.usage.calls == calls == fake_openai.calls


def test_a_transient_error_is_retried_once_and_both_calls_are_counted(fake_openai):
    fake_openai.script(status(429, "slow down", {"retry-after": "0"}), answer(reply="¡Hola! ¿Qué quieres aprender?"))
    result, _ = analyse(fake_openai, attempt_timeout=2.0, budget_seconds=4.0)
    assert isinstance(result, AIAnalysis) and result.usage.calls == 2 == fake_openai.calls


def test_json_in_a_code_fence_is_accepted(fake_openai):
    fake_openai.script(raw("```json\n" + structured(reply="¡Hola!") + "\n```"))
    result, _ = analyse(fake_openai)
    assert isinstance(result, AIAnalysis) and result.reply == "¡Hola!"


def test_a_hang_is_cut_at_the_budget(fake_openai):
    fake_openai.always(hang(30))
    result, elapsed = analyse(fake_openai, attempt_timeout=0.8, budget_seconds=1.5)
    assert isinstance(result, AIUnavailableError) and result.reason == AIFailure.TIMEOUT
    assert elapsed < 1.5 + 0.5
    assert fake_openai.calls == 1, "no retry when the budget has no room for one"


def test_a_server_that_is_down_fails_fast(fake_openai):
    base_url = fake_openai.base_url
    fake_openai.close()
    adapter_fake = type("Down", (), {"base_url": base_url})()
    result, elapsed = analyse(adapter_fake, budget_seconds=4.0)
    assert isinstance(result, AIUnavailableError) and result.reason == AIFailure.CONNECTION
    assert elapsed < 2.0


def test_the_library_defaults_are_replaced(fake_openai):
    adapter = OpenAIConversationAI(api_key="sk-test", base_url=fake_openai.base_url, attempt_timeout=6.0)

    async def inspect():
        client = adapter._client_for_loop()
        await adapter.aclose()
        return client.max_retries, client.timeout

    max_retries, timeout = asyncio.run(inspect())
    assert max_retries == 0, "retries are the adapter's, within the budget"
    assert timeout.read == 6.0 and timeout.connect <= 2.0
