"""Any OpenAI-compatible server: the request shape each one reads, chosen once and logged."""

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from app.application.errors import AIUnavailableError
from app.domain.ai import AIAnalysis, AIFailure, AIRequest
from app.domain.intents import Intent
from app.domain.messages import InboundMessage
from app.domain.modes import AIState
from app.infrastructure.openai.adapter import OpenAIConversationAI
from app.infrastructure.openai.dialect import ServerDialect
from app.infrastructure.openai.prompt import SYSTEM_PROMPT
from tests.ai.fake_openai import (
    Step,
    completion,
    hang,
    raw,
    rejects_json_schema,
    reply_from_courses,
    structured,
)

REQUEST = AIRequest(text="python?", rule_intent=Intent.EXPLORATION, rule_confidence=0.5)


def run(adapter: OpenAIConversationAI, times: int = 1) -> list[AIAnalysis | AIUnavailableError]:
    async def go():
        results = []
        for _ in range(times):
            try:
                results.append(await adapter.analyse(REQUEST))
            except AIUnavailableError as error:
                results.append(error)
        await adapter.aclose()
        return results

    return asyncio.run(go())


def adapter_for(fake, **options) -> OpenAIConversationAI:
    options = {"attempt_timeout": 2.0, "budget_seconds": 4.0, **options}
    return OpenAIConversationAI(api_key="sk-test", model="local", base_url=fake.base_url, **options)


@pytest.mark.parametrize(
    ("base_url", "token_param", "stream"),
    [
        (None, "max_completion_tokens", False),
        ("https://api.openai.com/v1", "max_completion_tokens", False),
        ("https://school.openai.azure.com/openai/v1/", "max_completion_tokens", False),
        ("http://127.0.0.1:8080/v1", "max_tokens", True),  # llama.cpp, llama-cpp-python, vLLM
        ("http://localhost:11434/v1", "max_tokens", True),  # Ollama
    ],
)
def test_auto_settings_send_the_token_cap_each_server_reads(base_url, token_param, stream):
    dialect = ServerDialect.for_server(base_url)
    assert dialect.token_limit_param == token_param and dialect.stream is stream
    assert dialect.response_format == "json_schema" and not dialect.fixed_format


def test_a_server_that_rejects_json_schema_with_500_gets_json_object_from_then_on(fake_openai, caplog):
    fake_openai.always(rejects_json_schema(reply_from_courses()))
    with caplog.at_level(logging.INFO, logger="app.infrastructure.openai"):
        results = run(adapter_for(fake_openai), times=3)
    assert all(isinstance(r, AIAnalysis) for r in results), results
    formats = [(r.get("response_format") or {}).get("type") for r in fake_openai.requests]
    assert formats == ["json_schema", "json_object", "json_object", "json_object"], "chosen once"
    assert caplog.text.count("refused response_format json_schema") == 1
    assert results[0].usage.calls == 2, "the refused request is counted"
    assert "Answer with only this JSON object" in fake_openai.requests[1]["messages"][0]["content"]


def test_without_any_response_format_the_schema_goes_in_the_prompt(fake_openai):
    def no_formats(request):
        if request.get("response_format"):
            return Step(status=500, body={"error": {"message": "grammar error: response_format unsupported"}})
        return Step(body=completion("Claro, aquí va: " + structured(reply="¡Hola! ¿Qué te gustaría aprender?"),
                                    request=request))  # fmt: skip

    fake_openai.always(no_formats)
    _, second = run(adapter_for(fake_openai), times=2)
    assert isinstance(second, AIAnalysis) and second.reply == "¡Hola! ¿Qué te gustaría aprender?"
    assert "response_format" not in fake_openai.requests[-1], "text around the JSON is tolerated"


def test_a_500_after_the_format_worked_is_an_outage_not_a_refusal(fake_openai):
    fake_openai.script(reply_from_courses(), Step(status=500, body={"error": {"message": "schema cache crashed"}}))
    adapter = adapter_for(fake_openai, max_retries=0)
    first, second = run(adapter, times=2)
    assert isinstance(first, AIAnalysis)
    assert isinstance(second, AIUnavailableError) and second.reason == AIFailure.SERVER_ERROR
    assert adapter.response_format == "json_schema"


def test_a_format_set_explicitly_is_sent_from_the_first_call(fake_openai):
    fake_openai.always(reply_from_courses())
    run(adapter_for(fake_openai, dialect=ServerDialect.for_server(None, response_format="json_object")))
    assert fake_openai.requests[0]["response_format"] == {"type": "json_object"}
    assert "max_completion_tokens" in fake_openai.requests[0] and "stream" not in fake_openai.requests[0]


