"""The REST webhook against a PostgreSQL server that stops answering (a restart, a hung host):
503 within WEBHOOK_DB_WAIT_SECONDS, so that Twilio retries, never an acknowledgement near
Twilio's 15 s (a request used to wait for the pool, the statement and a retry: up to 21 s)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import psutil
import pytest
from twilio.request_validator import RequestValidator

from app.entrypoints.web.app import create_app
from tests.integration.conftest import migrate
from tests.load.postgres_process import PostgresProcess
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER

pytestmark = pytest.mark.postgres
PUBLIC = "https://bot.escuela.example"
TWILIO_GIVES_UP = 15.0


@pytest.fixture
def server() -> Iterator[PostgresProcess]:
    process = PostgresProcess().init()
    process.start()
    try:
        yield process
    finally:
        process.remove()


def frozen(server: PostgresProcess, stop: bool) -> None:
    """SIGSTOP (or SIGCONT) to every process of the server: it accepts connections, answers nothing."""
    postmaster = psutil.Process(int((server.data / "postmaster.pid").read_text().split()[0]))
    for process in [postmaster, *postmaster.children(recursive=True)]:
        os.kill(process.pid, signal.SIGSTOP if stop else signal.SIGCONT)


def post(client, sid: str):  # type: ignore[no-untyped-def]
    params = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": "whatsapp:+573001234567", "To": SENDER,
              "Body": "hola", "NumMedia": "0"}  # fmt: skip
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + "/webhook/whatsapp", params)
    return client.post("/webhook/whatsapp", data=params, headers={"X-Twilio-Signature": signature})


def test_a_database_that_stops_answering_gets_503_well_before_twilio_gives_up(server, make_settings):
    migrate(server.url)
    settings = make_settings(
        database_url=server.url, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER, public_base_url=PUBLIC, burst_window_seconds=0.0,
    )  # fmt: skip
    app = create_app(settings)
    client = app.test_client()
    try:
        assert post(client, "SMwait000000000001").status_code == 200  # the pool holds a connection now
        frozen(server, True)
        try:
            started = time.monotonic()
            answer = post(client, "SMwait000000000002")
            waited = time.monotonic() - started
        finally:
            frozen(server, False)
        assert answer.status_code == 503 and answer.headers.get("Retry-After")
        assert waited < TWILIO_GIVES_UP - 3, f"answered after {waited:.1f}s"
        assert post(client, "SMwait000000000002").status_code == 200  # Twilio's retry, once it is back
    finally:
        app.extensions["intake"].close()
