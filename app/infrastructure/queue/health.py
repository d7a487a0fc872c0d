"""Delivery figures for /health, read from the database so that every web process reports
the same numbers for all processes: messages waiting, parts unsent or failed (with Twilio's
named error codes), jobs in the queue, workers alive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from app.domain.outgoing import NAMED_ERROR_CODES

if TYPE_CHECKING:  # the models serve /health in every mode; only reading them needs the driver
    import psycopg

# Failures older than this no longer make /health "degraded" (they stay in the report).
RECENT = "24 hours"

_COUNTS_SQL = f"""
SELECT
    (SELECT count(*) FROM conversation_messages WHERE answered_at IS NULL) AS waiting_messages,
    (SELECT min(received_at) FROM conversation_messages WHERE answered_at IS NULL) AS oldest_waiting,
    (SELECT count(*) FROM reply_parts WHERE state IN ('pending', 'sending')) AS unsent_parts,
    (SELECT count(*) FROM reply_parts WHERE state = 'failed' AND finished_at > now() - interval '{RECENT}')
        AS failed_parts,
    (SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo') AS jobs_waiting,
    (SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing') AS jobs_running,
    (SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - interval '1 minute')
        AS workers_alive
"""
_ERRORS_SQL = f"""
SELECT error_code, count(*) FROM (
    SELECT error_code FROM reply_parts
    WHERE state = 'failed' AND error_code IS NOT NULL AND finished_at > now() - interval '{RECENT}'
    UNION ALL
    -- Callbacks count only for messages the bot sent: a reply part or a campaign send.
    SELECT st.error_code FROM message_statuses AS st
    WHERE st.error_code IS NOT NULL AND st.updated_at > now() - interval '{RECENT}'
        AND (EXISTS (SELECT 1 FROM reply_parts AS p WHERE p.provider_sid = st.provider_sid)
             OR EXISTS (SELECT 1 FROM campaign_sends AS c WHERE c.provider_sid = st.provider_sid))
) AS errors
GROUP BY error_code ORDER BY count(*) DESC
"""


class WorkerReport(BaseModel):
    """One worker's own state, as it reports it (mode, AI, courses' source)."""

    model_config = ConfigDict(frozen=True)

    worker: str
    mode: str
    ai: str
    courses: str  # e.g. "postgres: ok" or "json: degraded (missing table ai_courses ...)"


_WORKERS_SQL = """
SELECT worker, mode, ai, courses FROM worker_status
WHERE reported_at > now() - interval '1 minute' ORDER BY worker
"""


class ProviderError(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: int
    count: int
    meaning: str | None = None


class DeliveryFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    waiting_messages: int
    oldest_waiting_seconds: float | None
    unsent_parts: int
    failed_parts_24h: int
    jobs_waiting: int
    jobs_running: int
    workers_alive: int
    provider_errors_24h: tuple[ProviderError, ...] = ()
    workers: tuple[WorkerReport, ...] = ()  # reported in the last minute


def read_delivery_figures(connection: psycopg.Connection) -> DeliveryFigures:
    row = connection.execute(_COUNTS_SQL).fetchone()
    assert row is not None  # scalar subqueries always return one row
    waiting, oldest, unsent, failed, todo, doing, alive = row
    now = connection.execute("SELECT now()").fetchone()
    age = (now[0] - oldest).total_seconds() if oldest is not None and now is not None else None
    errors = tuple(
        ProviderError(code=code, count=count, meaning=NAMED_ERROR_CODES.get(code))
        for code, count in connection.execute(_ERRORS_SQL).fetchall()
    )
    reports = tuple(
        WorkerReport(worker=worker, mode=mode, ai=ai, courses=courses)
        for worker, mode, ai, courses in connection.execute(_WORKERS_SQL).fetchall()
    )
    return DeliveryFigures(
        waiting_messages=waiting,
        oldest_waiting_seconds=round(age, 1) if age is not None else None,
        unsent_parts=unsent,
        failed_parts_24h=failed,
        jobs_waiting=todo,
        jobs_running=doing,
        workers_alive=alive,
        provider_errors_24h=errors,
        workers=reports,
    )
