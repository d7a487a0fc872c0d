"""The REST reply delivery through a running app, against the fake Twilio REST API.

Shared by the JSON run (tests/e2e/test_rest_delivery.py) and the PostgreSQL run
(tests/integration/test_pg_delivery.py): each scenario talks to a live server only through
signed webhooks and /health, and watches what the fake receives. Every scenario uses its own
sender, so several can run against one server. Waits poll with a deadline.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.application.formatting import split_for_whatsapp
from app.application.ports import InboundLog
from app.domain.delivery import DeliveryOutcome
from app.domain.intents import Intent
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.e2e.conftest import HttpResult, LiveServer, signed_post, twilio_params
from tests.twilio_fake import SENDER, TwilioFake, accept, fail

# Well under a second although producing and sending the reply takes longer (the fake is
# told to take ANSWER_DELAY to accept each message).
WEBHOOK_LIMIT_SECONDS = 0.5
ANSWER_DELAY = 0.6
LONG_MARKER = "temario completo"
LONG_REPLY = "\n\n".join(
    f"*Sesión {i}*: " + "Aprenderás a automatizar tareas con ejemplos prácticos del día a día. " * 8
    for i in range(1, 7)
)


def rest_settings(fake: TwilioFake, **extra: object) -> dict[str, object]:
    """Settings for REST delivery through the fake; quick sweeps so that recovery is seen soon.
    Bursts are not merged unless asked for (`burst_window_seconds`): most scenarios post
    several messages quickly and expect a reply to each."""
    return {
        "twilio_account_sid": fake.account_sid,
        "twilio_phone_number": SENDER,
        "twilio_api_base_url": fake.base_url,
        "reply_delivery": "rest",
        "twilio_timeout_seconds": 2.0,
        "delivery_sweep_seconds": 0.2,
        "burst_window_seconds": 0.0,
        **extra,
    }


def long_replies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages asking for the "temario completo" get LONG_REPLY (the templates' replies are short)."""
    original = SpanishTemplates.compose

    def compose(self: SpanishTemplates, context: Any) -> str:
        return LONG_REPLY if LONG_MARKER in context.text.lower() else original(self, context)

    monkeypatch.setattr(SpanishTemplates, "compose", compose)


def post(server: LiveServer, text: str, sid: str, sender: str) -> tuple[HttpResult, float]:
    started = time.monotonic()
    result = signed_post(server, twilio_params(text, sid=sid, sender=sender))
    return result, time.monotonic() - started


def assert_acknowledged(result: HttpResult) -> None:
    """200 with an empty TwiML <Response/>: the reply goes out through the REST API."""
    assert result.status == 200, result.body
    assert result.content_type.startswith("application/xml")
    root = ET.fromstring(result.body)
    assert root.tag == "Response" and list(root) == []


def deliveries(server: LiveServer) -> dict[str, Any]:
    twilio = json.loads(server.get("/health").body)["components"]["twilio"]
    assert twilio["backend"] == "rest"
    return twilio["deliveries"]


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- scenarios ---------------------------------------------------------------------------------


