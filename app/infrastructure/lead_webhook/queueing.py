"""Deferring `deliver_lead_event` jobs: right after a turn's commit, and the catch-up.

The turn stores its events in its own asyncpg transaction, which cannot also defer a
procrastinate job (another driver, another connection). So the job is deferred right after
the commit (`queue_lead_events`), and the worker's periodic recovery defers one for any event
left without (`queue_unqueued_lead_events`): a worker that died between the two, a deferral
that failed, events kept while LEAD_WEBHOOK_URL was not set. Each job has the event's
queueing lock, so a second deferral while one waits is refused, and the same lock, so two
jobs for one event never run at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from app.infrastructure.queue.tasks import DELIVER_LEAD_EVENT, EVENTS_QUEUE

logger = logging.getLogger(__name__)

# Events younger than this may still get their job from the turn that stored them.
CATCH_UP_AFTER_SECONDS = 30.0
# A receiver configured today is not flooded with months of old events; those stay in the
# table (and in `db status`).
CATCH_UP_WITHIN_SECONDS = 7 * 24 * 3600.0
_CATCH_UP_BATCH = 500

# Never attempted (attempts = 0): an event whose job failed for good or was refused has
# attempts > 0 and a last_error, and stays as it is (docs/lead-events.md, "Retries").
_UNQUEUED_SQL = """
SELECT event.id FROM lead_events AS event
WHERE event.delivered_at IS NULL AND event.attempts = 0
    AND event.created_at < now() - make_interval(secs => %(older_than_seconds)s)
    AND event.created_at > now() - make_interval(secs => %(within_seconds)s)
    AND NOT EXISTS (
        SELECT 1 FROM procrastinate_jobs AS job
        WHERE (job.queueing_lock = 'lead-event:' || event.id AND job.status = 'todo')
            OR (job.lock = 'lead-event:' || event.id AND job.status = 'doing')
    )
ORDER BY event.created_at
LIMIT %(batch)s
"""


def job_lock(event_id: str) -> str:
    return f"lead-event:{event_id}"


async def queue_lead_events(app: procrastinate.App, event_ids: Iterable[str]) -> int:
    """Defer one delivery job per event (none for an event whose job already waits); how many."""
    queued = 0
    for event_id in event_ids:
        lock = job_lock(event_id)
        deferrer = app.configure_task(DELIVER_LEAD_EVENT, queue=EVENTS_QUEUE, lock=lock, queueing_lock=lock)
        with contextlib.suppress(AlreadyEnqueued):
            await deferrer.defer_async(event_id=event_id)
            queued += 1
    return queued


async def queue_unqueued_lead_events(
    app: procrastinate.App,
    older_than_seconds: float = CATCH_UP_AFTER_SECONDS,
    within_seconds: float = CATCH_UP_WITHIN_SECONDS,
) -> int:
    """A job for every undelivered, never attempted event older than `older_than_seconds`
    that has none waiting or running; how many were queued."""
    rows = await app.connector.execute_query_all_async(
        _UNQUEUED_SQL, older_than_seconds=older_than_seconds, within_seconds=within_seconds, batch=_CATCH_UP_BATCH
    )
    ids = [row["id"] for row in rows]
    for event_id in ids:
        logger.warning("lead event %s waited without a delivery job; queued one", event_id)
    return await queue_lead_events(app, ids)
