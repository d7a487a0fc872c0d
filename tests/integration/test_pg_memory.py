"""User memory and the inbound log on PostgreSQL: every field, concurrent saves, reports."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from app.domain.intents import Intent
from app.domain.memory import HistoryEntry, UserMemory
from app.domain.messages import Reply
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.postgres.memory_repository import PostgresUserMemoryRepository
from app.infrastructure.postgres.memory_rows import checksum
from app.infrastructure.postgres.personal_data import PostgresPersonalData
from tests.integration.conftest import connect

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
USER = "whatsapp:+573001234567"


def full_memory(user_id: str = USER) -> UserMemory:
    """A memory with every field set, times in two different zones."""
    bogota = timezone_minus_five()
    return UserMemory(
        user_id=user_id, name="Carolina " + "de la Torre " * 30, role="contadora", interests=["excel", "python"],
        pain_points=["reportes manuales"], level="intermedio", lead_score=72, interaction_count=5,
        first_interaction_at=NOW - timedelta(days=3), last_interaction_at=(NOW - timedelta(hours=1)).astimezone(bogota),
        message_history=[
            HistoryEntry(role="user", text="hola, quiero excel", at=NOW - timedelta(days=3), intent=Intent.EXPLORATION),
            HistoryEntry(role="assistant", text="¡Hola! 😊", at=(NOW - timedelta(days=3)).astimezone(bogota)),
        ],
        intent_counts={"exploration": 2, "buying_signals": 1}, last_course_ids=["c1", "c2"],
        requested_course_ids=["c1"], opted_out=False, human_requested=True, human_requested_at=NOW,
        marketing_consent=True, consent_asked_at=NOW - timedelta(days=1), pending_question="contact",
        additional_data={"source": "instagram", "nested": {"a": [1, 2.5, None]}},
        created_at=NOW - timedelta(days=3), updated_at=NOW,
    )  # fmt: skip


def timezone_minus_five():
    from datetime import timezone

    return timezone(timedelta(hours=-5))


@pytest.fixture
def memory_repo(school_client):
    return PostgresUserMemoryRepository(school_client)


def test_every_field_survives_a_round_trip(engine, memory_repo, school_database):
    original = full_memory()
    engine.run(memory_repo.save_user_memory(original))
    loaded = engine.run(memory_repo.load_user_memory(USER))
    assert checksum(loaded) == checksum(original)
    assert loaded.name == original.name  # longer than VARCHAR(255): kept whole
    with psycopg.connect(school_database) as connection:
        row = connection.execute(
            "SELECT length(name), level, opted_out, human_requested, pending_question, intent_counts, "
            "last_course_ids, version FROM user_memory WHERE user_id = %s",
            (USER,),
        ).fetchone()
    # The typed columns the reports read are filled, not only the JSON.
    assert row == (255, "intermedio", False, True, "contact", {"exploration": 2, "buying_signals": 1}, ["c1", "c2"], 1)


def test_memory_survives_a_new_pool(engine, school_database, memory_repo):
    engine.run(memory_repo.save_user_memory(full_memory()))
    client = connect(engine, school_database)
    try:
        loaded = engine.run(PostgresUserMemoryRepository(client).load_user_memory(USER))
    finally:
        engine.run(client.close())
    assert checksum(loaded) == checksum(full_memory())


async def _turn(repo: PostgresUserMemoryRepository, number: int, locked: bool) -> None:
    """Load, change and save one user's memory, as a conversation turn does."""

    async def body() -> None:
        memory = await repo.load_user_memory(USER) or UserMemory(user_id=USER, created_at=NOW)
        await asyncio.sleep(0.005 * (number % 3))  # let other turns interleave
        memory.interaction_count += 1
        memory.count_intent(Intent.EXPLORATION)
        memory.add_interests([f"tema-{number}"])
        memory.remember_message(HistoryEntry(role="user", text=f"mensaje {number}", at=NOW + timedelta(seconds=number)))
        await repo.save_user_memory(memory)

    if locked:
        async with repo.user_lock(USER):
            await body()
    else:
        await body()


@pytest.mark.parametrize("locked", [True, False], ids=["with-user-lock", "without-lock-cas-merge"])
def test_concurrent_saves_of_one_user_lose_no_update(engine, school_database, locked):
    # Two pools stand for two processes (two gunicorn workers): separate sessions, separate locks.
    clients = [connect(engine, school_database), connect(engine, school_database)]
    repos = [PostgresUserMemoryRepository(client) for client in clients]
    turns = 24

    async def all_turns() -> None:
        await asyncio.gather(*(_turn(repos[n % 2], n, locked) for n in range(turns)))

    try:
        engine.run(all_turns(), timeout=60)
        final = engine.run(repos[0].load_user_memory(USER))
    finally:
        for client in clients:
            engine.run(client.close())
    assert final.interaction_count == turns
    assert final.intent_counts == {Intent.EXPLORATION.value: turns}
    assert sorted(e.text for e in final.message_history) == sorted(f"mensaje {n}" for n in range(turns))
    assert len(final.interests) == 12  # PROFILE_LIST_CAP: the most recent ones, none duplicated


