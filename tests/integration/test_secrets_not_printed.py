"""A DATABASE_URL with its password in the query string (or any other secret parameter) is
never printed: not in the report a marketer shares (terminal, CSV, HTML), not in the logs of
start-up, not in /health."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.bootstrap.health import ComponentHealth
from app.entrypoints.web.app import create_app
from tests.report_memories import sample_memories
from tests.report_postgres import insert_memories, prepare_database
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER

ROOT = Path(__file__).resolve().parents[2]
SECRET = "NotToBeSeen42"
UNREACHABLE = f"postgresql://advisor@127.0.0.1:1/school?password={SECRET}&sslpassword={SECRET}x"


def with_secret(url: str) -> str:
    """`url` with a password parameter the server does not ask for (trust authentication)."""
    return f"{url}{'&' if '?' in url else '?'}password={SECRET}"


def run_app(tmp_path: Path, database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO", "MEMORY"))}
    env.update({"DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url})
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip


def test_the_report_names_its_source_without_the_password(database_url, tmp_path):
    prepare_database(database_url)
    insert_memories(database_url, sample_memories())
    done = run_app(tmp_path, with_secret(database_url), "report", "--csv", "out.csv", "--html", "out.html")
    assert done.returncode == 0, done.stderr
    assert "Fuente: PostgreSQL (" in done.stdout and "password=***" in done.stdout
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "Fuente: PostgreSQL (" in html
    for printed in (done.stdout, done.stderr, html, (tmp_path / "out.csv").read_text(encoding="utf-8-sig")):
        assert SECRET not in printed


def test_start_up_warnings_do_not_print_the_password(tmp_path):
    done = run_app(tmp_path, UNREACHABLE, "chat", "--json", stdin="hola\n")
    assert done.returncode == 0, done.stderr
    assert "PostgreSQL unreachable at start-up" in done.stderr
    assert SECRET not in done.stderr and SECRET not in done.stdout


def test_health_does_not_print_the_password(make_settings):
    """Both /health shapes (inline replies, and REST delivery whose database detail is the
    error itself) with the database unreachable."""
    inline = create_app(make_settings(database_url=UNREACHABLE, twilio_validate_signature=False))
    rest = create_app(
        make_settings(
            database_url=UNREACHABLE, reply_delivery="rest", twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN, twilio_phone_number=SENDER,
        )
    )  # fmt: skip
    try:
        bodies = [json.dumps(app.test_client().get("/health").get_json()) for app in (inline, rest)]
    finally:
        inline.extensions["container"].close()
        rest.extensions["intake"].close()
    assert all('"status": "degraded"' in body for body in bodies)
    assert not [body for body in bodies if SECRET in body]


def test_a_health_detail_quoting_a_connection_string_is_redacted():
    detail = ComponentHealth(backend="postgres", state="down", detail=f"cannot connect to {UNREACHABLE}").detail
    assert detail == "cannot connect to postgresql://advisor@127.0.0.1:1/school?password=***&sslpassword=***"