def webhook_answers_at_once(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    fake.script(accept(delay=ANSWER_DELAY))
    result, elapsed = post(server, "Hola! soy Carolina", "SMfast0001", sender)
    assert_acknowledged(result)
    assert elapsed < WEBHOOK_LIMIT_SECONDS, f"the webhook took {elapsed:.2f}s"
    [sent] = fake.wait_for_sent(1, to=sender)
    assert sent.body.startswith("¡Hola, Carolina!") and sent.from_ == SENDER


def long_reply_in_parts(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    assert_acknowledged(post(server, "quiero ver el temario completo", "SMlong0001", sender)[0])
    expected = list(split_for_whatsapp(LONG_REPLY))
    assert len(expected) >= 3
    sent = fake.wait_for_sent(len(expected), to=sender)
    assert [m.body for m in sent] == expected
    assert all(len(m.body) <= 1600 for m in sent)
    assert fake.stays_at(len(expected), to=sender, seconds=0.6)


def duplicate_sent_once(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    params = twilio_params("qué cursos de python tienen?", sid="SMdupe0001", sender=sender)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: signed_post(server, params), range(3)))
    for result in results:
        assert_acknowledged(result)
    fake.wait_for_sent(1, to=sender)
    assert_acknowledged(signed_post(server, params))  # Twilio retrying later: still ignored
    assert fake.stays_at(1, to=sender, seconds=0.8)


def answered_in_order(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    fake.script(accept(delay=0.4))  # the first reply is slow to go out: the second must wait for it
    assert_acknowledged(post(server, "hola, soy Marta", "SMorder001", sender)[0])
    assert_acknowledged(post(server, "quiero aprender python", "SMorder002", sender)[0])
    first, second = fake.wait_for_sent(2, to=sender)
    assert first.body.startswith("¡Hola, Marta!")
    assert "Python" in second.body and "Marta" in second.body  # its turn knew the first one's
    assert fake.stays_at(2, to=sender, seconds=0.5)


def server_error_retried(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    fake.script(fail(500, message="internal error"))
    assert_acknowledged(post(server, "hola", "SMretry001", sender)[0])
    fake.wait_for_sent(1, to=sender)
    attempts = [a.status for a in fake.attempts if a.to == sender]
    assert attempts == [500, 201]
    assert fake.stays_at(1, to=sender, seconds=0.5)


def client_error_failed(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    failed_before = deliveries(server)["failed"]
    fake.script(fail(400, 21211, "The 'To' number is not a valid phone number."))
    assert_acknowledged(post(server, "hola", "SMinvalid1", sender)[0])
    wait_until(lambda: deliveries(server)["failed"] == failed_before + 1)
    assert fake.stays_at(0, to=sender, seconds=0.6)
    assert [a.status for a in fake.attempts if a.to == sender] == [400]  # not retried


# --- a crash simulation ------------------------------------------------------------------------

CRASHED_PARTS = tuple(split_for_whatsapp(LONG_REPLY))


async def leave_crashed_deliveries(log: InboundLog, now: datetime, sender: str) -> None:
    """What dead workers leave behind: a reply with only its first part sent, and a message
    recorded whose turn never ran. Both claims ran out a minute ago."""
    long_ago = now - timedelta(minutes=2)
    half_sent = InboundMessage(message_id="SMcrash001", user_id=sender, text="el temario", received_at=long_ago)
    await log.record_for_delivery(half_sent)
    await log.claim_delivery(half_sent.message_id, "dead-worker", long_ago + timedelta(minutes=1), long_ago)
    reply = Reply(text=LONG_REPLY, parts=CRASHED_PARTS, intent=Intent.EXPLORATION, confidence=0.9, mode="basic")
    await log.store_reply(half_sent.message_id, reply)
    await log.record_part_sent(half_sent.message_id, "dead-worker", 0, "SMdeadpart0", long_ago + timedelta(minutes=1))
    unanswered = InboundMessage(
        message_id="SMcrash002", user_id=sender, text="hola, soy Lucía", received_at=long_ago + timedelta(seconds=1)
    )
    await log.record_for_delivery(unanswered)


def crashed_deliveries_finished(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    """After leave_crashed_deliveries and a start: the sweep sends what is missing, once, in order."""
    expected = [*CRASHED_PARTS[1:], "greeting"]
    sent = fake.wait_for_sent(len(expected), to=sender)
    assert [m.body for m in sent[:-1]] == list(CRASHED_PARTS[1:])  # the first part is not sent again
    assert sent[-1].body.startswith("¡Hola, Lucía!")
    assert fake.stays_at(len(expected), to=sender, seconds=0.8)
    wait_until(lambda: deliveries(server)["pending"] == 0)


# --- bursts (BURST_WINDOW_SECONDS) -------------------------------------------------------------

BURST_WINDOW = 0.5  # small enough for quick scenarios, wide enough for a slow machine between posts
BURST = ("hola", "quiero info", "del curso de python")
BURST_SIDS = ("SMburst001", "SMburst002", "SMburst003")


def burst_answered_once(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    """Three quick messages: one reply, with the course they asked for together; a duplicate
    of a merged message changes nothing."""
    for text, sid in zip(BURST, BURST_SIDS, strict=True):
        assert_acknowledged(post(server, text, sid, sender)[0])
    [sent] = fake.wait_for_sent(1, to=sender)
    assert "Python" in sent.body
    assert fake.stays_at(1, to=sender, seconds=4 * BURST_WINDOW)
    assert_acknowledged(post(server, BURST[0], BURST_SIDS[0], sender)[0])  # Twilio retrying a merged one
    assert fake.stays_at(1, to=sender, seconds=3 * BURST_WINDOW)
    wait_until(lambda: deliveries(server)["pending"] == 0)


def assert_burst_remembered(interaction_count: int, history: list[dict[str, Any]], reply: str) -> None:
    """Memory after burst_answered_once: the three messages the student sent, one reply."""
    assert interaction_count == 3
    assert [(e["role"], e["text"]) for e in history] == [
        *(("user", text) for text in BURST),
        ("assistant", reply),
    ]


def spaced_answered_separately(server: LiveServer, fake: TwilioFake, sender: str) -> None:
    """Messages further apart than the window: a reply to each, in order."""
    assert_acknowledged(post(server, "hola, soy Marta", "SMspaced01", sender)[0])
    time.sleep(2.5 * BURST_WINDOW)
    assert_acknowledged(post(server, "quiero aprender python", "SMspaced02", sender)[0])
    first, second = fake.wait_for_sent(2, to=sender)
    assert first.body.startswith("¡Hola, Marta!") and "Python" in second.body
    assert fake.stays_at(2, to=sender, seconds=3 * BURST_WINDOW)


async def leave_crashed_bursts(log: InboundLog, now: datetime, stored: str, unturned: str) -> None:
    """What a worker that died mid-burst leaves behind, for two students (a minute after its
    claims ran out): `stored`'s burst has its reply stored and only its first message marked
    merged; `unturned`'s burst was fixed on its head but its turn never ran."""
    long_ago = now - timedelta(minutes=2)
    until = long_ago + timedelta(minutes=1)
    for sender in (stored, unturned):
        sids = tuple(f"{sid}{sender[-2:]}" for sid in BURST_SIDS)
        for index, (text, sid) in enumerate(zip(BURST, sids, strict=True)):
            at = long_ago + timedelta(seconds=0.1 * index)
            await log.record_for_delivery(InboundMessage(message_id=sid, user_id=sender, text=text, received_at=at))
            await log.claim_delivery(sid, "dead-worker", until, long_ago)
        await log.record_burst(sids[-1], "dead-worker", sids[:-1])
        if sender == stored:
            reply = Reply(text=STORED_BURST_REPLY, parts=(STORED_BURST_REPLY,), intent=Intent.EXPLORATION,
                          confidence=0.9, mode="basic")  # fmt: skip
            await log.store_reply(sids[-1], reply)
            await log.finish_delivery(sids[0], "dead-worker", DeliveryOutcome.merged(sids[-1]), long_ago)


STORED_BURST_REPLY = "Te cuento del curso de Python 🐍"


def crashed_bursts_finished(server: LiveServer, fake: TwilioFake, stored: str, unturned: str) -> None:
    """After leave_crashed_bursts and a start: one reply to each burst, exactly once."""
    [sent] = fake.wait_for_sent(1, to=stored)
    assert sent.body == STORED_BURST_REPLY  # the stored reply, not a second turn
    [sent] = fake.wait_for_sent(1, to=unturned)
    assert "Python" in sent.body  # the turn read the three texts together
    assert fake.stays_at(1, to=stored, seconds=0.8) and len(fake.sent(unturned)) == 1
    wait_until(lambda: deliveries(server) == {"pending": 0, "failed": 0})
