"""Bursts in REST delivery: several short messages within BURST_WINDOW_SECONDS answered by one
turn and one reply, the bookkeeping that keeps it exactly once across crashes (JSON outbox and
the resilient wrapper), the merged text, and the wait for a burst to settle."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.application.deliver_replies import DeliverReplies, DeliveryPolicy
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.bootstrap import delivery_policy
from app.config import SettingsError, load_settings
from app.domain.delivery import DeliveryOutcome, DeliveryState
from app.domain.intent_rules.classifier import RuleIntentClassifier
from app.domain.intents import Intent, IntentResult
from app.domain.messages import InboundMessage, Reply, merge_burst
from app.domain.profile_extraction import RuleProfileExtractor
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.resilient import ResilientInboundLog
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.fakes import FakeCourseRepository, FakeMemoryRepository, SteppingClock
from tests.unit.test_reply_delivery import FlakyPrimary, Link

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
USER = "whatsapp:+573001112233"
WINDOW = 0.3


class Sender:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, to: str, body: str) -> str:
        self.sent.append(body)
        return f"SM{len(self.sent)}"


class RecordingClassifier(RuleIntentClassifier):
    """The real rules, remembering each text classified (one per turn)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def classify(self, text: str) -> IntentResult:
        self.calls.append(text)
        return super().classify(text)


class Harness:
    def __init__(self, tmp_path, sample_courses, window: float = WINDOW, clock=None) -> None:
        self.clock = clock or SteppingClock(NOW)
        self.log = JsonInboundLog(tmp_path / "inbound")
        self.memory = FakeMemoryRepository()
        self.classifier = RecordingClassifier()
        self.sender = Sender()
        self.process = ProcessIncomingMessage(
            courses=QueryCourseInformation(FakeCourseRepository(sample_courses)), memory=self.memory,
            inbound_log=self.log, classifier=self.classifier, extractor=RuleProfileExtractor(),
            templates=SpanishTemplates(), clock=self.clock, mode=lambda: "basic",
        )  # fmt: skip
        self.deliveries = self.deliveries_for("w1", window)

    def deliveries_for(self, worker: str, window: float = WINDOW) -> DeliverReplies:
        return DeliverReplies(
            process=self.process, inbound_log=self.log, memory=self.memory, sender=self.sender,
            clock=self.clock, worker=worker, policy=DeliveryPolicy(burst_window_seconds=window),
        )  # fmt: skip

    def record(self, sid: str, text: str, seconds: float, media: int = 0) -> InboundMessage:
        message = InboundMessage(
            message_id=sid, user_id=USER, text=text, media_count=media, received_at=NOW + timedelta(seconds=seconds)
        )
        assert asyncio.run(self.log.record_for_delivery(message)) is True
        return message

    def state(self, sid: str) -> tuple[DeliveryState, str | None]:
        record = asyncio.run(self.log.get(sid))
        assert record is not None and record.delivery is not None
        return record.delivery.state, record.delivery.merged_into


BURST = (("SM1", "hola"), ("SM2", "quiero info"), ("SM3", "de los cursos de python"))


def record_burst(harness: Harness) -> None:
    for index, (sid, text) in enumerate(BURST):
        harness.record(sid, text, index * 0.1)


