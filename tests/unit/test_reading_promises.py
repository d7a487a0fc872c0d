"""Every mode keeps its promises: a request for a person is recorded where it is announced,
and the advisors' command reads it; without a recorder the reply promises no advisor."""

import argparse
import io
import uuid
from datetime import UTC, datetime

import pytest

from app.bootstrap.mode import build_container
from app.config import Settings
from app.domain.messages import InboundMessage
from app.entrypoints.cli.handoff import run as run_handoff
from app.infrastructure.json_store.handoffs import JsonHandoffs
from tests.unit.pipeline import build_pipeline, send


@pytest.fixture
def basic(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=None, openai_api_key=None)
    container = build_container(settings)
    yield settings, container
    container.close()


def _say(container, user, text):
    message = InboundMessage(message_id=f"SM{uuid.uuid4().hex}", user_id=user, text=text,
                             received_at=datetime(2026, 12, 1, 15, tzinfo=UTC))  # fmt: skip
    return container.handle_message(message, timeout=60)


def test_a_request_for_a_person_in_json_mode_is_recorded_and_listed_for_the_advisors(basic, tmp_path):
    settings, container = basic
    user = "whatsapp:+5215550001111"
    _say(container, user, "hola, me interesa el curso de python desde cero")
    reply = _say(container, user, "quiero hablar con una persona")
    assert "asesor" in reply.text
    handoffs = JsonHandoffs(tmp_path / "handoffs")
    [opened] = handoffs.open_handoffs()
    assert opened.user_id == user and opened.reason == "contact_request"
    assert "Python desde Cero" in [course.name for course in opened.summary.courses]
    out = io.StringIO()
    assert run_handoff(settings, argparse.Namespace(action="list"), out) == 0
    assert user in out.getvalue() and "pidió hablar con un asesor" in out.getvalue()
    # Asked again while one is open: still one hand-off.
    _say(container, user, "me pasas con un asesor por favor")
    assert len(handoffs.open_handoffs()) == 1
    out = io.StringIO()
    assert run_handoff(settings, argparse.Namespace(action="release", key=user, by="ana"), out) == 0
    assert handoffs.open_handoffs() == []


def test_an_acknowledgement_before_a_question_opens_no_hand_off(basic, tmp_path):
    _, container = basic
    user = "whatsapp:+5215550002222"
    _say(container, user, "quiero aprender python desde cero")
    offer = _say(container, user, "quiero inscribirme en python desde cero")
    assert "Responde *sí*" in offer.text
    reply = _say(container, user, "ok y cuanto cuesta?")
    assert "$" in reply.text and "asesor del equipo" not in reply.text
    assert JsonHandoffs(tmp_path / "handoffs").open_handoffs() == []


def test_without_a_recorder_the_reply_promises_no_advisor(sample_courses):
    use_case, _, _ = build_pipeline(sample_courses)
    reply = send(use_case, "quiero un asesor")
    assert "Ya le pasé tus datos" not in reply.text
    assert "no puedo pasarte con un asesor" in reply.text


def test_a_student_who_asks_to_enrol_is_ready_to_close_and_a_misread_message_costs_nothing(basic):
    from app.domain.lead_scoring import LeadStage, stage_for

    _, container = basic
    user = "whatsapp:+5215550003333"
    first = _say(container, user, "hola, quiero aprender python desde cero")
    noise = _say(container, user, "zxqv plim")  # nothing any rule reads: one more message, no penalty
    assert noise.lead_score == first.lead_score + 2
    closing = _say(container, user, "gracias, quedo atento")
    assert "de eso no sé" not in closing.text and closing.lead_score == noise.lead_score + 2
    enrol = _say(container, user, "quiero inscribirme en python desde cero")
    assert stage_for(enrol.lead_score) == LeadStage.LISTO


def test_each_act_of_a_message_is_read_for_itself(basic):
    _, container = basic
    user = "whatsapp:+5215550004444"
    _say(container, user, "hola, quiero aprender python desde cero")
    _say(container, user, "cuanto cuesta el primero?")
    asked = _say(container, user, "y cuanto dura?")
    assert "promociones" in asked.text  # the consent question, at a natural moment
    reply = _say(container, user, "ok y cuantas sesiones tiene?")
    assert "7 sesiones" in reply.text  # the question is answered ...
    memory = container.run(container.memory_repository.load_user_memory(user), timeout=10)
    assert memory is not None and not memory.marketing_consent  # ... and "ok" consented to nothing
    refund = _say(container, user, "si me apunto y no me mola, me devolveis el dinero?")
    assert "7 días" in refund.text and refund.intent.value == "GENERAL_QUESTION"
    outcomes = _say(container, user, "al terminar q voy a saber hacer?")
    assert "Configurar el entorno" in outcomes.text
    english = _say(container, user, "ok thanks, is it live?")
    assert "taught in Spanish" in english.text
    closing = _say(container, user, "gracias, quedo atento")
    assert "de eso no sé" not in closing.text and "Jeje" not in closing.text


def test_enrolling_with_several_courses_on_screen_asks_which_and_the_answer_goes_on(basic):
    _, container = basic
    user = "whatsapp:+5215550005555"
    which = _say(container, user, "quiero inscribirme")
    assert "¿En cuál te quieres inscribir?" in which.text and "Responde *sí*" not in which.text
    chosen = _say(container, user, "en el de sql")
    assert chosen.intent.value == "BUYING_SIGNALS" and "Responde *sí*" in chosen.text
    handed = _say(container, user, "si")
    assert handed.intent.value == "CONTACT_REQUEST"
    closing = _say(container, user, "gracias, Rosa se despide")
    assert "Jeje" not in closing.text
