"""Template replies in Spanish for every intent.

Every fact (course, price, sessions) comes from the courses in the context; the templates
only add the connecting words. Several openings per intent keep a long chat from sounding
like a machine, chosen by the interaction count so the same turn always reads the same.
"""

from __future__ import annotations

from collections.abc import Callable

from app.application.answer_questions import FacetReplyContext, RecapContext
from app.application.catalogue_turn import CatalogueReplyContext
from app.application.formatting import format_course_details, format_course_list
from app.application.ports import ReplyContext
from app.domain.courses import Course
from app.domain.intents import Intent
from app.domain.memory import UserMemory
from app.domain.text import normalize
from app.domain.topics import extract_topics
from app.infrastructure.templates import answers, catalogue


def _pick(options: tuple[str, ...], memory: UserMemory) -> str:
    return options[memory.interaction_count % len(options)]


def _name_suffix(memory: UserMemory) -> str:
    return f", {memory.first_name}" if memory.first_name else ""


def _interests_phrase(memory: UserMemory, lead: Course | None = None) -> str:
    """ "Veo que te interesa…": only the interests the first course offered is named for, so the
    phrase never names a subject the list does not lead with ("imágenes" read as content
    creation above a computer-vision course)."""
    interests = memory.interests
    if lead is not None:
        named_for = set(extract_topics(f"{lead.name} , {lead.category or ''}"))
        interests = [interest for interest in interests if interest in named_for]
    if not interests:
        return ""
    shown = interests[-3:]
    joined = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" y {shown[-1]}"
    return f" Veo que te interesa {joined}."


def _course_block(context: ReplyContext, closing: str) -> str:
    if context.detail_course is not None:
        return f"{format_course_details(context.detail_course)}\n\n{closing}"
    if context.courses:
        return f"{format_course_list(context.courses)}\n\n{closing}"
    return (
        "Cuéntame un poco más sobre lo que quieres lograr (por ejemplo: automatizar tareas, "
        "analizar datos, crear contenido o aprender a programar) y te recomiendo el curso ideal."
    )


def _greeting(context: ReplyContext) -> str:
    memory = context.memory
    if memory.interaction_count == 0:
        return (
            f"¡Hola{_name_suffix(memory)}! 👋 Soy el asesor virtual de cursos de IA y tecnología.\n\n"
            "Te ayudo a encontrar el curso ideal para ti. ¿Qué te gustaría aprender o qué tarea "
            "te gustaría automatizar? 🚀"
        )
    # Roles are stored in a canonical (masculine) form, so the phrase avoids gendering the person.
    role = f" En tu perfil ({memory.role}), la IA te puede ahorrar mucho trabajo." if memory.role else ""
    return (
        f"{_welcome_back(context)}{role}{_interests_phrase(memory)}\n\n"
        "¿En qué te puedo ayudar? Puedo recomendarte cursos, contarte precios, fechas y temarios, "
        "o ponerte en contacto con un asesor."
    )


def _welcome_back(context: ReplyContext) -> str:
    name = context.memory.first_name
    if name is None:
        return "¡Hola de nuevo! 😊"
    # The name is in this very message: they just introduced themselves.
    if normalize(name) in normalize(context.text).split():
        return f"¡Mucho gusto, {name}! 😊"
    return f"¡Hola de nuevo, {name}! 😊"


def _exploration(context: ReplyContext) -> str:
    memory = context.memory
    opening = _pick(
        (
            f"¡Excelente que estés explorando{_name_suffix(memory)}! 🎯",
            f"¡Con gusto te ayudo{_name_suffix(memory)}! 🎯",
            f"¡Buena elección empezar por aquí{_name_suffix(memory)}! 🎯",
        ),
        memory,
    )
    lead = "Te muestro los cursos que mejor encajan contigo:" if context.courses else ""
    body = _course_block(context, "¿Alguno de estos cursos te llama la atención?")
    first = context.courses[0] if context.courses else None
    return "\n\n".join(part for part in (opening + _interests_phrase(memory, first), lead, body) if part)


def _buying(context: ReplyContext) -> str:
    memory = context.memory
    opening = f"¡Qué buena noticia{_name_suffix(memory)}! 🙌 Me encanta que quieras dar el paso."
    if context.detail_course is not None:
        body = _course_block(
            context,
            "Para inscribirte, un asesor te envía el enlace de pago y resuelve tus dudas. "
            "¿Quieres que te contacte? Responde *sí* y le paso tus datos. 📲",
        )
        return f"{opening}\n\n{body}"
    if context.courses:
        # Several courses: which one comes first; a "sí" would not say.
        body = _course_block(
            context,
            "¿En cuál te quieres inscribir? Dime el número o el nombre y un asesor te envía el enlace de pago. 📲",
        )
        return f"{opening}\n\n{body}"
    return (
        f"{opening}\n\n¿En qué curso te quieres inscribir? Si me dices el tema, te confirmo precio, "
        "sesiones y modalidad, y un asesor te envía el enlace de pago. 📲"
    )


