"""REST delivery's moving parts: the webhook's intake, and the queue worker with the engine on
its loop (`python -m app worker`, or inside a web process with WORKER_IN_WEB)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
from concurrent.futures import CancelledError, Future
from datetime import timedelta

from app.application.answer_messages import AnswerPolicy, AnswerWaitingMessages
from app.bootstrap.clock import utc_now
from app.bootstrap.container import Container
from app.bootstrap.delivery import build_lead_channels, build_reply_sender
from app.bootstrap.mode import build_database_container
from app.bootstrap.whatsapp import build_voice_transcriber
from app.config import Settings
from app.infrastructure.postgres.client import PoolOptions
from app.infrastructure.postgres.reply_queue import PostgresConversationQueue
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.postgres.whatsapp_contents import PostgresContentStore
from app.infrastructure.queue.health import WorkerReport
from app.infrastructure.queue.intake import IntakeOptions, MessageIntake
from app.infrastructure.queue.worker import QueueWorker, WorkerOptions, pool_size_for
from app.infrastructure.retention import prune_database, retention_cutoff
from app.infrastructure.twilio.rest_sender import TwilioReplySender

logger = logging.getLogger(__name__)


def build_intake(settings: Settings, threads: int = 8) -> MessageIntake:
    """The webhook's record-and-enqueue on its own small psycopg pool (one per web thread)."""
    assert settings.database_url is not None
    intake = MessageIntake(
        IntakeOptions(
            database_url=settings.database_url.get_secret_value(),
            burst_window_seconds=settings.burst_window_seconds,
            pool_size=threads,
            answer_within_seconds=settings.webhook_db_wait_seconds,
        )
    )
    intake.open()
    return intake


class WorkerRuntime:
    """The engine plus procrastinate's worker on the engine's loop."""

    def __init__(self, container: Container, worker: QueueWorker, sender: TwilioReplySender) -> None:
        self.container = container
        self.worker = worker
        self._sender = sender
        self._running: Future[None] | None = None

    def start(self) -> Future[None]:
        """Run the worker in the background of the engine's loop."""
        if self._running is None:
            self._running = self.container.loop.submit(self.worker.run())
        return self._running

    def run_until_signalled(self) -> None:
        """Block the main thread until SIGTERM or SIGINT, then stop gracefully."""
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        running = self.start()
        while not stop.is_set() and not running.done():
            stop.wait(0.5)
        self.close()

    def close(self) -> None:
        if self._running is not None:
            self.container.loop.call_soon(self.worker.stop)
            try:
                self._running.result(timeout=20)
            except CancelledError:
                pass  # procrastinate ends its worker by cancelling it
            except Exception:
                logger.warning("the queue worker did not stop cleanly", exc_info=True)
        self._sender.close()
        self.container.close()


def build_worker(settings: Settings) -> WorkerRuntime:
    if not settings.replies_by_rest or settings.database_url is None:
        reason = settings.inline_reason or "REPLY_DELIVERY resolves to twiml"
        raise RuntimeError(f"the queue worker is for REST delivery: {reason}")
    concurrency = settings.worker_concurrency
    # Jobs use the engine's pool for short statements only; plus the probe and the catalogue.
    container = build_database_container(settings, PoolOptions(max_size=pool_size_for(concurrency) + 2))
    assert container.storage is not None
    sender = build_reply_sender(settings, concurrency, PostgresContentStore(container.storage.client))
    queue = PostgresConversationQueue(container.storage.client)
    answer = AnswerWaitingMessages(
        process=container.process_message,
        queue=queue,
        provider=sender,
        courses=container.query_courses,
        clock=utc_now,
        policy=AnswerPolicy(
            handoff_quiet=timedelta(hours=settings.handoff_quiet_hours),
            late_create=timedelta(seconds=settings.twilio_timeout_seconds + settings.twilio_late_create_seconds),
            tappable=settings.whatsapp_tappable,
        ),
        # The worker is built below; a turn's events are queued once it runs.
        publish_events=lambda event_ids: worker.publish_lead_events(event_ids),
        typing=sender,
        voice=build_voice_transcriber(settings, sender),
    )
    options = WorkerOptions(
        database_url=settings.database_url.get_secret_value(),
        concurrency=concurrency,
        stalled_seconds=settings.worker_stalled_seconds,
        attempts=settings.delivery_attempts,
    )
    channels = build_lead_channels(settings, sender)
    name = f"{socket.gethostname()}:{os.getpid()}"
    worker = QueueWorker(
        options,
        answer,
        prune=lambda: asyncio.to_thread(prune_database_now, settings),
        lead_webhook=channels,
        report=lambda: worker_report(name, container),
    )
    container.run(container.warm_up())
    logger.info("queue worker: %d jobs at once, mode %s", concurrency, container.mode.value)
    return WorkerRuntime(container, worker, sender)


def prune_database_now(settings: Settings) -> dict[str, int]:
    """What `python -m app prune` deletes from the database, run hourly by the worker."""
    assert settings.database_url is not None
    with SyncDatabase(settings.database_url.get_secret_value()) as database:
        database.open()
        return prune_database(database, retention_cutoff(utc_now(), settings.retention_days))


def worker_report(name: str, container: Container) -> WorkerReport:
    health = container.health()
    courses = health.components.get("courses")
    source = f"{courses.backend}: {courses.state}" if courses else "unknown"
    if courses is not None and courses.detail:
        source += f" ({courses.detail})"
    return WorkerReport(worker=name, mode=health.mode.value, ai=health.ai.value, courses=source[:300])