def test_instructions_folded_into_the_user_turn(fake_openai):
    fake_openai.always(reply_from_courses())
    request = REQUEST.model_copy(update={"recent_turns": ()})
    adapter = adapter_for(fake_openai, dialect=ServerDialect.for_server("http://x/v1", instructions_role="user"))

    async def go():
        try:
            return await adapter.analyse(request)
        finally:
            await adapter.aclose()

    assert isinstance(asyncio.run(go()), AIAnalysis)
    messages = fake_openai.requests[0]["messages"]
    assert [m["role"] for m in messages] == ["user"]
    assert messages[0]["content"].startswith(SYSTEM_PROMPT) and messages[0]["content"].endswith("python?")


def test_a_stream_given_up_on_is_closed_so_the_server_stops(fake_openai):
    slow = Step(body=completion(structured(reply="x" * 400)), chunk_delay=0.2, chunk_chars=4)
    fake_openai.always(slow)
    (result,) = run(adapter_for(fake_openai, attempt_timeout=0.6, budget_seconds=0.8))
    assert isinstance(result, AIUnavailableError) and result.reason == AIFailure.TIMEOUT

    async def settle():
        for _ in range(50):
            if fake_openai.abandoned_streams:
                return
            await asyncio.sleep(0.1)

    asyncio.run(settle())
    assert fake_openai.abandoned_streams == 1, "the server saw the stream closed and stopped writing"


def test_cached_prompt_tokens_are_reported(fake_openai):
    def cached(request):
        body = completion(structured(reply="¡Hola! ¿Qué quieres aprender?"), request=request)
        body["usage"]["prompt_tokens_details"] = {"cached_tokens": 640}
        return Step(body=body)

    fake_openai.always(cached)
    (result,) = run(adapter_for(fake_openai))
    assert isinstance(result, AIAnalysis) and result.usage.cached_tokens == 640


def test_an_answer_cut_at_the_token_limit_is_truncated(fake_openai):
    fake_openai.always(lambda request: Step(body=completion('{"intent": "EXPLORATION", "rep', finish_reason="length",
                                                            request=request)))  # fmt: skip
    (result,) = run(adapter_for(fake_openai))
    assert isinstance(result, AIUnavailableError) and result.reason == AIFailure.TRUNCATED
    assert not result.reason.is_outage


def _message(text: str, n: int) -> InboundMessage:
    user = "whatsapp:+5215550001111"
    return InboundMessage(message_id=f"SMd{n}", user_id=user, text=text, received_at=datetime.now(UTC))


def test_the_bot_starts_and_answers_against_a_server_without_json_schema(ai_container, fake_openai, caplog):
    fake_openai.always(rejects_json_schema(reply_from_courses()))
    with caplog.at_level(logging.INFO):
        container = ai_container()
        replies = [container.handle_message(_message(t, i), timeout=30) for i, t in enumerate(("python?", "excel"))]
    assert container.ai_state == AIState.ON
    assert all(r.text for r in replies) and any(r.ai_used for r in replies)
    assert caplog.text.count("refused response_format json_schema") == 1


def test_malformed_answers_never_open_the_breaker_but_timeouts_do(ai_container, fake_openai):
    fake_openai.always(raw("{no es json"))
    container = ai_container()
    for n in range(8):
        reply = container.handle_message(_message(f"python? {n}", n), timeout=30)
        assert reply.text and not reply.ai_used
    assert container.ai_state == AIState.ON
    assert container.health().ai_usage.fallbacks.get("malformed") == 8
    fake_openai.always(hang(30))
    container.handle_message(_message("excel?", 99), timeout=30)
    assert container.ai_state == AIState.DEGRADED


def test_without_a_strict_schema_a_reply_without_the_reading_is_still_checked(fake_openai):
    fake_openai.always(raw('{"reply": "¡Hola! Tenemos cursos de Python para empezar desde cero."}'))
    adapter = adapter_for(fake_openai, dialect=ServerDialect.for_server("http://x/v1", response_format="json_object"))
    (result,) = run(adapter)
    assert isinstance(result, AIAnalysis) and result.reply.startswith("¡Hola!")
    assert result.intent == REQUEST.rule_intent and result.confidence == 0.0, "the model's intent never counts"
    strict = adapter_for(fake_openai)
    (refused,) = run(strict)
    assert isinstance(refused, AIUnavailableError) and refused.reason == AIFailure.SCHEMA, "strict schema: all fields"
