"""What a student asks about a course or the school: its price, its dates, how to pay...

A message can carry an intent ("a question") and, beside it, the *facets* it asks about
("cuánto cuesta y cuántas sesiones tiene?" asks PRICE and SESSION_COUNT). The facets decide
what a reply states; the intent decides its tone and side effects.

Patterns run on the canonical text of the intent rules (normalised, abbreviations
expanded, typos corrected towards their vocabulary), so "cuanto cuezta" and "tienen
certifcado" are read like their correct forms. They look for the *question*, not the
word: "quiero un curso online" does not ask about the modality, "es online?" does.
"""

from __future__ import annotations

import re
from enum import StrEnum

from app.domain.intent_rules import canonical_tokens
from app.domain.text import normalize


class Facet(StrEnum):
    """A detail a student can ask about; the values are also the school-knowledge topics."""

    PRICE = "price"
    DURATION = "duration"
    SESSION_LENGTH = "session_length"
    SESSION_COUNT = "session_count"
    START_DATE = "start_date"
    SCHEDULE = "schedule"
    MODALITY = "modality"
    LIVE_OR_RECORDED = "live_or_recorded"
    LOCATION = "location"
    SYLLABUS = "syllabus"
    ACTIVITIES = "activities"
    BONUSES = "bonuses"
    CERTIFICATE = "certificate"
    LEVEL = "level"
    PREREQUISITES = "prerequisites"
    LANGUAGE = "language"
    ENROLMENT = "enrolment"
    PAYMENT_METHODS = "payment_methods"
    INSTALMENTS = "instalments"
    DISCOUNTS = "discounts"
    SCHOLARSHIPS = "scholarships"
    COMPANY_PRICING = "company_pricing"
    REFUNDS = "refunds"
    INVOICE = "invoice"
    INSTRUCTOR = "instructor"
    SUPPORT_HOURS = "support_hours"
    OUTCOMES = "outcomes"  # what the student will be able to do at the end


# Facets about the school rather than one course: answered from the school-knowledge file
# even when no course is in focus.
SCHOOL_FACETS: frozenset[Facet] = frozenset(
    {
        Facet.PAYMENT_METHODS,
        Facet.INSTALMENTS,
        Facet.DISCOUNTS,
        Facet.SCHOLARSHIPS,
        Facet.COMPANY_PRICING,
        Facet.REFUNDS,
        Facet.INVOICE,
        Facet.SUPPORT_HOURS,
    }
)

_Q = r"(?:cuanto|cuanta|cuantos|cuantas|cual|cuales|que|como|cuando|donde|quien|hay|tiene|tienen|es|son)"

