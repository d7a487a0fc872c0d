"""The inbound log (de-duplication of inline replies): PostgreSQL, else the JSON log."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundRecord
from app.domain.messages import Reply
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.resilient.link import DatabaseLink


class ResilientInboundLog:
    """De-duplication in PostgreSQL, in the JSON inbound log while it is away: a delivery
    recorded during an outage, and its reply, stay in the fallback log."""

    def __init__(self, primary: PostgresInboundLog, fallback: JsonInboundLog, link: DatabaseLink) -> None:
        self._primary = primary
        self._fallback = fallback
        self._link = link
        # Who sent the recent deliveries: enough to keep a reply in the fallback when the
        # database went away between recording a message and storing its reply.
        self._senders: OrderedDict[str, tuple[str, datetime]] = OrderedDict()

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        self._senders[message_id] = (user_id, received_at)
        while len(self._senders) > 1_000:
            self._senders.popitem(last=False)
        if self._link.is_up:
            try:
                return await self._primary.record_if_new(message_id, user_id, received_at)
            except StoreUnavailableError as error:
                self._link.report(error)
        return await self._fallback.record_if_new(message_id, user_id, received_at)

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        if self._link.is_up and await self._fallback.get(message_id) is None:
            try:
                await self._primary.store_reply(message_id, reply)
                return
            except StoreUnavailableError as error:
                self._link.report(error)
        if await self._fallback.get(message_id) is None:
            # Recorded in PostgreSQL, which went away before the reply: kept here instead.
            user_id, received_at = self._senders.get(message_id, ("", datetime.now(UTC)))
            await self._fallback.record_if_new(message_id, user_id, received_at)
        await self._fallback.store_reply(message_id, reply)

    async def get(self, message_id: str) -> InboundRecord | None:
        record = None
        if self._link.is_up:
            try:
                record = await self._primary.get(message_id)
            except StoreUnavailableError as error:
                self._link.report(error)
        if record is not None and record.reply is not None:
            return record
        # A delivery answered during an outage is only in the fallback log.
        fallback = await self._fallback.get(message_id)
        return fallback if fallback is not None and (record is None or fallback.reply is not None) else record