def _general_question(context: ReplyContext) -> str:
    memory = context.memory
    if context.detail_course is not None:
        return (
            f"¡Claro{_name_suffix(memory)}! Aquí tienes la información:\n\n"
            f"{format_course_details(context.detail_course)}\n\n"
            "¿Te gustaría saber algo más o reservar tu lugar?"
        )
    if context.courses:
        return (
            f"¡Buena pregunta{_name_suffix(memory)}! Estos son los cursos relacionados:\n\n"
            f"{format_course_list(context.courses)}\n\n"
            "Dime cuál te interesa y te doy todos los detalles (temario, fechas y bonos)."
        )
    return (
        f"¡Buena pregunta{_name_suffix(memory)}! Para darte el dato exacto, dime de qué curso o tema "
        "me hablas (por ejemplo: Python, automatización, análisis de datos o ChatGPT)."
    )


def _automation(context: ReplyContext) -> str:
    memory = context.memory
    opening = (
        f"¡Entiendo perfectamente{_name_suffix(memory)}! 🤖 Automatizar esas tareas te puede "
        "ahorrar muchas horas cada semana."
    )
    body = _course_block(context, "¿Cuál de estos se parece más a lo que necesitas automatizar?")
    return f"{opening}\n\n{body}"


def _profession_change(context: ReplyContext) -> str:
    memory = context.memory
    role = f" Tu experiencia ({memory.role}) es una gran ventaja." if memory.role else ""
    opening = f"¡Qué gran decisión{_name_suffix(memory)}! 💪 La IA abre muchas oportunidades profesionales.{role}"
    body = _course_block(context, "¿Quieres que te cuente cómo es la ruta para empezar?")
    return f"{opening}\n\n{body}"


def _price_objection(context: ReplyContext) -> str:
    memory = context.memory
    opening = (
        f"Te entiendo{_name_suffix(memory)}, es una inversión importante. 💡 "
        "Piensa en las horas que vas a ahorrar y en lo que puedes ganar con lo que aprendas."
    )
    if context.courses:
        return (
            f"{opening}\n\nEstas son las opciones de menor precio que encajan contigo:\n\n"
            f"{format_course_list(context.courses)}\n\n"
            "Si quieres, un asesor te cuenta las formas de pago disponibles."
        )
    return f"{opening}\n\nSi quieres, un asesor te cuenta las formas de pago disponibles."


def _time_objection(context: ReplyContext) -> str:
    memory = context.memory
    # Only what the catalogue says: which courses are shortest, not how flexible they are.
    opening = f"Te entiendo{_name_suffix(memory)}, el tiempo es oro. ⏰"
    if context.courses:
        return (
            f"{opening} Estas son las opciones con menos sesiones que encajan contigo:\n\n"
            f"{format_course_list(context.courses)}\n\n¿Alguno encaja con tu agenda?"
        )
    return f"{opening}\n\n¿Cuántas horas a la semana podrías dedicarle?"


def _contact_request(context: ReplyContext) -> str:
    if not context.handoff_recorded:
        # Nothing here can pass the conversation on: promise nothing.
        return (
            f"Entiendo{_name_suffix(context.memory)} 🙏 Desde este chat no puedo pasarte con un asesor, pero "
            "puedo contarte lo que necesites de los cursos: precios, fechas, temario o cómo inscribirte."
        )
    return (
        f"¡Por supuesto{_name_suffix(context.memory)}! 🙋 Ya le pasé tus datos a un asesor del "
        "equipo y te escribirá por este mismo chat lo antes posible.\n\n"
        "Mientras tanto, ¿hay algo que quieras que le adelante?"
    )


def _free_resources(context: ReplyContext) -> str:
    return (
        f"¡Claro{_name_suffix(context.memory)}! 📚 Por este chat no tengo material gratuito para "
        "compartir, pero varios cursos incluyen bonos como plantillas, comunidad y mentorías.\n\n"
        "¿Quieres que te cuente qué incluye el curso que más te interesa?"
    )


def _opt_out(context: ReplyContext) -> str:
    return (
        "Listo, no te enviaremos más mensajes. ✅ Si algún día quieres retomar, solo escríbenos "
        "por aquí. ¡Te deseamos lo mejor!"
    )


def _off_topic(context: ReplyContext) -> str:
    return (
        f"Jeje, de eso no sé mucho{_name_suffix(context.memory)} 😅 Yo te ayudo con cursos de IA y "
        "tecnología: automatización, análisis de datos, programación, ChatGPT y más.\n\n"
        "¿Qué te gustaría aprender?"
    )