_PATTERNS: dict[Facet, str] = {
    Facet.PRICE: (
        r"\bcuanto (?:cuesta|cuestan|vale|valen|sale|salen|cobran|es|era|seria|me sale|costaria|costaba|esta)\b"
        r"|\b(?:precio|precios|costo|costos|coste|valor|tarifa|inversion)\b"
        r"|\bcuanto (?:hay que|tengo que|debo) pagar\b|\bque precio\b"
    ),
    Facet.DURATION: (
        r"\bcuanto (?:dura|duran|tiempo dura|tiempo es|tiempo toma|tiempo lleva)\b|\bduracion\b"
        r"|\bcuantas (?:horas|semanas)\b(?! (?:por|cada|a la) (?:sesion|clase|semana|dia))"
        r"|\bcuantos (?:meses|dias)\b|\bhoras (?:son|tiene|dura|en total)\b|\bhoras totales\b"
        r"|\bduran? mucho\b|\bes (?:muy )?largo\b"
    ),
    Facet.SESSION_LENGTH: (
        r"\b(?:cada|por) (?:sesion|clase)\b|\bcuanto duran? cada (?:una|uno)\b|\bduran las (?:sesiones|clases)\b"
        r"|\bde cuanto (?:son|es) (?:las|cada) (?:sesiones|clases|sesion|clase)\b"
        r"|\b(?:sesiones|clases) (?:son )?de cuant[oa]s?\b|\bcuanto dura (?:la|una) (?:sesion|clase)\b"
    ),
    Facet.SESSION_COUNT: (
        r"\bcuant[oa]s (?:sesiones|clases|modulos|lecciones|encuentros)\b"
        r"|\b(?:numero|cantidad) de (?:sesiones|clases|modulos)\b"
    ),
    Facet.START_DATE: (
        r"\bcuando (?:empieza|empiezan|inicia|inician|comienza|comienzan|arranca|arrancan|es|abre|sale|seria|parte"
        r"|parten)\b"
        r"|\bfecha(?:s)?\b|\b(?:inicio|comienzo|arranque)\b|\bproxima (?:fecha|cohorte|edicion)\b"
        r"|\bcuando (?:puedo|podria) empezar\b|\b(?:empieza|inicia|comienza|arranca|empiezan|inician|arrancan) cuando\b"
    ),
    Facet.SCHEDULE: (
        r"\bhorario(?:s)?\b(?! de atencion)|\ba que hora\b|\bque dias\b|\bque dia\b|\bdias y horas?\b|\bentre semana\b"
        r"|\b(?:clases|sesiones|son|es|hay clases) (?:los |el |en )?(?:lunes|martes|miercoles|jueves|viernes|sabados?"
        r"|domingos?)\b"
        r"|\ben (?:la|las) (?:mañana|mañanas|tarde|tardes|noche|noches)\b|\bfin(?:es)? de semana\b"
    ),
    Facet.MODALITY: (
        r"\bmodalidad\b|\b(?:es|son|sera|seria|las clases son|el curso es) "
        r"(?:\w+ )?(?:online|virtual|virtuales|presencial|presenciales|hibrido|hibrida|en linea|a distancia|remoto)\b"
        r"|\b(?:online|virtual|presencial) o (?:online|virtual|presencial|hibrido)\b"
        r"|\b(?:hay|tienen|tiene) (?:version |opcion |modalidad )?(?:online|virtual|presencial|en linea)\b"
        r"|\bpuedo (?:tomarlo|hacerlo|estudiar|verlo) (?:desde|online|en linea)\b"
    ),
    Facet.LIVE_OR_RECORDED: (
        r"\ben vivo\b|\bgrabad[oa]s?\b|\bgrabacion(?:es)?\b|\bquedan? grabad|\basincronic|\bsincronic"
        r"|\ba (?:mi|tu|su) (?:propio )?ritmo\b|\bpuedo (?:ver|repetir) las clases\b|\bdiferido\b|\bsi falto\b"
        r"|\b(?:ver|verla|verlas|verlo|verlos|repetirla|repetirlas) (?:despues|luego|mas tarde|otro dia)\b"
    ),
    Facet.LOCATION: (
        r"\bdonde (?:queda|quedan|es|son|seria|estan|esta|se da|se dan|se dicta|dan)\b|\bdireccion\b|\bsede\b"
        r"|\bubicacion\b|\bubicados\b|\bcampus\b|\ben que ciudad\b|\bcomo llego\b|\ben que salon\b"
    ),
    Facet.SYLLABUS: (
        r"\btemario\b|\bque temas\b|\bque (?:se )?(?:ve|ven|veo|veria|aprendo|aprenderia|enseñan|ensenan|incluye el"
        r" temario)\b|\bcontenido del curso\b|\bcontenidos\b|\bplan de estudios\b|\bprograma del curso\b"
        r"|\bmodulos\b(?<!cuantos modulos)|\bde que (?:trata|se trata)\b|\bque (?:trae|tiene) el curso\b"
    ),
    Facet.ACTIVITIES: (
        # "tareas repetitivas", "un proyecto": words of a need, unless asked about the course.
        r"\bactividades\b|\bejercicios\b|\b(?:hay|tiene|tienen|incluye|con|se hacen) (?:practicas|proyectos?"
        r"|quiz(?:zes|es)?|tareas)\b|\bes (?:muy )?practico\b|\bquiz(?:zes|es)?\b"
    ),
    Facet.BONUSES: (
        r"\bbono(?:s)?\b|\bbonus\b|\b(?:incluye|incluyen|trae|traen|viene con|vienen con)\b|\bextras?\b"
        r"|\bmaterial(?:es)?\b"
    ),
    Facet.CERTIFICATE: r"\bcertificad[oa]s?\b|\bcertificacion\b|\bconstancia\b|\bdiploma\b|\btitulo\b|\bcertifican\b",
    Facet.LEVEL: (
        r"\bnivel\b|\bes (?:para )?(?:principiantes?|basico|avanzado|intermedio)\b|\bes (?:muy )?dificil\b"
        r"|\bpara (?:principiantes|novatos|gente sin experiencia)\b"
    ),
    Facet.PREREQUISITES: (
        r"\brequisitos?\b|\bprerrequisitos?\b|\bconocimientos previos\b|\bexperiencia previa\b"
        # "necesito saber programar": the skill asked about is part of the question, not a course's name.
        r"|\b(?:necesito|hay que|tengo que|debo|ocupo) saber(?: (?:programar|codigo|matematicas|ingles|nada))?\b"
        r"|\bse necesita saber\b|\bnecesito (?:experiencia|"
        r"conocimientos|una computadora|computadora|laptop|instalar)\b|\bsin saber (?:nada|programar)\b"
        r"|\b(?:hay que|tengo que|debo) instalar\b|\binstalar algo\b|\bque necesito (?:para|tener)\b"
    ),
    Facet.LANGUAGE: r"\bidioma\b|\ben (?:español|espanol|ingles)\b|\bsubtitul",
    Facet.ENROLMENT: (
        r"\b(?:como|donde) (?:me )?(?:inscribo|inscribirme|inscribe|registro|matriculo|compro|lo compro|pago|reservo)\b"
        r"|\binscripcion(?:es)?\b|\b(?:link|enlace|liga|url) (?:de|para) (?:pago|compra|inscripcion|inscribirme)\b"
        r"|\bpasos para (?:inscribirme|inscribirse)\b|\bmatricula\b"
    ),
    Facet.PAYMENT_METHODS: (
        r"\b(?:formas?|metodos?|medios?|opciones) de pago\b|\btarjeta\b|\bpaypal\b|\btransferencia\b"
        r"|\befectivo\b|\boxxo\b|\bmercado ?pago\b|\bnequi\b|\byape\b|\bdeposito\b|\bcomo se paga\b"
        r"|\bcomo (?:puedo )?pagar\b|\baceptan (?!pago en cuotas)"
    ),
    Facet.INSTALMENTS: (
        r"\bcuotas?\b|\ba plazos\b|\bplazos\b|\bmensualidades\b|\bmeses sin intereses\b|\bfinanciamiento\b"
        r"|\bfinanciacion\b|\bpagar (?:en|por) partes\b|\bpagos? (?:parciales|mensuales)\b|\bpago fraccionado\b"
    ),
    Facet.DISCOUNTS: r"\bdescuentos?\b|\bpromocion(?:es)?\b|\bpromo\b|\bcupon(?:es)?\b|\bofertas?\b|\brebaja\b",
    Facet.SCHOLARSHIPS: r"\bbecas?\b|\bbecad[oa]\b|\bapoyo economico\b",
    Facet.COMPANY_PRICING: (
        r"\bpara (?:mi |la |nuestra |una |las )?empresas?\b|\bcapacitacion(?:es)?\b|\bcapacitar a\b"
        r"|\bcorporativ[oa]s?\b|\bin company\b|\bgrupal(?:es)?\b|\bpara (?:mi|nuestro) equipo\b"
        r"|\bsomos \d+\b|\bsomos (?:varios|varias|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)\b"
        r"|\b(?:precio|tarifa|cotizacion) (?:por|para) (?:grupo|grupos|equipo)\b|\bcotizacion\b|\bmis empleados\b"
        r"|\bmi equipo\b|\bmis colaboradores\b|\bgrupo de (?:\d+|varias|personas|colaboradores|empleados)\b"
        r"|\b\d+ (?:personas|empleados|colaboradores)\b"
    ),
    Facet.REFUNDS: (
        r"\breembols\w*|\bdevolucion\b|\bdevolv\w*|\bdevuelv\w*|\bme regresan\b|\bgarantia\b|\bsi no me gusta\b"
        r"|\b(?:recuperar|regresan) (?:el|mi) dinero\b"
        r"|\bcancelar (?:la|mi) inscripcion\b|\bme arrepiento\b"
    ),
    Facet.INVOICE: r"\bfactura(?:s|cion)?\b|\bfacturan\b|\brecibo\b|\bcfdi\b|\bcomprobante fiscal\b",
    Facet.INSTRUCTOR: (
        r"\bquien (?:lo |la )?(?:da|dicta|imparte|enseña|ensena|es el profe|es la profe|es el profesor|es la profesora"
        r"|es el instructor|es la instructora)\b|\binstructor(?:es|a)?\b|\b(?:el|la|los) (?:profe|profesor|profesora)"
        r"(?:es)? del curso\b|\bquienes son los (?:profes|profesores|instructores)\b"
    ),
    Facet.OUTCOMES: (
        r"\bque (?:voy a|vas a|va a|vamos a|podre|podria|sabre|sabria) (?:saber |poder )?(?:hacer|lograr|aprender)\b"
        r"|\bque (?:aprendere|lograre|consigo|gano) (?:con|al)\b|\bal (?:terminar|finalizar|acabar)\b"
        r"|\bal final del curso\b|\bpara que (?:me )?sirve\b|\bobjetivos?\b"
    ),
    Facet.SUPPORT_HOURS: (
        r"\bhorario de atencion\b|\ba que hora (?:atienden|contestan|abren|cierran)\b|\bhasta que hora atienden\b"
        r"|\batienden (?:los )?(?:sabados|domingos|fines de semana)\b"
    ),
}
_COMPILED: tuple[tuple[Facet, re.Pattern[str]], ...] = tuple(
    (facet, re.compile(pattern)) for facet, pattern in _PATTERNS.items()
)
# Pairs where the more specific facet makes the general one a false reading: "cuánto dura
# cada clase" asks the session length, not the whole course; "horario de atención" is not
# a class timetable; "precio para empresas" is a company quote.
_SUPERSEDES: tuple[tuple[Facet, Facet], ...] = (
    (Facet.SESSION_LENGTH, Facet.DURATION),
    (Facet.SUPPORT_HOURS, Facet.SCHEDULE),
    (Facet.COMPANY_PRICING, Facet.PRICE),
    (Facet.INSTALMENTS, Facet.PAYMENT_METHODS),
    (Facet.SCHOLARSHIPS, Facet.DISCOUNTS),
    (Facet.ENROLMENT, Facet.PAYMENT_METHODS),
)


