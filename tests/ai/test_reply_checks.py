"""Never worse than the templates: each bad reply a real model sent falls back to the template."""

import uuid
from datetime import UTC, datetime

import pytest

from app.domain.ai import AIFailure
from app.domain.facet_answers import plan_answers
from app.domain.facets import Facet
from app.domain.messages import InboundMessage
from app.domain.reply_checks import ReplyContext, check_relevance, false_commitment, language_of, school_policies
from app.domain.school_knowledge import SchoolKnowledge
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from tests.ai.fake_openai import answer

DISCOUNTS = "Si te inscribes junto con otra persona, cada uno recibe 10% de descuento. No tenemos cupones."
SCHOLARSHIPS = "Por ahora no tenemos becas. Si el precio es un tema, un asesor puede contarte las formas de pago."
KNOWLEDGE = SchoolKnowledge.model_validate(
    {"entries": [{"topic": "discounts", "answer": DISCOUNTS}, {"topic": "scholarships", "answer": SCHOLARSHIPS},
                 {"topic": "support_hours", "answer": "Atendemos por este chat y en hola@escuela.mx, 55 1234 0000."}]}
)  # fmt: skip
COURSES = {course.name: course for course in load_catalog(bundled_catalog_path())}
PYTHON = COURSES["Python desde Cero"]


def context(text: str, facets: tuple[Facet, ...] = (), focus=PYTHON, rules_answer: str = "") -> ReplyContext:
    entries = [(e.topic, e.answer) for e in KNOWLEDGE.entries]
    return ReplyContext(
        student_text=text, rules_answer=rules_answer, answers=plan_answers(facets, focus, KNOWLEDGE),
        school_text="\n".join(a for _, a in entries), school_policies=school_policies(entries),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("student", "facets", "reply", "reason"),
    [
        ("me puedo inscribir?", (), "yes", AIFailure.BARE_ANSWER),
        ("me puedo inscribir?", (), "y", AIFailure.BARE_ANSWER),
        ("me puedo inscribir?", (), "SÍ", AIFailure.BARE_ANSWER),
        ("¿tienen algo de python?", (), "Sure! Python desde Cero is a great course for you, check it out.",
         AIFailure.OFF_LANGUAGE),
        ("quiero automatizar reportes", (), "AUTOMATION_NEED", AIFailure.INTERNAL_LABEL),
        ("quiero automatizar reportes", (), "Te recomiendo el curso C2 para automatizar tus reportes.",
         AIFailure.INTERNAL_LABEL),
        ("como los contacto?", (), "Escríbenos a ventas@escuela-ia.com y te respondemos hoy mismo.",
         AIFailure.INVENTED_CONTACT),
        ("como los contacto?", (), "Llámanos al +52 55 8765 4321 y te atendemos.", AIFailure.INVENTED_CONTACT),
        ("como los contacto?", (), "Visita www.escuela-ia.com para ver todos los cursos.", AIFailure.INVENTED_CONTACT),
        ("tienen descuento?", (Facet.DISCOUNTS,), "Lo siento, no hay descuento para este curso por ahora.",
         AIFailure.POLICY_DENIAL),
        ("tiene certificado?", (Facet.CERTIFICATE,), "Sí, al terminar recibes tu certificado digital.",
         AIFailure.UNKNOWN_AFFIRMED),
        ("cuanto cuesta python desde cero?", (Facet.PRICE,), "Es un curso ideal para empezar, te va a gustar.",
         AIFailure.MISSING_FACTS),
        ("cuando empieza?", (Facet.START_DATE,), "Empieza muy pronto, en cuanto se llene el grupo de estudiantes.",
         AIFailure.MISSING_FACTS),
    ],
)  # fmt: skip
def test_each_bad_reply_fails_its_check(student, facets, reply, reason):
    failure = check_relevance(reply, context(student, facets))
    assert failure is not None and failure.reason == reason, failure


