import asyncio
import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

from app.domain.memory import MESSAGE_HISTORY_CAP, HistoryEntry, UserMemory
from app.infrastructure.json_store.files import atomic_write_json, filename_to_key, key_to_filename
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository

USER = "whatsapp:+573001234567"


def test_round_trip_keeps_every_field(tmp_path):
    repo = JsonUserMemoryRepository(tmp_path)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    memory = UserMemory(
        user_id=USER, name="Carolina", role="contadora", interests=["excel"], pain_points=["reportes"],
        level="principiante", lead_score=42, interaction_count=3, first_interaction_at=now,
        last_interaction_at=now, intent_counts={"EXPLORATION": 2}, additional_data={"origen": "ads"},
    )  # fmt: skip
    memory.remember_message(HistoryEntry(role="user", text="hola 👋", at=now))
    asyncio.run(repo.save_user_memory(memory))
    assert asyncio.run(repo.load_user_memory(USER)) == memory


def test_unknown_user_is_none(tmp_path):
    assert asyncio.run(JsonUserMemoryRepository(tmp_path).load_user_memory(USER)) is None


def test_user_ids_map_to_safe_reversible_file_names():
    name = key_to_filename("whatsapp:+57/../../etc")
    assert "/" not in name
    assert filename_to_key(name) == "whatsapp:+57/../../etc"


def test_history_is_capped():
    memory = UserMemory(user_id=USER)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(MESSAGE_HISTORY_CAP + 15):
        memory.remember_message(HistoryEntry(role="user", text=str(i), at=at))
    assert len(memory.message_history) == MESSAGE_HISTORY_CAP
    assert memory.message_history[-1].text == str(MESSAGE_HISTORY_CAP + 14)


def test_corrupt_file_is_kept_aside_not_deleted(tmp_path):
    repo = JsonUserMemoryRepository(tmp_path)
    path = tmp_path / "users" / key_to_filename(USER)
    path.parent.mkdir(parents=True)
    path.write_text('{"user_id": "whatsapp:+57", "name": ')
    assert asyncio.run(repo.load_user_memory(USER)) is None
    kept = list((tmp_path / "corrupt").iterdir())
    assert len(kept) == 1 and kept[0].read_text().startswith('{"user_id"')


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "x.json"
    for i in range(20):
        atomic_write_json(target, {"i": i})
    assert json.loads(target.read_text()) == {"i": 19}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


async def _increment(repo: JsonUserMemoryRepository, user_id: str) -> None:
    async with repo.user_lock(user_id):
        memory = await repo.load_user_memory(user_id) or UserMemory(user_id=user_id)
        await asyncio.sleep(0)  # let other tasks try to interleave
        memory.interaction_count += 1
        await repo.save_user_memory(memory)


def test_concurrent_tasks_lose_no_update(tmp_path):
    repo = JsonUserMemoryRepository(tmp_path)

    async def scenario() -> None:
        await asyncio.gather(*(_increment(repo, user) for user in [USER, "whatsapp:+1"] * 40))

    asyncio.run(scenario())
    assert asyncio.run(repo.load_user_memory(USER)).interaction_count == 40
    assert asyncio.run(repo.load_user_memory("whatsapp:+1")).interaction_count == 40


def _worker(directory: str, rounds: int) -> None:
    repo = JsonUserMemoryRepository(Path(directory))

    async def run() -> None:
        for _ in range(rounds):
            await _increment(repo, USER)

    asyncio.run(run())


def test_concurrent_processes_lose_no_update(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(str(tmp_path), 25)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    memory = asyncio.run(JsonUserMemoryRepository(tmp_path).load_user_memory(USER))
    assert memory.interaction_count == 100


def test_delete_and_export(tmp_path):
    repo = JsonUserMemoryRepository(tmp_path)
    asyncio.run(repo.save_user_memory(UserMemory(user_id=USER, name="Ana")))
    assert asyncio.run(repo.export_user(USER)).name == "Ana"
    assert asyncio.run(repo.delete_user(USER)) is True
    assert asyncio.run(repo.delete_user(USER)) is False
    assert asyncio.run(repo.load_user_memory(USER)) is None
