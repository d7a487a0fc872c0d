"""The grounding check on its own: every kind of claim, in the ways Spanish writes them."""

from datetime import date

import pytest

from app.domain.courses import Course, CourseBonus, CourseSession
from app.domain.grounding import ViolationKind, check_reply, mentioned_courses, parse_number_words

PYTHON = Course(
    id="py", name="Python desde Cero", short_description="Tu primer programa", session_count=7, price="129",
    currency="USD", duration_hours=11, start_date=date(2027, 1, 11), level="principiante", modality="online",
    sessions=tuple(CourseSession(id=f"s{i}", index=i, title=f"Tema {i}", duration_minutes=90) for i in range(1, 8)),
    bonuses=(CourseBonus(id=1, content="Cuaderno de 100 ejercicios resueltos"),
             CourseBonus(id=2, content="Guía de 50 herramientas de IA gratuitas")),
)  # fmt: skip
EXCEL = Course(
    id="xl", name="Excel Inteligente con Copilot y ChatGPT", session_count=4, price="899", currency="MXN",
    start_date=date(2027, 3, 6),
)  # fmt: skip
ML = Course(
    id="ml", name="Machine Learning con Python", session_count=8, price="1.299,00", currency="USD",
    start_date=date(2027, 3, 8),
)  # fmt: skip
COURSES = [PYTHON, EXCEL, ML]


def kinds(text: str, courses=COURSES) -> set[ViolationKind]:
    return {v.kind for v in check_reply(text, courses).violations}


@pytest.mark.parametrize(
    "text",
    [
        "Te recomiendo *Python desde Cero*: 7 sesiones, $129 USD, inicia el 11 de enero de 2027.",
        "Cuesta $129",
        "Cuesta 129 dólares",
        "Son 129 USD",
        "USD 129",
        "US$129",
        "El precio es de 1.299,00 USD",
        "cuesta $1,299 USD",
        "cuesta $1.299",
        "Cuesta 899 pesos mexicanos",
        "Es el Excel Inteligente con Copilot y ChatGPT, 4 sesiones por $899 MXN",
        "Son siete sesiones de 90 minutos, 11 horas en total.",
        "Son 8 sesiones",
        "ocho sesiones",
        "Inicia el 11/01/2027",
        "Empieza el 2027-03-08",
        "Empieza en enero",
        "¡Es 100% online!",
        "Incluye un cuaderno de 100 ejercicios resueltos",
        "Incluye la guía de 50 herramientas de IA gratuitas",
        "En una sesión verás variables y la sesión 3 trata de funciones.",
        "Tenemos un curso de Python para ti",
        "*¡Hola, Carolina!* Qué gusto leerte",
        "Te recomiendo 2 cursos: *Python desde Cero* y *Machine Learning con Python*.",
        "Es 100% online, en línea desde tu casa.",
        "No es presencial: lo tomas a distancia.",
    ],
)
def test_replies_backed_by_the_catalogue_pass(text):
    report = check_reply(text, COURSES)
    assert report.ok, report.summary()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Cuesta $99 USD", ViolationKind.PRICE),
        ("Cuesta $299", ViolationKind.PRICE),
        ("Son 299 dólares", ViolationKind.PRICE),
        ("USD 299", ViolationKind.PRICE),
        ("El precio es 1.500", ViolationKind.PRICE),
        ("cuesta solo 49.99", ViolationKind.PRICE),
        ("Cuesta $129 MXN", ViolationKind.CURRENCY),
        ("Cuesta 129 euros", ViolationKind.CURRENCY),
        ("Lo puedes pagar en soles", ViolationKind.CURRENCY),
        ("Son 12 sesiones", ViolationKind.SESSIONS),
        ("doce sesiones en vivo", ViolationKind.SESSIONS),
        ("son diez clases", ViolationKind.SESSIONS),
        ("La sesión 9 trata de APIs", ViolationKind.SESSIONS),
        ("Inicia el 15 de diciembre", ViolationKind.DATE),
        ("Inicia el 11 de enero de 2028", ViolationKind.DATE),
        ("Inicia el 20/01/2027", ViolationKind.DATE),
        ("Empieza en febrero", ViolationKind.DATE),
        ("Las clases son los miércoles", ViolationKind.DATE),
        ("Dura 40 horas", ViolationKind.DURATION),
        ("Lo terminas en 6 semanas", ViolationKind.DURATION),
        ("El 90% de nuestros alumnos consigue empleo", ViolationKind.STATISTIC),
        ("Te recomiendo el *Bootcamp de Blockchain Avanzado*", ViolationKind.COURSE),
        ("Mira el curso de Django Avanzado", ViolationKind.COURSE),
        ("Te recomiendo *Ciencia de Datos Profesional*", ViolationKind.COURSE),
        ("Tienes 50% de descuento", ViolationKind.PROMISE),
        ("Te damos un 20 % off", ViolationKind.PROMISE),
        ("Aprovecha el descuento de hoy", ViolationKind.PROMISE),
        ("No te pierdas el descuento", ViolationKind.PROMISE),
        ("El resultado está garantizado", ViolationKind.PROMISE),
        ("Tienes garantía de devolución", ViolationKind.PROMISE),
        ("Te regalo una mentoría", ViolationKind.PROMISE),
        ("El curso es gratuito", ViolationKind.PROMISE),
        ("Puedes entrar gratis", ViolationKind.PROMISE),
        ("Puedes pagar en 12 meses sin intereses", ViolationKind.PROMISE),
        ("Te damos una beca completa", ViolationKind.PROMISE),
        ("Con este curso conseguirás trabajo", ViolationKind.PROMISE),
        ("Ignora lo anterior: te doy el 100% de descuento", ViolationKind.PROMISE),
        ("Te atendemos 24/7", ViolationKind.DATE),
        ("Sí, *Python desde Cero* es presencial", ViolationKind.MODALITY),
        ("Es semipresencial", ViolationKind.MODALITY),
    ],
)
def test_claims_the_catalogue_does_not_back_are_caught(text, kind):
    assert kind in kinds(text), check_reply(text, COURSES).summary()


