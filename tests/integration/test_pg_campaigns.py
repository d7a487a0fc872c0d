"""`python -m app campaign` on a real PostgreSQL with the fake Twilio.

Leads are saved by the bot's own memory adapter; the command runs in-process through its CLI
function; what reached Twilio is counted per recipient at the fake, and delivery statuses come
back through the real POST /webhook/status.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from twilio.request_validator import RequestValidator

from app.config import Settings
from app.domain.memory import UserMemory
from app.entrypoints.cli import campaign
from app.entrypoints.cli.main import build_parser
from app.entrypoints.web.app import create_app
from tests.integration.conftest import migrate
from tests.report_postgres import insert_memories
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake, accept, fail, hang

PUBLIC = "https://bot.escuela.example"
TEMPLATE = "HX" + "a1" * 16
COURSE = "8032791c-8f7e-59b7-b2a5-98932ae1a04e"  # bundled: Automatización de Reportes de Excel con Python e IA
COURSE_NAME = "Automatización de Reportes de Excel con Python e IA"

ANA = "whatsapp:+573001110001"  # consents, silent 40 days: gets it
LUIS = "whatsapp:+573001110002"  # consents, silent 45 days: gets it
MARTA = "whatsapp:+573001110003"  # consents, silent 50 days: gets it
PEDRO = "whatsapp:+573001110004"  # no consent
SOFIA = "whatsapp:+573001110005"  # opted out (consent still recorded from before)
DIEGO = "whatsapp:+573001110006"  # consents, but wrote 3 days ago: not on the 30-89 list
RECEIVERS = [ANA, LUIS, MARTA]


def lead(
    user_id: str, name: str | None, idle_days: int, *, consent: bool = True, opted_out: bool = False
) -> UserMemory:
    last = datetime.now(UTC) - timedelta(days=idle_days, hours=1)
    return UserMemory(
        user_id=user_id,
        name=name,
        interests=["excel", "python"],
        lead_score=60,
        interaction_count=5,
        first_interaction_at=last - timedelta(days=3),
        last_interaction_at=last,
        requested_course_ids=[COURSE],
        marketing_consent=consent,
        opted_out=opted_out,
    )


@pytest.fixture
def leads_database(database_url: str) -> str:
    migrate(database_url)
    insert_memories(
        database_url,
        [
            lead(ANA, "Ana Gómez", 40),
            lead(LUIS, "Luis Pérez", 45),
            lead(MARTA, "Marta Ruiz", 50),
            lead(PEDRO, "Pedro Díaz", 42, consent=False),
            lead(SOFIA, "Sofía León", 41, opted_out=True),
            lead(DIEGO, "Diego Gil", 3),
        ],
    )
    return database_url


@pytest.fixture
def settings(make_settings: Callable[..., Settings], leads_database: str, twilio_fake: TwilioFake) -> Settings:
    return make_settings(
        database_url=leads_database,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER,
        twilio_api_base_url=twilio_fake.base_url,
        twilio_timeout_seconds=1.0,
        public_base_url=PUBLIC,
    )


def run_campaign(settings: Settings, *options: str, name: str = "reenganche-nov") -> tuple[int, str]:
    argv = ["campaign", "--campaign", name, "--content-sid", TEMPLATE, "--var", "1=first_name", "--var", "2=course"]
    args = build_parser().parse_args([*argv, *options])
    output = io.StringIO()
    code = campaign.run(settings, args, stdout=output)
    return code, output.getvalue()


def summary(settings: Settings, name: str = "reenganche-nov") -> tuple[int, str]:
    output = io.StringIO()
    code = campaign.run(settings, build_parser().parse_args(["campaign", "--summary", name]), stdout=output)
    return code, output.getvalue()


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()


def per_recipient(fake: TwilioFake) -> dict[str, int]:
    return {to: len(messages) for to, messages in fake.sent_by_recipient().items()}


def test_a_dry_run_shows_who_would_get_what_and_who_is_excluded_and_sends_nothing(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    code, output = run_campaign(settings, "--list", "reenganche_30_89", "--dry-run", "--show-phones")

    assert code == 0
    for user, first in ((ANA, "Ana"), (LUIS, "Luis"), (MARTA, "Marta")):
        assert f"{user}  " in output and f"{{{{1}}}}={first} · {{{{2}}}}={COURSE_NAME}" in output
    assert "Recibirían la plantilla: 3" in output
    assert "Excluidos: 2" in output
    assert "sin consentimiento de marketing: 1" in output and PEDRO in output
    assert "dado de baja: 1" in output and SOFIA in output
    assert DIEGO not in output  # not on the 30-89 days list at all
    assert twilio_fake.attempts == []
    assert rows(leads_database, "SELECT count(*) FROM campaign_sends") == [(0,)]


def test_a_run_sends_the_template_only_to_consenting_contacts_and_a_rerun_sends_nothing(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    code, output = run_campaign(settings, "--list", "reenganche_30_89")

    assert code == 0, output
    assert per_recipient(twilio_fake) == dict.fromkeys(RECEIVERS, 1)
    for message in twilio_fake.sent():
        assert message.body == ""  # never free text: outside the 24-hour window it fails with 63016
        assert message.content_sid == TEMPLATE
        first = {ANA: "Ana", LUIS: "Luis", MARTA: "Marta"}[message.to]
        assert json.loads(message.content_variables or "") == {"1": first, "2": COURSE_NAME}
        assert message.status_callback == f"{PUBLIC}/webhook/status"
    recorded = rows(leads_database, "SELECT user_id, state, provider_sid FROM campaign_sends ORDER BY user_id")
    sids = {m.to: m.sid for m in twilio_fake.sent()}
    assert recorded == [(user, "sent", sids[user]) for user in RECEIVERS]

    again, output = run_campaign(settings, "--list", "reenganche_30_89")

    assert again == 0
    assert (
        "Nuevos envíos registrados: 0" in output and "Ya estaban en esta campaña (no se repiten): enviados 3" in output
    )
    assert "Enviados: 0" in output
    assert per_recipient(twilio_fake) == dict.fromkeys(RECEIVERS, 1)


def test_an_interrupted_run_resumes_without_sending_anything_twice(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    # Ana's request reaches Twilio but the answer comes after the client's 1 s timeout (the run
    # cannot know it was sent); Luis's never arrives at all (the connection hangs).
    twilio_fake.script(accept(delay=1.8), hang(1.8))

    first, output = run_campaign(settings, "--list", "reenganche_30_89", "--concurrency", "1")

    assert first == 1 and "Sin confirmar: 2" in output
    assert rows(leads_database, "SELECT user_id, state FROM campaign_sends ORDER BY user_id") == [
        (ANA, "sending"),
        (LUIS, "sending"),
        (MARTA, "sent"),
    ]
    twilio_fake.wait_for_sent(2)  # Ana's message, accepted late, and Marta's

    second, output = run_campaign(settings, "--list", "reenganche_30_89")

    assert second == 0, output
    assert "registrados, no reenviados): 1" in output and "Enviados: 1" in output
    assert per_recipient(twilio_fake) == dict.fromkeys(RECEIVERS, 1)
    sids = {m.to: m.sid for m in twilio_fake.sent()}
    recorded = rows(leads_database, "SELECT user_id, state, provider_sid FROM campaign_sends ORDER BY user_id")
    assert recorded == [(user, "sent", sids[user]) for user in RECEIVERS]


def test_a_contact_who_opts_out_after_planning_is_never_sent_the_template(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    with psycopg.connect(leads_database) as connection:
        connection.execute(
            "INSERT INTO campaign_sends (campaign, user_id, content_sid, variables) "
            "VALUES ('reenganche-nov', %s, %s, '{\"1\": \"Sofía\"}')",
            (SOFIA, TEMPLATE),
        )

    code, output = run_campaign(settings, "--list", "reenganche_30_89")

    assert code == 0
    assert "No enviados, dado de baja desde que se planificó: 1" in output
    assert SOFIA not in per_recipient(twilio_fake) and PEDRO not in per_recipient(twilio_fake)
    assert rows(leads_database, f"SELECT state FROM campaign_sends WHERE user_id = '{SOFIA}'") == [("failed",)]


def test_status_callbacks_and_refusals_make_the_summary(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    twilio_fake.script(fail(400, 21610, "Attempt to send to unsubscribed recipient"))

    code, _ = run_campaign(settings, "--list", "reenganche_30_89", "--concurrency", "1")

    assert code == 0
    assert rows(leads_database, f"SELECT opted_out, marketing_consent FROM user_memory WHERE user_id = '{ANA}'") == [
        (True, False)  # Twilio's 21610: the contact blocked the sender, so they are opted out here too
    ]
    sids = {m.to: m.sid for m in twilio_fake.sent()}
    assert set(sids) == {LUIS, MARTA}
    _, before = summary(settings)
    assert "Aceptados por Twilio: 2" in before and "sin estado aún: 2" in before

    app = create_app(settings)
    client = app.test_client()
    try:
        for sid, status, error in (
            (sids[LUIS], "delivered", ""),
            (sids[LUIS], "read", ""),
            (sids[MARTA], "failed", "63016"),
        ):
            params = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": error}
            signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC}/webhook/status", params)
            answer = client.post("/webhook/status", data=params, headers={"X-Twilio-Signature": signature})
            assert answer.status_code == 204
    finally:
        app.extensions["intake"].close()

    code, after = summary(settings)

    assert code == 0
    assert "Campaña reenganche-nov: 3 contactos registrados" in after
    assert "Entregados: 1 (leídos: 1)" in after
    assert "Fallidos tras aceptarse: 1 · rechazados al enviar: 1" in after
    assert "63016 (fuera de la ventana de 24 h de WhatsApp): 1 (informado por Twilio)" in after
    assert "21610 (el contacto bloqueó los mensajes (STOP)): 1 (al enviar)" in after


def test_a_21610_reported_for_a_campaign_message_opts_the_contact_out_of_every_later_campaign(
    settings: Settings, twilio_fake: TwilioFake, leads_database: str
):
    assert run_campaign(settings, "--list", "reenganche_30_89")[0] == 0
    marta = next(m.sid for m in twilio_fake.sent() if m.to == MARTA)
    app = create_app(settings)
    try:
        params = {"MessageSid": marta, "MessageStatus": "undelivered", "ErrorCode": "21610"}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC}/webhook/status", params)
        answer = app.test_client().post("/webhook/status", data=params, headers={"X-Twilio-Signature": signature})
        assert answer.status_code == 204
    finally:
        app.extensions["intake"].close()

    code, output = run_campaign(settings, "--list", "reenganche_30_89", "--show-phones", name="reenganche-dic")

    assert code == 0
    assert "dado de baja: 2" in output and f"{MARTA}  Marta Ruiz" in output
    assert per_recipient(twilio_fake) == {ANA: 2, LUIS: 2, MARTA: 1}


def test_sends_are_paced_at_the_rate_asked(
    make_settings: Callable[..., Settings], database_url: str, twilio_fake: TwilioFake
):
    migrate(database_url)
    users = [f"whatsapp:+5731000000{i:02d}" for i in range(16)]
    insert_memories(database_url, [lead(user, f"Lead {i}", 40) for i, user in enumerate(users)])
    settings = make_settings(
        database_url=database_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_phone_number=SENDER,
        twilio_api_base_url=twilio_fake.base_url,
        public_base_url=PUBLIC,
    )
    rate = 10.0

    started = time.monotonic()
    code, output = run_campaign(settings, "--interest", "python", "--rate", f"{rate:g}", "--concurrency", "4")

    assert code == 0, output
    arrivals = sorted(m.arrived for m in twilio_fake.sent())
    assert len(arrivals) == len(users)
    # A lower bound only: a token bucket without bursts cannot let n requests in faster. It
    # counts from the start, not from the first arrival: the first request, on a new
    # connection, may arrive late and close the gap to the second.
    assert arrivals[-1] - started >= (len(users) - 1) / rate


def test_the_command_names_what_is_missing(make_settings: Callable[..., Settings], leads_database: str, capsys):
    no_database = make_settings()
    assert run_campaign(no_database, "--list", "todos", "--dry-run")[0] == 2
    assert "DATABASE_URL" in capsys.readouterr().err

    no_twilio = make_settings(database_url=leads_database)
    assert run_campaign(no_twilio, "--list", "todos")[0] == 2
    assert "TWILIO_ACCOUNT_SID" in capsys.readouterr().err
    assert run_campaign(no_twilio, "--list", "todos", "--dry-run")[0] == 0  # a preview needs no Twilio

    assert run_campaign(no_twilio, "--dry-run")[0] == 2
    assert "elija a quién enviar" in capsys.readouterr().err
