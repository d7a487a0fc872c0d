"""Questions about the whole catalogue and facts the data implies, on a catalogue written here
(not the bundled one): the answers are computed, so they must hold in any catalogue."""

from decimal import Decimal

import pytest

from app.domain.catalogue_questions import CatalogueAsk, answer_catalogue_question, detect_catalogue_question
from app.domain.courses import Course, CourseBonus, CourseSession
from app.domain.facet_answers import course_answers, derived_prerequisite, objectives, plan_answers
from app.domain.facets import Facet, detect_facets, without_question_words
from app.domain.school_knowledge import SchoolKnowledge


def _course(cid, name, price, *, level="principiante", modality="online", sessions=(), currency="USD", **extra):
    return Course(id=cid, name=name, price=price, currency=currency, level=level, modality=modality,
                  sessions=tuple(sessions), **extra)  # fmt: skip


def _sessions(count, minutes, objective=None):
    return [CourseSession(id=f"s{i}", index=i, title=f"Tema {i}", duration_minutes=minutes, objective=objective)
            for i in range(1, count + 1)]  # fmt: skip


CATALOGUE = [
    _course("a", "Robótica Educativa", "0", sessions=_sessions(3, 60), category="Robótica"),
    _course("b", "Drones para Agricultura", "450", level="avanzado", modality="presencial",
            sessions=_sessions(10, 120), category="Drones"),
    _course("c", "Impresión 3D sin Código", "120", modality="híbrido", session_count=4,
            long_description="Diseña piezas sin escribir código.", category="Fabricación"),
    _course("d", "Electrónica con Arduino", "200", level="intermedio", sessions=_sessions(6, 90, "Montar un circuito."),
            bonuses=(CourseBonus(id=1, content="Mentoría grupal semanal"),), category="Electrónica"),
    _course("e", "Taller de Soldadura", "3500", currency="MXN", modality="presencial", sessions=_sessions(2, 180)),
]  # fmt: skip


def _ask(text, shown=(), reference=None):
    facets = detect_facets(text)
    question = detect_catalogue_question(text, facets, has_shown=bool(shown))
    assert question is not None, text
    return answer_catalogue_question(question, CATALOGUE, list(shown), reference)


@pytest.mark.parametrize(
    ("text", "ask", "first"),
    [("cual es el mas barato de todos?", CatalogueAsk.CHEAPEST, "Robótica Educativa"),
     ("hay algo gratis?", CatalogueAsk.FREE, "Robótica Educativa"),
     ("cual es el mas corto", CatalogueAsk.SHORTEST, "Robótica Educativa"),
     ("cual es el mas caro?", CatalogueAsk.DEAREST, "Drones para Agricultura"),
     ("cual es el mas dificil?", CatalogueAsk.HARDEST, "Drones para Agricultura")],
)  # fmt: skip
def test_superlatives_are_computed_over_the_catalogue_loaded(text, ask, first):
    answer = _ask(text)
    assert answer.question.ask == ask and answer.courses[0].name == first


def test_cheaper_than_the_course_in_focus_never_offers_a_dearer_one():
    focus = CATALOGUE[3]  # $200
    answer = _ask("no tienen algo mas barato?", shown=[focus], reference=focus)
    assert answer.question.ask == CatalogueAsk.CHEAPER
    assert answer.courses and all(c.price_amount < Decimal(200) and c.currency == "USD" for c in answer.courses)


def test_which_of_the_two_compares_only_the_courses_shown():
    shown = [CATALOGUE[1], CATALOGUE[3], CATALOGUE[2]]
    answer = _ask("cual de los dos es mas facil?", shown=shown)
    assert answer.question.among_shown and [c.id for c in answer.courses] == ["d", "b"]


def test_price_range_modalities_and_what_is_taught_that_way():
    prices = _ask("cuanto cuestan mas o menos los cursos?")
    assert prices.price_ranges[0] == ("USD", Decimal(0), Decimal(450))
    modalities = dict(_ask("son virtuales o toca ir?").modality_counts)
    assert modalities == {"online": 2, "presencial": 2, "híbrido": 1}
    in_person = _ask("cuales son presenciales?")
    assert in_person.total == 2 and {c.id for c in in_person.courses} == {"b", "e"}


def test_a_subject_no_course_teaches_is_said_plainly_and_one_taught_goes_on_as_usual():
    answer = _ask("tienen cursos de ingles?")
    assert answer is not None and answer.question.subject == "ingles"
    taught = detect_catalogue_question("tienen cursos de arduino?", (), has_shown=False)
    assert taught is not None and answer_catalogue_question(taught, CATALOGUE, []) is None


def test_facts_derived_from_the_data_before_saying_there_are_none():
    no_code = CATALOGUE[2]
    assert course_answers(no_code, Facet.DURATION)  # 4 sessions, no lengths: the sessions are said
    assert course_answers(no_code, Facet.SYLLABUS)  # no sessions: the description
    assert derived_prerequisite(no_code) == "no necesitas saber programar"
    assert objectives(CATALOGUE[3]) == ("Montar un circuito.",) * 6
    assert detect_facets("al terminar q voy a saber hacer?") == (Facet.OUTCOMES,)
    assert Facet.BONUSES in detect_facets("trae mentoria?")
    # A presencial course is taught in a classroom: the school's note on recordings is not its.
    knowledge = SchoolKnowledge.model_validate(
        {"entries": [{"topic": "live_or_recorded", "answer": "En vivo y quedan grabadas."}]}
    )
    [answer] = plan_answers((Facet.LIVE_OR_RECORDED,), CATALOGUE[1], knowledge)
    assert answer.from_course and answer.knowledge is None


def test_the_question_words_name_no_course():
    assert without_question_words("necesito saber programar?") == ""
    assert without_question_words("cuanto cuesta el de arduino") == "el de arduino"


def test_a_superlative_narrowed_to_a_subject_ranks_that_subjects_courses():
    answer = _ask("y el mas barato de drones cual es?")
    assert answer.question.subject == "drones" and [c.id for c in answer.courses] == ["b"]
    assert _ask("cual es el mas barato de todos?").question.subject == ""


def test_something_more_advanced_is_a_level_above_the_course_on_screen():
    focus = CATALOGUE[0]  # principiante, Robótica
    answer = _ask("hay algo mas avanzado?", shown=[focus], reference=focus)
    assert answer.question.ask == CatalogueAsk.HARDER and answer.reference == focus
    assert answer.courses and all(c.level in {"intermedio", "avanzado"} for c in answer.courses)


def test_a_session_named_by_its_number_is_the_one_answered():
    from app.domain.facet_answers import asked_session

    session = asked_session("y que se ve en la clase 3?", CATALOGUE[3])
    assert session is not None and session.index == 3
    assert asked_session("de que se trata la 3?", CATALOGUE[3]) is None  # "la 3" is a course of a list


def test_an_extra_asked_for_is_looked_up_in_the_bonuses():
    from app.domain.facet_answers import asked_extra

    assert asked_extra("trae mentoría?", CATALOGUE[3]) == ("mentoría", True)
    assert asked_extra("incluye plantillas?", CATALOGUE[3]) == ("plantillas", False)
    assert asked_extra("trae bonos?", CATALOGUE[3]) is None
