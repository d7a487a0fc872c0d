"""User memory as one JSON file per user: the fallback when PostgreSQL is absent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from app.application.errors import StoreUnavailableError
from app.application.ports import UserStatistics
from app.domain.memory import UserMemory
from app.infrastructure.json_store.files import (
    KeyedLocks,
    atomic_write_json,
    key_of_file,
    key_to_filename,
    read_json,
    set_aside,
)

logger = logging.getLogger(__name__)


class CorruptMemoryFileError(Exception):
    """A memory file that is not valid JSON or not a valid memory; it is kept aside, not deleted."""


class JsonUserMemoryRepository:
    """The UserMemoryRepository port on a directory of JSON files."""

    def __init__(self, directory: Path) -> None:
        self._users_dir = directory / "users"
        self._quarantine_dir = directory / "corrupt"
        self._locks = KeyedLocks(directory / "locks")

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(user_id)

    async def load_user_memory(self, user_id: str) -> UserMemory | None:
        path = self._path(user_id)
        try:
            return await asyncio.to_thread(_read_memory, path)
        except CorruptMemoryFileError:
            await asyncio.to_thread(self._quarantine, path)
            return None
        except OSError as error:
            raise StoreUnavailableError(f"cannot read {path}: {error}") from error

    async def save_user_memory(self, memory: UserMemory) -> None:
        path = self._path(memory.user_id)
        try:
            await asyncio.to_thread(atomic_write_json, path, memory.model_dump(mode="json"))
        except OSError as error:
            raise StoreUnavailableError(f"cannot write {path}: {error}") from error

    async def get_high_score_leads(self, min_score: int = 60, limit: int = 100) -> list[UserMemory]:
        leads = [m async for m in self.iter_memories() if m.lead_score >= min_score and not m.opted_out]
        leads.sort(key=lambda m: (-m.lead_score, m.user_id))
        return leads[:limit]

    async def get_user_statistics(self, now: datetime) -> UserStatistics:
        memories = [m async for m in self.iter_memories()]
        return _statistics(memories, now)

    async def delete_user(self, user_id: str) -> bool:
        path = self._path(user_id)
        async with self.user_lock(user_id):
            existed = path.exists()
            path.unlink(missing_ok=True)
        return existed

    async def export_user(self, user_id: str) -> UserMemory | None:
        return await self.load_user_memory(user_id)

    async def iter_memories(self) -> AsyncIterator[UserMemory]:
        """Every readable memory; corrupt files are reported in the log and skipped."""
        paths = sorted(self._users_dir.glob("*.json")) if self._users_dir.exists() else []
        for path in paths:
            try:
                memory = await asyncio.to_thread(_read_memory, path)
            except CorruptMemoryFileError as error:
                logger.error("skipping corrupt memory file %s: %s", path, error)
                continue
            if memory is not None:
                yield memory

    def user_ids(self) -> list[str]:
        if not self._users_dir.exists():
            return []
        keys = (key_of_file(p) for p in self._users_dir.glob("*.json"))
        return sorted(key for key in keys if key is not None)

    def _path(self, user_id: str) -> Path:
        return self._users_dir / key_to_filename(user_id)

    def _quarantine(self, path: Path) -> None:
        target = set_aside(path, self._quarantine_dir)
        logger.error("memory file %s was corrupt; kept as %s and the user starts afresh", path, target)


def _read_memory(path: Path) -> UserMemory | None:
    try:
        data = read_json(path)
    except ValueError as error:
        raise CorruptMemoryFileError(str(error)) from error
    if data is None:
        return None
    try:
        return UserMemory.model_validate(data)
    except ValidationError as error:
        raise CorruptMemoryFileError(str(error)) from error


def _statistics(memories: list[UserMemory], now: datetime) -> UserStatistics:
    def active_since(days: int) -> int:
        cutoff = now - timedelta(days=days)
        return sum(1 for m in memories if m.last_interaction_at and m.last_interaction_at >= cutoff)

    scores = [m.lead_score for m in memories]
    return UserStatistics(
        total_users=len(memories),
        active_last_7_days=active_since(7),
        active_last_30_days=active_since(30),
        average_lead_score=round(sum(scores) / len(scores), 1) if scores else 0.0,
        high_score_leads=sum(1 for m in memories if m.lead_score >= 60 and not m.opted_out),
        opted_out=sum(1 for m in memories if m.opted_out),
        human_requested=sum(1 for m in memories if m.human_requested),
    )
