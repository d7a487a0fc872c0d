import pytest

from app.application.ports import ProfileExtractor
from app.domain.courses import Level
from app.domain.profile import ProfileUpdate
from app.domain.profile_extraction import RuleProfileExtractor

extractor: ProfileExtractor = RuleProfileExtractor()


def extract(text: str) -> ProfileUpdate:
    return extractor.extract(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("soy Carolina", "Carolina"),
        ("Hola, soy carolina", "Carolina"),
        ("me llamo juan pablo", "Juan Pablo"),
        ("me llamo juan pablo y quiero info", "Juan Pablo"),
        ("Buenas, mi nombre es María José Pérez López", "María José Pérez"),
        ("habla María", "María"),
        ("aquí Pedro, de Monterrey", "Pedro"),
        ("hola soy ana y quiero aprender IA", "Ana"),
        ("Hola, soy Ana de Bogotá", "Ana"),
        ("SOY CARLOS", "Carlos"),
        ("Les escribe Luis desde Lima", "Luis"),
        ("mi nombre es JOSÉ", "José"),
    ],
)
def test_names(text, name):
    assert extract(text).name == name


@pytest.mark.parametrize(
    "text",
    [
        "soy contador",
        "soy de Bogotá",
        "soy nuevo",
        "soy nueva en esto",
        "soy estudiante de ingeniería",
        "soy principiante",
        "soy mexicana",
        "soy mamá de dos",
        "aquí en Lima",
        "aca andamos",
        "¿habla español?",
        "soy fanático de la IA",
        "soy una persona curiosa",
        "quiero ser programador",
    ],
)
def test_roles_places_and_adjectives_are_not_names(text):
    assert extract(text).name is None


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("soy contador", "contador"),
        ("soy contadora y quiero pasarme a datos", "contador"),
        ("trabajo como diseñadora", "diseñador"),
        ("soy estudiante de ingeniería", "estudiante"),
        ("estudio administración", "estudiante"),
        ("tengo una tienda de ropa", "emprendedor"),
        ("tengo un pequeño negocio", "emprendedor"),
        ("soy docente", "docente"),
        ("soy profe de primaria", "docente"),
        ("soy programador", "desarrollador"),
        ("soy médica", "médico"),
        ("soy abogada", "abogado"),
        ("trabajo de gerente en una fábrica", "gerente"),
        ("soy analista de datos", "analista"),
        ("trabajo en ventas", "vendedor"),
        ("me dedico al marketing", "marketer"),
        ("me dedico a la contabilidad", "contador"),
        ("Hola, soy Ana, contadora", "contador"),
        ("trabajo como data scientist", "científico de datos"),
    ],
)
def test_roles(text, role):
    assert extract(text).role == role


@pytest.mark.parametrize(
    "text",
    ["quiero ser programador", "me gustaría trabajar como analista", "en mi empresa hacemos reportes", "hola"],
)
def test_aspirations_and_workplaces_are_not_roles(text):
    assert extract(text).role is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("soy principiante", Level.PRINCIPIANTE),
        ("no sé nada de programación", Level.PRINCIPIANTE),
        ("quiero aprender desde cero", Level.PRINCIPIANTE),
        ("no tengo experiencia", Level.PRINCIPIANTE),
        ("nunca he programado", Level.PRINCIPIANTE),
        ("ya sé algo de python", Level.INTERMEDIO),
        ("tengo nivel intermedio en excel", Level.INTERMEDIO),
        ("tengo experiencia en análisis de datos", Level.AVANZADO),
        ("nivel avanzado", Level.AVANZADO),
        ("trabajo como data scientist", Level.AVANZADO),
    ],
)
def test_levels(text, level):
    assert extract(text).level == level.value


def test_no_level_when_none_is_stated():
    assert extract("quiero aprender python").level is None


@pytest.mark.parametrize(
    ("text", "pain_point"),
    [
        ("pierdo mucho tiempo en reportes", "pierde tiempo en reportes"),
        ("pierdo horas haciendo reportes en excel y me aburro", "pierde tiempo haciendo reportes en excel"),
        ("me paso el día filtrando CVs a mano", "pierde tiempo filtrando cvs"),
        ("tardo muchísimo armando los reportes", "tarda mucho armando los reportes"),
        ("capturamos los datos de las facturas a mano", "hace los datos de las facturas a mano"),
        ("me cuesta entender la programación", "le cuesta entender la programación"),
        ("no sé cómo automatizar mis facturas", "no sabe cómo automatizar mis facturas"),
        ("tardo mucho en hacer la nómina", "tarda mucho en hacer la nómina"),
        ("mis tareas son muy repetitivas", "tareas repetitivas"),
        ("hago las facturas a mano cada semana", "hace las facturas a mano"),
        ("todo el día copio y pego datos", "copia y pega datos a mano"),
    ],
)
def test_pain_points(text, pain_point):
    assert pain_point in extract(text).pain_points


@pytest.mark.parametrize(
    "text",
    [
        "cuánto cuesta el curso de python?",
        "escribir me cuesta un poco",
        "no sé cómo consiguieron mi número",
        "me demoro horas",
        "paso a pagar mañana",
    ],
)
def test_no_pain_points_without_a_task(text):
    assert extract(text).pain_points == ()


@pytest.mark.parametrize(
    "text",
    ["me anoto en el de excel avanzado", "el curso de excel intermedio cuánto cuesta?", "es para principiantes?"],
)
def test_course_levels_are_not_the_person_s_level(text):
    assert extract(text).level is None


def test_interests_come_from_the_topic_vocabulary():
    update = extract("me interesa python y el machine learning, también excel")
    assert set(update.interests) >= {"python", "machine learning", "excel"}


def test_a_full_introduction_fills_several_fields():
    update = extract(
        "Hola, me llamo Laura Gómez, soy contadora y pierdo mucho tiempo en conciliaciones. "
        "No sé nada de programación pero quiero aprender a automatizar con IA"
    )
    assert update.name == "Laura Gómez"
    assert update.role == "contador"
    assert update.level == Level.PRINCIPIANTE.value
    assert "pierde tiempo en conciliaciones" in update.pain_points
    assert {"automatización", "inteligencia artificial"} <= set(update.interests)


@pytest.mark.parametrize("text", ["", "   ", "👋", "?!"])
def test_empty_messages_teach_nothing(text):
    assert extract(text) == ProfileUpdate()
