"""The webhook's one write: record the inbound message and enqueue its user's job.

Synchronous (Flask's threads) on a psycopg pool, in one short transaction: the message is
inserted keyed by Twilio's MessageSid (a duplicate delivery inserts nothing) and the user's
`answer_user` job is deferred on the same connection, so either both are committed or
neither is, and the caller answers 200 only after the commit. A job already waiting for the
user (its queueing lock) will answer this message too: that refusal is expected, and a
savepoint keeps it from aborting the transaction.
"""

from __future__ import annotations

import contextlib
import logging

import procrastinate
import psycopg
import psycopg_pool
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from psycopg.pq import TransactionStatus
from pydantic import BaseModel, ConfigDict, Field

from app.domain.messages import InboundMessage
from app.domain.outgoing import RECIPIENT_OPTED_OUT, status_rank
from app.infrastructure.postgres.errors import DatabaseBusyError, DatabaseUnavailableError
from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.queue.health import DeliveryFigures, read_delivery_figures
from app.infrastructure.queue.tasks import ANSWER_USER, QUEUE

logger = logging.getLogger(__name__)

_INSERT_SQL = """
INSERT INTO conversation_messages
    (message_sid, user_id, body, media_count, media_types, profile_name, received_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (message_sid) DO NOTHING
RETURNING seq
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
            # A connection broken by a database restart is replaced, not handed out.
            check=psycopg_pool.ConnectionPool.check_connection,
            kwargs={
                "connect_timeout": max(1, round(options.connect_timeout)),
                "application_name": "course-advisor-webhook",
                "options": f"-c statement_timeout={options.statement_timeout_ms}",
            },
        )
        # Deferring needs no connector of its own: every defer passes this pool's connection.
        self._queue = procrastinate.App(connector=procrastinate.SyncPsycopgConnector())

    def open(self) -> None:
        """Start the pool without waiting: a database that is down now answers 503s until it
        is back, it does not stop the web server from starting."""
        self._pool.open(wait=False)

    def close(self) -> None:
        self._pool.close()

    def record(self, message: InboundMessage) -> bool:
        """Commit the message and its user's job; False for a delivery already recorded.
        Raises StoreUnavailableError when it could not commit (the caller answers 5xx)."""
        try:
            with self._pool.connection() as connection:
                with connection.transaction():
                    inserted = connection.execute(_INSERT_SQL, _row(message)).fetchone()
                    if inserted is None:
                        return False  # recorded before: committed then
                    self._enqueue(connection, message.user_id)
                ensure_committed(connection)
            return True
        except psycopg_pool.PoolTimeout as error:
            raise DatabaseBusyError(f"no database connection within {self._options.wait_seconds:.0f}s") from error
        except (psycopg.Error, OSError) as error:
            raise translate_psycopg(error, "could not record the message") from error
        except ConnectorException as error:
            raise DatabaseUnavailableError(f"could not queue the reply: {error.__cause__ or error}") from error

    def _enqueue(self, connection: psycopg.Connection, user_id: str) -> None:
        enqueue_answer(self._queue, connection, user_id, self._options.burst_window_seconds)

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
