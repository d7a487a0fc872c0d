"""Lead events delivered to a local receiver on a real PostgreSQL, by the worker running in
this process (tests/lead_receiver.py plays the team's n8n/CRM endpoint): signed, retried
after failures, refused ones not retried, lost jobs caught up, and a real conversation's
hand-off reaching the receiver."""

from __future__ import annotations

import argparse
import asyncio
import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import procrastinate
import psycopg
import pytest
from psycopg.types.json import Jsonb
from pydantic import SecretStr

from app.bootstrap.worker import WorkerRuntime, build_intake, build_worker
from app.config import Settings
from app.domain.lead_events import LeadEvent, LeadSummary, handoff_opened_event
from app.domain.messages import InboundMessage
from app.entrypoints.cli import db as db_cli
from app.infrastructure.lead_webhook.queueing import job_lock, queue_lead_events, queue_unqueued_lead_events
from app.infrastructure.lead_webhook.signing import verify
from app.infrastructure.queue.intake import MessageIntake
from tests.lead_receiver import LeadReceiver

SECRET = "integration-secret-0123456789abcdef"
STUDENT = "whatsapp:+573005550199"


@pytest.fixture
def receiver() -> Iterator[LeadReceiver]:
    server = LeadReceiver().start()
    yield server
    server.close()


@pytest.fixture
def events_settings(rest_settings: Settings, receiver: LeadReceiver) -> Settings:
    return rest_settings.model_copy(
        update={
            "worker_concurrency": 2,
            "lead_webhook_url": receiver.url,
            "lead_webhook_secret": SecretStr(SECRET),
            "lead_webhook_timeout_seconds": 2.0,
        }
    )


@pytest.fixture
def url(events_settings: Settings) -> str:
    assert events_settings.database_url is not None
    return events_settings.database_url.get_secret_value()


@pytest.fixture
def worker(events_settings: Settings) -> Iterator[WorkerRuntime]:
    runtime = build_worker(events_settings)
    runtime.start()
    yield runtime
    runtime.close()


def an_event(handoff_id: int) -> LeadEvent:
    summary = LeadSummary(user_id=STUDENT, name="Lucía", role="docente", score=64)
    return handoff_opened_event(handoff_id, "contact_request", summary, datetime.now(UTC))


def store(url: str, event: LeadEvent, age_seconds: float = 0.0) -> None:
    """The row the turn's transaction writes (lead_event_rows.insert_lead_events)."""
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO lead_events (id, type, user_id, payload, created_at)"
            " VALUES (%s, %s, %s, %s, now() - make_interval(secs => %s))",
            (event.id, event.type.value, event.lead.user_id, Jsonb(event.model_dump(mode="json")), age_seconds),
        )


def queue_now(url: str, *event_ids: str) -> int:
    """What the worker does right after a turn's commit, from an App of the test's own."""

    async def run() -> int:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
        async with app.open_async():
            return await queue_lead_events(app, event_ids)

    return asyncio.run(run())


def catch_up_now(url: str) -> int:
    async def run() -> int:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
        async with app.open_async():
            return await queue_unqueued_lead_events(app, older_than_seconds=0.0)

    return asyncio.run(run())


def row(url: str, event_id: str) -> tuple:
    with psycopg.connect(url) as connection:
        found = connection.execute(
            "SELECT attempts, delivered_at IS NOT NULL, last_error FROM lead_events WHERE id = %s", (event_id,)
        ).fetchone()
    assert found is not None
    return found


def jobs_waiting(url: str, event_id: str) -> int:
    with psycopg.connect(url) as connection:
        found = connection.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE lock = %s AND status IN ('todo', 'doing')",
            (job_lock(event_id),),
        ).fetchone()
    return found[0] if found else 0


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def settled(url: str, event_id: str) -> Callable[[], bool]:
    """The event was attempted and no job for it waits or runs any more."""
    return lambda: row(url, event_id)[0] > 0 and jobs_waiting(url, event_id) == 0


def assert_signed(request) -> None:  # type: ignore[no-untyped-def]
    headers = request.headers
    assert verify(SECRET, headers["X-Advisor-Timestamp"], request.body, headers["X-Advisor-Signature"], time.time())


def test_an_event_reaches_the_receiver_once_signed_after_it_failed_twice(
    worker: WorkerRuntime, receiver: LeadReceiver, url: str
):
    event = an_event(1)
    store(url, event)
    receiver.script(500, 500)

    assert queue_now(url, event.id) == 1
    wait_until(lambda: row(url, event.id)[1])
    wait_until(settled(url, event.id))

    requests = receiver.requests(event.id)
    assert [request.status for request in requests] == [500, 500, 200]
    for request in requests:
        assert_signed(request)
        assert request.json() == event.model_dump(mode="json")
        assert request.headers["X-Advisor-Event"] == "handoff.opened"
    attempts, delivered, last_error = row(url, event.id)
    assert (attempts, delivered) == (3, True)
    assert last_error.startswith("HTTP 500")

    # A duplicate job (a late catch-up, a re-run) finds it delivered and sends nothing.
    assert queue_now(url, event.id) == 1
    wait_until(lambda: jobs_waiting(url, event.id) == 0)
    assert len(receiver.accepted(event.id)) == 1
    assert row(url, event.id)[0] == 3


