"""REST delivery on a real PostgreSQL: the webhook's intake, the queue store, the worker.

The worker runs in this process (its loop in a thread) against the fake Twilio; each test
counts what reached the fake per message, not just that something did.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from app.application.errors import StoreUnavailableError
from app.application.queue_ports import TurnToCommit
from app.bootstrap.worker import WorkerRuntime, build_intake
from app.config import Settings
from app.domain.intents import Intent
from app.domain.lead_events import LeadEvent, LeadEventType, LeadSummary
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.domain.outgoing import PartState
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.reply_queue import PostgresConversationQueue
from app.infrastructure.queue.intake import MessageIntake
from tests.integration.conftest import sent_parts
from tests.twilio_fake import TwilioFake, fail

USERS = [f"whatsapp:+5730000000{i:02d}" for i in range(6)]


def message(sid: str, user: str, text: str) -> InboundMessage:
    return InboundMessage(message_id=sid, user_id=user, text=text, received_at=datetime.now(UTC))


@pytest.fixture
def queue_database(rest_settings: Settings) -> str:
    assert rest_settings.database_url is not None
    return rest_settings.database_url.get_secret_value()


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()


def wait_until(condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def all_parts_sent(url: str) -> bool:
    waiting = rows(url, "SELECT count(*) FROM conversation_messages WHERE answered_at IS NULL")[0][0]
    unsent = rows(url, "SELECT count(*) FROM reply_parts WHERE state <> 'sent'")[0][0]
    return waiting == 0 and unsent == 0


def test_the_intake_records_once_and_keeps_one_waiting_job_per_user(intake: MessageIntake, queue_database: str):
    assert intake.record(message("SM1", USERS[0], "hola")) is True
    assert intake.record(message("SM1", USERS[0], "hola")) is False  # Twilio delivered it again
    assert intake.record(message("SM2", USERS[0], "que cursos tienen")) is True
    assert intake.record(message("SM3", USERS[1], "hola")) is True

    jobs = rows(queue_database, "SELECT lock, queueing_lock, status FROM procrastinate_jobs ORDER BY id")
    assert jobs == [(USERS[0], USERS[0], "todo"), (USERS[1], USERS[1], "todo")]
    stored = rows(queue_database, "SELECT message_sid FROM conversation_messages ORDER BY seq")
    assert stored == [("SM1",), ("SM2",), ("SM3",)]


def test_requests_recorded_together_each_learn_their_own_outcome(intake: MessageIntake, queue_database: str):
    """48 requests at once (one process's threads): their messages share commits, and still each
    MessageSid is stored once, a second delivery of it answers "already recorded" even in the
    same batch, and each user keeps one waiting job."""
    deliveries = [(f"SM{n:02d}", USERS[n % 6], f"mensaje {n}") for n in range(24)]
    deliveries += deliveries[::3]  # Twilio delivers every third one twice, at the same time
    start = threading.Barrier(len(deliveries))

    def deliver(sid: str, user: str, text: str) -> bool:
        start.wait()
        return intake.record(message(sid, user, text))

    with ThreadPoolExecutor(max_workers=len(deliveries)) as pool:
        outcomes = list(pool.map(lambda d: (d[0], deliver(*d)), deliveries))

    new_per_sid = Counter(sid for sid, new in outcomes if new)
    assert new_per_sid == Counter({sid: 1 for sid, _, _ in deliveries})
    stored = rows(queue_database, "SELECT message_sid, user_id FROM conversation_messages ORDER BY seq")
    assert sorted(sid for sid, _ in stored) == sorted({sid for sid, _, _ in deliveries})
    jobs = rows(queue_database, "SELECT lock, count(*) FROM procrastinate_jobs WHERE status = 'todo' GROUP BY lock")
    assert sorted(jobs) == sorted((user, 1) for user in USERS)


def test_a_database_that_is_gone_makes_the_intake_raise_not_pretend(make_settings):
    settings = make_settings(database_url="postgresql://nobody@127.0.0.1:9/none")
    intake = build_intake(settings, threads=1)
    try:
        with pytest.raises(StoreUnavailableError):
            intake.record(message("SM1", USERS[0], "hola"))
    finally:
        intake.close()


@pytest.fixture
def conversation_queue(engine, queue_database: str) -> Iterator[PostgresConversationQueue]:
    client = PostgresClient(queue_database)
    engine.run(client.connect())
    yield PostgresConversationQueue(client)
    engine.run(client.close())


def test_a_turn_is_committed_once_even_if_two_runs_race(
    engine, conversation_queue: PostgresConversationQueue, queue_database: str, intake: MessageIntake
):
    intake.record(message("SM1", USERS[0], "hola"))
    queue = conversation_queue
    upcoming = engine.run(queue.next_turn(USERS[0], 10, since=datetime.now(UTC)))
    waiting, loaded = upcoming.messages, upcoming.context.memory
    reply = Reply(text="¡Hola!", parts=("¡Hola!",), intent=Intent.GREETING, confidence=1.0, mode="database")
    turn = TurnToCommit(
        user_id=USERS[0],
        message_ids=tuple(m.message_id for m in waiting),
        memory=UserMemory(user_id=USERS[0], interaction_count=1),
        base_version=loaded.version,
        reply=reply,
    )
    assert engine.run(queue.commit_turn(turn)) is not None
    assert engine.run(queue.commit_turn(turn)) is None  # already answered: nothing written
    assert rows(queue_database, "SELECT count(*) FROM reply_turns")[0][0] == 1
    assert rows(queue_database, "SELECT count(*) FROM reply_parts")[0][0] == 1
    assert rows(queue_database, "SELECT interaction_count FROM user_memory")[0][0] == 1


def test_a_turn_on_a_memory_that_moved_on_writes_nothing(
    engine, conversation_queue: PostgresConversationQueue, queue_database: str, intake: MessageIntake
):
    intake.record(message("SM1", USERS[1], "hola"))
    queue = conversation_queue
    waiting = engine.run(queue.next_turn(USERS[1], 10, since=datetime.now(UTC))).messages
    reply = Reply(text="¡Hola!", parts=("¡Hola!", "¿Qué te interesa?"), intent=Intent.GREETING, confidence=1.0,
                  mode="database")  # fmt: skip
    stage_changed = LeadEvent(id="evt-1", type=LeadEventType.STAGE_CHANGED, lead=LeadSummary(user_id=USERS[1]),
                              occurred_at=datetime.now(UTC))  # fmt: skip
    stale = TurnToCommit(
        user_id=USERS[1],
        message_ids=tuple(m.message_id for m in waiting),
        memory=UserMemory(user_id=USERS[1], interaction_count=1),
        base_version=7,  # saved meanwhile by someone else: the row is not at this version
        reply=reply,
        events=(stage_changed,),
    )
    with psycopg.connect(queue_database, autocommit=True) as connection:
        connection.execute("INSERT INTO user_memory (user_id, interaction_count) VALUES (%s, 5)", (USERS[1],))

    assert engine.run(queue.commit_turn(stale)) is None
    committed = engine.run(queue.commit_turn(stale.model_copy(update={"base_version": 1})))

    assert committed is not None and committed.event_ids == ("evt-1",)
    assert [(p.index, p.body) for p in committed.parts] == [(0, "¡Hola!"), (1, "¿Qué te interesa?")]
    assert rows(queue_database, "SELECT count(*) FROM reply_turns")[0][0] == 1, "the stale turn left nothing"
    assert rows(queue_database, "SELECT count(*) FROM reply_parts")[0][0] == 2
    assert rows(queue_database, "SELECT count(*) FROM lead_events")[0][0] == 1
    assert rows(queue_database, "SELECT interaction_count, version FROM user_memory")[0] == (1, 2)


def test_the_next_turn_reads_messages_and_unsent_parts_in_order_with_their_times(
    engine, conversation_queue: PostgresConversationQueue, intake: MessageIntake
):
    user = USERS[2]
    first = message("SM-a", user, "hola")
    photo = message("SM-b", user, "").model_copy(update={"media_count": 1, "media_types": ("image/jpeg",)})
    for inbound in (first, photo, message("SM-c", user, "¿cuánto cuesta? 😀")):
        intake.record(inbound)
    queue = conversation_queue
    since = datetime.now(UTC)
    upcoming = engine.run(queue.next_turn(user, 2, since=since))
    assert [m.message_id for m in upcoming.messages] == ["SM-a", "SM-b"], "oldest first, up to the limit"
    assert upcoming.messages[1].media_types == ("image/jpeg",) and upcoming.messages[1].media_count == 1
    assert upcoming.messages[0].received_at.tzinfo is not None and upcoming.unsent == ()
    assert upcoming.context.memory.version == 0 and upcoming.context.messages_since == 0

    reply = Reply(text="a b", parts=("uno", "dos"), intent=Intent.GREETING, confidence=1.0, mode="database")
    turn = TurnToCommit(user_id=user, message_ids=("SM-a", "SM-b"), memory=UserMemory(user_id=user),
                        base_version=0, reply=reply)  # fmt: skip
    committed = engine.run(queue.commit_turn(turn))
    assert committed is not None
    sending = engine.run(queue.mark_sending(committed.parts[0], since))
    upcoming = engine.run(queue.next_turn(user, 10, since=since - timedelta(minutes=1)))

    assert [(p.index, p.body, p.state) for p in upcoming.unsent] == [
        (0, "uno", PartState.SENDING),
        (1, "dos", PartState.PENDING),
    ]
    assert upcoming.unsent[0].sending_at == sending.sending_at == since
    assert [m.text for m in upcoming.messages] == ["¿cuánto cuesta? 😀"]
    assert upcoming.context.memory.version == 1 and upcoming.context.messages_since == 3


def test_the_worker_answers_every_message_once_and_in_order(
    intake: MessageIntake, worker: WorkerRuntime, twilio_fake: TwilioFake, queue_database: str
):
    texts = ["hola", "soy maestra", "quiero aprender python", "cuanto cuesta?"]
    for round_number, text in enumerate(texts):
        for user in USERS:
            intake.record(message(f"SM{round_number}-{user[-2:]}", user, text))
    worker.start()

    wait_until(lambda: all_parts_sent(queue_database))

    sent = twilio_fake.sent_by_recipient()
    for user in USERS:
        stored = rows(
            queue_database,
            f"SELECT provider_sid FROM reply_parts WHERE user_id = '{user}' ORDER BY turn_id, idx",
        )
        assert [m.sid for m in sent[user]] == [sid for (sid,) in stored], "each part once, in the stored order"
    counts = dict(rows(queue_database, "SELECT user_id, interaction_count FROM user_memory"))
    assert counts == {user: len(texts) for user in USERS}


def test_a_twilio_outage_delays_replies_but_loses_and_repeats_none(
    intake: MessageIntake, worker: WorkerRuntime, twilio_fake: TwilioFake, queue_database: str
):
    twilio_fake.script(*[fail(500)] * 4, fail(429), fail(503))
    for user in USERS[:3]:
        intake.record(message(f"SM-{user[-2:]}", user, "hola, que cursos tienen?"))
    worker.start()

    wait_until(lambda: all_parts_sent(queue_database))

    parts = rows(queue_database, "SELECT count(*) FROM reply_parts")[0][0]
    assert len(twilio_fake.sent()) == parts


def test_status_callbacks_keep_the_most_advanced_status(intake: MessageIntake, queue_database: str):
    sent_parts(queue_database, USERS[0], "SMx", "SMy")  # what the bot sent: its failures are counted
    assert intake.record_status("SMx", "delivered", None) is True
    assert intake.record_status("SMx", "sent", None) is False  # arrived late: ignored
    assert intake.record_status("SMx", "read", None) is True
    assert intake.record_status("SMy", "failed", 63016) is True
    assert intake.record_status("SMz", "teleported", None) is False
    assert rows(queue_database, "SELECT provider_sid, status, error_code FROM message_statuses ORDER BY 1") == [
        ("SMx", "read", None),
        ("SMy", "failed", 63016),
    ]
    figures = intake.figures()
    assert [(e.code, e.count) for e in figures.provider_errors_24h] == [(63016, 1)]


def test_messages_left_without_a_job_are_picked_up(worker: WorkerRuntime, twilio_fake: TwilioFake, queue_database: str):
    # A message recorded by an older version (or whose job failed for good) has no job queued.
    with psycopg.connect(queue_database) as connection:
        connection.execute(
            "INSERT INTO conversation_messages (message_sid, user_id, body, received_at) "
            "VALUES ('SM-old', %s, 'hola', now() - interval '5 minutes')",
            (USERS[0],),
        )
    worker.start()

    wait_until(lambda: all_parts_sent(queue_database))

    assert len(twilio_fake.sent(USERS[0])) == rows(queue_database, "SELECT count(*) FROM reply_parts")[0][0] > 0


def test_twilio_reporting_a_blocked_recipient_marks_the_contact_opted_out(
    intake: MessageIntake, worker: WorkerRuntime, twilio_fake: TwilioFake, queue_database: str
):
    intake.record(message("SM1", USERS[0], "hola"))
    worker.start()
    wait_until(lambda: all_parts_sent(queue_database))
    sid = twilio_fake.sent(USERS[0])[0].sid

    assert intake.record_status(sid, "failed", 21610) is True

    assert rows(queue_database, f"SELECT opted_out FROM user_memory WHERE user_id = '{USERS[0]}'") == [(True,)]


def test_the_worker_prunes_what_the_prune_command_prunes(rest_settings: Settings, queue_database: str):
    from app.bootstrap.worker import prune_database_now

    with psycopg.connect(queue_database) as connection:
        connection.execute(
            "INSERT INTO conversation_messages (message_sid, user_id, body, received_at) VALUES "
            "('SM-old', 'whatsapp:+1', 'hola', now() - interval '400 days'), ('SM-new', 'whatsapp:+1', 'hola', now())"
        )

    deleted = prune_database_now(rest_settings)

    assert deleted["conversation_messages"] == 1
    assert rows(queue_database, "SELECT message_sid FROM conversation_messages") == [("SM-new",)]
