"""The webhook's one write: record the inbound message and enqueue its user's job.

Synchronous (Flask's threads) on a psycopg pool. The messages of every request that arrives
while a commit is in flight are written together by the process's writer thread, in ONE
statement that PostgreSQL runs as one transaction in one round trip (group commit: one WAL
flush for the lot): each message is inserted keyed by Twilio's MessageSid (a duplicate
delivery inserts nothing) and, for each user with a new message and no job waiting, the
user's `answer_user` job is queued (procrastinate's defer insert, skipped by the
queueing-lock index when the user's job is waiting). Either all of a
batch is committed or none of it is, and each request answers 200 only after its commit (a
failed batch answers 5xx to each of its requests, and Twilio delivers them again). A job
already waiting (its queueing lock) answers the new messages too when it runs. An idle
process writes a lone message at once; under load the writer waits a millisecond for more.

The statement holds the shared advisory lock of each of its users until it commits; the
worker reads a user's waiting messages under the exclusive one (migration 0012), so a job
that started between this statement's check and its commit still sees the message.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import procrastinate
import psycopg
import psycopg_pool
from procrastinate.exceptions import AlreadyEnqueued
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field

from app.application.errors import StoreUnavailableError
from app.domain.messages import InboundMessage
from app.domain.outgoing import RECIPIENT_OPTED_OUT, status_rank
from app.infrastructure.postgres.errors import DatabaseBusyError, DatabaseUnavailableError
from app.infrastructure.postgres.reply_queue import WAITING_LOCK_CLASS
from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.queue.health import DeliveryFigures, read_delivery_figures
from app.infrastructure.queue.tasks import ANSWER_USER, QUEUE

logger = logging.getLogger(__name__)

_RECORD_SQL = """
WITH batch AS (
    SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS r (
        n INTEGER, sid TEXT, user_id TEXT, body TEXT, media_count INTEGER, media_types TEXT[],
        profile TEXT, received TIMESTAMPTZ, extras JSONB
    )
),
guard AS (
    -- In the order of their keys: two batches never wait for each other's locks in a cycle.
    SELECT count(pg_advisory_xact_lock_shared(%(lock_class)s, users.lock_key)) AS locks
    FROM (SELECT DISTINCT hashtext(user_id) AS lock_key FROM batch ORDER BY 1) AS users
),
inserted AS (
    INSERT INTO conversation_messages
        (message_sid, user_id, body, media_count, media_types, profile_name, received_at, extras)
    SELECT sid, user_id, body, media_count, media_types, profile, received, extras FROM batch, guard ORDER BY n
    ON CONFLICT (message_sid) DO NOTHING
    RETURNING message_sid, user_id
),
deferred AS (
    -- procrastinate_defer_jobs_v1 is this INSERT without the ON CONFLICT: a user whose job is
    -- waiting gets none (that job answers the new messages too), checked by the queueing-lock
    -- index itself. Probing for the waiting job first made the planner scan every waiting job
    -- of the queue, each batch (four times this statement's cost with 5,000 waiting). Users in
    -- key order: two batches never wait for each other's job rows in a cycle.
    INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, queueing_lock, args, scheduled_at)
    SELECT %(queue)s, %(task)s, 0, user_id, user_id, jsonb_build_object('user_id', user_id),
        now() + make_interval(secs => %(delay)s)
    FROM (SELECT DISTINCT user_id FROM inserted) AS due ORDER BY user_id
    ON CONFLICT (queueing_lock) WHERE status = 'todo' DO NOTHING
)
-- A data-modifying WITH runs to completion whether or not the final SELECT reads it.
SELECT (SELECT coalesce(array_agg(message_sid), '{}') FROM inserted)
"""
# A batch is what arrived during one commit; this many at most go in one statement.
MAX_BATCH = 200
# Under load (the last batch had more than one message) the writer lets what arrives within
# this long join the batch: fewer, larger statements and WAL flushes for the same messages.
# At 50 senders: 2,030 and 2,070 acknowledgements/s (p99 39 and 38 ms) against 1,870 and
# 1,900/s (p99 48 and 47 ms) without, alternated. A lone message on a quiet process goes at once.
BATCH_LINGER_SECONDS = 0.001


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
    # A request answers 503 when its message is not committed within this (a database that
    # restarts or hangs): well before Twilio's 15 s, so that Twilio retries instead of
    # giving up. A commit that lands later is harmless: the retry is then a duplicate.
    answer_within_seconds: float = Field(default=5.0, gt=0)


@dataclass
class _Waiting:
    """One request's message, until the writer thread has committed it (or failed to)."""

    row: dict[str, object]
    done: threading.Event = field(default_factory=threading.Event)
    inserted: bool = False
    error: StoreUnavailableError | None = None


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
            # restart fails its statement, is dropped, and the batch is tried once more.
            kwargs={
                "autocommit": True,
                "connect_timeout": max(1, round(options.connect_timeout)),
                "application_name": "course-advisor-webhook",
                "options": f"-c statement_timeout={options.statement_timeout_ms}",
            },
        )
        self._waiting: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()

    def open(self) -> None:
        """Start the pool without waiting: a database that is down now answers 503s until it
        is back, it does not stop the web server from starting."""
        self._pool.open(wait=False)

    def close(self) -> None:
        if self._writer is not None:
            self._waiting.put(None)
            self._writer.join(timeout=self._options.wait_seconds + self._options.statement_timeout_ms / 1000)
        self._pool.close()

    def record(self, message: InboundMessage) -> bool:
        """Commit the message and its user's job; False for a delivery already recorded.
        Raises StoreUnavailableError when it could not commit (the caller answers 5xx)."""
        waiting = _Waiting(_row(message))
        self._start_writer()
        self._waiting.put(waiting)
        limit = self._options.answer_within_seconds
        if not waiting.done.wait(limit):
            raise DatabaseUnavailableError(f"the message was not committed within {limit:g}s")
        if waiting.error is not None:
            raise waiting.error
        return waiting.inserted

    def _start_writer(self) -> None:
        """The writer thread of this process (started on first use: after gunicorn's fork)."""
        if self._writer is not None and self._writer.is_alive():
            return
        with self._writer_lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_forever, name="intake-writer", daemon=True)
                self._writer.start()

    def _write_forever(self) -> None:
        busy = False
        while True:
            first = self._waiting.get()
            if first is None:
                return
            if busy:
                time.sleep(BATCH_LINGER_SECONDS)
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._waiting.put(None)  # stop after this batch
                    break
                batch.append(more)
            busy = len(batch) > 1
            self._commit_batch(batch)

    def _commit_batch(self, batch: list[_Waiting]) -> None:
        """One statement for the batch; every request learns its own outcome."""
        first_of_sid: dict[object, _Waiting] = {}
        for waiting in batch:
            first_of_sid.setdefault(waiting.row["sid"], waiting)
        rows = [{**w.row, "n": n} for n, w in enumerate(first_of_sid.values())]
        try:
            inserted = self._insert(rows)
        except StoreUnavailableError as error:
            for waiting in batch:
                waiting.error = error
        except Exception as error:  # a bug must not leave requests waiting: they answer 503
            logger.exception("recording %d message(s) failed", len(batch))
            failure = DatabaseUnavailableError(f"could not record the message: {type(error).__name__}")
            for waiting in batch:
                waiting.error = failure
        else:
            for waiting in batch:
                # A second delivery of a MessageSid in the same batch is a duplicate.
                waiting.inserted = first_of_sid[waiting.row["sid"]] is waiting and waiting.row["sid"] in inserted
        for waiting in batch:
            waiting.done.set()

    def _insert(self, rows: list[dict[str, object]]) -> set[str]:
        """The MessageSids the statement inserted. Raises StoreUnavailableError."""
        params = {
            "rows": Jsonb(rows), "lock_class": WAITING_LOCK_CLASS, "queue": QUEUE, "task": ANSWER_USER,
            "delay": self._options.burst_window_seconds,
        }  # fmt: skip
        for attempt in (1, 2):
            try:
                with self._pool.connection() as connection:
                    row = connection.execute(_RECORD_SQL, params).fetchone()
                return set(row[0]) if row else set()
            except psycopg_pool.PoolTimeout as error:
                raise DatabaseBusyError(f"no database connection within {self._options.wait_seconds:.0f}s") from error
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


def _row(message: InboundMessage) -> dict[str, object]:
    """The message as a row of the batch (jsonb_to_recordset's record)."""
    return {
        "sid": message.message_id,
        "user_id": message.user_id,
        "body": message.text,
        "media_count": message.media_count,
        "media_types": list(message.media_types),
        "profile": message.profile_name,
        "received": message.received_at.isoformat(),
        "extras": message_extras(message),
    }


def message_extras(message: InboundMessage) -> dict[str, object] | None:
    """What migration 0017's `extras` keeps: the tap and the media URLs; None for plain text."""
    extras: dict[str, object] = {}
    if message.tap is not None:
        extras["tap"] = message.tap.model_dump(mode="json")
    if message.media_urls:
        extras["media_urls"] = list(message.media_urls)
    return extras or None
