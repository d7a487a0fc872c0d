"""Relevance ranking and recommendations over the bundled catalogue and small hand-made ones."""

import json
import random
from pathlib import Path

import pytest

from app.domain.course_search import parse_level, rank_courses, recommend_courses
from app.domain.courses import Course, Level

CATALOG = Path(__file__).resolve().parents[2] / "app" / "infrastructure" / "catalog" / "courses.json"

ML = "Machine Learning con Python"
EXCEL_REPORTS = "Automatización de Reportes de Excel con Python e IA"
PYTHON = "Python desde Cero"
CHATBOTS = "Chatbots para WhatsApp con IA"
FINANCE = "IA para Finanzas y Contadores"


@pytest.fixture(scope="module")
def catalog() -> list[Course]:
    return [Course.model_validate(item) for item in json.loads(CATALOG.read_text(encoding="utf-8"))]


def names(courses: list[Course]) -> list[str]:
    return [c.name for c in courses]


def course(name: str, **fields: object) -> Course:
    values: dict[str, object] = {"id": name.lower().replace(" ", "-"), "name": name}
    values.update(fields)
    return Course.model_validate(values)


# --- ranking over the bundled catalogue ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("maquin lerning", ML),
        ("automatizar reportes de excel", EXCEL_REPORTS),
        ("pyton desde cero", PYTHON),
        ("chatbot para whatsapp", CHATBOTS),
        ("ia para contadores", FINANCE),
        # Plain requests as they arrive from WhatsApp: no accents, typos, filler words.
        ("qué cursos de python tienen?", PYTHON),
        ("progamacion en pyhton", PYTHON),
        ("automatisacion de reportes en exel", EXCEL_REPORTS),
        ("machin lerning", ML),
        ("Quiero aprender INTELIGENCIA ARTIFICAL", "Inteligencia Artificial desde Cero"),
        ("intelijencia artifisial", "Inteligencia Artificial desde Cero"),
        ("curso de chat gpt", "ChatGPT y Prompt Engineering para el Trabajo"),
        ("me interesa el marketing con ia", "Automatización de Marketing con IA"),
        ("analisis de datos con power bi", "Análisis de Datos con Python y Power BI"),
        ("ciensia de datos", "Ciencia de Datos Profesional"),
        ("deep lerning", "Deep Learning y Redes Neuronales"),
        ("redes neuronales", "Deep Learning y Redes Neuronales"),
        ("bot de wasap para mi negocio", CHATBOTS),
        ("como hago un chatbot", CHATBOTS),
        ("soy docente", "IA para Docentes"),
        ("ia para profes", "IA para Docentes"),
        ("reclutamiento de personal", "IA para Recursos Humanos"),
        ("ia para rrhh", "IA para Recursos Humanos"),
        ("automatizaciones sin codigo con zapier", "Automatización No-Code con n8n, Make y Zapier"),
        ("consultas sql", "SQL para Análisis de Datos"),
        ("vision artificial", "Visión por Computadora con OpenCV y PyTorch"),
        ("llms y rag", "NLP y Modelos de Lenguaje (LLMs)"),
        ("mlops en la nube", "MLOps y Despliegue de Modelos en la Nube"),
        ("ciberseguirdad", "Ciberseguridad con Inteligencia Artificial"),
        ("soy abogado", "IA para Abogados"),
        ("soy medico", "IA para la Salud"),
        ("quiero ser mas productivo", "Productividad con IA"),
        ("tecnicas para vender mas", "IA para Ventas"),
        ("contenido para redes sociales", "IA para Creación de Contenido"),
        ("cursos para contadores", FINANCE),
        ("finansas", FINANCE),
        ("tengo una pyme", "IA para Emprendedores y PyMEs"),
        ("hojas de calculo", "Excel Inteligente con Copilot y ChatGPT"),
    ],
)
def test_the_right_course_comes_first(catalog, query, expected_first):
    found = rank_courses(catalog, query, limit=3)
    assert found, f"nothing found for {query!r}"
    assert found[0].name == expected_first, names(found)


@pytest.mark.parametrize(
    "query",
    [
        "hola",
        "Holaaa buenas tardes",
        "jajaja",
        "el clima de mañana",
        "gracias!!",
        "ok",
        "😀😀",
        "",
        "   ",
        "cuanto cuesta?",
        "quiero pedir una pizza",
        "me gusta el futbol",
        "que hora es",
        "tengo poco tiempo",
        "necesito ayuda",
        "formas de pago",
        "quiero tomar clases",
    ],
)
def test_greetings_and_off_topic_find_nothing(catalog, query):
    assert rank_courses(catalog, query, limit=5) == []


def test_accents_and_case_do_not_change_the_result(catalog):
    plain = rank_courses(catalog, "automatizacion de reportes de excel", limit=5)
    assert rank_courses(catalog, "AUTOMATIZACIÓN de Reportes de EXCEL", limit=5) == plain
    assert plain[0].name == EXCEL_REPORTS


def test_order_does_not_depend_on_catalogue_order(catalog):
    shuffled = list(catalog)
    random.Random(7).shuffle(shuffled)
    for query in ("python", "ia", "automatizar", "datos"):
        assert rank_courses(shuffled, query, limit=10) == rank_courses(catalog, query, limit=10)


def test_limit_is_respected(catalog):
    assert len(rank_courses(catalog, "ia", limit=4)) == 4
    assert rank_courses(catalog, "python", limit=0) == []
    assert len(rank_courses(catalog, "python", limit=1)) == 1


