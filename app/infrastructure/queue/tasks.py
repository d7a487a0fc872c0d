"""The queue's tasks: answer a user, take over a dead worker's jobs, prune old records.

The web process only defers (by task name, on its own connection, inside its transaction);
the worker registers the functions, which call the handlers the composition root gives it.

- `answer_user`: one job per user at a time and in order (`lock=user`), at most one waiting
  (`queueing_lock=user`: a message arriving while a job waits is answered by that job),
  scheduled BURST_WINDOW_SECONDS ahead so a burst of messages is one turn. Retried with
  exponential backoff; on its last attempt the unsent parts are marked failed, not dropped.
- `recover_stalled_jobs`: every few seconds, jobs left `doing` by a worker whose heartbeat
  stopped (kill -9, a lost machine) go back to the queue.
- `prune_old_records`: hourly, what is past the retention period.
- `deliver_lead_event`: POST one lead event to LEAD_WEBHOOK_URL (docs/lead-events.md); one job
  per event at a time (`lock` and `queueing_lock` = `lead-event:<id>`), retried with
  backoff from 1 s to 5 minutes, LEAD_EVENT_ATTEMPTS runs (about 18 minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import procrastinate
from procrastinate import JobContext, RetryDecision
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

logger = logging.getLogger(__name__)

ANSWER_USER = "answer_user"
RECOVER_STALLED = "recover_stalled_jobs"
PRUNE = "prune_old_records"
QUEUE = "replies"
MAINTENANCE_QUEUE = "maintenance"
DELIVER_LEAD_EVENT = "deliver_lead_event"
EVENTS_QUEUE = "events"
LEAD_EVENT_ATTEMPTS = 12  # waits 1, 2, 4 … 256, 300, 300 s: about 18 minutes in all


class Backoff(BaseRetryStrategy):
    """first, 2×first, 4×first … capped at `longest`, for `attempts` runs in all."""

    def __init__(self, attempts: int, first_seconds: float = 1.0, longest_seconds: float = 60.0) -> None:
        self.attempts = attempts
        self.first_seconds = first_seconds
        self.longest_seconds = longest_seconds

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts + 1 >= self.attempts:
            return None
        wait = min(self.first_seconds * 2**job.attempts, self.longest_seconds)
        return RetryDecision(retry_in={"seconds": wait})


@dataclass(frozen=True)
class JobHandlers:
    """What the worker's tasks do; built by the composition root."""

    answer_user: Callable[[str, int], Awaitable[None]]  # (user id, attempt: 0 for the first run)
    recover_stalled: Callable[[], Awaitable[int]]
    prune: Callable[[], Awaitable[object]]
    # (event id, is the last attempt); None: no LEAD_WEBHOOK_URL, a job finds nothing to do.
    deliver_lead_event: Callable[[str, bool], Awaitable[object]] | None = None


def register_tasks(app: procrastinate.App, handlers: JobHandlers, *, recover_every_seconds: int) -> None:
    # No procrastinate retry here: a retried job goes back to `todo`, which the user's
    # queueing lock refuses whenever a newer job already waits. The handler queues the
    # next attempt itself (a refusal then just means the waiting job is that attempt).
    @app.task(name=ANSWER_USER, queue=QUEUE)
    async def answer_user(user_id: str, attempt: int = 0) -> None:
        await handlers.answer_user(user_id, attempt)

    seconds = max(1, min(59, recover_every_seconds))

    @app.periodic(cron=f"* * * * * */{seconds}", periodic_id="stalled")
    @app.task(name=RECOVER_STALLED, queue=MAINTENANCE_QUEUE, queueing_lock=RECOVER_STALLED)
    async def recover_stalled_jobs(timestamp: int) -> None:
        await handlers.recover_stalled()

    @app.periodic(cron="17 * * * *", periodic_id="prune")
    @app.task(name=PRUNE, queue=MAINTENANCE_QUEUE, queueing_lock=PRUNE)
    async def prune_old_records(timestamp: int) -> None:
        await handlers.prune()

    @app.task(
        name=DELIVER_LEAD_EVENT,
        queue=EVENTS_QUEUE,
        pass_context=True,
        retry=Backoff(LEAD_EVENT_ATTEMPTS, first_seconds=1.0, longest_seconds=300.0),
    )
    async def deliver_lead_event(context: JobContext, event_id: str) -> None:
        if handlers.deliver_lead_event is None:
            logger.info("lead event %s kept: LEAD_WEBHOOK_URL is not set", event_id)
            return
        await handlers.deliver_lead_event(event_id, context.job.attempts + 1 >= LEAD_EVENT_ATTEMPTS)
