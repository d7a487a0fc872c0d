"""The queue worker: procrastinate's worker running the bot's jobs on the engine's loop.

Any number of these run, in their own processes (`python -m app worker`) or inside the web
process (WORKER_IN_WEB). procrastinate gives each user's jobs one at a time and in order
(the job's lock), wakes on LISTEN/NOTIFY, and records a heartbeat per worker; a periodic
job here puts back the jobs of workers whose heartbeat stopped.

If the worker itself fails (its database connection lost in a restart, say) it is started
again after a pause with a new identity: the jobs it held are taken over once its old
heartbeat is stale, and their re-run resumes where the stored state says.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status
from pydantic import BaseModel, ConfigDict, Field

from app.application.answer_messages import AnswerWaitingMessages
from app.application.deliver_lead_events import DeliverLeadEvent, LeadEventReceiver
from app.application.errors import DeliveryNotSettledError
from app.infrastructure.lead_webhook.outbox import PostgresLeadEventOutbox
from app.infrastructure.lead_webhook.queueing import queue_lead_events, queue_unqueued_lead_events
from app.infrastructure.queue.health import WorkerReport
from app.infrastructure.queue.pool_check import pool_with_quiet_check
from app.infrastructure.queue.tasks import ANSWER_USER, QUEUE, JobHandlers, register_tasks

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0

_REPORT_SQL = """
INSERT INTO worker_status (worker, mode, ai, courses, reported_at)
VALUES (%(worker)s, %(mode)s, %(ai)s, %(courses)s, now())
ON CONFLICT (worker) DO UPDATE
    SET mode = EXCLUDED.mode, ai = EXCLUDED.ai, courses = EXCLUDED.courses, reported_at = now()
