"""`user export` and `user delete` after a student's data was produced through the real REST
path: signed webhooks, the worker's turns and sends to the fake Twilio, status callbacks, a
hand-off, lead events, a campaign send and the job queue's leftovers. Export must show every
category; after delete, no column of any table of the database and no file under DATA_DIR
holds the number, in any form."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from app.bootstrap.worker import build_worker
from app.config import Settings
from app.entrypoints.cli import campaign
from app.entrypoints.cli.main import build_parser, main
from app.entrypoints.web.app import create_app
from app.infrastructure.queue.tasks import ANSWER_USER, DELIVER_LEAD_EVENT, EVENTS_QUEUE, QUEUE
from tests.integration.conftest import migrate
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake

PUBLIC = "https://bot.escuela.example"
DIGITS = "573005550199"
STUDENT = f"whatsapp:+{DIGITS}"
OTHER = "whatsapp:+573005550200"  # another student, whose data must stay
TEMPLATE = "HX" + "b2" * 16
# The number as it may be written anywhere: raw, percent-encoded in a file name or a URL,
# JSON-escaped. Every form holds the digits, which is what the search looks for.
FORMS = (STUDENT, quote(STUDENT, safe=""), DIGITS)


@pytest.fixture
def settings(make_settings, database_url: str, twilio_fake: TwilioFake) -> Settings:  # type: ignore[no-untyped-def]
    migrate(database_url)
    return make_settings(
        database_url=database_url, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER, twilio_api_base_url=twilio_fake.base_url, public_base_url=PUBLIC,
        reply_delivery="rest", burst_window_seconds=0.0, worker_concurrency=4,
    )  # fmt: skip


@pytest.fixture
def web(settings: Settings) -> Iterator[FlaskClient]:
    app = create_app(settings)
    yield app.test_client()
    app.extensions["intake"].close()


def post(client: FlaskClient, path: str, params: dict[str, str]) -> int:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature}).status_code


def settled(url: str) -> bool:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT (SELECT count(*) FROM conversation_messages WHERE answered_at IS NULL)"
            " + (SELECT count(*) FROM reply_parts WHERE state IN ('pending', 'sending'))"
        ).fetchone()
    return row is not None and row[0] == 0


def say(client: FlaskClient, url: str, sender: str, sid: str, text: str) -> None:
    form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": sender, "To": SENDER, "Body": text,
            "NumMedia": "0", "ProfileName": "Marta"}  # fmt: skip
    assert post(client, "/webhook/whatsapp", form) == 200
    deadline = time.monotonic() + 30
    while not settled(url):
        assert time.monotonic() < deadline, f"'{text}' was not answered in time"
        time.sleep(0.05)


def produce_everything(settings: Settings, web: FlaskClient, twilio_fake: TwilioFake) -> None:
    """A student's whole life in the bot, through the paths production uses."""
    url = settings.database_url.get_secret_value()  # type: ignore[union-attr]
    for n, text in enumerate(("hola, soy Marta, soy contadora", "me interesa automatizar reportes de excel")):
        say(web, url, STUDENT, f"SM{n:032d}", text)
    say(web, url, OTHER, "SM" + "9" * 32, "hola, soy Luis")
    with psycopg.connect(url, autocommit=True) as connection:
        # The consent an earlier "sí" would have given, so that the campaign below sends to her.
        connection.execute("UPDATE user_memory SET marketing_consent = true WHERE user_id = %s", (STUDENT,))
    args = build_parser().parse_args(
        ["campaign", "--campaign", "seguimiento", "--content-sid", TEMPLATE, "--interest", "excel"]
    )
    assert campaign.run(settings, args, stdout=io.StringIO()) == 0
    say(web, url, STUDENT, "SM" + "7" * 32, "quiero hablar con un asesor")  # a hand-off and its lead event
    for message in twilio_fake.sent(STUDENT):
        assert post(web, "/webhook/status", {"MessageSid": message.sid, "MessageStatus": "delivered"}) == 204
    with psycopg.connect(url, autocommit=True) as connection:
        # What a job that gave up or was aborted leaves in the queue: its row, for good.
        event = connection.execute("SELECT id FROM lead_events WHERE user_id = %s LIMIT 1", (STUDENT,)).fetchone()
        connection.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args, status) VALUES "
            "(%s, %s, %s, jsonb_build_object('user_id', %s::text), 'failed'), "
            "(%s, %s, 'lead-event:' || %s, jsonb_build_object('event_id', %s::text), 'aborted')",
            (QUEUE, ANSWER_USER, STUDENT, STUDENT, EVENTS_QUEUE, DELIVER_LEAD_EVENT, event[0], event[0]),
        )


