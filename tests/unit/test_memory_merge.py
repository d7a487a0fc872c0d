"""Merging copies of one user's memory, the user_memory row mapping, and pending fallback writes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from app.domain.intents import Intent
from app.domain.memory import MESSAGE_HISTORY_CAP, HistoryEntry, UserMemory
from app.domain.memory_merge import combine_duplicates, merge_concurrent
from app.infrastructure.fallback_store import PendingMemoryStore
from app.infrastructure.postgres.memory_rows import checksum, lift_legacy_fields, memory_from_row, memory_to_row

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def entry(text: str, minutes: int) -> HistoryEntry:
    return HistoryEntry(role="user", text=text, at=NOW + timedelta(minutes=minutes))


def base_memory() -> UserMemory:
    return UserMemory(
        user_id="u", name="Ana", interests=["python"], interaction_count=2, intent_counts={"greeting": 1},
        message_history=[entry("hola", 0)], additional_data={"source": "ads", "old": 1},
        first_interaction_at=NOW, last_interaction_at=NOW,
    )  # fmt: skip


def test_three_way_merge_keeps_both_sides_changes():
    base = base_memory()
    ours = base.model_copy(deep=True)
    ours.interaction_count += 1
    ours.count_intent(Intent.EXPLORATION)
    ours.add_interests(["excel"])
    ours.remember_message(entry("ours", 2))
    ours.role = "contadora"
    ours.additional_data.pop("old")
    ours.last_interaction_at = NOW + timedelta(minutes=2)
    theirs = base.model_copy(deep=True)
    theirs.interaction_count += 2
    theirs.count_intent(Intent.EXPLORATION)
    theirs.add_interests(["marketing"])
    theirs.remember_message(entry("theirs", 1))
    theirs.name = "Ana María"
    theirs.additional_data["campaign"] = "nov"
    theirs.last_interaction_at = NOW + timedelta(minutes=1)

    merged = merge_concurrent(base, ours, theirs, NOW)

    assert merged.interaction_count == 5
    assert merged.intent_counts == {"greeting": 1, Intent.EXPLORATION.value: 2}
    assert merged.interests == ["python", "marketing", "excel"]
    assert [e.text for e in merged.message_history] == ["hola", "theirs", "ours"]
    assert (merged.name, merged.role) == ("Ana María", "contadora")
    assert merged.additional_data == {"source": "ads", "campaign": "nov"}
    assert merged.last_interaction_at == NOW + timedelta(minutes=2)
    assert merged.first_interaction_at == NOW


def test_merge_from_nothing_adds_everything_once():
    theirs = base_memory()
    ours = UserMemory(user_id="u", interaction_count=1, message_history=[entry("offline", 5)])
    merged = merge_concurrent(None, ours, theirs, NOW)
    assert merged.interaction_count == 3 and [e.text for e in merged.message_history] == ["hola", "offline"]
    assert merged.name == "Ana"  # we never changed it


def test_merged_history_is_capped_to_the_most_recent():
    base = UserMemory(user_id="u")
    ours = UserMemory(user_id="u", message_history=[entry(f"a{i}", i) for i in range(30)])
    theirs = UserMemory(user_id="u", message_history=[entry(f"b{i}", 100 + i) for i in range(30)])
    merged = merge_concurrent(base, ours, theirs, NOW)
    assert len(merged.message_history) == MESSAGE_HISTORY_CAP
    assert merged.message_history[-1].text == "b29"


def test_duplicates_keep_the_newest_copy_and_add_what_it_lacks():
    newest = base_memory().model_copy(update={"updated_at": NOW, "interaction_count": 4})
    older = UserMemory(
        user_id="u", name="Ana Vieja", role="docente", interests=["excel"], interaction_count=3,
        message_history=[entry("viejo", -60)], updated_at=NOW - timedelta(days=9),
        first_interaction_at=NOW - timedelta(days=9),
    )  # fmt: skip
    merged = combine_duplicates([older, newest])
    assert (merged.name, merged.role, merged.interaction_count) == ("Ana", "docente", 4)
    assert merged.interests == ["python", "excel"]
    assert [e.text for e in merged.message_history] == ["viejo", "hola"]
    assert merged.first_interaction_at == NOW - timedelta(days=9)


def test_row_mapping_is_lossless():
    memory = base_memory().model_copy(
        update={"name": "N" * 300, "level": "intermedio avanzado con experiencia", "updated_at": NOW}
    )
    row = memory_to_row(memory)
    assert len(row["name"]) == 255 and len(row["level"]) == 20
    assert checksum(memory_from_row(row)) == checksum(memory)


def test_legacy_flags_in_additional_data_are_lifted_only_when_valid():
    memory = UserMemory(user_id="u", additional_data={"opted_out": True, "lead_score": "alto", "x": 1})
    lifted = lift_legacy_fields(memory)
    assert lifted.opted_out is False  # "alto" is no score: nothing is lifted, nothing is lost
    assert lifted.additional_data == {"opted_out": True, "lead_score": "alto", "x": 1}
    lifted = lift_legacy_fields(UserMemory(user_id="u", additional_data={"opted_out": True, "x": 1}))
    assert lifted.opted_out is True and lifted.additional_data == {"x": 1}


def test_pending_writes_keep_their_first_base_and_id(tmp_path):
    store = PendingMemoryStore(tmp_path)
    base = base_memory()

    async def scenario():
        first = await store.write(base.model_copy(update={"interaction_count": 3}), base, 7, NOW)
        second = await store.write(base.model_copy(update={"interaction_count": 4}), None, None, NOW)
        assert (second.pending_id, second.base_version, second.base) == (first.pending_id, 7, base)
        assert store.count() == 1 and store.user_ids() == ["u"]
        await store.remove("u", first.pending_id)
        assert store.count() == 0 and await store.load("u") is None

    asyncio.run(scenario())


def test_an_unreadable_pending_file_is_set_aside_not_deleted(tmp_path):
    store = PendingMemoryStore(tmp_path)
    (tmp_path / "users").mkdir()
    (tmp_path / "users" / "u.json").write_text("{ roto")
    assert asyncio.run(store.load("u")) is None
    assert [p.name.split(".json")[0] for p in (tmp_path / "corrupt").iterdir()] == ["u"]


def test_every_memory_field_has_its_own_column():
    # The reports' SQL reads these columns. A new UserMemory field is still stored (inside
    # additional_data), but needs a migration adding its column and an entry in COLUMNS.
    from app.infrastructure.postgres.memory_rows import COLUMNS

    assert set(UserMemory.model_fields) - set(COLUMNS) == set(), "add a user_memory column (see docs/postgres.md)"
