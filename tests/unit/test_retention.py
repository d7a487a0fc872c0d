import json
import os
from datetime import UTC, datetime, timedelta

from app.application.ports import InboundRecord
from app.entrypoints.cli.main import main
from app.infrastructure.retention import prune_json_inbound, retention_cutoff

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def write_record(directory, sid, days_ago, *, pending=False):
    record = InboundRecord(message_id=sid, user_id="whatsapp:+573001112233", received_at=NOW - timedelta(days=days_ago))
    (directory / f"{sid}.json").write_text(record.model_dump_json())
    if pending:
        (directory / "pending").mkdir(exist_ok=True)
        (directory / "pending" / f"{sid}.json").touch()


def age(path, days_ago):
    stamp = (NOW - timedelta(days=days_ago)).timestamp()
    os.utime(path, (stamp, stamp))


def test_records_older_than_the_retention_go_with_their_markers(tmp_path):
    write_record(tmp_path, "SMold", 91, pending=True)
    write_record(tmp_path, "SMedge", 89)
    write_record(tmp_path, "SMnew", 0, pending=True)
    age(tmp_path / "SMnew.json", 200)  # the received time decides, not the file's
    assert prune_json_inbound(tmp_path, retention_cutoff(NOW, 90)) == 1
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["SMedge.json", "SMnew.json"]
    assert [p.name for p in (tmp_path / "pending").iterdir()] == ["SMnew.json"]


def test_unreadable_and_set_aside_records_go_by_their_file_age(tmp_path):
    (tmp_path / "SMbroken_old.json").write_text("")
    age(tmp_path / "SMbroken_old.json", 100)
    (tmp_path / "SMbroken_new.json").write_text("{")
    (tmp_path / "corrupt").mkdir()
    (tmp_path / "corrupt" / "SMx.json.20260101").write_text("")
    age(tmp_path / "corrupt" / "SMx.json.20260101", 100)
    (tmp_path / "corrupt" / "SMy.json.20261101").write_text("")
    assert prune_json_inbound(tmp_path, retention_cutoff(NOW, 90)) == 2
    assert [p.name for p in tmp_path.glob("*.json")] == ["SMbroken_new.json"]
    assert [p.name for p in (tmp_path / "corrupt").iterdir()] == ["SMy.json.20261101"]


def test_a_missing_directory_prunes_nothing(tmp_path):
    assert prune_json_inbound(tmp_path / "absent", NOW) == 0


def test_the_prune_command_uses_retention_days(tmp_path, monkeypatch, capsys):
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    now = datetime.now(UTC)
    for sid, days in (("SM1", 40), ("SM2", 20)):
        record = InboundRecord(message_id=sid, user_id="whatsapp:+1", received_at=now - timedelta(days=days))
        (inbound / f"{sid}.json").write_text(json.dumps(record.model_dump(mode="json")))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert main(["prune"]) == 0
    assert "archivos JSON: 1" in capsys.readouterr().out
    assert [p.name for p in inbound.glob("*.json")] == ["SM2.json"]
    assert main(["prune", "--days", "10"]) == 0
    assert list(inbound.glob("*.json")) == []
