"""The course in focus, a card shown once, honest "no tengo ese dato", and manners, on the
bundled catalogue in basic mode (the rules and templates the student meets without AI)."""

import itertools
from datetime import UTC, datetime

import pytest

from app.bootstrap.mode import build_container
from app.domain.intents import Intent
from app.domain.memory import FOCUS_KEY, UserMemory
from app.domain.messages import InboundMessage

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)
_ids = itertools.count()


@pytest.fixture
def chat(make_settings):
    container = build_container(make_settings(database_url=None, openai_api_key=None))
    user = f"whatsapp:+52155500{next(_ids):04d}"

    def send(text: str):
        message = InboundMessage(message_id=f"SM{next(_ids)}", user_id=user, text=text, received_at=NOW)
        return container.handle_message(message, timeout=30)

    yield send
    container.close()


def test_a_price_question_after_a_list_answers_the_first_course_briefly(chat):
    listed = chat("quiero aprender python desde cero")
    reply = chat("cuanto cuesta?")
    assert reply.course_ids == listed.course_ids[:1]
    assert "cuesta $" in reply.text and "Temario" not in reply.text and len(reply.text) < 400


def test_an_ordinal_then_an_elliptical_question_follow_the_last_list(chat):
    listed = chat("que cursos de automatizacion tienen?")
    first = chat("cuanto cuesta el primero?")
    second = chat("y el segundo?")
    assert first.course_ids == listed.course_ids[:1]
    assert second.course_ids == listed.course_ids[1:2]
    assert "cuesta $" in second.text


def test_a_course_named_in_the_question_becomes_the_focus_and_is_named(chat):
    chat("me interesa el curso de python desde cero")
    reply = chat("y el de sql cuanto cuesta?")
    assert "*SQL para Análisis de Datos* cuesta $119 USD" in reply.text
    follow_up = chat("cuando empieza?")
    assert "SQL para Análisis de Datos" in follow_up.text and "27 de enero de 2027" in follow_up.text


def test_a_course_named_after_the_bot_asked_which_gets_the_question_asked(chat):
    chat("hola")
    asked = chat("cuanto cuesta?")
    assert "¿De qué curso" in asked.text
    assert "*SQL para Análisis de Datos* cuesta $119 USD" in chat("el de sql").text


def test_thinking_it_over_is_not_a_yes_to_the_advisor(chat):
    chat("me interesa el curso de python desde cero")
    assert "no tengo ese dato" in chat("quien da el curso?").text
    reply = chat("ok, lo voy a checar")
    assert reply.intent != Intent.CONTACT_REQUEST and "asesor del equipo" not in reply.text


def test_a_detailed_card_is_sent_once(chat):
    chat("quiero aprender python")
    card = chat("cuentame mas del primero")
    again = chat("cuentame mas del primero")
    assert "Temario" in card.text
    assert "Temario" not in again.text and "más arriba" in again.text
    assert again.course_ids == card.course_ids


def test_the_same_list_again_gives_the_names_not_the_cards(chat):
    first = chat("que cursos tienen de ia para principiantes?")
    again = chat("que cursos tienen de ia para principiantes?")
    assert "💰" in first.text
    assert "mismos cursos" in again.text and "💰" not in again.text


def test_an_unknown_detail_is_admitted_and_a_yes_brings_a_person(chat):
    chat("me interesa el curso de python desde cero")
    unknown = chat("quien da el curso?")
    assert "no tengo ese dato" in unknown.text and "asesor" in unknown.text
    assert chat("si").intent == Intent.CONTACT_REQUEST


def test_the_course_asked_about_is_the_one_named_last(chat):
    chat("que cursos de automatizacion tienen?")
    reply = chat("estoy entre el de n8n y el de chatbots... cuanto cuesta el de n8n?")
    assert reply.text.startswith("*Automatización No-Code con n8n, Make y Zapier* cuesta $")


def test_asking_about_the_teacher_keeps_the_course_in_focus(chat):
    chat("me interesa prompt engineering")
    chat("quien da el curso? que experiencia tiene el profe")
    assert "*ChatGPT y Prompt Engineering para el Trabajo* cuesta $99 USD" in chat("cuanto cuesta?").text


