"""Inbound deliveries as one small JSON file per message id, for de-duplication of inline
(TwiML) replies: a retried webhook gets the reply already given instead of a second turn.

Layout under the directory:
- `<MessageSid>.json`: the record (created with O_EXCL: the atomic "first seen" test);
- `corrupt/`: records that could not be read, set aside (never deleted) and recorded again;
- `locks/`: one flock per user; every change of a record is a read-modify-write under it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from pydantic import ValidationError

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundRecord
from app.domain.messages import Reply
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


class JsonInboundLog:
    """The InboundLog port on a directory: creating a file is the atomic "first seen" test."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
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
