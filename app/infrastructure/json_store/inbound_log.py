"""Inbound deliveries as one small JSON file per message id, for de-duplication, and the
outbox of replies sent through the provider's API.

Layout under the directory:
- `<MessageSid>.json`: the record (created with O_EXCL: the atomic "first seen" test);
- `pending/<MessageSid>.json`: an empty marker per unfinished delivery (a merged one is
  finished: its burst's head carries the reply), so the sweep reads
  the few unfinished records instead of every record ever received;
- `failed/<MessageSid>.json`: a marker per delivery given up, counted by /health;
- `corrupt/`: records that could not be read, set aside (never deleted) and recorded again;
- `locks/`: one flock per user; every change of a record is a read-modify-write under it,
  so two processes never overwrite each other's change (a claim, a part recorded).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from pydantic import ValidationError

from app.application.errors import StoreUnavailableError
from app.application.ports import DeliveryCounts, InboundRecord
from app.domain.delivery import Delivery, DeliveryOutcome, DeliveryState
from app.domain.messages import InboundMessage, Reply
from app.infrastructure.json_store.files import (
    KeyedLocks,
    atomic_write_json,
    create_exclusive_json,
    read_json,
    set_aside,
)

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
Change = Callable[[InboundRecord], InboundRecord | None]

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A marker is written before its record; one still without a record after this long belongs
# to a request that died before answering, and is removed.
ORPHAN_MARKER_SECONDS = 60.0


class JsonInboundLog:
    """The InboundLog port on a directory: creating a file is the atomic "first seen" test."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._pending_dir = directory / "pending"
        self._failed_dir = directory / "failed"
        self._corrupt_dir = directory / "corrupt"
        self._locks = KeyedLocks(directory / "locks")

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        record = InboundRecord(message_id=message_id, user_id=user_id, received_at=received_at)
        return await self._run(self._create_inline, record)

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        updated = await self._update(message_id, lambda record: record.model_copy(update={"reply": reply}))
        if updated is None:
            raise StoreUnavailableError(f"inbound message {message_id} was never recorded")

    async def get(self, message_id: str) -> InboundRecord | None:
        # An unreadable record (left empty by an older version or a file system without hard
        # links) was never completely recorded: the message is answered, not refused.
        return await self._run(_read_record, self._path(message_id))

    # --- the outbox ----------------------------------------------------------------------------

    async def record_for_delivery(self, message: InboundMessage) -> bool:
        record = InboundRecord(
            message_id=message.message_id,
            user_id=message.user_id,
            received_at=message.received_at,
            message=message,
            delivery=Delivery(),
        )
        return await self._run(self._create, record)

    async def import_record(self, record: InboundRecord) -> bool:
        """Store a record as it is (the resilient log's copy of a PostgreSQL record); False if present."""
        return await self._run(self._create, record)

    async def claim_delivery(
        self, message_id: str, worker: str, until: datetime, now: datetime
    ) -> InboundRecord | None:
        def claim(record: InboundRecord) -> InboundRecord | None:
            if record.delivery is None or not record.delivery.claimable_by(worker, now):
                return None
            return record.model_copy(update={"delivery": record.delivery.claim(worker, until)})

        return await self._update(message_id, claim)

    async def record_burst(self, message_id: str, worker: str, merged_from: tuple[str, ...]) -> bool:
        def burst(record: InboundRecord) -> InboundRecord | None:
            if record.reply is not None or record.delivery is None:
                return None
            changed = record.delivery.with_burst(worker, merged_from)
            return record.model_copy(update={"delivery": changed}) if changed is not None else None

        return await self._update(message_id, burst) is not None

    async def record_part_sent(
        self, message_id: str, worker: str, index: int, provider_id: str, lease_until: datetime
    ) -> bool:
        def part(record: InboundRecord) -> InboundRecord | None:
            changed = record.delivery.with_part(worker, index, provider_id, lease_until) if record.delivery else None
            return record.model_copy(update={"delivery": changed}) if changed is not None else None

        return await self._update(message_id, part) is not None

    async def finish_delivery(self, message_id: str, worker: str, outcome: DeliveryOutcome, now: datetime) -> bool:
        def finish(record: InboundRecord) -> InboundRecord | None:
            changed = record.delivery.finish(worker, outcome, now) if record.delivery else None
            return record.model_copy(update={"delivery": changed}) if changed is not None else None

        return await self._update(message_id, finish) is not None

    async def pending_deliveries(self, user_id: str | None = None, limit: int = 200) -> list[InboundRecord]:
        return await self._run(self._pending, user_id, limit)

    async def delivery_counts(self) -> DeliveryCounts:
        return await self._run(self._counts)

    # --- helpers -------------------------------------------------------------------------------

    def _path(self, message_id: str) -> Path:
        return self._directory / _file_name(message_id)

    async def _update(self, message_id: str, change: Change) -> InboundRecord | None:
        current = await self.get(message_id)
        if current is None:
            return None
        async with self._locks.hold(current.user_id):
            return await self._run(self._apply, message_id, change)

    def _apply(self, message_id: str, change: Change) -> InboundRecord | None:
        path = self._path(message_id)
        data = read_json(path)
        if data is None:
            return None
        updated = change(InboundRecord.model_validate(data))
        if updated is None:
            return None
        atomic_write_json(path, updated.model_dump(mode="json"))
        self._sync_markers(path.name, updated.delivery)
        return updated

    def _create_inline(self, record: InboundRecord) -> bool:
        path = self._path(record.message_id)
        if create_exclusive_json(path, record.model_dump(mode="json")):
            return True
        if _read_record(path) is not None:
            return False
        # A leftover that never held the record: kept aside for inspection, then recorded afresh,
        # so the delivery Twilio retries is answered instead of failing forever.
        target = set_aside(path, self._corrupt_dir)
        logger.warning("inbound record %s was unreadable; kept as %s and recorded again", path.name, target)
        return create_exclusive_json(path, record.model_dump(mode="json"))

    def _create(self, record: InboundRecord) -> bool:
        name = _file_name(record.message_id)
        if record.delivery is not None and record.delivery.state == DeliveryState.PENDING:
            # The marker first: a crash between the two leaves a marker the sweep clears,
            # never a pending record the sweep cannot find.
            _durable_touch(self._pending_dir / name)
        if create_exclusive_json(self._directory / name, record.model_dump(mode="json")):
            self._sync_markers(name, record.delivery)
            return True
        existing = _read_record(self._directory / name)
        self._sync_markers(name, existing.delivery if existing else None)
        return False

    def _sync_markers(self, name: str, delivery: Delivery | None) -> None:
        pending = self._pending_dir / name
        if delivery is None or delivery.state in (DeliveryState.SENT, DeliveryState.MERGED):
            pending.unlink(missing_ok=True)
        elif delivery.state == DeliveryState.FAILED:
            _durable_touch(self._failed_dir / name)
            pending.unlink(missing_ok=True)
        elif not pending.exists():
            _durable_touch(pending)

    def _pending(self, user_id: str | None, limit: int) -> list[InboundRecord]:
        found = []
        for marker in _entries(self._pending_dir):
            record = _read_record(self._directory / marker.name)
            if record is None or record.delivery is None or record.delivery.state != DeliveryState.PENDING:
                self._drop_marker(marker, record)
                continue
            if user_id is None or record.user_id == user_id:
                found.append(record)
        found.sort(key=lambda r: (r.received_at, r.message_id))
        return found[:limit]

    @staticmethod
    def _drop_marker(marker: Path, record: InboundRecord | None) -> None:
        # A finished record's marker is left over from a crash between two writes; a marker
        # without a record is only an orphan once its request can no longer be running.
        if record is not None or _age_seconds(marker) > ORPHAN_MARKER_SECONDS:
            marker.unlink(missing_ok=True)

    def _counts(self) -> DeliveryCounts:
        return DeliveryCounts(pending=len(_entries(self._pending_dir)), failed=len(_entries(self._failed_dir)))

    @staticmethod
    async def _run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except (OSError, ValueError) as error:
            raise StoreUnavailableError(str(error)) from error


def _file_name(message_id: str) -> str:
    # Ids come from the network: anything unexpected is hashed rather than used as a path.
    name = message_id if _SAFE_ID.match(message_id) else hashlib.sha256(message_id.encode()).hexdigest()
    return f"{name}.json"


def _read_record(path: Path) -> InboundRecord | None:
    try:
        data = read_json(path)
        return InboundRecord.model_validate(data) if data is not None else None
    except (ValueError, ValidationError) as error:
        logger.warning("inbound record %s cannot be read (%s); skipped", path, error)
        return None


def _entries(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    except FileNotFoundError:
        return []


def _age_seconds(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _durable_touch(path: Path) -> None:
    """Create an empty file and make its directory entry survive a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
