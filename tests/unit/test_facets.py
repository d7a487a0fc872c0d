"""Facets: what a message asks, read from the way students write."""

import pytest

from app.domain.facets import Facet, detect_facets

F = Facet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cuanto cuesta?", {F.PRICE}),
        ("cuanto kuesta el curzo", {F.PRICE}),
        ("cuanto cuesta y cuantas sesiones tiene?", {F.PRICE, F.SESSION_COUNT}),
        ("cuantas horas son", {F.DURATION}),
        ("cuantas clases son y cuanto dura cada una?", {F.SESSION_COUNT, F.SESSION_LENGTH}),
        ("cuanto dura cada clase", {F.SESSION_LENGTH}),
        ("arranca cuando?", {F.START_DATE}),
        ("cual es el horario?", {F.SCHEDULE}),
        ("tiene clases los sabados?", {F.SCHEDULE}),
        ("cuanto era?", {F.PRICE}),
        ("hay que instalar algo?", {F.PREREQUISITES}),
        ("es presencial o virtual?", {F.MODALITY}),
        ("es en vivo o grabado?", {F.LIVE_OR_RECORDED}),
        ("si falto a una clase la puedo ver despues?", {F.LIVE_OR_RECORDED}),
        ("donde queda la sede?", {F.LOCATION}),
        ("que temas ve", {F.SYLLABUS}),
        ("que bonos trae", {F.BONUSES}),
        ("tiene proyectos o ejercicios?", {F.ACTIVITIES}),
        ("tienen sertificado?", {F.CERTIFICATE}),
        ("necesito saber programar?", {F.PREREQUISITES}),
        ("las clases son en ingles?", {F.LANGUAGE}),
        ("como me inscribo", {F.ENROLMENT}),
        ("que formas de pago aceptan", {F.PAYMENT_METHODS}),
        ("se puede pagar a plazos?", {F.INSTALMENTS}),
        ("tienen descuento?", {F.DISCOUNTS}),
        ("hay becas?", {F.SCHOLARSHIPS}),
        ("cuanto cuesta para un grupo de 8 personas?", {F.COMPANY_PRICING}),
        ("me devuelven el dinero si no me gusta?", {F.REFUNDS}),
        ("emiten factura?", {F.INVOICE}),
        ("quien lo dicta?", {F.INSTRUCTOR}),
        ("a que hora atienden?", {F.SUPPORT_HOURS}),
    ],
)
def test_the_facets_asked_are_recognised(text, expected):
    assert set(detect_facets(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hola",
        "quiero un curso online de python",  # wants online courses; does not ask the modality
        "soy principiante",
        "trabajo en una empresa de logistica",
        "soy docente de primaria",  # a teacher, not a question about the instructor
        "ok gracias",
        "necesito automatizar tareas repetitivas sin programar",
        "quiero usar ia en el salon de clases",
    ],
)
def test_statements_are_not_questions(text):
    assert detect_facets(text) == ()


@pytest.mark.parametrize(
    ("text", "facet"),
    [("cuanto dura cada clase y cuantas son?", Facet.SESSION_COUNT),
     ("de cuanto es cada sesion y cuantas tiene el curso?", Facet.SESSION_COUNT)],
)  # fmt: skip
def test_a_second_question_that_leaves_out_its_noun_reads_the_noun_of_the_first(text: str, facet: Facet) -> None:
    assert facet in detect_facets(text) and Facet.SESSION_LENGTH in detect_facets(text)


def test_a_count_with_no_noun_named_before_asks_no_session_count() -> None:
    assert Facet.SESSION_COUNT not in detect_facets("cuanto cuesta y cuantas son las cuotas?")