def rows_holding(url: str, text: str) -> list[str]:
    """table.column of every text-like column of every table of the database holding `text`."""
    found = []
    with psycopg.connect(url) as connection:
        columns = connection.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns AS c "
            "JOIN information_schema.tables AS t USING (table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
            "AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY') "
            "     OR c.udt_name = 'procrastinate_job_status')"
        ).fetchall()
        assert len(columns) > 40  # the bot's tables, the queue's and the school's are all searched
        for schema, table, column in columns:
            query = f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text LIKE %s'
            count = connection.execute(query, (f"%{text}%",)).fetchone()
            if count and count[0]:
                found.append(f"{table}.{column}")
    return found


def files_holding(directory: Path, text: str) -> list[str]:
    return [
        str(path)
        for path in directory.rglob("*")
        if text in path.name or (path.is_file() and text.encode() in path.read_bytes())
    ]


def test_export_shows_every_category_and_delete_leaves_nothing(
    settings: Settings, web: FlaskClient, twilio_fake: TwilioFake, monkeypatch, capsys
):
    worker = build_worker(settings)
    worker.start()
    try:
        produce_everything(settings, web, twilio_fake)
    finally:
        worker.close()  # nothing of hers is running while she is exported and deleted
    url = settings.database_url.get_secret_value()  # type: ignore[union-attr]
    assert rows_holding(url, DIGITS), "the search finds the number before the deletion"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    capsys.readouterr()

    assert main(["user", "export", f"+{DIGITS}"]) == 0
    exported = json.loads(capsys.readouterr().out)

    assert exported["memory"]["name"] == "Marta"
    assert [m["body"] for m in exported["conversation_messages"]][:2] == [
        "hola, soy Marta, soy contadora", "me interesa automatizar reportes de excel"
    ]  # fmt: skip
    assert exported["replies"] and all(turn["parts"] for turn in exported["replies"])
    sent = {m.sid for m in twilio_fake.sent(STUDENT)}
    assert {s["provider_sid"] for s in exported["message_statuses"]} == sent
    assert [h["reason"] for h in exported["handoffs"]] and exported["lead_events"]
    assert [c["campaign"] for c in exported["campaign_sends"]] == ["seguimiento"]
    assert sorted(j["status"] for j in exported["queued_jobs"]) == ["aborted", "failed"]
    assert OTHER not in json.dumps(exported)

    assert main(["user", "delete", f"+{DIGITS}", "--yes"]) == 0
    assert "memoria: borrada" in capsys.readouterr().out

    for form in FORMS:
        assert rows_holding(url, form) == []
        assert files_holding(settings.data_dir, form) == []
    assert rows_holding(url, "573005550200"), "the other student's data stays"
    assert main(["user", "export", f"+{DIGITS}"]) == 1


def test_delete_in_json_mode_leaves_no_file_naming_or_holding_the_number(make_settings, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data))
    for line in ("hola, soy Marta", "me interesa excel"):
        monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
        assert main(["chat", "--json", "--user", STUDENT]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("hola, soy Luis\n"))
    assert main(["chat", "--json", "--user", OTHER]) == 0
    assert files_holding(data, quote(STUDENT, safe="")), "memory and lock files are named after her"
    # An inbound record cut short by a crash, as the log sets it aside: unreadable, but hers.
    corrupt = data / "inbound" / "corrupt"
    corrupt.mkdir(parents=True, exist_ok=True)
    (corrupt / "SM0001.json.20261201120000000000").write_text(f'{{"message_id": "SM0001", "user_id": "{STUDENT}", "rec')
    capsys.readouterr()

    assert main(["user", "delete", f"+{DIGITS}", "--yes"]) == 0

    assert "memoria: borrada" in capsys.readouterr().out
    for form in FORMS:
        assert files_holding(data, form) == []
    assert files_holding(data, "573005550200"), "the other student's files stay"