def test_a_change_of_mind_drops_the_course_in_focus(chat):
    chat("me interesa el curso de python desde cero")
    chat("cuanto cuesta?")
    reply = chat("mejor no... algo de marketing")
    assert "Automatización de Marketing con IA" in reply.text and "Python desde Cero" not in reply.text
    assert "Automatización de Marketing con IA" in chat("cuanto cuesta?").text


def test_school_questions_are_answered_from_the_knowledge_file_word_for_word(chat, make_settings):
    knowledge = build_container(make_settings()).knowledge
    reply = chat("hay becas?")
    assert reply.text.startswith(knowledge.answer_for("scholarships"))


def test_thanks_and_closings_get_a_courteous_close(chat):
    chat("quiero aprender excel")
    for text in ("gracias, lo pienso", "vale, mil gracias", "ok"):
        reply = chat(text)
        assert "no sé mucho" not in reply.text and "💰" not in reply.text


def test_after_an_opt_out_no_sales_text_until_a_clear_request(chat):
    chat("quiero info de cursos de excel")
    chat("ya no me escriban")
    for text in ("ya les dije que no", "hola", "ok"):
        reply = chat(text)
        assert "$" not in reply.text and "curso" not in reply.text.lower() and "¿" not in reply.text
    served = chat("bueno, cuanto cuesta el curso de sql para analisis de datos?")
    assert "$119 USD" in served.text
    assert "promociones" not in served.text  # never asked for marketing consent again


def test_the_no_time_reply_makes_no_claim_the_catalogue_does_not_make(chat):
    reply = chat("no tengo tiempo")
    assert reply.intent == Intent.TIME_OBJECTION
    assert "ritmo" not in reply.text and "en línea" not in reply.text


def test_a_memory_stored_before_the_focus_existed_or_with_a_broken_one_still_loads():
    old = UserMemory.model_validate({"user_id": "u", "additional_data": {"other": 1}})
    broken = UserMemory.model_validate({"user_id": "u", "additional_data": {FOCUS_KEY: {"last_list_ids": 3}}})
    assert old.focus.focus_course_id is None and broken.focus.last_list_ids == []


def test_a_catalogue_with_only_the_guide_columns_gets_honest_answers():
    import asyncio

    from app.application.process_message import ProcessIncomingMessage
    from app.application.query_courses import QueryCourseInformation
    from app.domain.courses import Course
    from app.domain.intent_rules import RuleIntentClassifier
    from app.domain.profile_extraction import RuleProfileExtractor
    from app.infrastructure.school_knowledge.loader import load_school_knowledge
    from app.infrastructure.templates.spanish import SpanishTemplates
    from tests.fakes import FakeCourseRepository, FakeInboundLog, FakeMemoryRepository

    courses = [
        Course(id="py", name="Programación en Python para Principiantes", price="1600", currency="MXN",
               level="principiante", modality="online", session_count=8),
        Course(id="pd", name="Análisis de Datos con Python y Pandas", price="2200", currency="MXN",
               level="intermedio", modality="online", session_count=10),
    ]  # fmt: skip
    use_case = ProcessIncomingMessage(
        courses=QueryCourseInformation(FakeCourseRepository(courses)), memory=FakeMemoryRepository(),
        inbound_log=FakeInboundLog(), classifier=RuleIntentClassifier(), extractor=RuleProfileExtractor(),
        templates=SpanishTemplates(), clock=lambda: NOW, mode=lambda: "basic", knowledge=load_school_knowledge(),
    )  # fmt: skip

    def send(text):
        message = InboundMessage(message_id=f"SM{next(_ids)}", user_id="u", text=text, received_at=NOW)
        return asyncio.run(use_case.execute(message)).text

    # "el de python": the title that is most about Python.
    assert send("el de python cuanto cuesta") == "*Programación en Python para Principiantes* cuesta $1,600 MXN."
    for question in ("cuando empieza?", "que temas ve?", "tiene certificado?"):
        assert "no tengo ese dato" in send(question), question
