"""The memories a process saw last, kept for outages within a budget of bytes.

The database memory store keeps each user's last loaded or saved memory, so that a user it
knows keeps their memory (and the base for merging it back) while PostgreSQL is away. Kept as
live pydantic objects, one memory with its 40-message history took 55-65 KB of the heap, and
5,000 of them could grow a web worker by 200 MB. Here each is kept as its JSON bytes: a
fraction of that, measured exactly, so the budget is in bytes (MEMORY_CACHE_MB) rather than in
users whose size varies tenfold. A copy is rebuilt only when it is read: during an outage.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from app.domain.memory import UserMemory
from app.infrastructure.postgres.memory_repository import LoadedVersion

# What one entry costs besides its JSON: the key, the tuple, the bytes header, the dict slot.
ENTRY_OVERHEAD_BYTES = 400


class _Kept(NamedTuple):
    version: int
    payload: bytes | None  # the memory's JSON; None: the user had no row

    @property
    def size(self) -> int:
        return ENTRY_OVERHEAD_BYTES + (len(self.payload) if self.payload is not None else 0)


class RecentMemories:
    """Least recently used memories first out, until their bytes fit the budget."""

    def __init__(self, budget_bytes: int) -> None:
        self._budget = budget_bytes
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._bytes = 0

    @property
    def bytes_used(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, user_id: str) -> bool:
        return user_id in self._kept

    def get(self, user_id: str) -> LoadedVersion | None:
        """A fresh copy of the user's memory as last seen (the caller may change it)."""
        kept = self._kept.get(user_id)
        if kept is None:
            return None
        memory = UserMemory.model_validate_json(kept.payload) if kept.payload is not None else None
        return LoadedVersion(kept.version, memory)

    def put(self, user_id: str, loaded: LoadedVersion) -> None:
        current = self._kept.get(user_id)
        if current is not None and current.version == loaded.version and loaded.version > 0:
            self._kept.move_to_end(user_id)  # the same stored row: nothing to serialise again
            return
        payload = loaded.memory.model_dump_json().encode() if loaded.memory is not None else None
        self.pop(user_id)
        kept = _Kept(loaded.version, payload)
        if kept.size > self._budget:
            return  # larger than the whole budget: keeping it would evict everyone else
        self._kept[user_id] = kept
        self._bytes += kept.size
        while self._bytes > self._budget:
            _, oldest = self._kept.popitem(last=False)
            self._bytes -= oldest.size

    def pop(self, user_id: str) -> None:
        kept = self._kept.pop(user_id, None)
        if kept is not None:
            self._bytes -= kept.size
