"""The webhook's one write: record the inbound message and enqueue its user's job.

Synchronous (Flask's threads) on a psycopg pool, in ONE statement, which PostgreSQL runs as
one transaction in one network round trip: the message is inserted keyed by Twilio's
MessageSid (a duplicate delivery inserts nothing) and, when it is new and no job of its user
is waiting, the user's `answer_user` job is queued with procrastinate's own defer function.
Either both are committed or neither is, and the caller answers 200 only after the commit.
A job already waiting (its queueing lock) answers this message too when it runs.

The statement holds a shared advisory lock of the user until it commits; the worker reads a
user's waiting messages under the exclusive one (app.infrastructure.postgres.reply_queue),
so a job that started between this statement's check and its commit still sees the message.
"""

from __future__ import annotations

import contextlib
import json
import logging

import procrastinate
import psycopg
import psycopg_pool
from procrastinate.exceptions import AlreadyEnqueued
from psycopg.pq import TransactionStatus
from pydantic import BaseModel, ConfigDict, Field

from app.domain.messages import InboundMessage
from app.domain.outgoing import RECIPIENT_OPTED_OUT, status_rank
from app.infrastructure.postgres.errors import DatabaseBusyError, DatabaseUnavailableError
from app.infrastructure.postgres.reply_queue import WAITING_LOCK_CLASS
from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.queue.health import DeliveryFigures, read_delivery_figures
from app.infrastructure.queue.tasks import ANSWER_USER, QUEUE

logger = logging.getLogger(__name__)

_RECORD_SQL = """
WITH guard AS (
    SELECT pg_advisory_xact_lock_shared(%(lock_class)s, hashtext(%(user)s))
),
inserted AS (
    INSERT INTO conversation_messages
        (message_sid, user_id, body, media_count, media_types, profile_name, received_at)
    SELECT %(sid)s, %(user)s, %(body)s, %(media_count)s, %(media_types)s, %(profile)s, %(received)s FROM guard
    ON CONFLICT (message_sid) DO NOTHING
    RETURNING user_id
),
deferred AS (
    SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(
        %(queue)s, %(task)s, 0, %(user)s, %(user)s, %(args)s::jsonb, now() + make_interval(secs => %(delay)s)
    )::procrastinate_job_to_defer_v1]) AS ids
    FROM inserted
    WHERE NOT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = %(user)s AND status = 'todo')
)
SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM deferred) AS deferred
"""


_STATUS_SQL = """
INSERT INTO message_statuses (provider_sid, status, rank, error_code) VALUES (%s, %s, %s, %s)
ON CONFLICT (provider_sid) DO UPDATE
    SET status = EXCLUDED.status, rank = EXCLUDED.rank,
        error_code = coalesce(EXCLUDED.error_code, message_statuses.error_code), updated_at = now()
    WHERE message_statuses.rank < EXCLUDED.rank
RETURNING 1
"""


# Twilio's 21610: the recipient blocked the sender (STOP): the bot stops writing to them too.
_OPTED_OUT_AT_TWILIO_SQL = """
UPDATE user_memory
SET opted_out = true, opted_out_at = coalesce(opted_out_at, now()), marketing_consent = false,
    updated_at = now(), version = version + 1
WHERE user_id IN (SELECT user_id FROM reply_parts WHERE provider_sid = %s
                  UNION ALL SELECT user_id FROM campaign_sends WHERE provider_sid = %s)  -- a reply or a campaign
  AND NOT opted_out
"""


class IntakeOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    database_url: str
    burst_window_seconds: float = Field(default=3.0, ge=0)
    pool_size: int = Field(default=8, ge=1)  # one per web thread: nobody waits for a connection
    # A request waits this long for a connection before answering 503 (Twilio retries).
    wait_seconds: float = Field(default=5.0, gt=0)
    connect_timeout: float = Field(default=3.0, gt=0)
    statement_timeout_ms: int = Field(default=5_000, gt=0)


