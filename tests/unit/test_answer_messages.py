"""The queue job's use case on fakes: one turn per burst, each part exactly once across crashes."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from app.application.answer_messages import (
    RATE_LIMIT_NOTICE,
    RATE_LIMITED_MODE,
    AnswerPolicy,
    AnswerWaitingMessages,
    CommitConflictError,
)
from app.application.errors import (
    DeliveryNotSettledError,
    PermanentDeliveryError,
    StoreUnavailableError,
    TransientDeliveryError,
)
from app.application.query_courses import QueryCourseInformation
from app.application.queue_ports import CommittedTurn, NextTurn, TurnContext, TurnToCommit, VersionedMemory
from app.domain.handoff import BOT_FAILURE_NOTICE, HANDOFF_NOTICE, HandoffReason, OpenHandoff
from app.domain.intents import IntentResult
from app.domain.lead_events import LeadEvent, LeadEventType, LeadSummary
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.domain.outgoing import OutgoingPart, PartState
from tests.fakes import FakeCourseRepository
from tests.unit.pipeline import NOW, USER, build_pipeline


class FakeQueue:
    """ConversationQueue in memory, with switches to fail a step the way a crash would."""

    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.answered: dict[str, int] = {}
        self.memory: UserMemory | None = None
        self.version = 0
        self.parts: dict[tuple[int, int], OutgoingPart] = {}
        self.errors: dict[tuple[int, int], tuple[str, int | None]] = {}
        self.turns = 0
        self.replies: list[Reply] = []
        self.events: list[LeadEvent] = []
        self.handoff: OpenHandoff | None = None
        self.fail_mark_sent = False
        self.bump_version_on_load = 0  # a writer outside the queue saves between load and commit

    def receive(self, sid: str, text: str, at: datetime = NOW) -> None:
        self.messages.append(InboundMessage(message_id=sid, user_id=USER, text=text, received_at=at))

    async def next_turn(self, user_id: str, limit: int, since: datetime) -> NextTurn:
        unsent = sorted(
            (p for p in self.parts.values() if p.state in {PartState.PENDING, PartState.SENDING}),
            key=lambda p: (p.turn_id, p.index),
        )
        waiting = [m for m in self.messages if m.message_id not in self.answered][:limit]
        return NextTurn(unsent=tuple(unsent), messages=tuple(waiting), context=self._context(since))

    def _context(self, since: datetime) -> TurnContext:
        stored = self.memory.model_copy(deep=True) if self.memory else None
        loaded = VersionedMemory(memory=stored, version=self.version)
        if self.bump_version_on_load:
            self.bump_version_on_load -= 1
            self.version += 1
        recent = sum(1 for m in self.messages if m.received_at >= since)
        return TurnContext(memory=loaded, handoff=self.handoff, messages_since=recent)

    async def rate_notice_since(self, user_id: str, since: datetime) -> bool:
        return any(reply.mode == RATE_LIMITED_MODE for reply in self.replies)

    async def close_handoff(self, handoff_id: int, closed_by: str) -> bool:
        self.handoff = None
        return True

    async def commit_turn(self, turn: TurnToCommit) -> CommittedTurn | None:
        if any(sid in self.answered for sid in turn.message_ids) or turn.base_version != self.version:
            return None
        self.events.extend(turn.events)
        if turn.open_handoff is not None and self.handoff is None:
            self.handoff = OpenHandoff(id=len(self.events) + 1, user_id=USER, reason=turn.open_handoff.reason,
                                       opened_at=NOW, last_activity_at=NOW)  # fmt: skip
        if turn.handoff_activity is not None and self.handoff is not None:
            update = {"notice_sent": self.handoff.notice_sent or turn.handoff_notice, "last_activity_at": NOW}
            self.handoff = self.handoff.model_copy(update=update)
        self.turns += 1
        self.replies.append(turn.reply)
        for sid in turn.message_ids:
            self.answered[sid] = self.turns
        self.memory, self.version = turn.memory.model_copy(deep=True), self.version + 1
        stored = tuple(
            OutgoingPart(turn_id=self.turns, index=index, user_id=USER, body=body)
            for index, body in enumerate(turn.reply.parts)
        )
        self.parts.update({(part.turn_id, part.index): part for part in stored})
        return CommittedTurn(event_ids=tuple(event.id for event in turn.events), parts=stored)

    async def provider_ids_since(self, user_id: str, since: datetime) -> set[str]:
        return {p.provider_sid for p in self.parts.values() if p.provider_sid is not None}

    async def mark_sending(self, part: OutgoingPart, now: datetime) -> OutgoingPart:
        sending = part.model_copy(update={"state": PartState.SENDING, "sending_at": now, "attempts": part.attempts + 1})
        self.parts[(part.turn_id, part.index)] = sending
        return sending

    async def mark_sent(self, part: OutgoingPart, provider_sid: str, now: datetime) -> None:
        if self.fail_mark_sent:
            raise StoreUnavailableError("the worker died before recording the part")
        self.parts[(part.turn_id, part.index)] = part.model_copy(
            update={"state": PartState.SENT, "provider_sid": provider_sid}
        )

    async def mark_failed(self, part: OutgoingPart, error: str, code: int | None, now: datetime) -> None:
        self.parts[(part.turn_id, part.index)] = part.model_copy(update={"state": PartState.FAILED})
        self.errors[(part.turn_id, part.index)] = (error, code)


class FakeProvider:
    def __init__(self) -> None:
        self.accepted: list[tuple[str, str, str]] = []  # (sid, to, body)
        self.failures: list[Exception] = []  # raised by the next sends, in order
        self.lookups = 0
        self.timeouts = 0  # next sends that time out on our side, then are created late
        self.held: list[tuple[str, str]] = []  # (to, body) of those, until create_late()

    async def send(self, to: str, body: str) -> str:
        if self.failures:
            raise self.failures.pop(0)
        if self.timeouts:
            self.timeouts -= 1
            self.held.append((to, body))
            raise TransientDeliveryError("Twilio request failed: TimeoutError")
        sid = f"SM{len(self.accepted) + 1:032d}"
        self.accepted.append((sid, to, body))
        return sid

    async def find_sent(self, to: str, body: str, since: datetime, exclude: set[str]) -> str | None:
        self.lookups += 1
        matches = (sid for sid, sent_to, sent in reversed(self.accepted) if sent_to == to and sent == body)
        return next((sid for sid in matches if sid not in exclude), None)

    def create_late(self) -> None:
        for to, body in self.held:
            self.accepted.append((f"SM{len(self.accepted) + 1:032d}", to, body))
        self.held = []


@pytest.fixture
def harness(sample_courses):
    process, _memory, classifier = build_pipeline(sample_courses)
    queue, provider = FakeQueue(), FakeProvider()
    clock = iter(NOW + timedelta(seconds=i) for i in range(10_000))
    answer = AnswerWaitingMessages(
        process=process,
        queue=queue,
        provider=provider,
        courses=QueryCourseInformation(FakeCourseRepository(sample_courses)),
        clock=lambda: next(clock),
        # Looked up at once: these tests are about crashes, not late creates (tested below).
        policy=AnswerPolicy(handoff_quiet=timedelta(hours=1), late_create=timedelta(0)),
    )
    return answer, queue, provider, classifier


def run(answer: AnswerWaitingMessages):
    return asyncio.run(answer.run(USER))


def test_a_burst_is_one_turn_and_its_parts_go_out_once_in_order(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "hola, soy Carolina")
    queue.receive("SM-b", "que cursos tienen?")

    summary = run(answer)

    assert (summary.turns, summary.messages) == (1, 2)
    assert queue.answered == {"SM-a": 1, "SM-b": 1}
    assert queue.memory is not None and queue.memory.interaction_count == 2
    assert [body for _, _, body in provider.accepted] == [p.body for p in queue.parts.values()]
    assert run(answer).turns == 0 and len(provider.accepted) == len(queue.parts)  # nothing twice


def test_a_part_the_provider_took_before_the_crash_is_recorded_not_resent(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "hola")
    queue.fail_mark_sent = True
    with pytest.raises(StoreUnavailableError):
        run(answer)
    assert len(provider.accepted) == 1 and queue.turns == 1

    queue.fail_mark_sent = False
    run(answer)

    assert len(provider.accepted) == 1, "the re-run must find the part at the provider, not send it again"
    assert provider.lookups == 1
    assert all(p.state == PartState.SENT for p in queue.parts.values())


def test_a_send_that_timed_out_is_looked_up_only_once_a_late_create_could_have_happened(sample_courses):
    """Twilio creates the message seconds after our request timed out. The next runs neither
    look it up nor send it again until `late_create` has passed; then it is found and recorded."""
    process, _memory, _classifier = build_pipeline(sample_courses)
    queue, provider, now = FakeQueue(), FakeProvider(), [NOW]
    answer = AnswerWaitingMessages(
        process=process, queue=queue, provider=provider,
        courses=QueryCourseInformation(FakeCourseRepository(sample_courses)), clock=lambda: now[0],
        policy=AnswerPolicy(late_create=timedelta(seconds=30)),
    )  # fmt: skip
    queue.receive("SM-a", "hola")
    provider.timeouts = 1
    with pytest.raises(TransientDeliveryError):
        run(answer)

    now[0] += timedelta(seconds=11)  # the worker's next attempt, before the late create
    with pytest.raises(DeliveryNotSettledError) as waiting:
        run(answer)
    assert provider.lookups == 0 and provider.accepted == []
    assert waiting.value.retry_in_seconds == pytest.approx(19)

    provider.create_late()
    now[0] += timedelta(seconds=20)
    run(answer)

    assert len(provider.accepted) == 1, "created late, found, not sent again"
    assert provider.lookups == 1
    assert all(p.state == PartState.SENT for p in queue.parts.values())


def test_a_part_that_never_reached_the_provider_is_sent_on_the_next_run(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "hola")
    provider.failures = [TransientDeliveryError("Twilio 503")]
    with pytest.raises(TransientDeliveryError):
        run(answer)
    queue.receive("SM-b", "que cursos tienen?")  # arrives while the first reply is stuck

    run(answer)

    bodies = [body for _, _, body in provider.accepted]
    first_turn = [p.body for p in queue.parts.values() if p.turn_id == 1]
    assert bodies[: len(first_turn)] == first_turn, "the stuck reply goes out before the newer one"
    assert len(bodies) == len(queue.parts) and queue.turns == 2


def test_a_refused_part_is_marked_failed_with_the_providers_code(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "hola")
    provider.failures = [PermanentDeliveryError("Twilio 400 (code 63016): outside the window", 63016)]

    summary = run(answer)

    assert summary.parts_failed == 1
    assert [code for _, code in queue.errors.values()] == [63016]
    assert queue.answered == {"SM-a": 1}  # answered (the turn happened), its part visibly failed


def test_a_memory_changed_by_someone_else_makes_the_turn_run_again(harness):
    answer, queue, _provider, _classifier = harness
    queue.receive("SM-a", "hola")
    queue.bump_version_on_load = 1

    assert run(answer).turns == 1
    assert queue.turns == 1 and queue.memory is not None and queue.memory.interaction_count == 1


def test_a_memory_that_keeps_changing_is_retried_by_the_queue_not_saved_over(harness):
    answer, queue, _provider, _classifier = harness
    queue.receive("SM-a", "hola")
    queue.bump_version_on_load = 10

    with pytest.raises(CommitConflictError):
        run(answer)
    assert queue.turns == 0 and queue.answered == {}


def test_giving_up_marks_every_unsent_part_failed(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "hola")
    provider.failures = [TransientDeliveryError("Twilio 500")] * 3
    with pytest.raises(TransientDeliveryError):
        run(answer)

    assert asyncio.run(answer.give_up(USER, "too many attempts")) == len(queue.parts)
    assert all(p.state == PartState.FAILED for p in queue.parts.values())


def test_messages_the_bot_keeps_failing_on_go_to_a_person_once_it_gives_up(harness, monkeypatch):
    answer, queue, provider, classifier = harness
    queue.receive("SM-a", "hola")
    queue.receive("SM-b", "quiero info de cursos")

    def broken(text: str) -> IntentResult:
        raise RuntimeError("a bug the message triggers")

    monkeypatch.setattr(classifier, "classify", broken)
    with pytest.raises(RuntimeError):
        run(answer)
    assert queue.answered == {} and provider.accepted == []

    asyncio.run(answer.give_up(USER, "sin respuesta tras 20 intentos"))

    assert set(queue.answered) == {"SM-a", "SM-b"}, "answered by the hand-off: not queued again"
    assert queue.handoff is not None and queue.handoff.reason == HandoffReason.BOT_FAILURE
    assert [body for _, _, body in provider.accepted] == [BOT_FAILURE_NOTICE]
    assert queue.memory is not None and queue.memory.interaction_count == 2
    assert [e.text for e in queue.memory.message_history] == ["hola", "quiero info de cursos"]
    assert run(answer).turns == 0, "nothing left waiting"


def test_a_flood_gets_one_notice_then_silence_and_no_turn(harness):
    answer, queue, provider, classifier = harness
    for i in range(45):
        queue.receive(f"SM-{i:02d}", f"spam {i}", NOW + timedelta(seconds=i))

    run(answer)
    for i in range(45, 60):
        queue.receive(f"SM-{i:02d}", f"spam {i}", NOW + timedelta(seconds=i))
    run(answer)

    assert [body for _, _, body in provider.accepted] == [RATE_LIMIT_NOTICE]
    assert len(queue.answered) == 60  # every message recorded and closed, none answered twice
    assert queue.memory is not None and queue.memory.interaction_count == 60
    assert classifier.calls == [], "a flood must not cost a turn (nor an AI call)"


def test_asking_for_a_person_hands_off_and_the_bot_then_listens_in_silence(harness):
    answer, queue, provider, _classifier = harness
    queue.receive("SM-a", "quiero hablar con un asesor")
    run(answer)
    replies_before = len(provider.accepted)
    assert queue.handoff is not None and replies_before > 0

    for i, text in enumerate(["sigues ahi?", "hola??", "bueno espero"]):
        queue.receive(f"SM-w{i}", text)
        run(answer)

    silenced = [body for _, _, body in provider.accepted[replies_before:]]
    assert silenced == [HANDOFF_NOTICE], "one notice, then silence while a person has the conversation"
    assert queue.memory is not None and queue.memory.interaction_count == 4
    remembered = [e.text for e in queue.memory.message_history if e.role == "user"]
    assert remembered[-3:] == ["sigues ahi?", "hola??", "bueno espero"]


def test_a_quiet_hand_off_closes_by_itself_and_the_bot_answers_again(harness):
    answer, queue, provider, _classifier = harness
    queue.handoff = OpenHandoff(id=7, user_id=USER, reason="contact_request", opened_at=NOW - timedelta(days=2),
                                last_activity_at=NOW - timedelta(hours=2))  # fmt: skip
    queue.receive("SM-a", "hola de nuevo, que cursos tienen?")

    run(answer)

    assert queue.handoff is None
    assert provider.accepted and provider.accepted[0][2] != HANDOFF_NOTICE


def test_an_opt_out_and_a_stage_change_become_lead_events_once(harness):
    answer, queue, _provider, _classifier = harness
    queue.memory = UserMemory(user_id=USER, lead_score=10)
    queue.receive("SM-a", "dame de baja")

    run(answer)

    assert [e.type for e in queue.events] == [LeadEventType.OPTED_OUT, LeadEventType.STAGE_CHANGED]
    assert queue.events[1].data == {"from": "frío", "to": "dado de baja"}
    assert isinstance(queue.events[0].lead, LeadSummary) and queue.events[0].lead.opted_out


def test_a_resent_text_is_not_taken_for_the_copy_sent_before_for_another_part(harness):
    answer, queue, provider, _classifier = harness
    # The same words went out before, for another part (recorded). This part's request never
    # reached the provider (a 500): the earlier copy must not be taken for it.
    provider.accepted = [("SM-first", USER, "¡Gracias!")]
    queue.parts[(1, 0)] = OutgoingPart(turn_id=1, index=0, user_id=USER, body="¡Gracias!", state=PartState.SENT,
                                       provider_sid="SM-first")  # fmt: skip
    queue.parts[(2, 0)] = OutgoingPart(turn_id=2, index=0, user_id=USER, body="¡Gracias!", state=PartState.SENDING,
                                       sending_at=NOW)  # fmt: skip

    run(answer)

    assert len(provider.accepted) == 2, "not found at the provider: sent now"
    assert queue.parts[(2, 0)].provider_sid == provider.accepted[1][0] != "SM-first"
