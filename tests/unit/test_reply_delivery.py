"""REST reply delivery: the setting that chooses it, the use case's retries and order, the JSON
outbox (claims, markers) and the resilient log's fail-over mid-delivery."""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest

from app.application.deliver_replies import DeliverReplies, DeliveryPolicy
from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.config import SettingsError, load_settings
from app.domain.delivery import DeliveryOutcome, DeliveryState
from app.domain.intents import Intent
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.json_store.inbound_log import ORPHAN_MARKER_SECONDS, JsonInboundLog
from app.infrastructure.postgres.errors import DatabaseUnavailableError
from app.infrastructure.resilient import ResilientInboundLog
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.fakes import FakeCourseRepository, FakeMemoryRepository, SteppingClock
from tests.unit.pipeline import NameExtractor, ScriptedClassifier

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
USER = "whatsapp:+573001112233"
ACCOUNT = {"twilio_account_sid": "AC" + "1" * 32, "twilio_auth_token": "token", "twilio_phone_number": "+14155238886"}


# --- the setting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "rest"),
    [
        ({}, False),
        ({"twilio_auth_token": "token"}, False),
        (ACCOUNT, True),
        ({**ACCOUNT, "reply_delivery": "twiml"}, False),
        ({**ACCOUNT, "reply_delivery": "rest"}, True),
    ],
    ids=["nothing", "token-only", "account", "twiml-forced", "rest"],
)
def test_reply_delivery_resolves_from_the_account(values, rest):
    assert load_settings(_env_file=None, **values).replies_by_rest is rest


def test_rest_without_the_account_stops_start_up_naming_what_is_missing():
    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, reply_delivery="rest", twilio_auth_token="token")
    message = str(raised.value)
    assert "REPLY_DELIVERY" in message and "TWILIO_ACCOUNT_SID, TWILIO_PHONE_NUMBER not set" in message


def test_the_api_base_url_must_be_http():
    with pytest.raises(SettingsError, match="TWILIO_API_BASE_URL"):
        load_settings(_env_file=None, twilio_api_base_url="api.twilio.com")
    assert load_settings(_env_file=None).twilio_api_base_url == "https://api.twilio.com"


# --- the use case ------------------------------------------------------------------------------


class ScriptedSender:
    """Accepts every message, except those the script makes fail (in order)."""

    def __init__(self, *failures: Exception | None) -> None:
        self.failures: deque[Exception | None] = deque(failures)
        self.always: Exception | None = None
        self.sent: list[str] = []

    async def send(self, to: str, body: str) -> str:
        failure = self.failures.popleft() if self.failures else self.always
        if failure is not None:
            raise failure
        self.sent.append(body)
        return f"SM{len(self.sent)}"


def build(tmp_path, sender, sample_courses, **policy: float):
    clock, log, memory = SteppingClock(NOW), JsonInboundLog(tmp_path / "inbound"), FakeMemoryRepository()
    process = ProcessIncomingMessage(
        courses=QueryCourseInformation(FakeCourseRepository(sample_courses)), memory=memory, inbound_log=log,
        classifier=ScriptedClassifier(), extractor=NameExtractor(), templates=SpanishTemplates(),
        clock=clock, mode=lambda: "basic",
    )  # fmt: skip
    deliveries = DeliverReplies(
        process=process, inbound_log=log, memory=memory, sender=sender, clock=clock, worker="w1",
        policy=DeliveryPolicy(**policy),
    )  # fmt: skip
    return deliveries, log, clock


def message(sid: str, text: str, at: datetime) -> InboundMessage:
    return InboundMessage(message_id=sid, user_id=USER, text=text, received_at=at)


