"""The InboundLog port on the inbound_messages table (de-duplication by Twilio's MessageSid,
and the outbox of replies sent through the REST API; migrations 0005 and 0006, bursts).

Every outbox change is one conditional UPDATE: the WHERE clause is the claim check of
app.domain.delivery, so the row lock PostgreSQL takes for the update makes it atomic across
processes and hosts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import asyncpg
from pydantic import ValidationError

from app.application.errors import StoreUnavailableError
from app.application.ports import DeliveryCounts, InboundRecord
from app.domain.delivery import Delivery, DeliveryOutcome, DeliveryState
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.errors import DatabaseQueryError

# Twilio retries a webhook for minutes, not weeks: older deliveries only cost space.
RETENTION = timedelta(days=30)

_COLUMNS = (
    "message_id, user_id, received_at, reply, message, delivery_state, parts_sent, attempts, last_error, "
    "provider_ids, claimed_by, claimed_until, delivery_finished_at, merged_from, merged_into"
)


class PostgresInboundLog:
    """INSERT .. ON CONFLICT DO NOTHING is the atomic "first time seen" test."""

    def __init__(self, client: PostgresClient) -> None:
        self._client = client

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        inserted = await self._client.fetchval(
            "INSERT INTO inbound_messages (message_id, user_id, received_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (message_id) DO NOTHING RETURNING 1",
            message_id,
            user_id,
            received_at,
        )
        return inserted is not None

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        updated = await self._client.fetchval(
            "UPDATE inbound_messages SET reply = $2, replied_at = now() WHERE message_id = $1 RETURNING 1",
            message_id,
            reply.model_dump(mode="json"),
        )
        if updated is None:
            raise StoreUnavailableError(f"inbound message {message_id} was never recorded")

    async def get(self, message_id: str) -> InboundRecord | None:
        row = await self._client.fetchrow(f"SELECT {_COLUMNS} FROM inbound_messages WHERE message_id = $1", message_id)
        return _record(row) if row is not None else None

    # --- the outbox ----------------------------------------------------------------------------

    async def record_for_delivery(self, message: InboundMessage) -> bool:
        inserted = await self._client.fetchval(
            "INSERT INTO inbound_messages (message_id, user_id, received_at, message, delivery_state) "
            "VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT (message_id) DO NOTHING RETURNING 1",
            message.message_id,
            message.user_id,
            message.received_at,
            message.model_dump(mode="json"),
        )
        return inserted is not None

    async def claim_delivery(
        self, message_id: str, worker: str, until: datetime, now: datetime
    ) -> InboundRecord | None:
        row = await self._client.fetchrow(
            "UPDATE inbound_messages SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1 "
            "WHERE message_id = $1 AND delivery_state = 'pending' "
            "AND (claimed_by = $2 OR claimed_until IS NULL OR claimed_until <= $4) "
            f"RETURNING {_COLUMNS}",
            message_id,
            worker,
            until,
            now,
        )
        return _record(row) if row is not None else None

    async def record_burst(self, message_id: str, worker: str, merged_from: tuple[str, ...]) -> bool:
        # Fixed once: the same list again is a no-op success, a different one is refused.
        updated = await self._client.fetchval(
            "UPDATE inbound_messages SET merged_from = $3 "
            "WHERE message_id = $1 AND delivery_state = 'pending' AND claimed_by = $2 AND reply IS NULL "
            "AND (cardinality(merged_from) = 0 OR merged_from = $3) RETURNING 1",
            message_id,
            worker,
            list(merged_from),
        )
        return updated is not None

    async def record_part_sent(
        self, message_id: str, worker: str, index: int, provider_id: str, lease_until: datetime
    ) -> bool:
        updated = await self._client.fetchval(
            "UPDATE inbound_messages SET parts_sent = $3 + 1, provider_ids = array_append(provider_ids, $4), "
            "claimed_until = $5 "
            "WHERE message_id = $1 AND delivery_state = 'pending' AND claimed_by = $2 AND parts_sent = $3 "
            "RETURNING 1",
            message_id,
            worker,
            index,
            provider_id,
            lease_until,
        )
        return updated is not None

    async def finish_delivery(self, message_id: str, worker: str, outcome: DeliveryOutcome, now: datetime) -> bool:
        final = outcome.state != DeliveryState.PENDING
        updated = await self._client.fetchval(
            "UPDATE inbound_messages SET delivery_state = $3, last_error = $4, claimed_by = NULL, "
            "claimed_until = $5, delivery_finished_at = $6, merged_into = $7 "
            "WHERE message_id = $1 AND delivery_state = 'pending' AND claimed_by = $2 RETURNING 1",
            message_id,
            worker,
            outcome.state.value,
            outcome.error,
            None if final else outcome.retry_at,
            now if final else None,
            outcome.merged_into,
        )
        return updated is not None

    async def pending_deliveries(self, user_id: str | None = None, limit: int = 200) -> list[InboundRecord]:
        where, args = "delivery_state = 'pending'", [limit]
        if user_id is not None:
            where, args = f"{where} AND user_id = $2", [limit, user_id]
        rows = await self._client.fetch(
            f"SELECT {_COLUMNS} FROM inbound_messages WHERE {where} ORDER BY received_at, message_id LIMIT $1", *args
        )
        return [_record(row) for row in rows]

    async def delivery_counts(self) -> DeliveryCounts:
        row = await self._client.fetchrow(
            "SELECT count(*) FILTER (WHERE delivery_state = 'pending') AS pending, "
            "count(*) FILTER (WHERE delivery_state = 'failed') AS failed "
            "FROM inbound_messages WHERE delivery_state IN ('pending', 'failed')"
        )
        return DeliveryCounts(pending=row["pending"], failed=row["failed"]) if row else DeliveryCounts()

    async def adopt(self, record: InboundRecord) -> None:
        """Take a copy kept in the fallback log while the database was away, unless this row is
        further along: the stale row stops looking unfinished once the copy is finished."""
        delivery = record.delivery or Delivery()
        await self._client.execute(
            "UPDATE inbound_messages SET reply = COALESCE($2, reply), delivery_state = $3, parts_sent = $4, "
            "attempts = $5, last_error = $6, provider_ids = $7, claimed_by = $8, claimed_until = $9, "
            "delivery_finished_at = $10, merged_from = $11, merged_into = $12 "
            "WHERE message_id = $1 AND delivery_state = 'pending' AND parts_sent <= $4",
            record.message_id,
            record.reply.model_dump(mode="json") if record.reply else None,
            delivery.state.value,
            delivery.parts_sent,
            delivery.attempts,
            delivery.last_error,
            list(delivery.provider_ids),
            delivery.claimed_by,
            delivery.claimed_until,
            delivery.finished_at,
            list(delivery.merged_from),
            delivery.merged_into,
        )

    # --- data protection and retention ---------------------------------------------------------

    async def records_of(self, user_id: str) -> list[InboundRecord]:
        """Every delivery of one user, oldest first (data-protection export)."""
        rows = await self._client.fetch(
            f"SELECT {_COLUMNS} FROM inbound_messages WHERE user_id = $1 ORDER BY received_at, message_id", user_id
        )
        return [_record(row) for row in rows]

    async def delete_user(self, user_id: str) -> int:
        status = await self._client.execute("DELETE FROM inbound_messages WHERE user_id = $1", user_id)
        return int(status.split()[-1])

    async def purge_older_than(self, cutoff: datetime) -> int:
        status = await self._client.execute("DELETE FROM inbound_messages WHERE received_at < $1", cutoff)
        return int(status.split()[-1])


def _record(row: asyncpg.Record) -> InboundRecord:
    values: dict[str, Any] = {key: row[key] for key in ("message_id", "user_id", "received_at", "reply", "message")}
    if row["delivery_state"] is not None:
        values["delivery"] = {
            "state": row["delivery_state"],
            "parts_sent": row["parts_sent"],
            "attempts": row["attempts"],
            "last_error": row["last_error"],
            "provider_ids": tuple(row["provider_ids"] or ()),
            "claimed_by": row["claimed_by"],
            "claimed_until": row["claimed_until"],
            "finished_at": row["delivery_finished_at"],
            "merged_from": tuple(row["merged_from"] or ()),
            "merged_into": row["merged_into"],
        }
    try:
        return InboundRecord.model_validate(values)
    except ValidationError as error:
        raise DatabaseQueryError(f"inbound message {row['message_id']} cannot be read: {error}") from error
