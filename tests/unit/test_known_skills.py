"""A skill the student says they already have is what they know, not what they want."""

from __future__ import annotations

import pytest

from app.domain.profile_extraction import RuleProfileExtractor
from app.domain.profile_extraction.known_skills import read_known_skills
from app.domain.recommendations import StudentProfile, recommend_for_student
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog

extractor = RuleProfileExtractor()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(bundled_catalog_path())


def recommended(catalog, message: str) -> list[str]:
    """What the chat recommends for a first message: its words and the interests it states."""
    interests = extractor.extract(message).interests
    return [c.name for c in recommend_for_student(catalog, StudentProfile(message=message, interests=interests))]


@pytest.mark.parametrize(
    ("text", "known", "remainder"),
    [
        ("ya se python, quiero construir agentes de ia", ("python",), "quiero construir agentes de ia"),
        ("Ya sé Python y quiero construir agentes de IA", ("python",), "y quiero construir agentes de ia"),
        ("tengo experiencia en sql, busco machine learning", ("sql",), "busco machine learning"),
        ("sé programar pero quiero ia", ("programación",), "pero quiero ia"),
        ("manejo excel, quiero aprender a analizar datos", ("excel",), "quiero aprender a analizar datos"),
    ],
)
def test_a_stated_skill_is_read_apart_from_the_need(text, known, remainder):
    skills = read_known_skills(text)
    assert skills.topics == known and skills.remainder == remainder


@pytest.mark.parametrize(
    "text",
    ["quiero aprender python", "ya se algo de python", "no se python", "ya se que python es dificil", "ya se, gracias"],
)
def test_wanting_partial_knowledge_and_other_uses_of_se_state_no_skill(text):
    assert read_known_skills(text).topics == ()


def test_a_known_skill_is_no_interest():
    assert "python" not in extractor.extract("ya sé python, quiero construir agentes de ia").interests
    assert "python" in extractor.extract("quiero aprender python").interests


def test_who_knows_python_and_wants_agents_gets_the_agents_course_first(catalog):
    suggested = recommended(catalog, "ya se python, quiero construir agentes de ia")
    assert suggested[0] == "NLP y Modelos de Lenguaje (LLMs)" and "Python desde Cero" not in suggested


def test_who_masters_excel_is_not_offered_the_beginner_excel_course(catalog):
    for message in (
        "ya domino excel, quiero automatizar reportes con python",
        "ya manejo excel, quiero aprender a analizar datos",
    ):
        suggested = recommended(catalog, message)
        assert suggested and "Excel Inteligente con Copilot y ChatGPT" not in suggested, message


def test_who_wants_to_learn_python_still_gets_python_from_scratch_first(catalog):
    assert recommended(catalog, "quiero aprender python")[0] == "Python desde Cero"