def test_a_bare_topic_word_prefers_the_course_about_it(catalog):
    assert rank_courses(catalog, "ia", limit=1)[0].name == "Inteligencia Artificial desde Cero"
    assert rank_courses(catalog, "python", limit=1)[0].name == PYTHON


# --- ranking rules on hand-made catalogues ---------------------------------------------------


def test_name_outranks_tags_outranks_short_outranks_long():
    shared = "Robótica educativa para todos"
    courses = [
        course("Curso D", short_description=shared, long_description="Incluye un módulo de drones."),
        course("Curso C", short_description=f"{shared} con drones"),
        course("Curso B", short_description=shared, tags=("drones",)),
        course("Drones A", short_description=shared),
    ]
    assert names(rank_courses(courses, "robotica con drones", limit=5)) == ["Drones A", "Curso B", "Curso C", "Curso D"]


def test_a_long_description_alone_does_not_make_a_result():
    courses = [course("Curso de cocina", long_description="Al final verás un módulo de drones.")]
    assert rank_courses(courses, "drones", limit=5) == []


def test_topic_synonyms_find_courses_that_use_another_word():
    courses = [course("Hojas inteligentes", tags=("excel",)), course("Oratoria", tags=("hablar en público",))]
    assert names(rank_courses(courses, "planillas", limit=5)) == ["Hojas inteligentes"]


def test_equal_scores_are_ordered_by_name():
    twins = [course(name, short_description="Aprende robótica") for name in ("Zeta robótica", "Alfa robótica")]
    assert names(rank_courses(twins, "robotica", limit=5)) == ["Alfa robótica", "Zeta robótica"]


def test_works_on_a_tiny_catalogue():
    courses = [course("Python desde cero", level="principiante"), course("Excel con IA", level="intermedio")]
    assert names(rank_courses(courses, "pyton", limit=5)) == ["Python desde cero"]
    assert rank_courses([], "python", limit=5) == []


# --- recommendations -----------------------------------------------------------------------


def test_without_interests_beginners_get_beginner_courses(catalog):
    for level in (None, "principiante"):
        suggested = recommend_courses(catalog, [], level, limit=3)
        assert len(suggested) == 3
        assert {c.level for c in suggested} == {"principiante"}
    assert suggested[0].name == "Inteligencia Artificial desde Cero"


def test_without_interests_advanced_students_get_advanced_courses(catalog):
    suggested = recommend_courses(catalog, [], "avanzado", limit=3)
    assert {c.level for c in suggested} == {"avanzado"}


def test_unknown_interest_falls_back_to_the_default(catalog):
    assert recommend_courses(catalog, ["astrología"], None, limit=3) == recommend_courses(catalog, [], None, limit=3)


@pytest.mark.parametrize(
    ("interests", "level", "expected_first"),
    [
        (["machine learning"], None, ML),
        (["automatización"], "principiante", "Automatización No-Code con n8n, Make y Zapier"),
        (["automatización", "excel"], None, EXCEL_REPORTS),
        (["python"], "principiante", PYTHON),
        (["finanzas"], "principiante", FINANCE),
        (["educación"], None, "IA para Docentes"),
        (["chatbots", "ventas"], "intermedio", CHATBOTS),
        (["quiero automatizar mis reportes de excel"], None, EXCEL_REPORTS),
    ],
)
def test_interests_pick_the_matching_course(catalog, interests, level, expected_first):
    assert recommend_courses(catalog, interests, level, limit=3)[0].name == expected_first


@pytest.mark.parametrize(
    "interest", ["machine learning", "deep learning", "ciencia de datos", "python", "análisis de datos"]
)
def test_beginners_never_get_an_advanced_course_first(catalog, interest):
    suggested = recommend_courses(catalog, [interest], "principiante", limit=3)
    assert suggested
    assert suggested[0].level != "avanzado", names(suggested)


def test_an_advanced_course_is_offered_when_it_is_the_only_match(catalog):
    assert names(recommend_courses(catalog, ["nlp"], "principiante", limit=3)) == ["NLP y Modelos de Lenguaje (LLMs)"]


def test_an_advanced_course_still_appears_after_the_suitable_ones(catalog):
    suggested = recommend_courses(catalog, ["deep learning"], "principiante", limit=5)
    levels = [c.level for c in suggested]
    assert "Deep Learning y Redes Neuronales" in names(suggested)
    assert levels.index("avanzado") > levels.index("intermedio")


def test_the_students_level_wins_between_equal_courses():
    courses = [
        course("Robótica I", level="principiante", tags=("robótica",)),
        course("Robótica II", level="intermedio", tags=("robótica",)),
        course("Robótica III", level="avanzado", tags=("robótica",)),
    ]
    assert recommend_courses(courses, ["robótica"], "intermedio", limit=1)[0].name == "Robótica II"
    assert recommend_courses(courses, ["robótica"], "Básico", limit=1)[0].name == "Robótica I"
    assert names(recommend_courses(courses, ["robótica"], "avanzado", limit=3))[-1] == "Robótica I"


def test_recommendation_limit(catalog):
    assert recommend_courses(catalog, ["python"], None, limit=0) == []
    assert len(recommend_courses(catalog, [], None, limit=5)) == 5


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("principiante", Level.PRINCIPIANTE),
        ("Básico", Level.PRINCIPIANTE),
        ("nivel intermedio", Level.INTERMEDIO),
        ("AVANZADO", Level.AVANZADO),
        ("experto", Level.AVANZADO),
        ("", None),
        (None, None),
        ("no sé", None),
    ],
)
def test_parse_level(text, level):
    assert parse_level(text) == level
