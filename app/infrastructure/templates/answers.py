"""Spanish answers to facet questions ("cuánto cuesta?", "tienen certificado?"), briefly.

Each fact comes from the course's fields or, word for word, from the school's knowledge
file; what neither has is said honestly ("no tengo ese dato") with a person offered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.application.answer_questions import FacetReplyContext, RecapContext
from app.domain.courses import Course, CourseSession
from app.domain.facet_answers import (
    FacetAnswer,
    activity_kinds,
    asked_extra,
    asked_session,
    certificate_bonus,
    derived_prerequisite,
    objectives,
    prerequisite_sentence,
    session_minutes,
    session_total,
    total_minutes,
)
from app.domain.facets import Facet
from app.domain.intents import Intent
from app.domain.memory import UserMemory

SYLLABUS_SHOWN = 8
MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre",
)  # fmt: skip
# How the honest "no tengo ese dato" names what is missing.
FACET_LABELS: dict[Facet, str] = {
    Facet.PRICE: "el precio",
    Facet.DURATION: "la duración total",
    Facet.SESSION_LENGTH: "la duración de cada sesión",
    Facet.SESSION_COUNT: "el número de sesiones",
    Facet.START_DATE: "la fecha de inicio",
    Facet.SCHEDULE: "el horario",
    Facet.MODALITY: "la modalidad",
    Facet.LIVE_OR_RECORDED: "si las clases son en vivo o grabadas",
    Facet.LOCATION: "la ubicación",
    Facet.SYLLABUS: "el temario",
    Facet.ACTIVITIES: "las actividades",
    Facet.BONUSES: "los bonos",
    Facet.CERTIFICATE: "el certificado",
    Facet.LEVEL: "el nivel",
    Facet.PREREQUISITES: "los requisitos previos",
    Facet.LANGUAGE: "el idioma",
    Facet.ENROLMENT: "la inscripción",
    Facet.PAYMENT_METHODS: "las formas de pago",
    Facet.INSTALMENTS: "el pago en cuotas",
    Facet.DISCOUNTS: "descuentos",
    Facet.SCHOLARSHIPS: "becas",
    Facet.COMPANY_PRICING: "precios para empresas o grupos",
    Facet.REFUNDS: "reembolsos",
    Facet.INVOICE: "la facturación",
    Facet.INSTRUCTOR: "quién imparte el curso",
    Facet.SUPPORT_HOURS: "el horario de atención",
    Facet.OUTCOMES: "lo que sabrás hacer al terminar",
}
ACTIVITY_PLURALS = {
    "video": "videos", "lectura": "lecturas", "ejercicio": "ejercicios prácticos", "quiz": "quizzes",
    "proyecto": "un proyecto", "taller": "talleres",
}  # fmt: skip
NO_DATA = "no tengo ese dato; ¿quieres que un asesor te lo confirme? Responde *sí* y le paso tu pregunta."


def name_suffix(memory: UserMemory) -> str:
    return f", {memory.first_name}" if memory.first_name else ""


def spanish_date(day: date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def join_clauses(clauses: list[str]) -> str:
    """ "cuesta $99 USD, tiene 5 sesiones e inicia el..." ("e" before an i- sound)."""
    if len(clauses) <= 1:
        return "".join(clauses)
    last = clauses[-1]
    conjunction = "e" if last[:1].lower() in {"i", "í"} and not last.lower().startswith(("ie", "io")) else "y"
    return f"{', '.join(clauses[:-1])} {conjunction} {last}"


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:g} horas" if hours != 1 else "1 hora"


# --- one clause per facet the course's fields answer -------------------------------------------


def _price(course: Course) -> str:
    return "es gratis" if course.price_amount == 0 else f"cuesta {course.price_label}"


def _duration(course: Course) -> str:
    minutes = total_minutes(course)
    if minutes is None:
        # No lengths in the data: the sessions are what it has.
        return f"tiene {session_total(course)} sesiones (no tengo su duración en horas)"
    sessions = session_total(course)
    return f"dura {_hours(minutes)} en total" + (f", en {sessions} sesiones" if sessions else "")


def _session_length(course: Course) -> str:
    lengths = session_minutes(course)
    if len(lengths) == 1:
        return f"tiene sesiones de {lengths[0]} minutos"
    return f"tiene sesiones de entre {lengths[0]} y {lengths[-1]} minutos"


def _session_count(course: Course) -> str:
    return f"tiene {session_total(course)} sesiones"


def _start_date(course: Course) -> str:
    assert course.start_date is not None
    return f"inicia el {spanish_date(course.start_date)}"


def _schedule(course: Course) -> str:
    dates = [s.starts_on for s in course.sessions if s.starts_on][:4]
    return "tiene sesiones el " + ", ".join(spanish_date(d) for d in dates)


def _modality(course: Course) -> str:
    return f"es {course.modality}"


def _location(course: Course) -> str:
    return "es online, así que lo tomas desde donde estés"


def _live_or_recorded(course: Course) -> str:
    return "es presencial: las clases son en persona, en el aula"


def _level(course: Course) -> str:
    return f"es de nivel {course.level}"


def _certificate(course: Course) -> str:
    return f"incluye: {certificate_bonus(course)}"


def _activities(course: Course) -> str:
    kinds = [ACTIVITY_PLURALS.get(kind, kind) for kind in activity_kinds(course)]
    return f"sus sesiones traen {join_clauses(kinds)}"


_CLAUSES: dict[Facet, Callable[[Course], str]] = {
    Facet.PRICE: _price,
    Facet.DURATION: _duration,
    Facet.SESSION_LENGTH: _session_length,
    Facet.SESSION_COUNT: _session_count,
    Facet.START_DATE: _start_date,
    Facet.SCHEDULE: _schedule,
    Facet.MODALITY: _modality,
    Facet.LOCATION: _location,
    Facet.LEVEL: _level,
    Facet.CERTIFICATE: _certificate,
    Facet.ACTIVITIES: _activities,
    Facet.LIVE_OR_RECORDED: _live_or_recorded,
}


def _syllabus_block(course: Course) -> str:
    if not course.sessions:
        return f"*{course.name}* trata de esto: {course.long_description or course.short_description}"
    shown = course.sessions[:SYLLABUS_SHOWN]
    lines = [f"Temario de *{course.name}*:"] + [f"{s.index}. {s.title}" for s in shown]
    if len(course.sessions) > len(shown):
        lines.append(f"… y {len(course.sessions) - len(shown)} sesiones más")
    return "\n".join(lines)


def _session_block(course: Course, session: CourseSession) -> str:
    length = f" ({session.duration_minutes} minutos)" if session.duration_minutes else ""
    goal = f"\nObjetivo: {session.objective}" if session.objective else ""
    return f"Sesión {session.index} de *{course.name}*: {session.title}{length}.{goal}"


def _extra_block(course: Course, asked: str, found: bool) -> str:
    """ "¿trae mentoría?": yes or no first, from the bonuses, then what it does include."""
    lead = "Sí." if found else f"En los bonos de *{course.name}* no aparece {asked}."
    return f"{lead} {_bonuses_block(course)}"


def _bonuses_block(course: Course) -> str:
    return f"*{course.name}* incluye:\n" + "\n".join(f"🎁 {bonus.content}" for bonus in course.bonuses)


def _prerequisites_block(course: Course) -> str:
    level = f" Es de nivel {course.level}." if course.level else ""
    stated = prerequisite_sentence(course)
    if stated is None:
        derived = derived_prerequisite(course) or ""
        if derived.startswith("es "):  # "es para principiantes…": the level is said already
            return f"*{course.name}* {derived}."
        return f"Para *{course.name}* {derived}.{level}"
    return f"Sobre *{course.name}*: {stated}{level}"


def _outcomes_block(course: Course) -> str:
    goals = objectives(course)
    if not goals:
        return f"Con *{course.name}*: {course.long_description or course.short_description}"
    return f"Al terminar *{course.name}* sabrás:\n" + "\n".join(f"• {goal}" for goal in goals[:SYLLABUS_SHOWN])


_BLOCKS: dict[Facet, Callable[[Course], str]] = {
    Facet.SYLLABUS: _syllabus_block,
    Facet.BONUSES: _bonuses_block,
    Facet.PREREQUISITES: _prerequisites_block,
    Facet.OUTCOMES: _outcomes_block,
}


# --- the reply -------------------------------------------------------------------------------

# A facet another one asked with it already answers: the duration states the sessions, the
# prerequisites the level ("cuántas horas y cuántas sesiones" says the sessions once).
_SAID_BY: dict[Facet, Facet] = {Facet.LEVEL: Facet.PREREQUISITES, Facet.SESSION_COUNT: Facet.DURATION}


def answer_facets(context: FacetReplyContext) -> str:
    course = context.course
    clauses: list[str] = []
    blocks: list[str] = []
    school: list[str] = []
    unknown: list[FacetAnswer] = []
    for answer in context.answers:
        if answer.from_course and course is not None:
            if answer.facet == Facet.SYLLABUS and (session := asked_session(context.text, course)) is not None:
                blocks.append(_session_block(course, session))
            elif answer.facet == Facet.BONUSES and (extra := asked_extra(context.text, course)) is not None:
                blocks.append(_extra_block(course, *extra))
            elif answer.facet in _BLOCKS:
                blocks.append(_BLOCKS[answer.facet](course))
            elif _SAID_BY.get(answer.facet) not in _facets(context):
                clauses.append(_CLAUSES[answer.facet](course))
            if answer.knowledge is not None:
                school.append(answer.knowledge)
        elif answer.knowledge is not None:
            school.append(_with_course_note(answer, course))
        else:
            unknown.append(answer)
    parts: list[str] = []
    if clauses and course is not None:
        parts.append(f"*{course.name}* {join_clauses(clauses)}.")
    parts += blocks + school
    if unknown:
        parts.append(_unknown_sentence(unknown, course, first=not parts))
    elif context.intent == Intent.BUYING_SIGNALS and course is not None:
        parts.append("¿Quieres que un asesor te contacte para inscribirte? Responde *sí* y le paso tus datos. 📲")
    return "\n\n".join(parts)


def _facets(context: FacetReplyContext) -> set[Facet]:
    return {answer.facet for answer in context.answers}


def _with_course_note(answer: FacetAnswer, course: Course | None) -> str:
    """The school's text; for a certificate, also what this course's bonuses say."""
    if answer.facet == Facet.CERTIFICATE and course is not None:
        return f"{answer.knowledge} En los bonos de *{course.name}* no aparece un certificado."
    if answer.facet == Facet.PREREQUISITES and course is not None and course.level:
        return f"*{course.name}* es de nivel {course.level}. {answer.knowledge}"
    return answer.knowledge or ""


def _unknown_sentence(unknown: list[FacetAnswer], course: Course | None, *, first: bool) -> str:
    labels = join_clauses([FACET_LABELS[answer.facet] for answer in unknown])
    about = f" de *{course.name}*" if course is not None and first else ""
    level = ""
    if course is not None and course.level and any(a.facet == Facet.PREREQUISITES for a in unknown):
        level = f"*{course.name}* es de nivel {course.level}. "
        about = ""
    return f"{level}Sobre {labels}{about}: {NO_DATA}"


def ask_which_course(context: FacetReplyContext) -> str:
    known = [a.knowledge for a in context.answers if a.knowledge is not None]
    missing = [FACET_LABELS[a.facet] for a in context.answers if a.knowledge is None]
    question = (
        f"¿De qué curso te gustaría saber {join_clauses(missing)}{name_suffix(context.memory)}? Dime el tema "
        "(por ejemplo Python, Excel, marketing o ChatGPT) y te lo digo."
    )
    return "\n\n".join([*known, question])


def course_recap(context: RecapContext) -> str:
    course = context.course
    assert course is not None
    price = f" ({course.price_label})" if course.price_label else ""
    if context.intent == Intent.BUYING_SIGNALS:
        return (
            f"¡Genial{name_suffix(context.memory)}! 🙌 Para inscribirte en *{course.name}*{price}, un asesor te envía "
            "el enlace de pago. ¿Quieres que te contacte? Responde *sí* y le paso tus datos. 📲"
        )
    return (
        f"La ficha de *{course.name}*{price} te la compartí más arriba 👆 ¿Qué te gustaría saber: fechas, "
        "horario, temario, certificado o cómo inscribirte?"
    )


def same_list(context: RecapContext) -> str:
    names = "\n".join(f"{i}. *{course.name}*" for i, course in enumerate(context.courses, start=1))
    return (
        f"Son los mismos cursos que te mostré{name_suffix(context.memory)}:\n{names}\n\n"
        "¿Cuál te interesa? Dime el número y te cuento precio, fechas o temario."
    )
