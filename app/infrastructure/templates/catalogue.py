"""Spanish answers to questions about the whole catalogue, and the reply to English messages.

Every course, price, count and length comes from the CatalogueAnswer; these functions only
add the connecting words.
"""

from __future__ import annotations

from decimal import Decimal

from app.application.answer_questions import FacetReplyContext
from app.application.catalogue_turn import CatalogueReplyContext
from app.domain.catalogue_questions import CatalogueAnswer, CatalogueAsk
from app.domain.courses import Course
from app.domain.facet_answers import session_total, total_minutes
from app.domain.intents import Intent
from app.infrastructure.templates.answers import answer_facets, join_clauses, name_suffix, spanish_date

_MODALITY_PLURALS = {"online": "online", "presencial": "presenciales", "híbrido": "híbridos", "hibrido": "híbridos"}


def _count_of(count: int, modality: str) -> str:
    """ "1 presencial", "7 presenciales"."""
    return f"{count} {modality if count == 1 else _MODALITY_PLURALS.get(modality, modality)}"
_SUPERLATIVE_WORDS = {
    CatalogueAsk.CHEAPEST: "el más económico",
    CatalogueAsk.DEAREST: "el de mayor precio",
    CatalogueAsk.SHORTEST: "el más corto",
    CatalogueAsk.LONGEST: "el más largo",
    CatalogueAsk.EASIEST: "el más accesible para empezar",
    CatalogueAsk.HARDEST: "el más avanzado",
    CatalogueAsk.SOONEST: "el que empieza primero",
}
_MORE = "¿Quieres que te cuente más de alguno?"


def _amount(amount: Decimal) -> str:
    return f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"


def _length(course: Course) -> str:
    minutes, sessions = total_minutes(course), session_total(course)
    parts = []
    if minutes:
        hours = minutes / 60
        parts.append(f"{hours:g} horas" if hours != 1 else "1 hora")
    if sessions:
        parts.append(f"{sessions} sesiones")
    return " en ".join(parts)


def _line(course: Course, ask: CatalogueAsk) -> str:
    """One course, led by the figure the question ranks on."""
    facts: list[str] = []
    lead = {
        CatalogueAsk.SHORTEST: _length(course),
        CatalogueAsk.LONGEST: _length(course),
        CatalogueAsk.EASIEST: f"nivel {course.level}" if course.level else "",
        CatalogueAsk.HARDEST: f"nivel {course.level}" if course.level else "",
        CatalogueAsk.SOONEST: f"inicia el {spanish_date(course.start_date)}" if course.start_date else "",
    }.get(ask, "")
    if lead:
        facts.append(lead)
    if course.price_label:
        facts.append(course.price_label)
    if course.level and ask not in {CatalogueAsk.EASIEST, CatalogueAsk.HARDEST}:
        facts.append(f"nivel {course.level}")
    if course.modality:
        facts.append(course.modality)
    return f"• *{course.name}*: {' · '.join(facts)}"


def answer_catalogue(context: CatalogueReplyContext) -> str:
    answer = context.answer
    ask = answer.question.ask
    if ask == CatalogueAsk.NOT_OFFERED:
        return _not_offered(answer)
    if ask == CatalogueAsk.PRICE_RANGE:
        return _price_range(answer)
    if ask == CatalogueAsk.MODALITIES:
        return _modalities(answer)
    if ask == CatalogueAsk.FREE:
        return _free(answer)
    if ask == CatalogueAsk.IN_MODALITY:
        return _in_modality(answer)
    if ask == CatalogueAsk.CHEAPER:
        return _cheaper(answer)
    if ask == CatalogueAsk.HARDER:
        return _harder(answer)
    if ask == CatalogueAsk.COMPARE:
        return _compare(context)
    if not context.more:
        return _ranking(answer, ask)
    # Each ranking asked, one after the other, and the offer to tell more once at the end.
    parts = [_ranking(found, found.question.ask).removesuffix(f"\n\n{_MORE}") for found in (answer, *context.more)]
    return "\n\n".join(parts) + f"\n\n{_MORE}"


def _ranking(answer: CatalogueAnswer, ask: CatalogueAsk) -> str:
    first, *others = answer.courses
    question = answer.question
    where = "De los que te mostré" if question.among_shown else "De todo nuestro catálogo"
    if answer.within_context:
        where = "De los cursos que van con lo que buscas"
    if question.subject and not question.among_shown:
        where = f"De nuestros cursos de {question.subject}"
    if question.modality and not question.among_shown:
        taught = _MODALITY_PLURALS.get(question.modality, question.modality)
        where = f"{where} {taught}" if question.subject else f"De nuestros cursos {taught}"
    text = f"{where}, {_SUPERLATIVE_WORDS[ask]} es *{first.name}*.\n{_line(first, ask)}"
    if others:
        text += "\n\nLe siguen:\n" + "\n".join(_line(course, ask) for course in others)
    return f"{text}\n\n{_MORE}"