"""
_ORPHANED_USERS_SQL = """
SELECT user_id FROM (
    SELECT user_id FROM conversation_messages
    WHERE answered_at IS NULL AND received_at < now() - make_interval(secs => %(older_than_seconds)s)
    UNION
    SELECT part.user_id FROM reply_parts AS part JOIN reply_turns AS turn ON turn.id = part.turn_id
    WHERE part.state IN ('pending', 'sending')
        AND turn.created_at < now() - make_interval(secs => %(older_than_seconds)s)
) AS waiting
WHERE NOT EXISTS (
    SELECT 1 FROM procrastinate_jobs AS job WHERE job.lock = waiting.user_id AND job.status IN ('todo', 'doing')
)
LIMIT 500
"""


class WorkerOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    database_url: str
    concurrency: int = Field(default=50, ge=1, le=500)
    # A worker silent this long is dead: its jobs go back to the queue.
    stalled_seconds: float = Field(default=30.0, ge=3)
    attempts: int = Field(default=20, ge=1)  # runs of one job before its parts are marked failed
    restart_pause_seconds: float = Field(default=2.0, ge=0)


# Jobs hold a connection for one short statement at a time (never across the AI or Twilio),
# so a high concurrency (I/O-bound jobs) needs few connections: more would only crowd the
# server; a job that finds them all busy waits for one (back-pressure).
MAX_POOL_FOR_JOBS = 16


async def autocommit(connection: psycopg.AsyncConnection[Any]) -> None:
    """Every query procrastinate and this worker send on the pool is one statement (a
    function call), atomic by itself. Without autocommit psycopg wraps each in BEGIN and
    COMMIT: three round trips per fetch and per finish instead of one. (Set here, not in
    `kwargs`: procrastinate opens its LISTEN connection with those and autocommit=True.)"""
    await connection.set_autocommit(True)


def pool_size_for(concurrency: int) -> int:
    return min(concurrency, MAX_POOL_FOR_JOBS)


class QueueWorker:
    def __init__(
        self,
        options: WorkerOptions,
        answer: AnswerWaitingMessages,
        prune: Callable[[], Awaitable[object]],
        lead_webhook: LeadEventReceiver | None = None,
        report: Callable[[], WorkerReport] | None = None,
    ) -> None:
        self._report = report
        self._options = options
        self._answer = answer
        self._prune = prune
        self._lead_webhook = lead_webhook
        self._stopping = asyncio.Event()
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=options.database_url,
                # The fetch loop, LISTEN, heartbeats and job status updates share these; each
                # holds one for a statement, never across a job's AI call or Twilio request.
                min_size=1,
                max_size=pool_size_for(options.concurrency) + 3,
                kwargs={"application_name": "course-advisor-worker"},
                configure=autocommit,
                pool_factory=pool_with_quiet_check,
            )
        )
        # Lead events: no LEAD_WEBHOOK_URL, no delivery (the events are only kept).
        self._deliver_lead_event = (
            DeliverLeadEvent(PostgresLeadEventOutbox(self.app.connector), lead_webhook) if lead_webhook else None
        )
        register_tasks(
            self.app,
            JobHandlers(
                answer_user=self._answer_user,
                recover_stalled=self._recover_stalled,
                prune=self._prune,
                deliver_lead_event=self._deliver_lead_event.run if self._deliver_lead_event else None,
            ),
            recover_every_seconds=max(1, round(options.stalled_seconds / 3)),
        )

    async def run(self) -> None:
        """Run until stop(); restarts procrastinate's worker whenever it fails."""
        try:
            while not self._stopping.is_set():
                try:
                    async with self.app.open_async():
                        await self._run_once()
                except Exception:
                    pause = self._options.restart_pause_seconds
                    logger.exception("queue worker failed; starting again in %.0fs", pause)
                if not self._stopping.is_set():
                    await self._pause()
        finally:
            if self._lead_webhook is not None:
                self._lead_webhook.close()

    def stop(self) -> None:
        self._stopping.set()

    async def _run_once(self) -> None:
        heartbeat = max(1.0, self._options.stalled_seconds / 3)
        worker = asyncio.create_task(
            self.app.run_worker_async(
                name=f"{socket.gethostname()}:{os.getpid()}",
                concurrency=self._options.concurrency,
                install_signal_handlers=False,
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=self._options.stalled_seconds,
                delete_jobs="successful",
                # NOTIFY fires when a job is queued, not when a scheduled one (the burst
                # window) falls due: those are found by polling, so poll often (cheap).
                fetch_job_polling_interval=0.25,
                shutdown_graceful_timeout=10.0,
            )
        )
        stopping = asyncio.create_task(self._stopping.wait())
        reporting = asyncio.create_task(self._report_forever(heartbeat))
        done, _ = await asyncio.wait({worker, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if worker not in done:
            worker.cancel()  # procrastinate waits for jobs in flight, then stops
        stopping.cancel()
        reporting.cancel()
        (outcome,) = await asyncio.gather(worker, return_exceptions=True)
        if isinstance(outcome, Exception):
            raise outcome  # failed by itself (a lost connection): run() starts it again

    async def _report_forever(self, every_seconds: float) -> None:
        """Tell /health (through the database) this worker's mode, AI state and courses."""
        if self._report is None:
            return
        while True:
            try:
                report = self._report()
                await self.app.connector.execute_query_async(
                    _REPORT_SQL, worker=report.worker, mode=report.mode, ai=report.ai, courses=report.courses
                )
            except Exception as error:  # the heartbeat tells whether the worker lives; this is detail
                logger.debug("worker status not reported: %s", error)
            await asyncio.sleep(every_seconds)

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), self._options.restart_pause_seconds)

    async def _answer_user(self, user_id: str, attempt: int) -> None:
        """Run the user's job; on failure queue the next attempt with backoff (1 s doubling to
        30 s: a provider back from an outage is used within half a minute), and on the last
        one mark what is still unsent failed, visibly."""
        try:
            summary = await self._answer.run(user_id)
        except DeliveryNotSettledError as error:
            # Not a failure, and no attempt spent: a send Twilio may still create is looked up
            # once it has settled (the user's messages meanwhile wake the job early, too).
            logger.info("answering %s waits %.0fs: %s", user_id, error.retry_in_seconds, error)
            await self._defer_answer(user_id, attempt, error.retry_in_seconds)
            return
        except Exception as error:
            if attempt + 1 >= self._options.attempts:
                await self._answer.give_up(user_id, f"sin entregar tras {attempt + 1} intentos: {error}")
                return
            delay = min(2.0**attempt, MAX_BACKOFF_SECONDS)
            logger.warning("answering %s failed (%s); attempt %d in %.0fs", user_id, error, attempt + 2, delay)
            await self._defer_answer(user_id, attempt + 1, delay)
            return
        if summary.more_waiting:
            await self._defer_answer(user_id)

    async def _defer_answer(self, user_id: str, attempt: int = 0, delay: float = 0.0) -> None:
        """Queue the user's next job; refused (and not needed) when one already waits."""
        deferrer = self.app.configure_task(
            ANSWER_USER, queue=QUEUE, lock=user_id, queueing_lock=user_id, schedule_in={"seconds": delay}
        )
        with contextlib.suppress(AlreadyEnqueued):
            await deferrer.defer_async(user_id=user_id, attempt=attempt)

    async def _recover_stalled(self) -> int:
        """Jobs of dead workers back to the queue, and a job for any user whose messages or
        parts wait with none queued (a job that failed for good, a bug): nothing waits forever."""
        recovered = await self._retry_stalled_jobs()
        orphaned = await self.app.connector.execute_query_all_async(
            _ORPHANED_USERS_SQL, older_than_seconds=max(60.0, 2 * self._options.stalled_seconds)
        )
        for row in orphaned:
            logger.warning("messages of %s waited without a job; queued one", row["user_id"])
            await self._defer_answer(row["user_id"])
        return recovered + len(orphaned) + await self._catch_up_lead_events()

    async def publish_lead_events(self, event_ids: list[str]) -> None:
        """Queue the delivery of events a turn has just committed. Never raises: the turn is
        committed, and an event left without a job is queued by the catch-up."""
        if self._deliver_lead_event is None or not event_ids:
            return
        try:
            await queue_lead_events(self.app, event_ids)
        except Exception:
            logger.warning("could not queue %d lead event(s); the catch-up will", len(event_ids), exc_info=True)

    async def _catch_up_lead_events(self) -> int:
        if self._deliver_lead_event is None:
            return 0
        return await queue_unqueued_lead_events(self.app)

    async def _retry_stalled_jobs(self) -> int:
        manager = self.app.job_manager
        stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=self._options.stalled_seconds))
        for job in stalled:
            try:
                await manager.retry_job(job)
                logger.warning("job %s of a worker that stopped answering goes back to the queue", job.id)
            except UniqueViolation:
                # The user already has a job waiting (queued while this one ran): that job
                # answers every waiting message and sends every unsent part, so this one is
                # ended instead, which also frees the user's lock for it.
                await manager.finish_job_by_id_async(job.id, Status.ABORTED, delete_job=False)
                logger.warning("job %s of a worker that stopped answering: the user's waiting job takes over", job.id)
        return len(stalled)

