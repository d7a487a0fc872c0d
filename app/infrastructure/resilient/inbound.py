"""The inbound log (de-duplication and the outbox of REST replies): PostgreSQL, else the JSON log."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from app.application.errors import StoreUnavailableError
from app.application.ports import DeliveryCounts, InboundLog, InboundRecord
from app.domain.delivery import Delivery, DeliveryOutcome
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.resilient.link import DatabaseLink

T = TypeVar("T")


class ResilientInboundLog:
    """De-duplication and the reply outbox in PostgreSQL, in the JSON inbound log while it is away.

    A record that had to be copied to the fallback (the database went away while it was being
    answered) lives on there: later changes go to the copy, which starts from the latest state
    this process knew, so a part already sent is not sent again. The rows such copies leave
    behind are handed the copy's state by the sweep (pending_deliveries), so they stop looking
    unfinished. Deliveries recorded during an outage stay in the fallback log.
    """

    def __init__(self, primary: PostgresInboundLog, fallback: JsonInboundLog, link: DatabaseLink) -> None:
        self._primary = primary
        self._fallback = fallback
        self._link = link
        # The latest state this process saw of recent deliveries: enough to continue one in the
        # fallback if the database went away mid-turn or mid-delivery.
        self._recent: OrderedDict[str, InboundRecord] = OrderedDict()

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        if message_id not in self._recent:
            self._note(InboundRecord(message_id=message_id, user_id=user_id, received_at=received_at))
        if self._link.is_up:
            try:
                return await self._primary.record_if_new(message_id, user_id, received_at)
            except StoreUnavailableError as error:
                self._link.report(error)
        return await self._fallback.record_if_new(message_id, user_id, received_at)

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        self._track(message_id, lambda record: record.model_copy(update={"reply": reply}))
        await self._route(message_id, lambda log: log.store_reply(message_id, reply))

    async def get(self, message_id: str) -> InboundRecord | None:
        record = None
        if self._link.is_up:
            try:
                record = await self._primary.get(message_id)
            except StoreUnavailableError as error:
                self._link.report(error)
        fallback = await self._fallback.get(message_id)
        if fallback is not None and fallback.delivery is not None:
            return fallback  # a delivery copied to the fallback is continued there: its copy is the latest
        if record is not None and record.reply is not None:
            return record
        # A delivery answered during an outage is only in the fallback log.
        return fallback if fallback is not None and (record is None or fallback.reply is not None) else record

    # --- the outbox ----------------------------------------------------------------------------

    async def record_for_delivery(self, message: InboundMessage) -> bool:
        self._note(
            InboundRecord(
                message_id=message.message_id,
                user_id=message.user_id,
                received_at=message.received_at,
                message=message,
                delivery=Delivery(),
            )
        )
        if self._link.is_up:
            try:
                return await self._primary.record_for_delivery(message)
            except StoreUnavailableError as error:
                self._link.report(error)
        return await self._fallback.record_for_delivery(message)

    async def claim_delivery(
        self, message_id: str, worker: str, until: datetime, now: datetime
    ) -> InboundRecord | None:
        claimed = await self._route(message_id, lambda log: log.claim_delivery(message_id, worker, until, now))
        if claimed is not None:
            self._note(claimed)
        return claimed

    async def record_burst(self, message_id: str, worker: str, merged_from: tuple[str, ...]) -> bool:
        recorded = await self._route(message_id, lambda log: log.record_burst(message_id, worker, merged_from))
        if recorded:
            self._track_delivery(message_id, lambda d: d.with_burst(worker, merged_from))
        return recorded

    async def record_part_sent(
        self, message_id: str, worker: str, index: int, provider_id: str, lease_until: datetime
    ) -> bool:
        recorded = await self._route(
            message_id, lambda log: log.record_part_sent(message_id, worker, index, provider_id, lease_until)
        )
        if recorded:
            self._track_delivery(message_id, lambda d: d.with_part(worker, index, provider_id, lease_until))
        return recorded

    async def finish_delivery(self, message_id: str, worker: str, outcome: DeliveryOutcome, now: datetime) -> bool:
        finished = await self._route(message_id, lambda log: log.finish_delivery(message_id, worker, outcome, now))
        if finished:
            self._track_delivery(message_id, lambda d: d.finish(worker, outcome, now))
        return finished

    async def pending_deliveries(self, user_id: str | None = None, limit: int = 200) -> list[InboundRecord]:
        found = {r.message_id: r for r in await self._primary_pending(user_id, limit)}
        for message_id in list(found):
            copy = await self._fallback.get(message_id)
            if copy is not None and copy.delivery is not None:
                del found[message_id]
                await self._hand_back(copy)
        found.update({r.message_id: r for r in await self._fallback.pending_deliveries(user_id, limit)})
        return sorted(found.values(), key=lambda r: (r.received_at, r.message_id))[:limit]

    async def delivery_counts(self) -> DeliveryCounts:
        """Both logs added up (a delivery being continued in the fallback may count twice)."""
        counts = await self._fallback.delivery_counts()
        if self._link.is_up:
            try:
                stored = await self._primary.delivery_counts()
            except StoreUnavailableError as error:
                self._link.report(error)
            else:
                counts = DeliveryCounts(pending=counts.pending + stored.pending, failed=counts.failed + stored.failed)
        return counts

    # --- helpers -------------------------------------------------------------------------------

    async def _route(self, message_id: str, call: Callable[[InboundLog], Awaitable[T]]) -> T:
        """PostgreSQL, unless it is away or the record already lives in the fallback."""
        if self._link.is_up and await self._fallback.get(message_id) is None:
            try:
                return await call(self._primary)
            except StoreUnavailableError as error:
                self._link.report(error)
        latest = self._recent.get(message_id)
        if latest is not None:
            await self._fallback.import_record(latest)  # no-op when the copy exists
        return await call(self._fallback)

    async def _primary_pending(self, user_id: str | None, limit: int) -> list[InboundRecord]:
        if not self._link.is_up:
            return []
        try:
            return await self._primary.pending_deliveries(user_id, limit)
        except StoreUnavailableError as error:
            self._link.report(error)
            return []

    async def _hand_back(self, copy: InboundRecord) -> None:
        try:
            await self._primary.adopt(copy)
        except StoreUnavailableError as error:
            self._link.report(error)

    def _note(self, record: InboundRecord) -> None:
        self._recent[record.message_id] = record
        self._recent.move_to_end(record.message_id)
        while len(self._recent) > 1_000:
            self._recent.popitem(last=False)

    def _track(self, message_id: str, change: Callable[[InboundRecord], InboundRecord]) -> None:
        record = self._recent.get(message_id)
        if record is not None:
            self._note(change(record))

    def _track_delivery(self, message_id: str, change: Callable[[Delivery], Delivery | None]) -> None:
        record = self._recent.get(message_id)
        changed = change(record.delivery) if record is not None and record.delivery is not None else None
        if record is not None and changed is not None:
            self._note(record.model_copy(update={"delivery": changed}))
