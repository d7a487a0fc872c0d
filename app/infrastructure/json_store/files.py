"""Crash-safe JSON files: atomic replacement and advisory locks across processes."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from app.application.errors import StoreUnavailableError

# Longest readable file name before the key is hashed. NAME_MAX is 255 bytes on every common
# file system; the temporary name of an atomic write (".<name>.<random>.tmp") and the
# timestamp a set-aside file gets add about 30 more, so readable names stay well below.
MAX_READABLE_NAME = 150
# quote() writes "%" only as the start of a "%XX" escape, so "%%" never appears in a readable
# name: a hashed name can never equal the readable name of another key.
HASHED_MARK = "%%"
_HASHED_PREFIX = 64


def key_to_filename(key: str, suffix: str = ".json") -> str:
    """A stable, file-system safe name for a user id such as "whatsapp:+57300...".

    Readable and reversible (percent-encoded) when short enough; otherwise the start of the
    encoded key, HASHED_MARK and the SHA-256 of the whole key, which keeps two long keys with
    the same start apart and the name within every file system's limit.
    """
    if not key:
        raise ValueError("a key cannot be empty")
    quoted = quote(key, safe="")
    if len(quoted) + len(suffix) <= MAX_READABLE_NAME:
        return quoted + suffix
    prefix = quoted[:_HASHED_PREFIX]
    cut = prefix.rfind("%", len(prefix) - 2)  # never end inside a "%XX" escape
    if cut != -1:
        prefix = prefix[:cut]
    return f"{prefix}{HASHED_MARK}{hashlib.sha256(key.encode()).hexdigest()}{suffix}"


def filename_to_key(filename: str, suffix: str = ".json") -> str | None:
    """The key a readable name stands for; None for a hashed name (read the file: key_of_file)."""
    if HASHED_MARK in filename:
        return None
    return unquote(filename.removesuffix(suffix))


def key_of_file(path: Path, suffix: str = ".json") -> str | None:
    """The user id a JSON file is named after: from its name, or from its "user_id" when the
    name is hashed; None when neither says (an unreadable hashed file)."""
    key = filename_to_key(path.name, suffix)
    if key is not None:
        return key
    try:
        data = read_json(path)
    except (OSError, ValueError):
        return None
    user_id = data.get("user_id") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, str) and key_to_filename(user_id, suffix) == path.name else None


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON so that readers see the old file or the new one, never half of either.

    Temp file in the same directory (rename is atomic only within one file system),
    fsync of the file before the rename and of the directory after it, so a crash at
    any point leaves a complete file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _write_durably(fd, data)
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


class AtomicTextFile:
    """A file written piece by piece under a temporary name, then put in place whole or not at all.

    For files too large to build in memory first (the catalogue snapshot); the same
    guarantees as atomic_write_json once commit() returns.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self._path, self._tmp = path, Path(tmp_name)
        self._handle = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, text: str) -> None:
        self._handle.write(text)

    def commit(self) -> None:
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._tmp.replace(self._path)
        except BaseException:
            self.abort()
            raise
        _fsync_directory(self._path.parent)

    def abort(self) -> None:
        self._handle.close()
        self._tmp.unlink(missing_ok=True)


def create_exclusive_json(path: Path, data: Any) -> bool:
    """Create the file, complete, only if it does not exist yet; False when it already did.

    The content is written and fsynced under a temporary name, then hard-linked to `path`:
    link() fails when the name exists, so the existence check and the creation are one step
    (two processes receiving the same delivery cannot both be first), and a crash or a full
    disk can never leave an empty or half-written file under `path`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        _write_durably(fd, data)
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            return _create_exclusive_in_place(path, data)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    _fsync_directory(path.parent)
    return True


# File systems without hard links (some network and FUSE mounts) answer with these.
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS})


def _create_exclusive_in_place(path: Path, data: Any) -> bool:
    # Without link(): O_EXCL creation, then the content. A crash in between leaves an empty
    # file, which readers of create_exclusive_json's files treat as never created.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    _write_durably(fd, data)
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


def _write_durably(fd: int, data: Any) -> None:
    """JSON into the open file descriptor (closed afterwards), on disk before returning."""
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, default=str)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class KeyedLocks:
    """One asyncio lock and one cross-process file lock per key.

    The asyncio lock orders tasks of this process; the flock orders this process against
    others (several gunicorn workers, a CLI run beside the server). The flock is polled
    without blocking, on the loop: no thread is tied up while another process holds it
    (a blocking flock in a thread pool let a few busy users starve every other request),
    and a lock still held after `wait_seconds` raises LockTimeoutError: the turn is then
    refused and retried, never run without the lock.
    """

    def __init__(self, lock_dir: Path, wait_seconds: float = 10.0) -> None:
        self._lock_dir = lock_dir
        self._wait_seconds = wait_seconds
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with asyncio.timeout(self._wait_seconds):
                await lock.acquire()
        except TimeoutError as error:
            self._forget_if_unused(key)
            raise LockTimeoutError(f"{key} stayed locked for {self._wait_seconds:.0f}s") from error
        try:
            fd = await _poll_flock(self._lock_dir / key_to_filename(key, ".lock"), self._wait_seconds)
            try:
                yield
            finally:
                _release_flock(fd)
        finally:
            lock.release()
            self._forget_if_unused(key)

    def _forget_if_unused(self, key: str) -> None:
        # Dropping idle locks keeps memory flat with many users.
        self._users[key] -= 1
        if self._users[key] == 0:
            del self._users[key]
            del self._locks[key]


class LockTimeoutError(StoreUnavailableError):
    """Another task or process kept a user's lock for the whole wait."""


async def _poll_flock(path: Path, wait_seconds: float) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:  # a read-only or full DATA_DIR: the turn cannot be recorded
        raise StoreUnavailableError(f"cannot open the lock {path}: {error}") from error
    deadline = time.monotonic() + wait_seconds
    pause = 0.002
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"{path.name} stayed locked by another process for {wait_seconds:.0f}s"
                    ) from None
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.05)
    except BaseException:
        os.close(fd)
        raise


def _release_flock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
