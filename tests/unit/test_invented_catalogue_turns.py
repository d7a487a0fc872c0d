"""Whole turns on a catalogue of another school, written here: the catalogue answers come
from the data loaded, never from what the bundled catalogue happens to contain."""

from datetime import date

import pytest

from app.domain.courses import Course, CourseBonus, CourseSession
from tests.unit.pipeline import build_pipeline, send


def _sessions(count: int, minutes: int, objective: str) -> tuple[CourseSession, ...]:
    return tuple(CourseSession(id=f"s{i}", index=i, title=f"Clase {i}", duration_minutes=minutes, objective=objective)
                 for i in range(1, count + 1))  # fmt: skip


SCHOOL = [
    Course(id="hue", name="Huerto Urbano en Balcones", price="0", currency="USD", level="principiante",
           modality="online", start_date=date(2027, 2, 14), sessions=_sessions(3, 60, "Sembrar en macetas.")),
    Course(id="pan", name="Panadería de Masa Madre", price="85", currency="USD", level="principiante",
           modality="presencial", start_date=date(2027, 1, 9), sessions=_sessions(4, 150, "Hornear pan de masa madre."),
           bonuses=(CourseBonus(id=1, content="Frasco de masa madre activa"),)),
    Course(id="bar", name="Barismo y Arte Latte", price="140", currency="USD", level="intermedio",
           modality="presencial", start_date=date(2027, 3, 1), sessions=_sessions(5, 120, "Dibujar en la leche.")),
    Course(id="cal", name="Caligrafía Moderna", price="40", currency="USD", level="principiante",
           modality="online", start_date=date(2027, 1, 20), sessions=_sessions(2, 90, "Trazar letras con pincel.")),
]  # fmt: skip


@pytest.fixture
def chat():
    use_case, _, _ = build_pipeline(SCHOOL)
    counter = iter(range(1, 100))
    return lambda text: send(use_case, text, sid=f"SM{next(counter)}")


def test_the_free_course_of_this_catalogue_is_offered_as_free(chat):
    reply = chat("hay algun curso gratis?")
    assert "Huerto Urbano en Balcones" in reply.text and "Panadería" not in reply.text.split("\n")[0]


def test_which_starts_first_follows_the_dates_loaded(chat):
    reply = chat("ke cursos empiesan primero?")
    assert reply.text.index("Panadería de Masa Madre") < reply.text.index("Caligrafía Moderna")
    assert "9 de enero de 2027" in reply.text


def test_the_in_person_courses_are_all_named(chat):
    reply = chat("cuales son presenciales?")
    assert "Panadería de Masa Madre" in reply.text and "Barismo y Arte Latte" in reply.text
    assert "Caligrafía" not in reply.text and "Huerto" not in reply.text


def test_the_dearest_and_the_shortest_are_computed_from_the_fields(chat):
    assert "Barismo y Arte Latte" in chat("y el mas caro?").text.split("\n")[0]
    assert "Caligrafía Moderna" in chat("cual es el mas corto?").text.split("\n")[0]


def test_a_superlative_asked_within_a_modality_ranks_only_those_courses(chat):
    reply = chat("cual es el mas barato presencial?")
    assert reply.text.startswith("De nuestros cursos presenciales, el más económico es *Panadería de Masa Madre*")
    assert "Caligrafía" not in reply.text and "Huerto" not in reply.text


def test_the_interests_named_above_a_list_are_those_its_first_course_is_named_for():
    from app.application.ports import ReplyContext
    from app.domain.intents import Intent
    from app.domain.memory import UserMemory
    from app.infrastructure.templates.spanish import SpanishTemplates

    vision = Course(id="v", name="Visión por Computadora", short_description="Detecta objetos en imágenes.")
    memory = UserMemory(user_id="u", interests=["contenido", "visión por computadora"], interaction_count=2)
    reply = SpanishTemplates().compose(ReplyContext(intent=Intent.EXPLORATION, text="x", memory=memory,
                                                   courses=(vision,)))  # fmt: skip
    assert "te interesa visión por computadora." in reply and "contenido" not in reply.split("\n")[0]


def test_a_superlative_after_a_subject_ranks_within_that_subject(chat):
    reply = chat("me interesa el barismo o la panaderia, que sea lo mas basico")
    assert reply.text.startswith("De los cursos que van con lo que buscas")
    assert "Panadería de Masa Madre" in reply.text.split("\n")[0] and "Barismo y Arte Latte" in reply.text
    assert "Huerto" not in reply.text and "Caligrafía" not in reply.text


def test_an_advanced_course_without_a_stated_prerequisite_asks_for_bases_of_its_subject():
    from app.domain.facet_answers import derived_prerequisite

    course = Course(id="x", name="Latte Avanzado", level="avanzado", category="Barismo")
    assert derived_prerequisite(course) == "conviene que llegues con bases de barismo"


def test_a_sentence_saying_whom_the_course_is_for_is_its_prerequisite():
    from app.domain.facet_answers import prerequisite_sentence

    course = Course(id="x", name="Pan II", long_description="Un taller para quienes ya hornean pan. Verás fermentos.")
    assert prerequisite_sentence(course) == "Un taller para quienes ya hornean pan."


def test_two_rankings_asked_at_once_are_both_answered(chat):
    reply = chat("cual es el mas barato y cual el mas corto?")
    cheapest, shortest = reply.text.split("el más corto es")
    assert "el más económico es *Huerto Urbano en Balcones*" in cheapest
    assert shortest.startswith(" *Caligrafía Moderna*") and reply.text.count("¿Quieres que te cuente más") == 1


def test_how_the_courses_shown_differ_is_a_comparison_of_them(chat):
    chat("cuales son presenciales?")
    reply = chat("y en que se diferencian?")
    assert "Panadería de Masa Madre" in reply.text and "Barismo y Arte Latte" in reply.text
    assert "$85 USD" in reply.text and "$140 USD" in reply.text