def test_a_failed_send_is_retried_later_and_holds_back_the_users_next_reply(tmp_path, sample_courses):
    sender = ScriptedSender(TransientDeliveryError("Twilio 503"))
    deliveries, log, clock = build(tmp_path, sender, sample_courses)
    assert asyncio.run(deliveries.accept(message("SM1", "hola, soy Carolina", NOW)))
    assert asyncio.run(deliveries.deliver(USER)) == 0
    first = asyncio.run(log.get("SM1")).delivery
    assert (first.state, first.attempts, first.last_error) == (DeliveryState.PENDING, 1, "Twilio 503")
    assert first.claimed_until == NOW + timedelta(seconds=5)  # the retry delay

    asyncio.run(deliveries.accept(message("SM2", "qué cursos tienen?", NOW + timedelta(seconds=1))))
    assert asyncio.run(deliveries.deliver(USER)) == 0 and sender.sent == []  # the first goes first

    clock.advance(11)
    assert asyncio.run(deliveries.sweep()).finished == 2
    assert sender.sent[0].startswith("¡Hola, Carolina!") and len(sender.sent) == 2
    assert asyncio.run(deliveries.counts()).model_dump() == {"pending": 0, "failed": 0}


def test_a_delivery_is_given_up_after_the_last_attempt(tmp_path, sample_courses):
    sender = ScriptedSender()
    sender.always = TransientDeliveryError("Twilio unreachable")
    deliveries, log, clock = build(tmp_path, sender, sample_courses, max_attempts=2, retry_first_seconds=0)
    asyncio.run(deliveries.accept(message("SM1", "hola", NOW)))
    asyncio.run(deliveries.deliver(USER))
    clock.advance(11)
    asyncio.run(deliveries.sweep())
    record = asyncio.run(log.get("SM1"))
    assert record.delivery.state == DeliveryState.FAILED and record.reply is not None  # the turn ran once
    assert record.delivery.last_error == "gave up after 2 attempts: Twilio unreachable"
    sender.always = None
    asyncio.run(deliveries.accept(message("SM2", "hola otra vez", clock())))
    assert asyncio.run(deliveries.deliver(USER)) == 1  # a failed reply does not hold the next one back
    assert asyncio.run(deliveries.counts()).model_dump() == {"pending": 0, "failed": 1}


def test_a_permanent_error_fails_at_once(tmp_path, sample_courses):
    sender = ScriptedSender(PermanentDeliveryError("Twilio 400 (code 21211): invalid 'To'"))
    deliveries, log, _ = build(tmp_path, sender, sample_courses)
    asyncio.run(deliveries.accept(message("SM1", "hola", NOW)))
    assert asyncio.run(deliveries.deliver(USER)) == 1
    delivery = asyncio.run(log.get("SM1")).delivery
    assert (delivery.state, delivery.attempts, delivery.finished_at) == (DeliveryState.FAILED, 1, NOW)


def test_the_sweep_leaves_young_and_claimed_deliveries_alone(tmp_path, sample_courses):
    sender = ScriptedSender()
    deliveries, log, clock = build(tmp_path, sender, sample_courses)
    asyncio.run(deliveries.accept(message("SM1", "hola", NOW)))
    assert asyncio.run(deliveries.sweep()).users == 0  # its own task is about to answer it
    clock.advance(11)
    asyncio.run(log.claim_delivery("SM1", "other-worker", clock() + timedelta(minutes=1), clock()))
    assert asyncio.run(deliveries.sweep()).users == 0 and sender.sent == []
    clock.advance(61)  # the other worker's lease ran out: it died
    assert asyncio.run(deliveries.sweep()).finished == 1 and len(sender.sent) == 1


# --- the JSON outbox ---------------------------------------------------------------------------


