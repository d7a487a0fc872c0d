"""Inbound deliveries as one small JSON file per message id, for de-duplication."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.application.errors import StoreUnavailableError
from app.application.ports import InboundRecord
from app.domain.messages import Reply
from app.infrastructure.json_store.files import atomic_write_json, create_exclusive_json, read_json

P = ParamSpec("P")
T = TypeVar("T")

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class JsonInboundLog:
    """The InboundLog port on a directory: creating a file is the atomic "first seen" test."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        record = InboundRecord(message_id=message_id, user_id=user_id, received_at=received_at)
        return await self._run(create_exclusive_json, self._path(message_id), record.model_dump(mode="json"))

    async def store_reply(self, message_id: str, reply: Reply) -> None:
        record = await self.get(message_id)
        if record is None:
            raise StoreUnavailableError(f"inbound message {message_id} was never recorded")
        updated = record.model_copy(update={"reply": reply})
        await self._run(atomic_write_json, self._path(message_id), updated.model_dump(mode="json"))

    async def get(self, message_id: str) -> InboundRecord | None:
        data = await self._run(read_json, self._path(message_id))
        return InboundRecord.model_validate(data) if data is not None else None

    def _path(self, message_id: str) -> Path:
        # Ids come from the network: anything unexpected is hashed rather than used as a path.
        name = message_id if _SAFE_ID.match(message_id) else hashlib.sha256(message_id.encode()).hexdigest()
        return self._directory / f"{name}.json"

    @staticmethod
    async def _run(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except (OSError, ValueError) as error:
            raise StoreUnavailableError(str(error)) from error
