"""Hand-off to a person, end to end on a real PostgreSQL with the worker and the fake Twilio:
the bot goes quiet, the advisor reads and replies from the terminal, a release brings the
bot back."""

from __future__ import annotations

import argparse
import io
import time
from datetime import UTC, datetime

import psycopg
import pytest
from rich.console import Console

from app.bootstrap.worker import WorkerRuntime, build_worker
from app.config import Settings
from app.domain.handoff import HANDOFF_NOTICE
from app.domain.messages import InboundMessage
from app.entrypoints.cli import handoff as handoff_cli
from app.entrypoints.cli.report import render_sales_desk
from app.infrastructure.postgres.personal_data import PostgresPersonalData
from app.infrastructure.queue.intake import MessageIntake
from tests.twilio_fake import SENDER, TwilioFake

STUDENT = "whatsapp:+573005550101"


class Conversation:
    def __init__(self, intake: MessageIntake, url: str) -> None:
        self._intake = intake
        self._url = url
        self._count = 0

    def say(self, text: str) -> None:
        """Send one message and wait until the worker has answered (or recorded) it."""
        self._count += 1
        sid = f"SM{self._count:032d}"
        message = InboundMessage(message_id=sid, user_id=STUDENT, text=text, received_at=datetime.now(UTC))
        assert self._intake.record(message)
        deadline = time.monotonic() + 30
        while not self._settled():
            assert time.monotonic() < deadline, f"'{text}' was not answered in time"
            time.sleep(0.05)

    def _settled(self) -> bool:
        with psycopg.connect(self._url) as connection:
            row = connection.execute(
                "SELECT (SELECT count(*) FROM conversation_messages WHERE answered_at IS NULL)"
                " + (SELECT count(*) FROM reply_parts WHERE state IN ('pending', 'sending'))"
            ).fetchone()
        return row is not None and row[0] == 0