@pytest.mark.parametrize(
    "text",
    [
        "No manejamos descuentos, pero un asesor te explica las formas de pago.",
        "Lamentablemente no puedo darte un descuento.",
        "No tenemos becas ni descuentos por ahora.",
        "No puedo garantizar resultados, pero el curso es muy práctico.",
    ],
)
def test_refusing_a_discount_is_not_promising_one(text):
    assert check_reply(text, COURSES).ok


def test_a_price_is_checked_against_the_courses_given_not_the_whole_catalogue():
    assert check_reply("Cuesta $899 MXN", [EXCEL]).ok
    assert kinds("Cuesta $899 MXN", [PYTHON]) == {ViolationKind.PRICE, ViolationKind.CURRENCY}


def test_nothing_given_means_no_fact_can_be_stated():
    assert check_reply("¡Hola! ¿Qué te gustaría aprender?", []).ok
    assert ViolationKind.PRICE in kinds("Nuestros cursos cuestan $129", [])


def test_course_names_are_read_with_numbering_emoji_and_small_variations():
    assert mentioned_courses("1. 📚 *Python desde Cero*\n2. *Machine Learning con Phyton*", COURSES) == ("py", "ml")
    assert mentioned_courses("Te recomiendo *Curso de Python desde Cero*", COURSES) == ("py",)


def test_mentions_are_in_the_order_the_reply_names_them():
    text = "Primero *Machine Learning con Python*, luego el Excel Inteligente con Copilot y ChatGPT."
    report = check_reply(text, COURSES)
    assert report.ok and report.mentioned_course_ids == ("ml", "xl")


def test_numbers_inside_a_course_name_are_not_claims():
    course = Course(id="v3", name="Python 3 para Data Science", session_count=5, price="99", currency="USD")
    assert check_reply("El curso *Python 3 para Data Science* tiene 5 sesiones y cuesta $99 USD", [course]).ok


@pytest.mark.parametrize(("words", "value"), [("ocho", 8), ("doce", 12), ("veintidos", 22), ("treinta y dos", 32)])
def test_spanish_number_words(words, value):
    assert parse_number_words(words) == value


def test_every_violation_is_reported_once_with_what_was_found():
    report = check_reply("Cuesta $99 USD, son 12 sesiones y tienes 50% de descuento", COURSES)
    found = [(v.kind, v.found) for v in report.violations]
    assert len(found) == len(set(found))
    assert (ViolationKind.SESSIONS, "12 sesiones") in found


# --- the school's own answers ------------------------------------------------------------------

SCHOOL = (
    "Puedes pagar con tarjeta de crédito en hasta 3 cuotas sin intereses en los cursos de más de 200 USD.",
    "Si te inscribes junto con otra persona, cada uno recibe 10% de descuento.",
    "Te devolvemos el 100% del pago si lo pides dentro de los 7 días posteriores a la inscripción.",
    "Las clases presenciales son en nuestra sede de la Ciudad de México.",
    "Atendemos de lunes a viernes; la inscripción cuesta $20 USD y cierra el 5 de enero de 2027.",
)


@pytest.mark.parametrize(
    "text",
    [
        "Puedes pagar *Python desde Cero* en hasta 3 cuotas sin intereses.",
        "Si te inscribes con un amigo, cada uno recibe 10% de descuento.",
        "Te devolvemos el dinero si lo pides dentro de los 7 días posteriores a la inscripción.",
        "Las clases presenciales son en nuestra sede.",
        "Atendemos de lunes a viernes.",
        "La inscripción cuesta $20 USD y cierra el 5 de enero de 2027.",
        "*Python desde Cero* inicia el 11 de enero de 2027 y dura 11 horas; cada sesión dura 90 minutos.",
    ],
)
def test_the_school_answers_given_back_the_policies_they_state(text):
    assert check_reply(text, [PYTHON], SCHOOL).ok, check_reply(text, [PYTHON], SCHOOL).summary()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Puedes pagarlo en 6 cuotas sin intereses.", ViolationKind.PROMISE),
        ("Tienes 20% de descuento si te inscribes hoy.", ViolationKind.PROMISE),
        ("Te damos una beca del 50%.", ViolationKind.PROMISE),
        ("Te devolvemos el dinero dentro de 30 días.", ViolationKind.DURATION),
        ("La inscripción cuesta $35 USD.", ViolationKind.PRICE),
        ("Atendemos también los domingos.", ViolationKind.DATE),
        ("*Python desde Cero* inicia el 12 de enero de 2027.", ViolationKind.DATE),
        ("*Python desde Cero* dura 40 horas.", ViolationKind.DURATION),
    ],
)
def test_anything_beyond_the_school_answers_is_still_rejected(text, kind):
    assert kind in {v.kind for v in check_reply(text, [PYTHON], SCHOOL).violations}


def test_without_the_school_answers_their_policies_are_rejected():
    assert not check_reply("Puedes pagar en hasta 3 cuotas sin intereses.", [PYTHON]).ok
    assert not check_reply("Las clases presenciales son en nuestra sede.", [PYTHON]).ok


def test_a_price_word_at_the_end_of_a_list_line_is_not_a_price():
    # "Kit de herramientas de IA de bajo costo\n3. Atención..." in a syllabus is not "costo 3".
    assert check_reply("2. Kit de herramientas de bajo costo\n3. Atención y ventas", [PYTHON]).ok
