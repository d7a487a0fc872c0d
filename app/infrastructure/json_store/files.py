"""Crash-safe JSON files: atomic replacement and advisory locks across processes."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

MAX_KEY_LENGTH = 200


def key_to_filename(key: str, suffix: str = ".json") -> str:
    """A reversible, file-system safe name for a user id such as "whatsapp:+57300..."."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"key must have 1 to {MAX_KEY_LENGTH} characters")
    return quote(key, safe="") + suffix


def filename_to_key(filename: str, suffix: str = ".json") -> str:
    return unquote(filename.removesuffix(suffix))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON so that readers see the old file or the new one, never half of either.

    Temp file in the same directory (rename is atomic only within one file system),
    fsync of the file before the rename and of the directory after it, so a crash at
    any point leaves a complete file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def create_exclusive_json(path: Path, data: Any) -> bool:
    """Create the file only if it does not exist yet; False when it already did.

    O_EXCL makes the existence check and the creation one step, so two processes that
    receive the same delivery cannot both believe they were first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, default=str)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_directory(path.parent)
    return True


def read_json(path: Path) -> Any | None:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


def set_aside(path: Path, directory: Path) -> Path:
    """Move an unreadable file into `directory` under a timestamped name: kept, never deleted."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{path.name}.{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
    path.replace(target)
    return target


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class KeyedLocks:
    """One asyncio lock and one cross-process file lock per key.

    The asyncio lock orders tasks of this process without tying up threads; the flock,
    taken in a worker thread because it blocks, orders this process against others
    (several gunicorn workers, a CLI run beside the server).
    """

    def __init__(self, lock_dir: Path) -> None:
        self._lock_dir = lock_dir
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                fd = await _acquire_flock_cancel_safe(self._lock_dir / key_to_filename(key, ".lock"))
                try:
                    yield
                finally:
                    _release_flock(fd)
        finally:
            self._forget_if_unused(key)

    def _forget_if_unused(self, key: str) -> None:
        # Dropping idle locks keeps memory flat with many users.
        self._users[key] -= 1
        if self._users[key] == 0:
            del self._users[key]
            del self._locks[key]


async def _acquire_flock_cancel_safe(path: Path) -> int:
    task = asyncio.ensure_future(asyncio.to_thread(_acquire_flock, path))
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        # The thread cannot be interrupted: release the lock whenever it is finally taken.
        task.add_done_callback(lambda t: t.cancelled() or t.exception() or _release_flock(t.result()))
        raise


def _acquire_flock(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _release_flock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