def question_text(text: str) -> str:
    """The text the facet patterns read: canonical tokens, plus the plain normalised form so
    that words the spelling corrector does not know are still seen."""
    return f"{' '.join(canonical_tokens(text))} | {normalize(text)}"


# "cuánto dura cada clase y cuántas son?": the second question leaves out the noun the first named.
_COUNTABLE = re.compile(r"\b(sesion|clase|modulo|leccion|semana|hora)(?:es|s)?\b")
_ELIDED_COUNT = re.compile(r"\b(cuant[oa]s) (?=(?:son|serian|seran|hay|tiene|tienen|incluye)\b)")
_PLURAL = {"sesion": "sesiones", "clase": "clases", "modulo": "modulos", "leccion": "lecciones",
           "semana": "semanas", "hora": "horas"}  # fmt: skip


def with_elided_nouns(read: str) -> str:
    """ "cuántas son" after a question that named classes reads "cuántas clases son"."""

    def restore(match: re.Match[str]) -> str:
        named = list(_COUNTABLE.finditer(read, 0, match.start()))
        return f"{match[1]} {_PLURAL[named[-1][1]]} " if named else match[0]

    return _ELIDED_COUNT.sub(restore, read)


def detect_facets(text: str) -> tuple[Facet, ...]:
    """The facets the message asks about, in the order of the Facet enumeration."""
    read = with_elided_nouns(question_text(text))
    found = {facet for facet, pattern in _COMPILED if pattern.search(read)}
    for specific, general in _SUPERSEDES:
        if specific in found and general in found and _only_in_specific(read, specific, general):
            found.discard(general)
    return tuple(facet for facet in Facet if facet in found)


def without_question_words(text: str) -> str:
    """The message without the words of the facet questions it asks ("cuánto cuesta", "necesito
    saber programar"): what is left names the course, if anything does."""
    read = normalize(text)
    for _, pattern in _COMPILED:
        read = pattern.sub(" ", read)
    return " ".join(read.split())


def _only_in_specific(read: str, specific: Facet, general: Facet) -> bool:
    """The general facet's cue is part of the specific one's phrase ("cuanto dura cada clase")."""
    general_matches = [m.span() for m in re.finditer(_PATTERNS[general], read)]
    specific_matches = [m.span() for m in re.finditer(_PATTERNS[specific], read)]
    # A general cue counts on its own only when it is far (over 25 characters) from every specific cue.
    return all(any(abs(gs - ss) <= 25 for ss, _ in specific_matches) for gs, _ in general_matches)