def test_a_save_based_on_an_old_copy_merges_instead_of_overwriting(engine, memory_repo):
    first = UserMemory(user_id=USER, name="Ana", interaction_count=1, created_at=NOW)
    engine.run(memory_repo.save_user_memory(first))

    async def stale_writer() -> None:
        stale = await memory_repo.load_user_memory(USER)  # task A loads version 1
        await asyncio.create_task(other_writer())  # task B saves version 2 meanwhile
        stale.interaction_count += 1
        stale.role = "docente"
        await memory_repo.save_user_memory(stale)

    async def other_writer() -> None:
        fresh = await memory_repo.load_user_memory(USER)
        fresh.interaction_count += 1
        fresh.add_interests(["python"])
        await memory_repo.save_user_memory(fresh)

    engine.run(stale_writer())
    final = engine.run(memory_repo.load_user_memory(USER))
    assert (final.interaction_count, final.role, final.interests, final.name) == (3, "docente", ["python"], "Ana")


def test_reports_match_the_json_store(engine, memory_repo, tmp_path):
    json_store = JsonUserMemoryRepository(tmp_path / "memory")
    memories = [
        UserMemory(user_id=f"whatsapp:+5730000000{i:02d}", lead_score=score, opted_out=opted, human_requested=human,
                   last_interaction_at=NOW - timedelta(days=days))
        for i, (score, opted, human, days) in enumerate([
            (80, False, True, 1), (65, True, False, 2), (60, False, False, 10), (20, False, True, 40),
            (95, False, False, 0),
        ])
    ]  # fmt: skip
    for memory in memories:
        engine.run(memory_repo.save_user_memory(memory))
        engine.run(json_store.save_user_memory(memory))
    assert engine.run(memory_repo.get_user_statistics(NOW)) == engine.run(json_store.get_user_statistics(NOW))
    leads = [m.user_id for m in engine.run(memory_repo.get_high_score_leads(60))]
    assert leads == [m.user_id for m in engine.run(json_store.get_high_score_leads(60))]


def test_export_and_delete(engine, memory_repo):
    engine.run(memory_repo.save_user_memory(full_memory()))
    assert checksum(engine.run(memory_repo.export_user(USER))) == checksum(full_memory())
    assert engine.run(memory_repo.delete_user(USER)) is True
    assert engine.run(memory_repo.load_user_memory(USER)) is None
    assert engine.run(memory_repo.delete_user(USER)) is False


def test_a_guide_only_user_memory_table_is_upgraded_in_place(engine, database_url):
    # A user_memory created by the guide's own code: its columns only, flags inside additional_data.
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            """
            CREATE TABLE user_memory (
                user_id VARCHAR(255) PRIMARY KEY, name VARCHAR(255), role VARCHAR(255), interests TEXT[],
                pain_points TEXT[], lead_score INTEGER DEFAULT 0, interaction_count INTEGER DEFAULT 0,
                first_interaction_at TIMESTAMPTZ, last_interaction_at TIMESTAMPTZ,
                message_history JSONB DEFAULT '[]', additional_data JSONB DEFAULT '{}',
                created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now())
            """
        )
        connection.execute(
            "INSERT INTO user_memory (user_id, name, interests, lead_score, additional_data) "
            "VALUES (%s, 'Luis', '{ventas}', 40, %s)",
            (USER, '{"opted_out": true, "level": "avanzado", "origen": "feria"}'),
        )
    from tests.integration.conftest import migrate

    migrate(database_url)
    client = connect(engine, database_url)
    try:
        loaded = engine.run(PostgresUserMemoryRepository(client).load_user_memory(USER))
    finally:
        engine.run(client.close())
    assert (loaded.name, loaded.interests, loaded.lead_score) == ("Luis", ["ventas"], 40)
    assert (loaded.opted_out, loaded.level, loaded.additional_data) == (True, "avanzado", {"origen": "feria"})


def test_inbound_log_deduplicates_by_message_id(engine, school_client):
    log = PostgresInboundLog(school_client)
    assert engine.run(log.record_if_new("SM1", USER, NOW)) is True
    assert engine.run(log.record_if_new("SM1", USER, NOW)) is False
    reply = Reply(text="Hola", parts=("Hola",), intent=Intent.GREETING, confidence=0.9, mode="database")
    engine.run(log.store_reply("SM1", reply))
    record = engine.run(log.get("SM1"))
    assert record.reply == reply and record.user_id == USER
    assert engine.run(log.get("SM2")) is None
    assert [r.message_id for r in engine.run(log.records_of(USER))] == ["SM1"]
    assert engine.run(PostgresPersonalData(school_client).delete(USER)).deleted["inbound_messages"] == 1
