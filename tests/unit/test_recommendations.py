"""Recommendations that fit the person, on the bundled catalogue and the guide-columns one."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from app.domain.recommendations import StudentProfile, recommend_for_student, role_topics
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog

REPO = Path(__file__).resolve().parents[2]
GUIDE_CATALOG = REPO / "tests" / "data" / "guide_catalog.json"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(bundled_catalog_path())


def names(courses):
    return [c.name for c in courses]


def test_a_teacher_who_wants_chatgpt_for_lesson_plans_gets_the_teachers_course_first(catalog):
    student = StudentProfile(message="quiero usar ChatGPT para planear mis clases", role="docente")
    assert names(recommend_for_student(catalog, student))[0] == "IA para Docentes"


def test_a_nurse_is_not_offered_the_lawyers_course(catalog):
    student = StudentProfile(message="quiero usar la IA para redactar informes", role="enfermero")
    suggested = names(recommend_for_student(catalog, student))
    assert suggested[0] == "IA para la Salud" and "IA para Abogados" not in suggested


def test_a_programmer_is_not_offered_beginner_courses(catalog):
    student = StudentProfile(message="hola, que cursos tienen?", role="desarrollador", interests=("programación",))
    suggested = recommend_for_student(catalog, student)
    assert suggested and all(c.level != "principiante" for c in suggested)


def test_the_role_from_an_earlier_message_is_used(catalog):
    without = recommend_for_student(catalog, StudentProfile(message="que me recomiendas?"))
    with_role = recommend_for_student(catalog, StudentProfile(message="que me recomiendas?", role="abogado"))
    assert names(with_role)[0] == "IA para Abogados" != names(without)[0]


def test_what_the_message_asks_for_outweighs_the_role(catalog):
    student = StudentProfile(message="quiero aprender excel", role="enfermero", interests=("salud",))
    assert "Excel" in names(recommend_for_student(catalog, student))[0]


def test_roles_the_topics_do_not_name_still_have_subjects():
    assert role_topics("psicólogo") == ("salud",)
    assert role_topics("contador") == ("finanzas",)
    assert role_topics(None) == ()


def test_nothing_to_go_on_gives_the_flagship_courses(catalog):
    assert len(recommend_for_student(catalog, StudentProfile(message="hola"))) == 3
    assert recommend_for_student(catalog, StudentProfile(message="hola"), limit=0) == []


# --- the labelled persona set --------------------------------------------------------------


def _script():
    spec = importlib.util.spec_from_file_location("persona_ranking", REPO / "scripts" / "persona_ranking.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("persona_ranking", module)
    spec.loader.exec_module(module)
    return module


def test_the_persona_set_is_large_and_its_labels_name_real_courses(catalog):
    script = _script()
    personas = script.load_personas()
    assert len(personas) >= 60
    ids = {"bundled": {c.id for c in catalog}, "guide": {c["id"] for c in json.loads(GUIDE_CATALOG.read_text())}}
    for persona in personas:
        for catalogue, known in ids.items():
            assert persona.expected[catalogue] and set(persona.expected[catalogue]) <= known, persona.id
            assert set(persona.avoid.get(catalogue, ())) <= known, persona.id


def test_the_guide_catalogue_has_only_the_guides_columns():
    guide_columns = {
        "id", "name", "short_description", "long_description", "session_count", "price", "currency", "level",
        "modality", "start_date",
    }  # fmt: skip
    assert all(set(course) <= guide_columns for course in json.loads(GUIDE_CATALOG.read_text()))


@pytest.mark.parametrize("catalogue", ["bundled", "guide"])
def test_hit_at_3_is_at_least_95_percent(catalogue):
    figures = asyncio.run(_script().evaluate(catalogue))
    assert figures.hit3 >= 0.95, figures.misses
    assert figures.avoid3 <= 0.05, figures.misses