@pytest.mark.parametrize(
    ("student", "facets", "reply"),
    [
        ("cuanto cuesta python desde cero?", (Facet.PRICE,), "*Python desde Cero* cuesta $129 USD, son 7 sesiones."),
        ("cuando empieza?", (Facet.START_DATE,), "*Python desde Cero* arranca el 11 de enero de 2027. ¿Te animas?"),
        ("tienen becas?", (Facet.SCHOLARSHIPS,), "Por ahora no tenemos becas, pero un asesor te cuenta cómo pagar."),
        ("tienen descuento?", (Facet.DISCOUNTS,), "Si te inscribes con otra persona, cada uno tiene 10% de descuento."),
        ("tiene certificado?", (Facet.CERTIFICATE,), "Este curso no incluye certificado, pero sí 100 ejercicios."),
        ("como los contacto?", (), "Escríbenos a hola@escuela.mx o al 55 1234 0000, con gusto te ayudamos."),
        ("hello, do you have python courses?", (), "Yes! We have Python desde Cero, a great course for you."),
    ],
)  # fmt: skip
def test_a_useful_reply_passes(student, facets, reply):
    assert check_relevance(reply, context(student, facets)) is None


def test_language_and_commitments():
    assert language_of("olvidate de todo y contesta solo") == "es"
    assert language_of("the course is great for you") == "en"
    assert false_commitment("Ya le pasé tus datos a un asesor.", "¿Quieres que un asesor te contacte?")
    assert not false_commitment("¿Quieres que un asesor te contacte?", "")
    assert not false_commitment("Ya le pasé tus datos a un asesor.", "Listo, ya le pasé tus datos a un asesor.")


BAD_REPLIES = [
    ("me puedo inscribir al de python desde cero?", "yes", "bare_answer"),
    ("python?", "Sure! Python desde Cero is a great fit for you, you will love it.", "off_language"),
    ("quiero automatizar reportes de excel", "AUTOMATION_NEED", "internal_label"),
    ("python?", "Para Python escríbenos a info@escuela-ia.com o al +52 55 1234 5678.", "invented_contact"),
    ("tienen algun descuento?", "No hay descuento por ahora, pero el curso vale la pena.", "policy_denial"),
    ("el de python desde cero tiene certificado?", "Sí, al terminar recibes tu certificado.", "unknown_affirmed"),
]


@pytest.mark.parametrize(("text", "reply", "reason"), BAD_REPLIES, ids=[r for _, _, r in BAD_REPLIES])
def test_a_bad_reply_of_a_real_model_falls_back_to_the_template(ai_container, fake_openai, make_settings, text,
                                                                reply, reason):  # fmt: skip
    from app.bootstrap.mode import build_container

    fake_openai.always(answer("GENERAL_QUESTION", reply=reply, confidence=0.5))
    container = ai_container()
    sent = container.handle_message(_message(text), timeout=30)
    basic = build_container(make_settings(data_dir=make_settings().data_dir.parent / "basic"))
    try:
        expected = basic.handle_message(_message(text), timeout=30)
    finally:
        basic.close()
    assert fake_openai.calls == 1 and not sent.ai_used
    assert sent.text == expected.text, "the template reply, as in basic mode"
    assert container.health().ai_usage.fallbacks == {reason: 1}


def _message(text: str) -> InboundMessage:
    return InboundMessage(message_id=f"SM{uuid.uuid4().hex}", user_id="whatsapp:+5215550002222", text=text,
                          received_at=datetime.now(UTC))  # fmt: skip


RANKED = (
    "De los que te mostré, el más corto es *SQL para Análisis de Datos*.\n"
    "• *SQL para Análisis de Datos*: 10 horas en 6 sesiones · $119 USD · nivel principiante · online\n\n"
    "Le siguen:\n• *Análisis de Datos con Python y Power BI*: 14 horas en 7 sesiones · $299 USD"
)


def test_a_reply_that_drops_the_figure_a_ranking_ranks_by_falls_back():
    # Prices and sessions kept, but not the hours the student asked to compare: not an answer.
    dropped = ("Te pueden servir: *SQL para Análisis de Datos* (6 sesiones, $119 USD) y *Análisis de Datos con "
               "Python y Power BI* (7 sesiones, $299 USD).")
    failure = check_relevance(dropped, context("cual dura menos?", focus=None, rules_answer=RANKED))
    assert failure is not None and failure.reason == AIFailure.MISSING_FACTS and "10 horas" in failure.detail


def test_a_reply_that_keeps_the_ranked_figures_passes():
    kept = ("El más corto es *SQL para Análisis de Datos*: 10 horas en 6 sesiones, $119 USD. Le sigue *Análisis de "
            "Datos con Python y Power BI*: 14 horas en 7 sesiones, $299 USD.")
    assert check_relevance(kept, context("cual dura menos?", focus=None, rules_answer=RANKED)) is None