class MessageIntake:
    def __init__(self, options: IntakeOptions) -> None:
        self._options = options
        self._pool = psycopg_pool.ConnectionPool(
            options.database_url,
            min_size=1,
            max_size=options.pool_size,
            open=False,
            timeout=options.wait_seconds,
            # No check per request (one round trip less): a connection broken by a database
            # restart fails its statement, is dropped, and record() tries once more.
            kwargs={
                "autocommit": True,
                "connect_timeout": max(1, round(options.connect_timeout)),
                "application_name": "course-advisor-webhook",
                "options": f"-c statement_timeout={options.statement_timeout_ms}",
            },
        )

    def open(self) -> None:
        """Start the pool without waiting: a database that is down now answers 503s until it
        is back, it does not stop the web server from starting."""
        self._pool.open(wait=False)

    def close(self) -> None:
        self._pool.close()

    def record(self, message: InboundMessage) -> bool:
        """Commit the message and its user's job; False for a delivery already recorded.
        Raises StoreUnavailableError when it could not commit (the caller answers 5xx)."""
        params = {
            "lock_class": WAITING_LOCK_CLASS, "sid": message.message_id, "user": message.user_id,
            "body": message.text, "media_count": message.media_count, "media_types": list(message.media_types),
            "profile": message.profile_name, "received": message.received_at, "queue": QUEUE, "task": ANSWER_USER,
            "args": json.dumps({"user_id": message.user_id}), "delay": self._options.burst_window_seconds,
        }  # fmt: skip
        for attempt in (1, 2):
            try:
                with self._pool.connection() as connection:
                    row = connection.execute(_RECORD_SQL, params).fetchone()
                return bool(row and row[0])
            except psycopg_pool.PoolTimeout as error:
                raise DatabaseBusyError(f"no database connection within {self._options.wait_seconds:.0f}s") from error
            except psycopg.errors.UniqueViolation as error:
                # Two messages of one user at the same instant both found no waiting job; the
                # other one's job is there now, so the second try only records.
                if attempt == 2:
                    raise translate_psycopg(error, "could not record the message") from error
            except psycopg.OperationalError as error:
                # A pooled connection from before a database restart fails once and is dropped.
                if attempt == 2 or not _broken(error):
                    raise translate_psycopg(error, "could not record the message") from error
            except (psycopg.Error, OSError) as error:
                raise translate_psycopg(error, "could not record the message") from error
        raise AssertionError("unreachable")  # pragma: no cover

    def record_status(self, provider_sid: str, status: str, error_code: int | None) -> bool:
        """Keep the most advanced status Twilio reported for a message; False when this one
        is older than what is stored (callbacks arrive out of order) or unknown."""
        rank = status_rank(status)
        if rank is None:
            return False
        try:
            with self._pool.connection() as connection, connection.transaction():
                row = connection.execute(_STATUS_SQL, (provider_sid, status.lower(), rank, error_code)).fetchone()
                if error_code == RECIPIENT_OPTED_OUT:
                    connection.execute(_OPTED_OUT_AT_TWILIO_SQL, (provider_sid, provider_sid))
        except psycopg_pool.PoolTimeout as error:
            raise DatabaseBusyError(f"no database connection within {self._options.wait_seconds:.0f}s") from error
        except (psycopg.Error, OSError) as error:
            raise translate_psycopg(error, "could not record the status") from error
        return row is not None

    def figures(self) -> DeliveryFigures:
        """Delivery figures of every process (for /health); raises StoreUnavailableError."""
        try:
            with self._pool.connection() as connection:
                return read_delivery_figures(connection)
        except psycopg_pool.PoolTimeout as error:
            raise DatabaseBusyError(f"no database connection within {self._options.wait_seconds:.0f}s") from error
        except (psycopg.Error, OSError) as error:
            raise translate_psycopg(error, "could not read the delivery figures") from error


def _broken(error: psycopg.OperationalError) -> bool:
    """The connection was lost (as opposed to a statement the server refused)."""
    return error.sqlstate is None or error.sqlstate.startswith(("08", "57P"))


def ensure_committed(connection: psycopg.Connection) -> None:
    """Raise unless the transaction just left was committed. psycopg leaves a transaction block
    quietly when the connection broke inside it and no exception is on its way (it cannot
    commit and has nothing to raise): the queueing lock's refusal, handled inside the block,
    must not pass for a commit of a message the server never kept."""
    if connection.broken or connection.info.transaction_status != TransactionStatus.IDLE:
        raise DatabaseUnavailableError("the connection broke before the commit was confirmed")


def enqueue_answer(queue: procrastinate.App, connection: psycopg.Connection, user_id: str, delay: float) -> None:
    """Defer the user's job on `connection`, inside the caller's transaction. A job already
    waiting for the user answers (or sends) whatever is there when it runs: that refusal is
    expected, and the savepoint keeps it from aborting the caller's transaction."""
    deferrer = queue.configure_task(
        name=ANSWER_USER,
        queue=QUEUE,
        lock=user_id,
        queueing_lock=user_id,
        schedule_in={"seconds": delay},
        connection=connection,
    )
    with contextlib.suppress(AlreadyEnqueued), connection.transaction():
        deferrer.defer(user_id=user_id)


def _row(message: InboundMessage) -> tuple[object, ...]:
    return (
        message.message_id,
        message.user_id,
        message.text,
        message.media_count,
        list(message.media_types),
        message.profile_name,
        message.received_at,
    )
