"""Which course a message means: the words that set a course apart, the last sentence that
names one, "el otro", "ninguno" and a change of mind; on the bundled catalogue and on
catalogues the code has never seen."""

import asyncio

import pytest

from app.application.query_courses import QueryCourseInformation
from app.domain.course_search import rank_courses
from app.domain.courses import Course, CourseSession
from app.domain.focus import CourseNames, changes_mind, courses_named, named_course_id, other_course_id, rejects_listed
from app.domain.memory import UserMemory
from tests.fakes import FakeCourseRepository

# A catalogue of another school, written for these tests: none of its words is in any list.
INVENTED = [
    Course(id="cer", name="Cerámica para Principiantes", short_description="Modela y esmalta tus primeras piezas.",
           long_description="Trabajo en torno y a mano, hornos y esmaltes, para quien nunca tocó el barro."),
    Course(id="foto", name="Fotografía de Producto con el Celular",
           short_description="Fotos que venden, tomadas con tu teléfono.",
           long_description="Para emprendedores que venden en línea: luz natural, fondos, composición y edición "
                            "de imágenes de tus productos para catálogos y tiendas en redes.",
           sessions=(CourseSession(id="f1", index=1, title="Luz y fondos caseros",
                                   objective="Iluminar un producto sin estudio."),)),
    Course(id="inspeccion", name="Inspección Visual Automatizada",
           short_description="Control de calidad en líneas de producción.",
           long_description="Entrena modelos que revisan piezas en la línea y señalan las que salen mal.",
           sessions=(CourseSession(id="i1", index=1, title="Detección de defectos",
                                   objective="Detectar defectos con cámaras industriales."),)),
    Course(id="prompts", name="Prompt Engineering para Profesionales", short_description="Prompts para el trabajo."),
    Course(id="repo", name="Repostería Creativa", short_description="Pasteles y galletas decoradas."),
]  # fmt: skip
NAMES = CourseNames((c.id, c.name) for c in INVENTED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cuanto cuesta el de ceramica?", "cer"),
        ("y el de reposteira?", "repo"),  # a typo of a rare word
        ("me interesa lo de fotografia de producto", "foto"),
        ("quiero el de INSPECCIÓN visual", "inspeccion"),
        ("que experiencia tiene el profe?", None),  # "profe" is no beginning of "Profesionales"
        ("el curso para principiantes cuanto dura", "cer"),
        ("hola, que cursos tienen?", None),
    ],
)
def test_a_course_is_named_by_the_words_that_set_it_apart(text, expected):
    assert named_course_id(text, NAMES) == expected


def test_a_course_named_in_the_last_sentence_beats_one_named_before():
    text = "estoy entre el de ceramica y el de reposteria... cuanto cuesta el de reposteria?"
    assert named_course_id(text, NAMES) == "repo"
    assert courses_named(text, NAMES) == ["cer", "repo"]


def test_a_word_most_names_share_names_no_course():
    names = CourseNames([("a", "IA para Ventas"), ("b", "IA para Docentes"), ("c", "IA en la Salud"), ("d", "Excel")])
    assert named_course_id("el de ia", names) is None
    assert named_course_id("el de ia para docentes", names) == "b"


def test_words_about_what_a_course_is_like_name_no_course():
    names = CourseNames([("chatgpt", "ChatGPT para el Trabajo"), ("boot", "Bootcamp para Empresas"), ("x", "Excel")])
    for text in ("cuanto cuesta? lo quiero para mi trabajo", "es para empresas?", "es online?"):
        assert named_course_id(text, names) is None, text
    assert named_course_id("el de chatgpt", names) == "chatgpt"


def test_other_points_at_the_course_not_in_focus():
    memory = UserMemory(user_id="u")
    focus = memory.focus
    focus.last_list_ids = ["a", "b"]
    focus.point_at("a")
    memory.update_focus(focus)
    assert other_course_id(memory) == "b"
    focus.last_list_ids = []
    focus.point_at("c")
    memory.update_focus(focus)
    assert other_course_id(memory) == "a"  # the course in focus before


@pytest.mark.parametrize(
    ("text", "none", "changed"),
    [
        ("ninguno me convence", True, False),
        ("mejor no... algo de marketing", False, True),
        ("pensandolo bien, prefiero otra cosa", False, True),
        ("cuanto cuesta el ninguneo", False, False),
        ("mejor no, gracias", False, False),  # a decline, not a change of mind
        ("mejor otro dia te escribo", False, False),
        ("me gusta el segundo", False, False),
    ],
)
def test_turning_away_from_the_courses_shown(text, none, changed):
    assert rejects_listed(text) is none
    assert changes_mind(text) is changed


def test_a_need_told_in_the_students_words_finds_the_course_that_describes_it():
    assert [c.id for c in rank_courses(INVENTED, "quiero detectar defectos con camaras", 1)] == ["inspeccion"]
    assert [c.id for c in rank_courses(INVENTED, "vendo ropa por instagram y necesito mejores fotos", 1)] == ["foto"]
    assert rank_courses(INVENTED, "el clima de mañana", 3) == []


def test_the_focus_follows_the_course_named_not_a_prefix_of_a_common_word():
    query = QueryCourseInformation(FakeCourseRepository(INVENTED))
    memory = UserMemory(user_id="u")
    focus = memory.focus
    focus.point_at("cer")
    memory.update_focus(focus)
    selected = asyncio.run(query.select_focus("quien da el curso? que experiencia tiene el profe", memory))
    assert selected.course is not None and selected.course.id == "cer"
    assert asyncio.run(query.select_focus("mejor no... algo de reposteria", memory)).course.id == "repo"
    assert asyncio.run(query.select_focus("mejor no, otra cosa", memory)).course is None