def cli(settings: Settings, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    handoff_cli.add_arguments(parser)
    out = io.StringIO()
    code = handoff_cli.run(settings, parser.parse_args(list(argv)), out)
    return code, out.getvalue()


def test_a_hand_off_silences_the_bot_until_an_advisor_releases_it(
    rest_settings: Settings, intake: MessageIntake, worker: WorkerRuntime, twilio_fake: TwilioFake
):
    worker.start()
    url = rest_settings.database_url.get_secret_value()  # type: ignore[union-attr]
    chat = Conversation(intake, url)
    chat.say("hola, soy Marta, soy contadora")
    chat.say("me interesa automatizar reportes de excel")
    chat.say("quiero hablar con un asesor")
    before = len(twilio_fake.sent(STUDENT))

    for text in ("hola?", "sigo aqui", "me llaman hoy?"):
        chat.say(text)

    during = [m.body for m in twilio_fake.sent(STUDENT)[before:]]
    assert during == [HANDOFF_NOTICE], "one notice at most, then silence while a person has it"

    code, listing = cli(rest_settings, "list")
    assert code == 0 and STUDENT in listing and "Marta" in listing and "espera hace" in listing
    code, shown = cli(rest_settings, "show", STUDENT)
    assert code == 0 and "me llaman hoy?" in shown and "contadora" in shown.lower()

    code, said = cli(rest_settings, "reply", STUDENT, "Hola Marta, soy Ana del equipo. ¿Te llamo a las 5?")
    assert code == 0, said
    sent = twilio_fake.wait_for_sent(before + 2, to=STUDENT)
    assert sent[-1].body == "Hola Marta, soy Ana del equipo. ¿Te llamo a las 5?"
    assert sent[-1].from_ == SENDER

    report = io.StringIO()
    render_sales_desk(rest_settings, Console(file=report, width=200), show_phones=True)
    assert "Traspasos a un asesor abiertos: 1" in report.getvalue() and STUDENT in report.getvalue()

    code, _ = cli(rest_settings, "release", STUDENT)
    assert code == 0
    chat.say("que cursos tienen de python?")
    after = twilio_fake.sent(STUDENT)[before + 2 :]
    assert after and HANDOFF_NOTICE not in [m.body for m in after], "the bot answers again after the release"
    with psycopg.connect(url) as connection:
        count = connection.execute("SELECT interaction_count FROM user_memory WHERE user_id = %s", (STUDENT,))
        assert count.fetchone() == (7,), "every message the student sent is remembered, silenced or not"
        events = connection.execute("SELECT type FROM lead_events WHERE type = 'handoff.opened'").fetchall()
        assert len(events) == 1


def test_an_advisor_cannot_write_free_text_outside_the_24_hour_window(
    rest_settings: Settings, intake: MessageIntake, worker: WorkerRuntime, twilio_fake: TwilioFake
):
    worker.start()
    url = rest_settings.database_url.get_secret_value()  # type: ignore[union-attr]
    chat = Conversation(intake, url)
    chat.say("necesito un asesor por favor")
    with psycopg.connect(url) as connection:
        connection.execute("UPDATE conversation_messages SET received_at = now() - interval '25 hours'")
    sent_before = len(twilio_fake.sent(STUDENT))

    code, said = cli(rest_settings, "reply", STUDENT, "Hola, ¿sigues interesado?")

    assert code == 1 and "24 h" in said and "plantilla" in said
    assert len(twilio_fake.sent(STUDENT)) == sent_before


def test_deleting_a_person_removes_their_queued_messages_replies_hand_offs_and_events(
    rest_settings: Settings, intake: MessageIntake, worker: WorkerRuntime
):
    worker.start()
    url = rest_settings.database_url.get_secret_value()  # type: ignore[union-attr]
    chat = Conversation(intake, url)
    chat.say("hola, soy Luis")
    chat.say("quiero hablar con un asesor")
    storage = worker.container.storage
    assert storage is not None and storage.database_inbound is not None

    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO campaign_sends (campaign, user_id, content_sid, variables) VALUES ('c', %s, %s, '{}')",
            (STUDENT, "HX" + "0" * 32),
        )

    deletion = worker.container.run(PostgresPersonalData(storage.client).delete(STUDENT))

    assert deletion.deleted["conversation_messages"] == 2
    tables = ("conversation_messages", "reply_turns", "reply_parts", "handoffs", "lead_events", "campaign_sends")
    with psycopg.connect(url) as connection:
        for table in tables:
            left = connection.execute(f"SELECT count(*) FROM {table} WHERE user_id = %s", (STUDENT,)).fetchone()
            assert left == (0,), table


ADVISOR = "whatsapp:+573009990000"
ALERT_TEMPLATE = "HX" + "a1" * 16


def test_advisors_get_a_whatsapp_template_alert_when_a_student_asks_for_a_person(
    rest_settings: Settings, intake: MessageIntake, twilio_fake: TwilioFake, caplog: pytest.LogCaptureFixture
):
    settings = rest_settings.model_copy(
        update={"advisor_whatsapp_numbers": ADVISOR, "advisor_alert_content_sid": ALERT_TEMPLATE}
    )
    runtime = build_worker(settings)
    runtime.start()
    try:
        chat = Conversation(intake, settings.database_url.get_secret_value())  # type: ignore[union-attr]
        chat.say("hola soy Pedro, me interesa python")
        chat.say("quiero hablar con un asesor")
        alerts = twilio_fake.wait_for_sent(1, to=ADVISOR, timeout=20)
    finally:
        runtime.close()
    assert "did not stop cleanly" not in caplog.text
    assert len(alerts) == 1
    assert alerts[0].content_sid == ALERT_TEMPLATE and alerts[0].body in ("", None)
    assert '"1": "Pedro"' in (alerts[0].content_variables or "") and STUDENT.removeprefix("whatsapp:") in (
        alerts[0].content_variables or ""
    )