def test_json_claims_markers_and_counts(tmp_path):
    log = JsonInboundLog(tmp_path)
    lease = NOW + timedelta(minutes=1)
    assert asyncio.run(log.record_for_delivery(message("SM1", "hola", NOW))) is True
    assert asyncio.run(log.record_for_delivery(message("SM1", "hola", NOW))) is False
    assert (tmp_path / "pending" / "SM1.json").exists()
    assert asyncio.run(log.claim_delivery("SM1", "a", lease, NOW)) is not None
    assert asyncio.run(log.claim_delivery("SM1", "b", lease, NOW)) is None
    assert asyncio.run(log.record_part_sent("SM1", "a", 1, "SMa1", lease)) is False  # part 0 comes first
    assert asyncio.run(log.record_part_sent("SM1", "a", 0, "SMa0", lease)) is True
    assert asyncio.run(log.finish_delivery("SM1", "b", DeliveryOutcome.sent(), NOW)) is False
    assert asyncio.run(log.finish_delivery("SM1", "a", DeliveryOutcome.failed("Twilio 400"), NOW)) is True
    assert not (tmp_path / "pending" / "SM1.json").exists() and (tmp_path / "failed" / "SM1.json").exists()
    assert asyncio.run(log.delivery_counts()).model_dump() == {"pending": 0, "failed": 1}
    assert asyncio.run(log.claim_delivery("SM1", "a", lease, NOW)) is None  # finished for good


def test_json_markers_left_by_a_crash_are_cleared(tmp_path):
    log = JsonInboundLog(tmp_path)
    (tmp_path / "pending").mkdir()
    orphan = tmp_path / "pending" / "SMorphan.json"  # its request died before writing the record
    orphan.touch()
    young = tmp_path / "pending" / "SMyoung.json"  # its request may still be writing it
    young.touch()
    old = time.time() - ORPHAN_MARKER_SECONDS - 1
    os.utime(orphan, (old, old))
    asyncio.run(log.record_if_new("SMinline", USER, NOW))  # answered inline: never pending
    (tmp_path / "pending" / "SMinline.json").touch()
    assert asyncio.run(log.pending_deliveries()) == []
    assert sorted(p.name for p in (tmp_path / "pending").iterdir()) == ["SMyoung.json"]


# --- the resilient log: the database goes away mid-delivery ------------------------------------


class FlakyPrimary:
    """A stand-in for the PostgreSQL log that can go away."""

    def __init__(self, log: JsonInboundLog) -> None:
        self.log, self.down, self.adopted = log, False, []

    def __getattr__(self, name: str):
        method = getattr(self.log, name)

        async def call(*args, **kwargs):
            if self.down:
                raise DatabaseUnavailableError("connection lost")
            return await method(*args, **kwargs)

        return call

    async def adopt(self, record) -> None:
        self.adopted.append(record)


class Link:
    is_up = True

    def report(self, error: Exception) -> None:
        if isinstance(error, DatabaseUnavailableError):
            self.is_up = False


def test_a_delivery_continues_in_the_fallback_from_the_part_it_reached(tmp_path):
    primary, fallback, link = FlakyPrimary(JsonInboundLog(tmp_path / "db")), JsonInboundLog(tmp_path / "json"), Link()
    log = ResilientInboundLog(primary, fallback, link)  # type: ignore[arg-type]
    lease = NOW + timedelta(minutes=1)
    reply = Reply(text="a\n\nb", parts=("a", "b"), intent=Intent.GREETING, confidence=0.9, mode="database")
    asyncio.run(log.record_for_delivery(message("SM1", "hola", NOW)))
    asyncio.run(log.claim_delivery("SM1", "w", lease, NOW))
    asyncio.run(log.store_reply("SM1", reply))
    assert asyncio.run(log.record_part_sent("SM1", "w", 0, "SMp0", lease))

    primary.down = True  # the database goes away between the two parts
    assert asyncio.run(log.record_part_sent("SM1", "w", 1, "SMp1", lease))  # continued in the fallback
    assert asyncio.run(log.finish_delivery("SM1", "w", DeliveryOutcome.sent(), NOW))
    copy = asyncio.run(fallback.get("SM1"))
    assert (copy.reply, copy.delivery.provider_ids, copy.delivery.state) == (reply, ("SMp0", "SMp1"), "sent")

    primary.down, link.is_up = False, True  # back: its row still says pending, part 0 sent
    assert asyncio.run(log.pending_deliveries()) == []
    assert [r.delivery.state for r in primary.adopted] == ["sent"]  # handed the fallback's state
    assert asyncio.run(log.get("SM1")).delivery.parts_sent == 2
