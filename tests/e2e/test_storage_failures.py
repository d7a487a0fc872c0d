"""Inline (TwiML) mode on a DATA_DIR that cannot take a write: never a 200 for a message that was
not stored (Twilio does not retry a 200), never a reply after its memory update failed, and
/health says so before any message arrives."""

from __future__ import annotations

import json

import pytest

from app.bootstrap.mode import build_container
from app.entrypoints.cli.chat import run_interactive
from tests.e2e.conftest import signed_post, twilio_params
from tests.file_system_faults import full_directory, read_only_directory


@pytest.fixture(params=["read-only", "full"])
def unwritable_data_dir(request, tmp_path):
    faults = {"read-only": read_only_directory, "full": full_directory}
    with faults[request.param](tmp_path / "data") as directory:
        yield directory


def test_a_message_that_cannot_be_recorded_gets_503(start_server, unwritable_data_dir):
    server = start_server(data_dir=unwritable_data_dir)
    for number in range(3):
        result = signed_post(server, twilio_params("hola, quiero info", sid=f"SMnospace{number:04d}"))
        assert result.status == 503, result.body  # Twilio sends it again later
        assert "<Message>" not in result.body


def test_health_is_degraded_when_data_dir_is_not_writable(start_server, unwritable_data_dir):
    health = json.loads(start_server(data_dir=unwritable_data_dir).get("/health").body)
    assert health["status"] == "degraded"
    assert health["components"]["data_dir"]["state"] == "down"


def test_health_is_ok_when_data_dir_is_writable(live_server):
    health = json.loads(live_server.get("/health").body)
    assert health["components"]["data_dir"]["state"] == "ok"


def test_no_reply_goes_out_when_the_memory_update_fails(start_server, tmp_path):
    """The message is recorded (inbound/ writable) but memory/ is not: the turn is not saved, so
    the webhook answers 503 and stores no reply; the retry, once memory/ is writable, answers."""
    data = tmp_path / "data"
    (data / "inbound").mkdir(parents=True)
    server = start_server(data_dir=data)
    params = twilio_params("hola, me llamo Laura", sid="SMmemoryfails0001")
    with read_only_directory(data / "memory"):
        failed = signed_post(server, params)
        assert failed.status == 503 and "<Message>" not in failed.body
        stored = [json.loads(p.read_text()) for p in (data / "inbound").rglob("*.json")]
        assert stored and all(record.get("reply") is None for record in stored)
    retried = signed_post(server, params)
    assert retried.status == 200 and "<Message>" in retried.body
    memory = json.loads(next((data / "memory" / "users").glob("*.json")).read_text())
    assert memory["interaction_count"] == 1


def test_the_terminal_chat_says_it_could_not_store_the_message(tmp_path, make_settings, monkeypatch, capsys):
    with read_only_directory(tmp_path / "data") as directory:
        container = build_container(make_settings(data_dir=directory))
        lines = iter(["hola", "salir"])
        monkeypatch.setattr("builtins.input", lambda _prompt: next(lines))
        try:
            assert run_interactive(container, "whatsapp:+573001234567") == 0
        finally:
            container.close()
    output = capsys.readouterr().out
    assert "No pude guardar tu mensaje" in output and "Bot:" not in output
