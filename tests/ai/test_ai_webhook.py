"""End to end through the webhook: a hanging, failing or absent AI server still gets every
student a template reply within 10 seconds, and /health says the AI is degraded."""

import json
import socket
import time
import xml.etree.ElementTree as ET

import pytest

from tests.ai.fake_openai import hang, reply_from_courses, status
from tests.e2e.conftest import signed_post, twilio_params

# The limits a deployment runs with (app.config defaults), not the fast test ones.
DEFAULT_LIMITS = {"openai_timeout_seconds": 6.0, "ai_budget_seconds": 8.0, "openai_max_retries": 1}
UNSURE_MESSAGES = ("python?", "excel")  # the rules are unsure: both would go to the AI


def messages_of(body: str) -> list[str]:
    return [m.text or "" for m in ET.fromstring(body).iter("Message")]


def timed_post(server, text, sid):
    started = time.monotonic()
    result = signed_post(server, twilio_params(text, sid=sid))
    return result, time.monotonic() - started


def free_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def template_replies(ai_server, texts, data_dir) -> list[list[str]]:
    """What basic mode (no key) answers to the same messages."""
    server, _ = ai_server(openai_api_key=None, data_dir=data_dir)
    return [messages_of(timed_post(server, text, f"SMbasic{i}")[0].body) for i, text in enumerate(texts)]


@pytest.mark.parametrize("failure", ["hang", "500", "down"])
def test_a_failing_ai_still_answers_every_message_in_time(ai_server, fake_openai, tmp_path, failure):
    expected = template_replies(ai_server, UNSURE_MESSAGES, tmp_path / "basic")
    overrides: dict[str, object] = {**DEFAULT_LIMITS, "data_dir": tmp_path / "ai"}
    if failure == "hang":
        fake_openai.always(hang(30))
    elif failure == "500":
        fake_openai.always(status(500, "internal error"))
    else:
        overrides["openai_base_url"] = free_port_url()
    server, _ = ai_server(**overrides)
    for i, text in enumerate(UNSURE_MESSAGES):
        result, elapsed = timed_post(server, text, f"SM{failure}{i}")
        assert result.status == 200 and elapsed < 10
        assert messages_of(result.body) == expected[i], "the basic-mode reply, nothing about the failure"
    health = json.loads(server.get("/health").body)
    assert health["status"] == "degraded" and health["ai"] == "degraded" and health["mode"] == "ai_only"
    assert health["components"]["ai"]["state"] == "degraded"
    assert "templates answer" in health["components"]["ai"]["detail"]
    usage = health["ai_usage"]
    assert usage["messages"] == 2 and usage["ai_replies"] == 0
    assert usage["fallbacks"].get("circuit_open") == 1, "the second message did not wait for the AI"


def test_a_good_ai_answer_reaches_the_student(ai_server, fake_openai):
    fake_openai.always(reply_from_courses())
    server, _ = ai_server()
    result, _ = timed_post(server, "python?", "SMgood")
    [text] = messages_of(result.body)
    assert text.startswith("¡Buena idea! Te recomiendo *") and "$" in text
    health = json.loads(server.get("/health").body)
    assert health["ai"] == "on" and health["status"] == "ok"
    assert health["ai_usage"]["calls"] == 1 and health["ai_usage"]["ai_replies"] == 1
    assert health["ai_usage"]["prompt_tokens_per_message"] > 0


def test_a_turn_past_the_reply_timeout_asks_again_and_promises_no_later_reply(ai_server, fake_openai, tmp_path):
    # Inline delivery cannot send anything after the webhook's answer: a holding message that
    # promised "en un momento te respondo" would be a promise nobody keeps.
    fake_openai.always(hang(30))
    server, _ = ai_server(**DEFAULT_LIMITS, reply_timeout_seconds=1.0, data_dir=tmp_path)
    result, _ = timed_post(server, UNSURE_MESSAGES[0], "SMslowturn")
    assert result.status == 200
    [reply] = messages_of(result.body)
    assert "te respondo" not in reply and "enviar de nuevo" in reply