def test_a_refused_event_is_recorded_failed_and_not_retried(worker: WorkerRuntime, receiver: LeadReceiver, url: str):
    event = an_event(2)
    store(url, event)
    receiver.script(400)

    queue_now(url, event.id)
    wait_until(settled(url, event.id))

    assert len(receiver.requests(event.id)) == 1
    attempts, delivered, last_error = row(url, event.id)
    assert (attempts, delivered) == (1, False)
    assert last_error.startswith("rechazado: HTTP 400")
    assert catch_up_now(url) == 0, "the catch-up leaves a refused event alone"


def test_one_job_waits_per_event(url: str):
    event = an_event(5)
    store(url, event, age_seconds=120)
    assert queue_now(url, event.id) == 1
    assert queue_now(url, event.id) == 0, "a second defer while the job waits is refused"
    assert catch_up_now(url) == 0, "the catch-up sees the waiting job"
    assert jobs_waiting(url, event.id) == 1


def test_an_event_whose_job_was_lost_is_picked_up_by_the_catch_up(
    worker: WorkerRuntime, receiver: LeadReceiver, url: str
):
    # Stored by a turn whose worker died before it queued the delivery: no job at all.
    event = an_event(3)
    store(url, event, age_seconds=120)

    wait_until(lambda: row(url, event.id)[1])

    [request] = receiver.requests(event.id)
    assert request.accepted
    assert_signed(request)
    assert row(url, event.id)[0] == 1


def test_without_a_webhook_url_events_are_kept_and_nothing_is_queued(
    events_settings: Settings, url: str, receiver: LeadReceiver
):
    settings = events_settings.model_copy(update={"lead_webhook_url": None, "lead_webhook_secret": None})
    runtime = build_worker(settings)
    event = an_event(4)
    store(url, event, age_seconds=120)

    async def publish_then_recover() -> int:
        async with runtime.worker.app.open_async():
            await runtime.worker.publish_lead_events([event.id])  # what a turn's commit calls
            return await runtime.worker._recover_stalled()  # the periodic recovery and its catch-up

    try:
        assert runtime.container.loop.run(publish_then_recover()) == 0
    finally:
        runtime.close()
    assert jobs_waiting(url, event.id) == 0
    assert row(url, event.id) == (0, False, None)
    assert receiver.requests() == []


def test_db_status_counts_delivered_waiting_and_failed_events(events_settings: Settings, url: str):
    for number in (6, 7, 8, 9):
        store(url, an_event(number))
    with psycopg.connect(url) as connection:
        connection.execute("UPDATE lead_events SET attempts = 1, delivered_at = now() WHERE id = 'handoff.opened:6'")
        connection.execute(
            "UPDATE lead_events SET attempts = 1, last_error = 'rechazado: HTTP 400' WHERE id = 'handoff.opened:7'"
        )
        connection.execute("UPDATE lead_events SET attempts = 2, last_error = 'HTTP 503' WHERE id = 'handoff.opened:8'")
    parser = argparse.ArgumentParser()
    db_cli.add_arguments(parser)
    out = io.StringIO()

    assert db_cli.run(events_settings, parser.parse_args(["status"]), out) == 0

    assert "Eventos para el equipo (se envían a LEAD_WEBHOOK_URL):" in out.getvalue()
    assert "entregados 1 · pendientes 2 · fallidos 1" in out.getvalue()


def test_a_conversation_that_asks_for_an_advisor_sends_one_signed_hand_off_event(
    events_settings: Settings, worker: WorkerRuntime, receiver: LeadReceiver, url: str
):
    intake: MessageIntake = build_intake(events_settings, threads=1)
    try:
        for number, text in enumerate(["hola, soy Lucía y soy docente", "quiero hablar con un asesor"]):
            sent = InboundMessage(
                message_id=f"SM{number:032d}", user_id=STUDENT, text=text, received_at=datetime.now(UTC)
            )
            assert intake.record(sent)
        # Well before the catch-up's 30 s: this is the delivery queued right after the commit.
        wait_until(lambda: any(r.headers["X-Advisor-Event"] == "handoff.opened" for r in receiver.accepted()), 20)
    finally:
        intake.close()

    handoffs = [r for r in receiver.accepted() if r.headers["X-Advisor-Event"] == "handoff.opened"]
    assert len(handoffs) == 1
    payload = handoffs[0].json()
    assert payload["lead"]["user_id"] == STUDENT and payload["data"]["reason"] == "contact_request"
    assert any(line["text"] == "quiero hablar con un asesor" for line in payload["lead"]["last_messages"])
    for request in receiver.requests():
        assert_signed(request)
    ids = [r.headers["X-Advisor-Event-Id"] for r in receiver.accepted()]
    assert len(ids) == len(set(ids)), "each event accepted once"
