"""Replies through Twilio's REST API with memory and the inbound log in PostgreSQL (database
mode): the same flow as tests/e2e/test_rest_delivery.py, the outbox's claims on the table,
and migration 0005 on a database that already has deliveries."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from app.domain.delivery import DeliveryOutcome
from app.domain.messages import InboundMessage
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.postgres.migrator import MIGRATIONS_DIR, apply_migrations
from app.infrastructure.postgres.sync_client import SyncDatabase
from tests import delivery_flow as flow
from tests.e2e.conftest import start_server  # noqa: F401  (the live-server fixture, here on PostgreSQL)

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
USER = "whatsapp:+573001234567"


def test_the_delivery_flow_on_postgresql(start_server, twilio_fake, catalog_database, monkeypatch):  # noqa: F811
    flow.long_replies(monkeypatch)
    server = start_server(**flow.rest_settings(twilio_fake, database_url=catalog_database))
    assert json.loads(server.get("/health").body)["mode"] == "database"
    flow.webhook_answers_at_once(server, twilio_fake, "whatsapp:+573000000011")
    flow.long_reply_in_parts(server, twilio_fake, "whatsapp:+573000000012")
    flow.duplicate_sent_once(server, twilio_fake, "whatsapp:+573000000013")
    flow.answered_in_order(server, twilio_fake, "whatsapp:+573000000014")
    flow.server_error_retried(server, twilio_fake, "whatsapp:+573000000015")
    flow.client_error_failed(server, twilio_fake, "whatsapp:+573000000016")
    assert flow.deliveries(server) == {"pending": 0, "failed": 1}
    with psycopg.connect(catalog_database) as connection:
        states = dict(connection.execute("SELECT delivery_state, count(*) FROM inbound_messages GROUP BY 1").fetchall())
    assert states == {"sent": 6, "failed": 1}  # one row per message, the duplicate included


def test_the_sweep_finishes_what_crashed_workers_left(
    start_server,  # noqa: F811 - the live-server fixture imported above
    twilio_fake,
    catalog_database,
    catalog_client,
    engine,
):
    sender = "whatsapp:+573000000017"
    engine.run(flow.leave_crashed_deliveries(PostgresInboundLog(catalog_client), datetime.now(UTC), sender))
    server = start_server(**flow.rest_settings(twilio_fake, database_url=catalog_database))
    flow.crashed_deliveries_finished(server, twilio_fake, sender)
    with psycopg.connect(catalog_database) as connection:
        row = connection.execute(
            "SELECT delivery_state, parts_sent, provider_ids[1], claimed_by FROM inbound_messages "
            "WHERE message_id = 'SMcrash001'"
        ).fetchone()
    assert row == ("sent", len(flow.CRASHED_PARTS), "SMdeadpart0", None)


def test_a_claim_keeps_other_workers_off_a_delivery(engine, school_client):
    log = PostgresInboundLog(school_client)
    message = InboundMessage(message_id="SM1", user_id=USER, text="hola", received_at=NOW)
    lease = NOW + timedelta(minutes=1)
    assert engine.run(log.record_for_delivery(message)) is True
    assert engine.run(log.record_for_delivery(message)) is False
    assert engine.run(log.claim_delivery("SM1", "a", lease, NOW)).delivery.attempts == 1
    assert engine.run(log.claim_delivery("SM1", "b", lease, NOW)) is None  # a's lease holds
    assert engine.run(log.record_part_sent("SM1", "b", 0, "SMx", lease)) is False
    assert engine.run(log.record_part_sent("SM1", "a", 0, "SMa0", lease)) is True
    assert engine.run(log.record_part_sent("SM1", "a", 0, "SMa0", lease)) is False  # never recorded twice
    # a dies; once its lease is over, b takes the delivery over from the next part
    taken = engine.run(log.claim_delivery("SM1", "b", lease + timedelta(minutes=1), lease))
    assert (taken.delivery.parts_sent, taken.delivery.attempts, taken.delivery.claimed_by) == (1, 2, "b")
    assert engine.run(log.finish_delivery("SM1", "a", DeliveryOutcome.sent(), NOW)) is False
    assert [r.message_id for r in engine.run(log.pending_deliveries(user_id=USER))] == ["SM1"]
    assert engine.run(log.finish_delivery("SM1", "b", DeliveryOutcome.sent(), NOW)) is True
    assert engine.run(log.pending_deliveries()) == []
    record = engine.run(log.get("SM1"))
    assert (record.message, record.delivery.provider_ids, record.delivery.state) == (message, ("SMa0",), "sent")


def migrate_up_to(database_url: str, tmp_path: Path, pattern: str) -> None:
    """The schema as an older release left it: only the migrations matching `pattern`."""
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob(pattern)):
        shutil.copy(path, earlier / path.name)
    with SyncDatabase(database_url) as database:
        database.open()
        apply_migrations(database, earlier)


def test_migration_0005_keeps_the_deliveries_already_stored(database_url, tmp_path):
    migrate_up_to(database_url, tmp_path, "000[1-4]_*.sql")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO inbound_messages (message_id, user_id, received_at, reply) VALUES ('SMold', %s, %s, %s)",
            (USER, NOW, json.dumps({"text": "Hola"})),
        )
    with SyncDatabase(database_url) as database:
        database.open()
        assert "0005_inbound_delivery" in apply_migrations(database).applied
    sql = (MIGRATIONS_DIR / "0005_inbound_delivery.sql").read_text(encoding="utf-8")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(sql.encode())  # safe to run again
        row = connection.execute(
            "SELECT user_id, reply->>'text', delivery_state, parts_sent, provider_ids FROM inbound_messages"
        ).fetchall()
    assert row == [(USER, "Hola", None, 0, [])]


# --- bursts --------------------------------------------------------------------------------------


def test_a_burst_gets_one_reply_on_postgresql(start_server, twilio_fake, catalog_database):  # noqa: F811
    sender = "whatsapp:+573000000031"
    settings = flow.rest_settings(twilio_fake, database_url=catalog_database, burst_window_seconds=flow.BURST_WINDOW)
    server = start_server(**settings)
    flow.burst_answered_once(server, twilio_fake, sender)
    flow.spaced_answered_separately(server, twilio_fake, "whatsapp:+573000000032")
    [reply] = twilio_fake.sent(sender)
    with psycopg.connect(catalog_database) as connection:
        count, history = connection.execute(
            "SELECT interaction_count, message_history FROM user_memory WHERE user_id = %s", (sender,)
        ).fetchone()
        rows = connection.execute(
            "SELECT message_id, delivery_state, merged_into, merged_from, reply IS NOT NULL FROM inbound_messages "
            "WHERE user_id = %s ORDER BY message_id",
            (sender,),
        ).fetchall()
    flow.assert_burst_remembered(count, history, reply.body)
    assert rows == [
        ("SMburst001", "merged", "SMburst003", [], False),
        ("SMburst002", "merged", "SMburst003", [], False),
        ("SMburst003", "sent", None, ["SMburst001", "SMburst002"], True),
    ]


def test_the_sweep_finishes_bursts_a_crash_left_half_done_on_postgresql(
    start_server,  # noqa: F811 - the live-server fixture imported above
    twilio_fake,
    catalog_database,
    catalog_client,
    engine,
):
    stored, unturned = "whatsapp:+573000000033", "whatsapp:+573000000034"
    log = PostgresInboundLog(catalog_client)
    engine.run(flow.leave_crashed_bursts(log, datetime.now(UTC), stored, unturned))
    settings = flow.rest_settings(twilio_fake, database_url=catalog_database, burst_window_seconds=flow.BURST_WINDOW)
    flow.crashed_bursts_finished(start_server(**settings), twilio_fake, stored, unturned)


def test_migration_0006_keeps_the_deliveries_already_stored(database_url, tmp_path):
    migrate_up_to(database_url, tmp_path, "000[1-5]_*.sql")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO inbound_messages (message_id, user_id, received_at, delivery_state, parts_sent, provider_ids) "
            "VALUES ('SMold', %s, %s, 'sent', 1, '{SMp}'), ('SMwait', %s, %s, 'pending', 0, '{}')",
            (USER, NOW, USER, NOW),
        )
    with SyncDatabase(database_url) as database:
        database.open()
        assert "0006_inbound_bursts" in apply_migrations(database).applied
    sql = (MIGRATIONS_DIR / "0006_inbound_bursts.sql").read_text(encoding="utf-8")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(sql.encode())  # safe to run again
        rows = connection.execute(
            "SELECT message_id, delivery_state, parts_sent, provider_ids, merged_from, merged_into "
            "FROM inbound_messages ORDER BY message_id"
        ).fetchall()
        connection.execute("UPDATE inbound_messages SET delivery_state = 'merged' WHERE message_id = 'SMwait'")
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute("UPDATE inbound_messages SET delivery_state = 'lost' WHERE message_id = 'SMwait'")
    assert rows == [("SMold", "sent", 1, ["SMp"], [], None), ("SMwait", "pending", 0, [], [], None)]