def test_a_burst_is_one_turn_and_one_reply(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    record_burst(harness)
    harness.clock.advance(5)  # quiet since: no waiting
    assert asyncio.run(harness.deliveries.deliver(USER)) == 3
    assert harness.classifier.calls == ["hola\nquiero info\nde los cursos de python"]  # one classification
    [reply] = harness.sender.sent
    assert "Python desde cero" in reply
    assert [harness.state(sid) for sid, _ in BURST] == [
        (DeliveryState.MERGED, "SM3"),
        (DeliveryState.MERGED, "SM3"),
        (DeliveryState.SENT, None),
    ]
    head = asyncio.run(harness.log.get("SM3"))
    assert head.reply is not None and head.delivery.merged_from == ("SM1", "SM2")
    assert asyncio.run(harness.log.get("SM1")).reply is None  # the reply lives on the head alone
    memory = harness.memory.saved[USER]
    assert memory.interaction_count == 3  # the messages the student sent
    assert [(e.role, e.text) for e in memory.message_history] == [
        ("user", "hola"), ("user", "quiero info"), ("user", "de los cursos de python"), ("assistant", reply),
    ]  # fmt: skip
    counts = asyncio.run(harness.log.delivery_counts())
    assert (counts.pending, counts.failed) == (0, 0)
    assert asyncio.run(harness.log.pending_deliveries()) == []


def test_messages_further_apart_than_the_window_are_answered_separately(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    harness.record("SM1", "hola", 0)
    harness.record("SM2", "quiero ver los cursos", 1.0)
    harness.clock.advance(5)
    assert asyncio.run(harness.deliveries.deliver(USER)) == 2
    assert harness.classifier.calls == ["hola", "quiero ver los cursos"]
    assert len(harness.sender.sent) == 2 and "Python desde cero" in harness.sender.sent[1]
    assert harness.state("SM1") == harness.state("SM2") == (DeliveryState.SENT, None)


def test_a_window_of_zero_answers_every_message(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses, window=0)
    record_burst(harness)
    assert asyncio.run(harness.deliveries.deliver(USER)) == 3
    assert len(harness.sender.sent) == 3 and harness.memory.saved[USER].interaction_count == 3
    assert {harness.state(sid) for sid, _ in BURST} == {(DeliveryState.SENT, None)}


def test_a_duplicate_of_a_merged_message_gets_no_second_reply(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    record_burst(harness)
    harness.clock.advance(5)
    asyncio.run(harness.deliveries.deliver(USER))
    duplicate = InboundMessage(message_id="SM1", user_id=USER, text="hola", received_at=harness.clock())
    assert asyncio.run(harness.deliveries.accept(duplicate)) is False
    assert asyncio.run(harness.deliveries.deliver(USER)) == 0
    assert asyncio.run(harness.deliveries.sweep()).finished == 0
    assert len(harness.sender.sent) == 1 and harness.memory.saved[USER].interaction_count == 3


def test_the_messages_after_a_sent_reply_form_their_own_burst(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    harness.record("SM1", "hola", 0)
    harness.clock.advance(5)
    asyncio.run(harness.deliveries.deliver(USER))
    harness.record("SM2", "hola de nuevo", 5.1)  # far from SM1 in time
    harness.record("SM3", "qué cursos tienen?", 5.2)
    harness.clock.advance(5)
    assert asyncio.run(harness.deliveries.deliver(USER)) == 2
    assert harness.classifier.calls[-1] == "hola de nuevo\nqué cursos tienen?" and len(harness.sender.sent) == 2


# --- crashes in the middle of a burst ------------------------------------------------------------


def dead_worker_claims(harness: Harness, *sids: str) -> None:
    for sid in sids:
        until = harness.clock() + timedelta(seconds=60)
        assert asyncio.run(harness.log.claim_delivery(sid, "dead", until, harness.clock())) is not None


def recover(harness: Harness) -> int:
    """The dead worker's claims run out; the sweep (another worker) finishes what it left."""
    harness.clock.advance(120)
    return asyncio.run(harness.deliveries_for("w2").sweep()).finished


def test_a_crash_after_fixing_the_burst_runs_its_turn_once_with_every_text(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    record_burst(harness)
    dead_worker_claims(harness, "SM1", "SM2", "SM3")
    assert asyncio.run(harness.log.record_burst("SM3", "dead", ("SM1", "SM2"))) is True
    harness.record("SM4", "y cuánto cuesta?", 0.35)  # came after: not added to a fixed burst
    assert recover(harness) == 4
    assert harness.classifier.calls == ["hola\nquiero info\nde los cursos de python", "y cuánto cuesta?"]
    assert len(harness.sender.sent) == 2
    assert harness.state("SM2") == (DeliveryState.MERGED, "SM3") and harness.state("SM4")[0] == DeliveryState.SENT


def test_a_crash_in_the_middle_of_marking_the_burst_merged_sends_the_reply_once(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    record_burst(harness)
    harness.clock.advance(5)
    dead_worker_claims(harness, "SM1", "SM2", "SM3")
    assert asyncio.run(harness.log.record_burst("SM3", "dead", ("SM1", "SM2"))) is True
    reply = Reply(text="respuesta guardada", parts=("respuesta guardada",), intent=Intent.EXPLORATION,
                  confidence=0.9, mode="basic")  # fmt: skip
    asyncio.run(harness.log.store_reply("SM3", reply))  # the turn ran (memory saved) ...
    merged = DeliveryOutcome.merged("SM3")
    assert asyncio.run(harness.log.finish_delivery("SM1", "dead", merged, harness.clock()))  # ... SM1 marked
    assert recover(harness) == 2
    assert harness.sender.sent == ["respuesta guardada"] and harness.classifier.calls == []  # no second turn
    assert [harness.state(sid) for sid, _ in BURST] == [
        (DeliveryState.MERGED, "SM3"),
        (DeliveryState.MERGED, "SM3"),
        (DeliveryState.SENT, None),
    ]
    assert recover(harness) == 0 and len(harness.sender.sent) == 1


def test_a_fixed_burst_is_never_changed(tmp_path):
    log = JsonInboundLog(tmp_path / "inbound")
    message = InboundMessage(message_id="SM3", user_id=USER, text="hola", received_at=NOW)
    asyncio.run(log.record_for_delivery(message))
    assert asyncio.run(log.record_burst("SM3", "w1", ("SM1",))) is False  # not claimed
    asyncio.run(log.claim_delivery("SM3", "w1", NOW + timedelta(minutes=1), NOW))
    assert asyncio.run(log.record_burst("SM3", "w1", ("SM1", "SM2"))) is True
    assert asyncio.run(log.record_burst("SM3", "w1", ("SM1", "SM2"))) is True  # the same again: fine
    assert asyncio.run(log.record_burst("SM3", "w1", ("SM1",))) is False


# --- the merged text ------------------------------------------------------------------------------


def test_the_merged_text_reads_like_the_messages_together():
    burst = tuple(
        InboundMessage(message_id=f"SM{i}", user_id=USER, text=text, received_at=NOW + timedelta(seconds=i))
        for i, text in enumerate(["hola, soy Marta", "quiero info", "del curso de python"])
    )
    merged = merge_burst(burst)
    assert (merged.message_id, merged.received_at) == ("SM2", burst[-1].received_at)
    result = RuleIntentClassifier().classify(merged.text)
    profile = RuleProfileExtractor().extract(merged.text)
    assert result.intent == Intent.EXPLORATION and profile.name == "Marta" and "python" in profile.interests


def test_media_only_messages_add_no_text():
    photo = InboundMessage(message_id="SM1", user_id=USER, media_count=1, media_types=("image/jpeg",), received_at=NOW)
    text = InboundMessage(message_id="SM2", user_id=USER, text="  ¿qué es esto? ", received_at=NOW)
    merged = merge_burst((photo, text))
    assert (merged.text, merged.media_count, merged.media_types) == ("¿qué es esto?", 1, ("image/jpeg",))
    only_media = merge_burst((photo, photo.model_copy(update={"message_id": "SM3"})))
    assert (only_media.text, only_media.media_count) == ("", 2)
    assert merge_burst((text,)) is text


def test_a_burst_of_media_only_gets_the_media_reply(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses)
    harness.record("SM1", "", 0, media=1)
    harness.record("SM2", "", 0.1, media=1)
    harness.clock.advance(5)
    assert asyncio.run(harness.deliveries.deliver(USER)) == 2
    [reply] = harness.sender.sent
    assert reply == SpanishTemplates().media_only(harness.memory.saved[USER])


# --- waiting for the burst to settle --------------------------------------------------------------


def test_the_task_waits_for_the_burst_to_settle(tmp_path, sample_courses):
    """On the real clock: the first message's task waits while more come in, then answers all."""
    harness = Harness(tmp_path, sample_courses, clock=lambda: datetime.now(UTC))

    async def scenario() -> tuple[int, float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await record_now(harness, "SM1", "hola")
        task = asyncio.create_task(harness.deliveries.deliver(USER))
        for sid, text in (("SM2", "quiero info"), ("SM3", "de los cursos de python")):
            await asyncio.sleep(WINDOW / 2)
            assert not task.done()
            await record_now(harness, sid, text)
        finished = await asyncio.wait_for(task, timeout=5)
        return finished, loop.time() - started

    finished, elapsed = asyncio.run(scenario())
    assert finished == 3 and len(harness.sender.sent) == 1
    assert WINDOW * 2 - 0.05 <= elapsed < WINDOW * 3 + 1.0  # waited for the last message's window, capped


def test_a_chatty_user_is_answered_after_at_most_three_windows(tmp_path, sample_courses):
    harness = Harness(tmp_path, sample_courses, clock=lambda: datetime.now(UTC))

    async def scenario() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await record_now(harness, "SM0", "hola")
        task = asyncio.create_task(harness.deliveries.deliver(USER))
        index = 1
        while not task.done():
            assert loop.time() - started < WINDOW * 3 + 1.0, "never answered"
            await asyncio.sleep(WINDOW / 3)
            await record_now(harness, f"SM{index}", f"mensaje {index}")
            index += 1
        return loop.time() - started

    elapsed = asyncio.run(scenario())
    assert harness.sender.sent and elapsed >= WINDOW * 3 - 0.05


async def record_now(harness: Harness, sid: str, text: str) -> InboundMessage:
    message = InboundMessage(message_id=sid, user_id=USER, text=text, received_at=datetime.now(UTC))
    assert await harness.log.record_for_delivery(message)
    return message


def test_the_setting_reaches_the_policy():
    assert load_settings(_env_file=None).burst_window_seconds == 3.0
    assert delivery_policy(load_settings(_env_file=None, burst_window_seconds=0)).burst_window_seconds == 0
    with pytest.raises(SettingsError, match="BURST_WINDOW_SECONDS"):
        load_settings(_env_file=None, burst_window_seconds=-1)


# --- the resilient log: the database goes away mid-burst ----------------------------------------


def test_a_burst_continues_in_the_fallback_when_the_database_goes_away(tmp_path):
    primary, link = FlakyPrimary(JsonInboundLog(tmp_path / "db")), Link()
    fallback = JsonInboundLog(tmp_path / "json")
    log = ResilientInboundLog(primary, fallback, link)  # type: ignore[arg-type]
    lease = NOW + timedelta(minutes=1)
    for index, (sid, text) in enumerate(BURST):
        message = InboundMessage(message_id=sid, user_id=USER, text=text, received_at=NOW + timedelta(seconds=index))
        asyncio.run(log.record_for_delivery(message))
        asyncio.run(log.claim_delivery(sid, "w", lease, NOW))
    assert asyncio.run(log.record_burst("SM3", "w", ("SM1", "SM2")))

    primary.down = True  # the database goes away after the burst was fixed
    reply = Reply(text="r", parts=("r",), intent=Intent.EXPLORATION, confidence=0.9, mode="database")
    asyncio.run(log.store_reply("SM3", reply))
    for sid in ("SM1", "SM2"):
        assert asyncio.run(log.finish_delivery(sid, "w", DeliveryOutcome.merged("SM3"), NOW))
    head = asyncio.run(log.get("SM3"))
    assert (head.reply, head.delivery.merged_from) == (reply, ("SM1", "SM2"))  # the copy kept the burst
    assert asyncio.run(log.get("SM1")).delivery.state == DeliveryState.MERGED
    assert asyncio.run(log.record_part_sent("SM3", "w", 0, "SMp0", lease))
    assert asyncio.run(log.finish_delivery("SM3", "w", DeliveryOutcome.sent(), NOW))

    primary.down, link.is_up = False, True  # back: its rows still say pending; the copies are handed back
    assert asyncio.run(log.pending_deliveries()) == []
    assert sorted((r.message_id, r.delivery.state) for r in primary.adopted) == [
        ("SM1", "merged"), ("SM2", "merged"), ("SM3", "sent"),
    ]  # fmt: skip
    assert asyncio.run(fallback.delivery_counts()).pending == 0  # merged copies are not counted as waiting
