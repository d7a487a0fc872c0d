"""Yes/no follow-ups: contact offers after buying signals, and the one-time consent question."""

import pytest

from app.domain.acts import answer_to_prompt, is_closing, read_acts
from app.domain.intents import Intent
from tests.unit.pipeline import USER, send


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Sí!", True), ("si porfa", True), ("dale 👍", True), ("claro que si", True), ("👍", True),
     ("no gracias", False), ("nel", False), ("mejor no", False),
     ("no sé", None), ("quiero info del curso de python y cuánto cuesta", None), ("", None),
     ("ok y cuánto cuesta?", None), ("va, cómo me inscribo?", None), ("ok, cuál me recomiendas?", None),
     ("sí, cuánto cuesta?", None), ("ok", True), ("ok gracias", None), ("gracias", None), ("va", True),
     ("va, gracias", None)],
)  # fmt: skip
def test_only_a_bare_answer_answers_a_prompt(text, expected):
    assert answer_to_prompt(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sí", True), ("dale", True), ("claro", True), ("va", True), ("si porfa", True), ("no gracias", False),
     ("ok", None), ("ok grax", None), ("va, gracias", None), ("ok gracias", None), ("listo", None),
     ("ok y cuantas clases son", None), ("dale, cuanto sale el de sql?", None)],
)  # fmt: skip
def test_marketing_consent_needs_an_unambiguous_yes(text, expected):
    assert answer_to_prompt(text, consent=True) is expected


def test_consent_is_asked_once_after_a_few_messages_and_a_yes_records_it(pipeline):
    use_case, memory, _ = pipeline
    first = send(use_case, "qué cursos tienen", sid="SM1")
    assert "promociones" not in first.text
    send(use_case, "hola", sid="SM2")
    asked = send(use_case, "y qué otros cursos tienen?", sid="SM3")
    assert asked.text.endswith("Responde *SÍ* o *NO*.")
    assert memory.saved[USER].pending_question == "marketing_consent"
    answer = send(use_case, "sí, dale", sid="SM4")
    assert "Te avisaremos" in answer.text
    stored = memory.saved[USER]
    assert stored.marketing_consent is True and stored.pending_question is None
    later = send(use_case, "qué cursos tienen?", sid="SM5")
    assert "promociones" not in later.text


def test_a_no_to_consent_is_respected(pipeline):
    use_case, memory, _ = pipeline
    for i, text in enumerate(["qué cursos tienen", "hola", "qué cursos tienen"]):
        send(use_case, text, sid=f"SM{i}")
    reply = send(use_case, "no gracias", sid="SMno")
    assert "no te enviaremos promociones" in reply.text
    assert memory.saved[USER].marketing_consent is False
    assert memory.saved[USER].consent_asked_at is not None


def test_an_unrelated_message_drops_the_pending_question(pipeline):
    use_case, memory, _ = pipeline
    for i, text in enumerate(["qué cursos tienen", "hola", "qué cursos tienen"]):
        send(use_case, text, sid=f"SM{i}")
    reply = send(use_case, "hola otra vez", sid="SMx")
    assert reply.intent == Intent.GREETING
    assert memory.saved[USER].pending_question is None
    assert memory.saved[USER].marketing_consent is False


def test_opted_out_contact_is_never_asked_for_consent(pipeline):
    use_case, memory, _ = pipeline
    send(use_case, "dame de baja", sid="SM0")
    for i in range(1, 4):
        reply = send(use_case, "qué cursos tienen", sid=f"SM{i}")
        assert "promociones" not in reply.text
    assert memory.saved[USER].consent_asked_at is None


@pytest.mark.parametrize("text", ["gracias!", "ok", "👍", "perfecto gracias", "sí"])
def test_courtesy_without_a_pending_question_gets_a_kind_answer_not_off_topic(pipeline, text):
    use_case, memory, _ = pipeline
    reply = send(use_case, text, sid="SMthanks")
    assert reply.text.startswith("¡Con gusto")
    assert memory.saved[USER].intent_counts == {}, "a thank-you must not count against the lead"


@pytest.mark.parametrize(
    ("text", "closing"),
    [("ok gracias, lo platico con mi esposa", True), ("lo consulto con mi jefe y te aviso", True),
     ("lo hablo con mis socios", True), ("lo platico con mi esposa, cuanto cuesta?", False),
     ("lo hablo con mi jefe para que me lo pague", False)],
)  # fmt: skip
def test_whom_the_student_will_consult_keeps_a_closing_a_closing(text, closing):
    assert is_closing(read_acts(text)) is closing
