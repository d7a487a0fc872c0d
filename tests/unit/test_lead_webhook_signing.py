"""The signed lead-event request: what the sender puts on the wire, how each answer is
classified, and the docs' verify snippets (Python and Node) run against real signatures."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.domain.lead_events import LeadSummary, handoff_opened_event
from app.infrastructure.lead_webhook.sender import LeadWebhookOptions, LeadWebhookSender, event_body
from app.infrastructure.lead_webhook.signing import sign, verify
from tests.lead_receiver import LeadReceiver, ReceivedRequest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lead-events.md"
SECRET = "s3cret-for-the-lead-webhook-tests"
NOW = 1_800_000_000


def an_event(user: str = "whatsapp:+573001234567"):  # type: ignore[no-untyped-def]
    summary = LeadSummary(user_id=user, name="Ana", role="docente", interests=("python", "automatización"), score=72)
    return handoff_opened_event(7, "contact_request", summary, datetime(2026, 11, 23, 19, 20, tzinfo=UTC))


@pytest.fixture
def receiver() -> Iterator[LeadReceiver]:
    server = LeadReceiver().start()
    yield server
    server.close()


def sender_for(url: str, timeout: float = 5.0) -> LeadWebhookSender:
    return LeadWebhookSender(
        LeadWebhookOptions(url=url, secret=SecretStr(SECRET), timeout_seconds=timeout), clock=lambda: NOW
    )


def send(sender: LeadWebhookSender, event: Any) -> None:
    try:
        asyncio.run(sender.send(event))
    finally:
        sender.close()


def delivered_request(receiver: LeadReceiver) -> ReceivedRequest:
    event = an_event()
    send(sender_for(receiver.url), event)
    [request] = receiver.requests()
    return request


def docs_snippet(language: str, marker: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    [block] = [block for block in blocks if marker in block]
    return block


# The request ----------------------------------------------------------------------------------


def test_the_request_carries_the_event_signed_over_timestamp_and_raw_body(receiver: LeadReceiver):
    request = delivered_request(receiver)
    event = an_event()

    assert request.path == "/hooks/leads"
    assert request.body == event_body(event)
    assert request.json() == event.model_dump(mode="json")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Advisor-Event"] == "handoff.opened"
    assert request.headers["X-Advisor-Event-Id"] == "handoff.opened:7"
    assert request.headers["X-Advisor-Timestamp"] == str(NOW)
    assert request.headers["X-Advisor-Signature"] == sign(SECRET, NOW, request.body)
    timestamp, signature = request.headers["X-Advisor-Timestamp"], request.headers["X-Advisor-Signature"]
    assert verify(SECRET, timestamp, request.body, signature, NOW)


def test_the_reference_verify_rejects_tampering_other_secrets_and_old_timestamps():
    body = b'{"id":"x"}'
    signature = sign(SECRET, NOW, body)
    assert verify(SECRET, str(NOW), body, signature, now=NOW + 299)
    assert not verify(SECRET, str(NOW), b'{"id":"y"}', signature, now=NOW)
    assert not verify("another-secret-of-16+", str(NOW), body, signature, now=NOW)
    assert not verify(SECRET, str(NOW), body, signature, now=NOW + 301)
    assert not verify(SECRET, str(NOW + 10), body, signature, now=NOW + 10)  # timestamp swapped
    assert not verify(SECRET, "soon", body, signature, now=NOW)


def test_an_id_that_is_not_ascii_is_the_same_encoded_id_in_header_and_body(receiver: LeadReceiver):
    # A terminal-chat user id can be anything; header values must be ASCII, and a receiver
    # that dedupes on the body's id must see the header's.
    for raw in ("contact.opted_out:prueba-ñandú:2026", "contact.opted_out:prueba-%C3%B1and%C3%BA:2026"):
        send(sender_for(receiver.url), an_event(user="prueba-ñandú").model_copy(update={"id": raw}))
    for request in receiver.requests():
        assert request.headers["X-Advisor-Event-Id"] == "contact.opted_out:prueba-%C3%B1and%C3%BA:2026"
        assert request.json()["id"] == request.headers["X-Advisor-Event-Id"]


# How each answer is classified ---------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_a_2xx_is_a_delivery(receiver: LeadReceiver, status: int):
    receiver.script(status)
    send(sender_for(receiver.url), an_event())
    assert len(receiver.requests()) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 408, 409, 429])
def test_server_errors_and_busy_answers_are_retried_later(receiver: LeadReceiver, status: int):
    receiver.script(status)
    with pytest.raises(TransientDeliveryError) as raised:
        send(sender_for(receiver.url), an_event())
    assert raised.value.code == status


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422, 301])
def test_other_refusals_are_permanent(receiver: LeadReceiver, status: int):
    receiver.script(status)
    with pytest.raises(PermanentDeliveryError) as raised:
        send(sender_for(receiver.url), an_event())
    assert raised.value.code == status
    assert f"HTTP {status}" in str(raised.value)


def test_a_receiver_that_does_not_answer_in_time_is_retried_later(receiver: LeadReceiver):
    receiver.hang_next(1.5)
    with pytest.raises(TransientDeliveryError, match="no answer within"):
        send(sender_for(receiver.url, timeout=0.3), an_event())


def test_a_receiver_that_is_down_is_retried_later():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientDeliveryError, match="could not reach"):
        send(sender_for(f"http://127.0.0.1:{port}/hooks"), an_event())


# The docs' snippets --------------------------------------------------------------------------


def test_the_docs_python_verify_accepts_the_real_signature_and_rejects_the_rest(receiver: LeadReceiver):
    namespace: dict[str, Any] = {}
    exec(compile(docs_snippet("python", "def verify"), str(DOCS), "exec"), namespace)  # our own docs' snippet
    docs_verify = namespace["verify"]
    request = delivered_request(receiver)
    timestamp, signature = request.headers["X-Advisor-Timestamp"], request.headers["X-Advisor-Signature"]

    assert docs_verify(SECRET, timestamp, request.body, signature, now=NOW + 5) is True
    assert docs_verify(SECRET, timestamp, request.body.replace(b"Ana", b"Eva"), signature, now=NOW) is False
    assert docs_verify("not-the-secret-at-all", timestamp, request.body, signature, now=NOW) is False
    assert docs_verify(SECRET, timestamp, request.body, signature, now=NOW + 301) is False
    assert docs_verify(SECRET, timestamp, request.body, signature, now=NOW - 301) is False
    assert docs_verify(SECRET, str(NOW + 1), request.body, signature, now=NOW) is False
    assert docs_verify(SECRET, "", request.body, signature, now=NOW) is False
    assert docs_verify(SECRET, timestamp, request.body, "sha256=ñ", now=NOW) is False


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_docs_node_verify_accepts_the_real_signature_and_rejects_the_rest(receiver: LeadReceiver):
    request = delivered_request(receiver)
    timestamp, signature = request.headers["X-Advisor-Timestamp"], request.headers["X-Advisor-Signature"]
    tampered = request.body.replace(b"Ana", b"Eva")
    cases = [
        (SECRET, timestamp, request.body, signature, NOW + 5),
        (SECRET, timestamp, tampered, signature, NOW),
        ("not-the-secret-at-all", timestamp, request.body, signature, NOW),
        (SECRET, timestamp, request.body, signature, NOW + 301),
        (SECRET, str(NOW + 1), request.body, signature, NOW),
        (SECRET, "", request.body, signature, NOW),
    ]
    harness = docs_snippet("js", "function verify") + (
        "\nconst cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(cases.map(([s, t, b, sig, now]) =>"
        " verify(s, t, Buffer.from(b, 'base64'), sig, now))));\n"
    )
    stdin = json.dumps([[s, t, base64.b64encode(b).decode(), sig, now] for s, t, b, sig, now in cases])
    result = subprocess.run(
        ["node", "-e", harness], input=stdin, capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(result.stdout) == [True, False, False, False, False, False]
