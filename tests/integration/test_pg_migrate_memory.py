"""`db migrate-memory` and `db export-memory`: nothing lost, nothing silently dropped."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from app.domain.intents import Intent
from app.domain.memory import HistoryEntry, UserMemory
from app.entrypoints.cli.main import main
from app.infrastructure.json_store.files import key_to_filename
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.postgres.memory_migration import export_memory, migrate_memory
from app.infrastructure.postgres.memory_rows import checksum
from app.infrastructure.postgres.sync_client import SyncDatabase

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def user(number: int) -> str:
    return f"whatsapp:+5730000000{number:02d}"


def memory(number: int, **changes: object) -> UserMemory:
    values: dict[str, object] = {
        "user_id": user(number), "name": f"Persona {number}", "interests": ["python"], "lead_score": 10 + number,
        "interaction_count": 2, "created_at": NOW - timedelta(days=5), "updated_at": NOW - timedelta(days=1),
        "last_interaction_at": NOW - timedelta(days=1),
        "message_history": [HistoryEntry(role="user", text=f"hola {number}", at=NOW - timedelta(days=1),
                                         intent=Intent.GREETING)],
    }  # fmt: skip
    values.update(changes)
    return UserMemory.model_validate(values)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A JSON memory directory with good users, broken files and duplicates."""
    directory = tmp_path / "data" / "memory"
    store = JsonUserMemoryRepository(directory)
    for number in range(1, 7):
        asyncio.run(store.save_user_memory(memory(number)))
    users = directory / "users"
    (users / key_to_filename(user(98))).write_text("{ esto no es json", encoding="utf-8")
    (users / key_to_filename(user(99))).write_text(json.dumps({"user_id": user(99), "lead_score": "alto"}))
    # An older copy of user 1 in the legacy flat layout, with a message the live file lost.
    lost = HistoryEntry(role="user", text="mensaje viejo", at=NOW - timedelta(days=30))
    old = memory(1, interests=["excel"], updated_at=NOW - timedelta(days=30), message_history=[lost])
    (directory / key_to_filename(user(1))).write_text(old.model_dump_json())
    # An export file listing two users, one of them already in users/.
    export = [memory(2).model_dump(mode="json"), memory(7).model_dump(mode="json")]
    (directory / "export.json").write_text(json.dumps(export))
    return directory


@pytest.fixture
def database(school_database: str):
    db = SyncDatabase(school_database)
    db.open()
    yield db
    db.close()


def stored(url: str) -> dict[str, tuple]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT user_id, name, interests FROM user_memory").fetchall()
    return {row[0]: row[1:] for row in rows}


def test_migration_reports_corrupt_and_duplicate_entries_and_loses_nothing(source, database, school_database, tmp_path):
    backups = tmp_path / "backups"
    dry = migrate_memory(database, source, backups, dry_run=True)
    assert dry.counts == {"insert": 7} and stored(school_database) == {} and not backups.exists()

    report = migrate_memory(database, source, backups)
    assert report.entries_read == 11  # 6 users/ files + 2 broken + 1 legacy copy + 2 in export.json
    assert sorted(p.label for p in report.unreadable) == sorted(
        [f"users/{key_to_filename(user(98))}", f"users/{key_to_filename(user(99))}"]
    )
    assert {d.user_id: len(d.labels) for d in report.duplicates} == {user(1): 2, user(2): 2}
    assert report.counts == {"insert": 7}
    assert report.verification is not None and report.verification.ok
    assert report.verification.checksums_matching == 7
    assert not report.zero_lost  # two entries could not be read: the command says so and fails
    rows = stored(school_database)
    assert set(rows) == {user(n) for n in range(1, 8)}
    assert rows[user(1)] == ("Persona 1", ["python", "excel"])  # newest copy, plus what the older one added
    assert (Path(report.backup_dir) / "json_source" / "users" / key_to_filename(user(98))).exists()

    again = migrate_memory(database, source, backups)
    assert again.counts == {"unchanged": 7} and again.verification.ok


def test_a_newer_database_row_is_kept_unless_overwrite(database, school_database, tmp_path):
    directory = tmp_path / "memory"
    asyncio.run(JsonUserMemoryRepository(directory).save_user_memory(memory(1)))
    migrate_memory(database, directory, tmp_path / "backups")
    with psycopg.connect(school_database, autocommit=True) as connection:
        connection.execute("UPDATE user_memory SET name = 'Nuevo', updated_at = now() WHERE user_id = %s", (user(1),))
    kept = migrate_memory(database, directory, tmp_path / "backups")
    assert kept.counts == {"keep": 1} and kept.verification.ok and stored(school_database)[user(1)][0] == "Nuevo"
    replaced = migrate_memory(database, directory, tmp_path / "backups", overwrite=True)
    assert replaced.counts == {"update": 1} and stored(school_database)[user(1)][0] == "Persona 1"
    overwritten = (Path(replaced.backup_dir) / "postgres_rows_overwritten.jsonl").read_text().splitlines()
    assert json.loads(overwritten[0])["name"] == "Nuevo"  # the replaced row is in the backup


def test_export_is_the_way_back(source, database, tmp_path):
    migrate_memory(database, source, tmp_path / "backups")
    target = tmp_path / "exported"
    report = export_memory(database, target, tmp_path / "backups")
    assert report.ok and report.exported == 7
    exported = JsonUserMemoryRepository(target)
    assert exported.user_ids() == sorted(user(n) for n in range(1, 8))
    original = asyncio.run(JsonUserMemoryRepository(source).load_user_memory(user(3)))
    assert checksum(asyncio.run(exported.load_user_memory(user(3)))) == checksum(original)


def test_the_cli_command_prints_the_verification(source, school_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", school_database)
    monkeypatch.setenv("DATA_DIR", str(source.parent))
    assert main(["db", "migrate-memory", "--dry-run"]) == 1  # unreadable entries are never "ok"
    assert "Simulación" in capsys.readouterr().out
    assert main(["db", "migrate-memory"]) == 1
    out = capsys.readouterr().out
    assert "checksums iguales:           7" in out and "Entradas ilegibles" in out and "Usuarios duplicados" in out
    for broken in (98, 99):
        (source / "users" / key_to_filename(user(broken))).unlink()
    assert main(["db", "migrate-memory"]) == 0
    assert "Resultado: OK: 0 registros perdidos" in capsys.readouterr().out


def test_migrated_rows_have_statistics_and_a_visibility_map_at_once(source, database, school_database, tmp_path):
    # Without them, until autovacuum comes by, the lead report's range queries are planned
    # blind and its index-only scans read the table for every row (docs/report.md).
    migrate_memory(database, source, tmp_path / "backups")
    with psycopg.connect(school_database) as connection:
        pages, all_visible, rows = connection.execute(
            "SELECT relpages, relallvisible, reltuples FROM pg_class WHERE oid = 'user_memory'::regclass"
        ).fetchone()
        analysed = connection.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'user_memory' AND attname = 'last_interaction_at'"
        ).fetchone()
    assert rows == 7 and pages >= 1 and all_visible == pages
    assert analysed == (1,)

