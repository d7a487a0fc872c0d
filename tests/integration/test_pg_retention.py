"""`python -m app prune` on a real server: old inbound rows go, in batches; recent ones stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from app.entrypoints.cli.main import main
from app.infrastructure import retention
from app.infrastructure.postgres.sync_client import SyncDatabase
from tests.integration.conftest import migrate

pytestmark = pytest.mark.postgres
NOW = datetime.now(UTC)


def insert(url: str, ages_in_days: list[int]) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        for n, days in enumerate(ages_in_days):
            connection.execute(
                "INSERT INTO inbound_messages (message_id, user_id, received_at) VALUES (%s, %s, %s)",
                (f"SM{n}", "whatsapp:+573001112233", NOW - timedelta(days=days)),
            )


def remaining(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT message_id FROM inbound_messages ORDER BY message_id").fetchall()
    return [row[0] for row in rows]


def test_old_rows_are_deleted_in_batches_and_a_missing_table_is_skipped(database_url, monkeypatch):
    migrate(database_url)
    insert(database_url, [100, 95, 91, 91, 91, 89, 0])
    monkeypatch.setattr(retention, "DELETE_BATCH", 2)  # five old rows: three batches
    monkeypatch.setattr(
        retention, "DATABASE_RETENTION", (*retention.DATABASE_RETENTION, ("not_created_yet", "created_at"))
    )
    with SyncDatabase(database_url) as database:
        database.open()
        deleted = retention.prune_database(database, retention.retention_cutoff(NOW, 90))
    assert deleted["inbound_messages"] == 5 and "not_created_yet" not in deleted
    assert remaining(database_url) == ["SM5", "SM6"]


def test_the_prune_command_prunes_the_database_and_the_json_log(database_url, tmp_path, monkeypatch, capsys):
    migrate(database_url)
    insert(database_url, [120, 1])
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["prune"]) == 0  # RETENTION_DAYS defaults to 90
    out = capsys.readouterr().out
    assert "PostgreSQL inbound_messages: 1" in out and "archivos JSON: 0" in out
    assert remaining(database_url) == ["SM1"]
