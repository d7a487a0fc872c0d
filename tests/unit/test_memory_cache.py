"""The outage cache of recent memories: bounded by bytes, least recently seen first out."""

from datetime import UTC, datetime

import pytest

from app.config import Settings
from app.domain.memory import HistoryEntry, UserMemory
from app.infrastructure.postgres.memory_repository import LoadedVersion
from app.infrastructure.resilient.memory_cache import ENTRY_OVERHEAD_BYTES, RecentMemories
from app.infrastructure.storage import DatabaseStorage, StorageOptions

AT = datetime(2026, 11, 1, 12, tzinfo=UTC)


def memory_of(
    user_id: str, messages: int, text: str = "quiero aprender python para automatizar reportes"
) -> UserMemory:
    history = [HistoryEntry(role="user", text=f"{text} {n}", at=AT) for n in range(messages)]
    return UserMemory(user_id=user_id, name="Ana", message_history=history)


def cost(memory: UserMemory) -> int:
    return ENTRY_OVERHEAD_BYTES + len(memory.model_dump_json().encode())


def test_it_evicts_the_least_recently_seen_users_once_their_bytes_exceed_the_budget():
    memories = [memory_of(f"whatsapp:+57300000000{i}", messages=30) for i in range(6)]
    budget = cost(memories[0]) * 3 + 10  # room for three of these users
    cache = RecentMemories(budget)
    for position, memory in enumerate(memories[:3]):
        cache.put(memory.user_id, LoadedVersion(position + 1, memory))
    assert len(cache) == 3 and cache.bytes_used <= budget
    cache.get(memories[0].user_id)  # reading does not refresh; seeing it again (a load or save) does
    cache.put(memories[0].user_id, LoadedVersion(1, memories[0]))
    cache.put(memories[3].user_id, LoadedVersion(4, memories[3]))
    assert memories[1].user_id not in cache  # the least recently seen went first
    assert all(m.user_id in cache for m in (memories[0], memories[2], memories[3]))
    assert cache.bytes_used == sum(cost(m) for m in (memories[0], memories[2], memories[3])) <= budget


def test_small_memories_fit_many_more_users_than_large_ones_in_the_same_budget():
    budget = 200_000
    small, large = RecentMemories(budget), RecentMemories(budget)
    for i in range(300):
        small.put(f"u{i}", LoadedVersion(1, memory_of(f"u{i}", messages=1)))
        large.put(f"u{i}", LoadedVersion(1, memory_of(f"u{i}", messages=40, text="x" * 400)))
    assert small.bytes_used <= budget and large.bytes_used <= budget
    assert len(large) < 20 < len(small)


def test_a_memory_larger_than_the_whole_budget_is_not_kept_and_evicts_no_one():
    cache = RecentMemories(20_000)
    cache.put("small", LoadedVersion(1, memory_of("small", messages=1)))
    cache.put("huge", LoadedVersion(1, memory_of("huge", messages=40, text="y" * 1_000)))
    assert "huge" not in cache and "small" in cache


def test_what_comes_back_is_the_memory_as_saved_and_a_copy_the_caller_may_change():
    memory = memory_of("whatsapp:+573001", messages=3)
    cache = RecentMemories(1_000_000)
    cache.put(memory.user_id, LoadedVersion(7, memory))
    first = cache.get(memory.user_id)
    assert first == LoadedVersion(7, memory)
    assert first.memory is not None
    first.memory.message_history.clear()
    again = cache.get(memory.user_id)
    assert again is not None and again.memory == memory
    cache.put("nobody", LoadedVersion(0, None))
    assert cache.get("nobody") == LoadedVersion(0, None)


def test_a_newer_version_replaces_the_kept_copy_and_its_bytes():
    cache = RecentMemories(1_000_000)
    short, longer = memory_of("u", messages=1), memory_of("u", messages=20)
    cache.put("u", LoadedVersion(1, short))
    cache.put("u", LoadedVersion(2, longer))
    assert cache.get("u") == LoadedVersion(2, longer)
    assert len(cache) == 1 and cache.bytes_used == cost(longer)
    cache.pop("u")
    assert cache.bytes_used == 0 and cache.get("u") is None


@pytest.mark.parametrize(("value", "expected"), [("16", 16_000_000), ("0.5", 500_000), ("0", 0)])
def test_the_budget_is_a_setting_in_megabytes(value, expected, monkeypatch):
    monkeypatch.setenv("MEMORY_CACHE_MB", value)
    assert int(Settings(_env_file=None).memory_cache_mb * 1_000_000) == expected  # type: ignore[call-arg]


def test_the_database_storage_gives_its_memory_store_the_configured_budget(tmp_path):
    options = StorageOptions(
        database_url="postgresql://nobody@127.0.0.1:1/none", data_dir=tmp_path, memory_cache_bytes=12_345
    )
    storage = DatabaseStorage(options)  # builds the stores; connecting is start()'s job
    assert storage.database_memory is not None
    cache = storage.database_memory._cache
    cache.put("small", LoadedVersion(1, memory_of("small", messages=1)))
    cache.put("large", LoadedVersion(1, memory_of("large", messages=40, text="z" * 400)))
    assert "small" in cache and "large" not in cache  # the large one alone is over 12,345 bytes
