"""The school-knowledge file: the bundled sample, and errors that say what to fix."""

import json

import pytest

from app.bootstrap.engine_parts import load_knowledge
from app.config import Settings, SettingsError
from app.domain.facets import Facet
from app.domain.school_knowledge import SchoolKnowledge
from app.infrastructure.school_knowledge.loader import SchoolKnowledgeError, load_school_knowledge


def test_the_bundled_sample_answers_the_school_questions():
    knowledge = load_school_knowledge()
    for topic in (Facet.PAYMENT_METHODS, Facet.INSTALMENTS, Facet.SCHOLARSHIPS, Facet.DISCOUNTS, Facet.REFUNDS,
                  Facet.CERTIFICATE, Facet.COMPANY_PRICING, Facet.LOCATION, Facet.LIVE_OR_RECORDED,
                  Facet.SUPPORT_HOURS):  # fmt: skip
        assert knowledge.answer_for(topic), topic
    # Left out on purpose: the bot must say it does not know.
    assert knowledge.answer_for(Facet.INSTRUCTOR) is None


def test_a_path_setting_chooses_the_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"entries": [{"topic": "refunds", "answer": "No hay reembolsos una vez iniciado."}]}))
    knowledge = load_knowledge(Settings(_env_file=None, school_knowledge_path=path))
    assert knowledge.answer_for(Facet.REFUNDS) == "No hay reembolsos una vez iniciado."
    assert knowledge.answer_for(Facet.PAYMENT_METHODS) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1"),
        (json.dumps({"entries": [{"topic": "pagos", "answer": "Aceptamos tarjeta."}]}), "entries.0.topic"),
        (json.dumps({"entries": [{"topic": "refunds", "answer": "  "}]}), "entries.0.answer"),
        (json.dumps({"entries": [{"topic": "refunds", "answer": "Sí, en 7 días."}] * 2}), "more than once"),
        (json.dumps({"entries": [], "extra": 1}), "extra"),
    ],
)
def test_a_broken_file_stops_start_up_naming_the_setting_and_the_problem(tmp_path, content, message):
    path = tmp_path / "knowledge.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        load_knowledge(Settings(_env_file=None, school_knowledge_path=path))
    assert "SCHOOL_KNOWLEDGE_PATH" in str(error.value) and str(path) in str(error.value)
    assert message in str(error.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SchoolKnowledgeError, match="cannot read"):
        load_school_knowledge(tmp_path / "nope.json")


def test_answers_follow_the_order_asked_and_skip_unknown_topics():
    knowledge = SchoolKnowledge.model_validate(
        {"entries": [{"topic": "refunds", "answer": "Reembolso en 7 días."},
                     {"topic": "invoice", "answer": "Emitimos factura."}]}
    )  # fmt: skip
    assert knowledge.answers_for([Facet.INVOICE, Facet.INSTRUCTOR, Facet.REFUNDS]) == (
        "Emitimos factura.",
        "Reembolso en 7 días.",
    )
