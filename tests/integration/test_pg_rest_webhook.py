"""The REST-mode webhook on a real PostgreSQL: 200 only after the message is committed, 503
when it is not, signed status callbacks, nothing accepted without a token, /health from the
database."""

from __future__ import annotations

import time

import psycopg
import pytest
from twilio.request_validator import RequestValidator

from app.config import Settings
from app.entrypoints.web.app import create_app
from tests.integration.conftest import migrate, sent_parts
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake

PUBLIC = "https://bot.escuela.example"
USER = "whatsapp:+573001234567"


@pytest.fixture
def rest_settings(make_settings, database_url: str) -> Settings:
    migrate(database_url)
    return make_settings(
        database_url=database_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER,
        public_base_url=PUBLIC,
        burst_window_seconds=0.0,
    )


def post(client, path: str, params: dict[str, str], token: str = AUTH_TOKEN):  # type: ignore[no-untyped-def]
    signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def inbound(sid: str, body: str) -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": USER, "To": SENDER, "Body": body, "NumMedia": "0"}


def count(url: str, query: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(query).fetchone()
    return int(row[0]) if row else 0


def test_auto_delivery_with_account_and_database_records_and_acknowledges(rest_settings: Settings):
    app = create_app(rest_settings)
    client = app.test_client()
    try:
        first = post(client, "/webhook/whatsapp", inbound("SM1", "hola"))
        again = post(client, "/webhook/whatsapp", inbound("SM1", "hola"))
        nul = post(client, "/webhook/whatsapp", inbound("SM2", "ho\x00la 😊"))
    finally:
        app.extensions["intake"].close()
    assert (first.status_code, again.status_code, nul.status_code) == (200, 200, 200)
    assert first.data.decode().endswith("<Response />")  # the reply goes through the API, not here
    url = rest_settings.database_url.get_secret_value()  # type: ignore[union-attr]
    assert count(url, "SELECT count(*) FROM conversation_messages") == 2
    assert count(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'") == 1


def test_a_long_body_and_profile_name_are_stored_cut_to_what_the_docs_say(rest_settings: Settings):
    app = create_app(rest_settings)
    try:
        form = {**inbound("SM1", "quiero info " + "a" * 5000), "ProfileName": "Ana " + "x" * 300}
        answer = post(app.test_client(), "/webhook/whatsapp", form)
    finally:
        app.extensions["intake"].close()
    assert answer.status_code == 200
    with psycopg.connect(rest_settings.database_url.get_secret_value()) as connection:  # type: ignore[union-attr]
        stored = connection.execute("SELECT length(body), length(profile_name) FROM conversation_messages").fetchall()
    assert stored == [(2000, 200)]


def test_a_message_that_cannot_be_stored_gets_a_503_so_twilio_retries(make_settings, rest_settings: Settings):
    dead = rest_settings.model_copy(
        update={"database_url": make_settings(database_url="postgresql://x@127.0.0.1:9/x").database_url}
    )
    app = create_app(dead)
    try:
        answer = post(app.test_client(), "/webhook/whatsapp", inbound("SM1", "hola"))
        health = app.test_client().get("/health").get_json()
    finally:
        app.extensions["intake"].close()
    assert answer.status_code == 503
    assert health["components"]["database"]["state"] == "down" and health["status"] == "degraded"


def test_forged_requests_are_refused_on_both_webhooks(rest_settings: Settings):
    app = create_app(rest_settings)
    client = app.test_client()
    try:
        forged = post(client, "/webhook/whatsapp", inbound("SM1", "hola"), token="not-the-token")
        status = post(client, "/webhook/status", {"MessageSid": "SMa", "MessageStatus": "read"}, token="nope")
    finally:
        app.extensions["intake"].close()
    assert (forged.status_code, status.status_code) == (403, 403)


def test_status_callbacks_are_recorded_and_failures_named_in_health(rest_settings: Settings):
    sent_parts(rest_settings.database_url.get_secret_value(), USER, "SM-delivered", "SM-sent", "SM-failed")
    app = create_app(rest_settings)
    client = app.test_client()
    try:
        for status, code in (("delivered", ""), ("sent", ""), ("failed", "63016")):
            answer = post(
                client, "/webhook/status", {"MessageSid": f"SM-{status}", "MessageStatus": status, "ErrorCode": code}
            )
            assert answer.status_code == 204
        health = client.get("/health").get_json()
    finally:
        app.extensions["intake"].close()
    errors = health["components"]["twilio"]["deliveries"]["provider_errors_24h"]
    assert errors == [{"code": 63016, "count": 1, "meaning": "fuera de la ventana de 24 h de WhatsApp"}]


def test_callbacks_for_messages_the_bot_never_sent_are_not_counted(rest_settings: Settings):
    sent_parts(rest_settings.database_url.get_secret_value(), USER, "SM-ours")
    app = create_app(rest_settings)
    client = app.test_client()
    try:
        for sid in ("SM-ours", "SM-someone-elses", "SM-another"):
            form = {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "63016"}
            assert post(client, "/webhook/status", form).status_code == 204
        health = client.get("/health").get_json()
    finally:
        app.extensions["intake"].close()
    assert [e["count"] for e in health["components"]["twilio"]["deliveries"]["provider_errors_24h"]] == [1]


@pytest.mark.parametrize(
    ("field", "value"),
    [("ErrorCode", "99999999999"), ("ErrorCode", "-1"), ("MessageSid", "SM\x00nul"), ("MessageStatus", "read\x00")],
)
def test_a_callback_value_no_column_can_hold_is_refused_with_400_not_503(rest_settings: Settings, field, value):
    """Twilio retries a 5xx for hours: a value the database refuses must be a 400 at once."""
    app = create_app(rest_settings)
    try:
        form = {"MessageSid": "SM-x", "MessageStatus": "failed", "ErrorCode": "30003", field: value}
        assert post(app.test_client(), "/webhook/status", form).status_code == 400
    finally:
        app.extensions["intake"].close()


def test_without_a_token_every_webhook_is_refused_whatever_the_address_or_headers(make_settings, caplog):
    """A same-host proxy without forwarding headers (nginx's bare proxy_pass) makes a forged
    request look local: without a token nothing is trusted, loopback included."""
    app = create_app(make_settings())
    client = app.test_client()
    disguises = [
        {},  # the test client's peer is 127.0.0.1, as behind a same-host proxy
        {"environ_base": {"REMOTE_ADDR": "192.0.2.2"}},
        {"headers": {"True-Client-IP": "127.0.0.1"}},
        {"headers": {"X-Client-IP": "127.0.0.1"}},
        {"headers": {"X-Forwarded-Proto": "https"}},
    ]
    answers = [client.post("/webhook/whatsapp", data=inbound(f"SM{n}", "hola"), **d) for n, d in enumerate(disguises)]
    status = client.post("/webhook/status", data={"MessageSid": "SMa", "MessageStatus": "read"})
    assert [a.status_code for a in answers] + [status.status_code] == [403] * 6
    assert "TWILIO_AUTH_TOKEN is not set: the webhooks refuse every request" in caplog.text
    assert not list((app.extensions["container"].settings.data_dir / "inbound").glob("*.json"))

    opened = create_app(make_settings(twilio_validate_signature=False)).test_client()
    remote = opened.post("/webhook/whatsapp", data=inbound("SM9", "hola"), environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert remote.status_code == 200
    assert "TWILIO_VALIDATE_SIGNATURE=false: the webhooks accept unsigned requests from anyone" in caplog.text


def test_rest_without_a_database_stops_start_up_naming_both(make_settings):
    from app.config import SettingsError, load_settings

    with pytest.raises(SettingsError, match="REPLY_DELIVERY=rest needs DATABASE_URL"):
        load_settings(
            _env_file=None,
            reply_delivery="rest",
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_phone_number=SENDER,
        )


def workers_alive(health: dict) -> int:  # type: ignore[type-arg]
    deliveries = health["components"]["twilio"]["deliveries"] or {}
    return int(deliveries.get("workers_alive", 0))


def test_health_shows_what_the_workers_report_a_database_without_course_tables(rest_settings: Settings):
    from app.bootstrap.worker import build_worker

    runtime = build_worker(rest_settings)
    runtime.start()
    app = create_app(rest_settings)
    try:
        deadline = time.monotonic() + 20
        health = app.test_client().get("/health").get_json()
        # The worker's own report and procrastinate's registration of it land independently.
        while "workers" not in health["components"] or not workers_alive(health):
            assert time.monotonic() < deadline, health
            time.sleep(0.2)
            health = app.test_client().get("/health").get_json()
    finally:
        app.extensions["intake"].close()
        runtime.close()
    workers = health["components"]["workers"]
    assert health["mode"] == "database", "memory and the queue stay in PostgreSQL"
    assert workers["state"] == "degraded" and "bundled catalogue" in workers["detail"]
    assert health["components"]["twilio"]["deliveries"]["workers_alive"] >= 1


def test_a_single_process_deployment_answers_with_the_worker_inside_the_web_process(
    rest_settings: Settings, twilio_fake: TwilioFake
):
    settings = rest_settings.model_copy(
        update={"twilio_api_base_url": twilio_fake.base_url, "worker_in_web": True, "worker_concurrency": 2}
    )
    app = create_app(settings)
    try:
        answer = post(app.test_client(), "/webhook/whatsapp", inbound("SM1", "hola, que cursos tienen?"))
        replies = twilio_fake.wait_for_sent(1, to=USER, timeout=30)
    finally:
        app.extensions["intake"].close()
        app.extensions["worker"].close()
    assert answer.status_code == 200
    assert replies[0].body and replies[0].from_ == SENDER