_COMPOSERS: dict[Intent, Callable[[ReplyContext], str]] = {
    Intent.GREETING: _greeting,
    Intent.EXPLORATION: _exploration,
    Intent.BUYING_SIGNALS: _buying,
    Intent.GENERAL_QUESTION: _general_question,
    Intent.AUTOMATION_NEED: _automation,
    Intent.PROFESSION_CHANGE: _profession_change,
    Intent.PRICE_OBJECTION: _price_objection,
    Intent.TIME_OBJECTION: _time_objection,
    Intent.CONTACT_REQUEST: _contact_request,
    Intent.FREE_RESOURCES: _free_resources,
    Intent.OPT_OUT: _opt_out,
    Intent.OFF_TOPIC: _off_topic,
}


class SpanishTemplates:
    """The AdvisorTemplates port (replies, answers to questions, manners) in Spanish."""

    def compose(self, context: ReplyContext) -> str:
        return _COMPOSERS[context.intent](context)

    def media_only(self, memory: UserMemory) -> str:
        return (
            f"¡Gracias por el archivo{_name_suffix(memory)}! 📎 Por ahora solo puedo leer mensajes "
            "de texto. ¿Me cuentas por escrito qué te gustaría aprender?"
        )

    def voice_note(self, memory: UserMemory) -> str:
        return (
            f"¡Gracias por tu audio{_name_suffix(memory)}! 🎧 Ahora mismo no puedo escucharlo. "
            "¿Me lo escribes en un mensaje? Así te respondo enseguida."
        )

    def empty_message(self, memory: UserMemory) -> str:
        return f"¡Hola{_name_suffix(memory)}! 👋 Tu mensaje llegó vacío. ¿Me cuentas qué te gustaría aprender?"

    def consent_question(self, memory: UserMemory) -> str:
        return "Por cierto, ¿te gustaría que te avisemos por aquí de nuevos cursos y promociones? Responde *SÍ* o *NO*."

    def consent_answer(self, memory: UserMemory, given: bool) -> str:
        if given:
            return (
                f"¡Listo{_name_suffix(memory)}! ✅ Te avisaremos de nuevos cursos y promociones. "
                "Puedes pedir que dejemos de escribirte cuando quieras. ¿Te ayudo con algo más?"
            )
        return (
            f"Entendido{_name_suffix(memory)}, no te enviaremos promociones. 👍 "
            "¿Te ayudo con algo más sobre los cursos?"
        )

    def contact_declined(self, memory: UserMemory) -> str:
        return (
            f"¡Perfecto{_name_suffix(memory)}! Sin problema. 😊 Si tienes más preguntas sobre el curso "
            "(temario, fechas, modalidad), aquí estoy."
        )

    def acknowledgement(self, memory: UserMemory) -> str:
        if memory.human_requested:
            return f"¡Con gusto{_name_suffix(memory)}! 😊 Un asesor te escribirá pronto por aquí."
        return (
            f"¡Con gusto{_name_suffix(memory)}! 😊 Si quieres, te cuento más de algún curso "
            "(temario, fechas o precio) o te pongo en contacto con un asesor."
        )

    def answer_facets(self, context: FacetReplyContext) -> str:
        return answers.answer_facets(context)

    def ask_which_course(self, context: FacetReplyContext) -> str:
        return answers.ask_which_course(context)

    def course_recap(self, context: RecapContext) -> str:
        return answers.course_recap(context)

    def same_list(self, context: RecapContext) -> str:
        return answers.same_list(context)

    def answer_catalogue(self, context: CatalogueReplyContext) -> str:
        return catalogue.answer_catalogue(context)

    def in_english(self, memory: UserMemory) -> str:
        return catalogue.in_english()

    def offer_advisor(self, memory: UserMemory) -> str:
        return (
            f"¿Quieres que un asesor del equipo te escriba por aquí{_name_suffix(memory)}? Responde *sí* y le paso "
            "tus datos; si prefieres, cuéntame qué te gustaría aprender y te recomiendo un curso."
        )

    def closing(self, memory: UserMemory) -> str:
        if memory.human_requested:
            return f"¡Con gusto{_name_suffix(memory)}! 😊 Un asesor te escribirá pronto por aquí."
        return _pick(
            (
                f"¡Con gusto{_name_suffix(memory)}! 😊 Tómate tu tiempo. Si te surge alguna duda, escríbeme por aquí.",
                f"¡Claro{_name_suffix(memory)}! 😊 Piénsalo con calma; aquí estaré si quieres saber algo más.",
            ),
            memory,
        )

    def opted_out_again(self, memory: UserMemory) -> str:
        return _pick(
            (
                f"Entendido{_name_suffix(memory)}. Ya estás dado de baja: no te enviaremos más mensajes. ✅",
                f"Tranquilo{_name_suffix(memory)}, tu baja está confirmada y no te escribiremos más. ✅",
            ),
            memory,
        )

    def rephrase(self, text: str, memory: UserMemory) -> str:
        # Said once already: a shorter pointer to it reads better than the same text again.
        first_line = text.strip().split("\n", 1)[0]
        if len(first_line) < len(text.strip()):
            return f"Te lo resumo: {first_line} (los detalles están en mi mensaje anterior 👆)"
        return f"Como te decía{_name_suffix(memory)}: {text}"
