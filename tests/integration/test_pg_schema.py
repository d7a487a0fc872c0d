"""estructura_db.sql and the bot's versioned migrations."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import psycopg
import pytest

from app.application.errors import StoreUnavailableError
from app.entrypoints.cli.main import main
from app.infrastructure.postgres.migrator import (
    MIGRATIONS_DIR,
    MigrationFileError,
    apply_migrations,
    discover,
    migration_status,
)
from app.infrastructure.postgres.sync_client import SyncDatabase
from tests.integration.conftest import SCHOOL_SCHEMA, execute_script


def open_database(url: str) -> SyncDatabase:
    database = SyncDatabase(url)
    database.open()
    return database


def applied_versions(url: str) -> list[int]:
    with psycopg.connect(url) as connection:
        return [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY version")]


def test_estructura_db_can_run_twice(database_url):
    for _ in range(2):
        execute_script(database_url, SCHOOL_SCHEMA.read_text(encoding="utf-8"))
    with psycopg.connect(database_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = ANY(%s)",
            (["ai_courses", "ai_course_session", "ai_tema_activity", "bond"],),
        ).fetchone()
        assert tables == (4,)
        assert connection.execute("SELECT advisor_unaccent('Automatización')").fetchone() == ("Automatizacion",)


def test_migrations_apply_once_in_order(database_url):
    with open_database(database_url) as database:
        first = apply_migrations(database)
        second = apply_migrations(database)
        status = migration_status(database)
    expected = [m.version for m in discover()]
    assert [int(label[:4]) for label in first.applied] == expected
    assert second.applied == () and second.already_applied == len(expected)
    assert applied_versions(database_url) == expected
    assert all(s.applied_at is not None for s in status)


def test_two_processes_migrating_at_once_apply_each_file_once(database_url):
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with open_database(database_url) as database:
                apply_migrations(database)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert applied_versions(database_url) == [m.version for m in discover()]


def test_a_later_migration_upgrades_an_existing_database_without_data_loss(database_url, tmp_path):
    with open_database(database_url) as database:
        apply_migrations(database)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("INSERT INTO user_memory (user_id, name, interests) VALUES ('u1', 'Ana', '{python}')")
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    (directory / "0099_nickname.sql").write_text(
        "ALTER TABLE user_memory ADD COLUMN nickname TEXT;\nUPDATE user_memory SET nickname = lower(name);\n"
    )
    with open_database(database_url) as database:
        report = apply_migrations(database, directory)
    assert report.applied == ("0099_nickname",)
    with psycopg.connect(database_url) as connection:
        row = connection.execute("SELECT name, interests, nickname FROM user_memory WHERE user_id = 'u1'").fetchone()
    assert row == ("Ana", ["python"], "ana")


def test_a_failing_migration_changes_nothing_and_is_not_recorded(database_url, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    (directory / "0098_broken.sql").write_text("CREATE TABLE half_done (id int);\nSELECT no_such_function();\n")
    with open_database(database_url) as database, pytest.raises(StoreUnavailableError, match="0098_broken"):
        apply_migrations(database, directory)
    with psycopg.connect(database_url) as connection:
        assert connection.execute("SELECT to_regclass('half_done')").fetchone() == (None,)
    assert 98 not in applied_versions(database_url)


def test_misnamed_or_duplicate_migration_files_stop_the_run(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0001_b.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationFileError, match="already used"):
        discover(tmp_path)
    (tmp_path / "0001_b.sql").unlink()
    (tmp_path / "2-bad.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationFileError, match="NNNN"):
        discover(tmp_path)


def test_db_commands_create_load_and_report(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    catalog = Path(__file__).resolve().parents[2] / "app" / "infrastructure" / "catalog" / "courses.json"
    assert main(["db", "init", "--course-tables"]) == 0
    assert "Tablas de cursos creadas" in capsys.readouterr().out
    assert main(["db", "init", "--course-tables"]) == 0
    assert "ya existen" in capsys.readouterr().out
    assert main(["db", "load-catalog", str(catalog)]) == 0
    assert "nuevos 27" in capsys.readouterr().out
    assert main(["db", "load-catalog", str(catalog)]) == 0
    assert "sin cambios 27" in capsys.readouterr().out
    assert main(["db", "status"]) == 0
    out = capsys.readouterr().out
    assert "PENDIENTE" not in out and "ai_courses" in out


def test_db_commands_need_a_database_url(capsys):
    assert main(["db", "init"]) == 2
    assert "DATABASE_URL" in capsys.readouterr().err
