"""The InboundLog port on the inbound_messages table: de-duplication by Twilio's MessageSid
for inline (TwiML) replies. REST delivery records its messages in conversation_messages
(app.infrastructure.queue.intake)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from pydantic import ValidationError

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundRecord
from app.domain.messages import Reply
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.errors import DatabaseQueryError

_COLUMNS = "message_id, user_id, received_at, reply"


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

    # --- data protection and retention ---------------------------------------------------------

    async def records_of(self, user_id: str) -> list[InboundRecord]:
        """Every delivery of one user, oldest first (data-protection export)."""
        rows = await self._client.fetch(
            f"SELECT {_COLUMNS} FROM inbound_messages WHERE user_id = $1 ORDER BY received_at, message_id", user_id
        )
        return [_record(row) for row in rows]

    async def purge_older_than(self, cutoff: datetime) -> int:
        status = await self._client.execute("DELETE FROM inbound_messages WHERE received_at < $1", cutoff)
        return int(status.split()[-1])


def _record(row: asyncpg.Record) -> InboundRecord:
    values: dict[str, Any] = {key: row[key] for key in ("message_id", "user_id", "received_at", "reply")}
    try:
        return InboundRecord.model_validate(values)
    except ValidationError as error:
        raise DatabaseQueryError(f"inbound message {row['message_id']} cannot be read: {error}") from error