def _cheaper(answer: CatalogueAnswer) -> str:
    reference = answer.reference
    if not answer.courses:
        if reference is None:
            return f"No tengo cursos más económicos que esos. {_MORE}"
        return (
            f"*{reference.name}* ({reference.price_label}) ya es de los más económicos: no tengo cursos "
            "por menos en esa moneda. Si el precio es un tema, puedo contarte las formas de pago."
        )
    than = f" que *{reference.name}* ({reference.price_label})" if reference is not None else ""
    lines = "\n".join(_line(course, CatalogueAsk.CHEAPEST) for course in answer.courses)
    return f"Sí, estos cuestan menos{than}:\n{lines}\n\n{_MORE}"


def _harder(answer: CatalogueAnswer) -> str:
    reference = answer.reference
    than = f" que *{reference.name}* (nivel {reference.level})" if reference is not None and reference.level else ""
    if not answer.courses:
        return f"No tengo cursos de un nivel más alto{than}. {_MORE}"
    lines = "\n".join(_line(course, CatalogueAsk.HARDEST) for course in answer.courses)
    return f"Sí, estos son de un nivel más alto{than}:\n{lines}\n\n{_MORE}"


def _free(answer: CatalogueAnswer) -> str:
    free = [course for course in answer.courses if course.price_amount == 0]
    if free:
        lines = "\n".join(_line(course, CatalogueAsk.CHEAPEST) for course in free)
        return f"¡Sí! Estos cursos son gratuitos:\n{lines}\n\n{_MORE}"
    if not answer.courses:
        return "Por ahora ninguno de nuestros cursos es gratuito."
    cheapest = answer.courses[0]
    return (
        f"Por ahora ninguno de nuestros cursos es gratuito. El más económico es *{cheapest.name}* "
        f"({cheapest.price_label}).\n\n{_MORE}"
    )


def _price_range(answer: CatalogueAnswer) -> str:
    ranges = [f"entre ${_amount(low)} y ${_amount(high)} {currency}".rstrip() for currency, low, high in
              answer.price_ranges]  # fmt: skip
    if not ranges:
        return "No tengo los precios de los cursos; un asesor te los puede confirmar."
    text = f"Nuestros cursos cuestan {join_clauses(ranges)}, según el curso."
    if answer.courses:
        cheapest = answer.courses[0]
        text += f" El más económico es *{cheapest.name}* ({cheapest.price_label})."
    return f"{text}\n\n¿De qué tema te gustaría? Así te digo el precio exacto."


def _modalities(answer: CatalogueAnswer) -> str:
    counts = [(modality, count) for modality, count in answer.modality_counts if count]
    if len(counts) == 1:
        modality = counts[0][0]
        return f"Todos nuestros cursos son {_MODALITY_PLURALS.get(modality, modality)}. ¿Te cuento de alguno?"
    described = [_count_of(count, modality) for modality, count in counts]
    return (
        f"Depende del curso: de nuestros {answer.total} cursos, {join_clauses(described)}. "
        "Dime cuál te interesa y te digo su modalidad."
    )


def _in_modality(answer: CatalogueAnswer) -> str:
    modality = answer.question.subject
    plural = _MODALITY_PLURALS.get(modality, modality)
    if not answer.courses:
        return f"Por ahora no tenemos cursos {plural}. ¿Te cuento de los que sí hay?"
    lines = "\n".join(_line(course, CatalogueAsk.IN_MODALITY) for course in answer.courses)
    more = answer.total - len(answer.courses)
    tail = f"\n… y {more} más." if more > 0 else ""
    courses = f"1 curso {modality}" if answer.total == 1 else f"{answer.total} cursos {plural}"
    return f"Tenemos {courses}:\n{lines}{tail}\n\n{_MORE}"


def _not_offered(answer: CatalogueAnswer) -> str:
    subject = answer.question.subject
    what = f": {join_clauses(list(answer.categories))}" if answer.categories else ""
    return (
        f"No tenemos cursos de {subject} 🙏 Lo nuestro es IA y tecnología{what}. ¿Te gustaría que te recomiende alguno?"
    )


def _compare(context: CatalogueReplyContext) -> str:
    if context.compared:
        parts = [
            answer_facets(
                FacetReplyContext(
                    intent=Intent.GENERAL_QUESTION, text="", memory=context.memory, answers=answers, course=course
                )
            )
            for course, answers in context.compared
        ]
        return "\n\n".join(parts)
    lines = "\n".join(_line(course, CatalogueAsk.COMPARE) for course in context.answer.courses)
    return f"Te los comparo{name_suffix(context.memory)}:\n{lines}\n\n¿Cuál se ajusta más a lo que buscas?"


def in_english() -> str:
    return (
        "Thanks for your message! 😊 Our courses are taught in Spanish (classes and materials). "
        "If that works for you, I'm happy to go on: tell me what you would like to learn, in Spanish "
        "or English, and I'll suggest a course."
    )
