"""Local files that keep the bot answering while PostgreSQL is away.

- PendingMemoryStore: memory updates that could not reach the database, one JSON file per
  user, each with the copy it started from, so that they are merged (not pasted) into the
  database when it returns. Written atomically and fsynced: a crash loses nothing.
- CatalogSnapshot: the last complete copy of the school's catalogue read from the database,
  so that courses, prices and sessions shown during an outage are the school's real ones.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from app.application.errors import StoreUnavailableError
from app.domain.courses import Course
from app.domain.memory import UserMemory
from app.infrastructure.json_store.files import (
    AtomicTextFile,
    KeyedLocks,
    atomic_write_json,
    key_of_file,
    key_to_filename,
    read_json,
    set_aside,
)

logger = logging.getLogger(__name__)


class PendingMemory(BaseModel):
    """One user's memory as it must end up, and the copy it was derived from."""

    pending_id: uuid.UUID
    user_id: str
    memory: UserMemory
    # What the memory started from: the database copy and its version when known; None
    # when the database could not be asked (the user's stored memory is then unknown).
    base: UserMemory | None = None
    base_version: int | None = None
    first_written_at: datetime
    written_at: datetime


class PendingMemoryStore:
    """Memory updates waiting for the database; at most one file per user, replaced in place."""

    def __init__(self, directory: Path) -> None:
        self._users_dir = directory / "users"
        self._corrupt_dir = directory / "corrupt"
        self._locks = KeyedLocks(directory / "locks")
        self._count: int | None = None

    @property
    def directory(self) -> Path:
        return self._users_dir.parent

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        """The same cross-process file lock the JSON memory store uses, on this directory."""
        return self._locks.hold(user_id)

    def count(self) -> int:
        """How many users have updates waiting (cached; cheap enough for /health)."""
        if self._count is None:
            self._count = len(self.user_ids())
        return self._count

    def user_ids(self) -> list[str]:
        if not self._users_dir.exists():
            return []
        keys = (key_of_file(p) for p in self._users_dir.glob("*.json"))
        return sorted(key for key in keys if key is not None)

    def has(self, user_id: str) -> bool:
        return self._path(user_id).exists()

    async def load(self, user_id: str) -> PendingMemory | None:
        path = self._path(user_id)
        try:
            data = await asyncio.to_thread(read_json, path)
        except (OSError, ValueError) as error:
            await asyncio.to_thread(self._set_aside, path, str(error))
            return None
        if data is None:
            return None
        try:
            return PendingMemory.model_validate(data)
        except ValidationError as error:
            await asyncio.to_thread(self._set_aside, path, str(error))
            return None

    async def write(
        self, memory: UserMemory, base: UserMemory | None, base_version: int | None, now: datetime
    ) -> PendingMemory:
        """Store the user's latest memory; an earlier pending update keeps its base and id."""
        existing = await self.load(memory.user_id)
        record = PendingMemory(
            pending_id=existing.pending_id if existing else uuid.uuid4(),
            user_id=memory.user_id,
            memory=memory,
            base=existing.base if existing else base,
            base_version=existing.base_version if existing else base_version,
            first_written_at=existing.first_written_at if existing else now,
            written_at=now,
        )
        path = self._path(memory.user_id)
        try:
            await asyncio.to_thread(atomic_write_json, path, record.model_dump(mode="json"))
        except OSError as error:
            raise StoreUnavailableError(f"cannot keep the memory update of {memory.user_id}: {error}") from error
        if existing is None:
            self._count = self.count() + 1 if self._count is not None else None
        return record

    async def remove(self, user_id: str, pending_id: uuid.UUID) -> None:
        """Forget the update once merged, unless a newer one replaced it meanwhile."""
        current = await self.load(user_id)
        if current is None or current.pending_id != pending_id:
            return
        await asyncio.to_thread(self._path(user_id).unlink, missing_ok=True)
        self._count = None

    async def discard(self, user_id: str) -> bool:
        """Delete whatever is pending for the user (data-protection deletion)."""
        path = self._path(user_id)
        existed = path.exists()
        await asyncio.to_thread(path.unlink, missing_ok=True)
        self._count = None
        return existed

    def _path(self, user_id: str) -> Path:
        return self._users_dir / key_to_filename(user_id)

    def _set_aside(self, path: Path, problem: str) -> None:
        target = set_aside(path, self._corrupt_dir)
        self._count = None
        logger.error("pending memory file %s is unreadable (%s); kept as %s", path, problem, target)


class SnapshotInfo(BaseModel):
    """What a catalogue snapshot holds, kept beside it so that it is known without reading it."""

    taken_at: datetime
    version: str | None  # the course tables' fingerprint when it was taken; None: unknown
    courses: int


class SnapshotWriter:
    """Writes a snapshot page by page, so that the whole catalogue is never in memory at once."""

    def __init__(self, path: Path, info_path: Path, taken_at: datetime, version: str | None) -> None:
        self._info_path = info_path
        self._taken_at, self._version = taken_at, version
        self._count = 0
        self._file = AtomicTextFile(path)
        self._file.write(
            f'{{"taken_at": {json.dumps(taken_at.isoformat())}, "version": {json.dumps(version)}, "courses": ['
        )

    def add(self, courses: Sequence[Course]) -> None:
        for course in courses:
            self._file.write(("," if self._count else "") + course.model_dump_json())
            self._count += 1

    def commit(self) -> SnapshotInfo:
        self._file.write("]}")
        self._file.commit()
        info = SnapshotInfo(taken_at=self._taken_at, version=self._version, courses=self._count)
        atomic_write_json(self._info_path, info.model_dump(mode="json"))
        return info

    def abort(self) -> None:
        self._file.abort()


class CatalogSnapshot:
    """The last catalogue read from the database, as a JSON file beside the other fallbacks.

    A small file beside it (`.info.json`) says when it was taken and from which version of
    the course tables, written after the snapshot itself: a crash between the two leaves the
    old description, which only costs one more copy.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._info_path = path.with_suffix(".info.json")

    @property
    def path(self) -> Path:
        return self._path

    def writer(self, taken_at: datetime, version: str | None) -> SnapshotWriter:
        """A new snapshot, written course by course; it replaces this one on commit()."""
        return SnapshotWriter(self._path, self._info_path, taken_at, version)

    def info(self) -> SnapshotInfo | None:
        """The description of the snapshot on disk; None when there is none (or no description)."""
        if not self._path.exists():
            return None
        try:
            return SnapshotInfo.model_validate(read_json(self._info_path))
        except (OSError, ValueError):
            return None  # ValidationError is a ValueError: no description, or an unreadable one

    def load(self) -> tuple[list[Course], datetime] | None:
        """The snapshot's courses (unreadable ones skipped) and when it was taken, or None."""
        try:
            data = read_json(self._path)
        except (OSError, ValueError) as error:
            logger.error("catalogue snapshot %s is unreadable: %s", self._path, error)
            return None
        if not isinstance(data, dict) or not isinstance(data.get("courses"), list):
            return None
        courses = []
        for item in data["courses"]:
            try:
                courses.append(Course.model_validate(item))
            except ValidationError as error:
                logger.warning("catalogue snapshot: skipping an unreadable course (%s)", error.errors()[:1])
        return courses, datetime.fromisoformat(data["taken_at"])
