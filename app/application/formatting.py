"""WhatsApp formatting of catalogue facts, and splitting long replies into parts."""

from __future__ import annotations

from app.domain.courses import Course
from app.domain.messages import WHATSAPP_PART_LIMIT

MODALITY_ICONS = {"online": "💻", "presencial": "🏫", "híbrido": "🔀", "hibrido": "🔀"}


def course_facts_line(course: Course) -> str:
    """Level, modality and sessions on one line; only the facts the catalogue has."""
    facts: list[str] = []
    if course.level:
        facts.append(f"📊 Nivel: {course.level}")
    if course.modality:
        icon = MODALITY_ICONS.get(course.modality.lower(), "💻")
        facts.append(f"{icon} Modalidad: {course.modality}")
    if course.session_count:
        facts.append(f"🗓️ Sesiones: {course.session_count}")
    return " | ".join(facts)


def format_course_for_chat(course: Course, position: int | None = None) -> str:
    """A course as a WhatsApp block: bold name, description, facts, price."""
    prefix = f"{position}. " if position is not None else ""
    lines = [f"*{prefix}📚 {course.name}*"]
    if course.short_description:
        lines.append(f"📝 {course.short_description}")
    facts = course_facts_line(course)
    if facts:
        lines.append(facts)
    if course.price_label:
        lines.append(f"💰 Precio: {course.price_label}")
    return "\n".join(lines)


def format_course_list(courses: list[Course] | tuple[Course, ...]) -> str:
    return "\n\n".join(format_course_for_chat(c, i) for i, c in enumerate(courses, start=1))


def format_course_details(course: Course, max_sessions: int = 8) -> str:
    """A course with its start date, sessions and bonuses, for a student who asked about it."""
    blocks = [format_course_for_chat(course)]
    if course.start_date:
        blocks.append(f"📅 Inicio: {course.start_date.strftime('%d/%m/%Y')}")
    if course.sessions:
        shown = course.sessions[:max_sessions]
        lines = ["*Temario:*"] + [f"{s.index}. {s.title}" for s in shown]
        if len(course.sessions) > len(shown):
            lines.append(f"… y {len(course.sessions) - len(shown)} sesiones más")
        blocks.append("\n".join(lines))
    if course.bonuses:
        blocks.append("*Incluye:*\n" + "\n".join(f"🎁 {b.content}" for b in course.bonuses))
    return "\n\n".join(blocks)


def split_for_whatsapp(text: str, limit: int = WHATSAPP_PART_LIMIT) -> tuple[str, ...]:
    """Split a reply into parts of at most `limit` characters.

    Cuts at paragraph breaks first, then line breaks, then spaces, so a course block is
    not broken in the middle when it can be avoided.
    """
    text = text.strip()
    if len(text) <= limit:
        return (text,) if text else ()
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        candidate = f"{current}{piece}" if current else piece.lstrip("\n")
        if len(candidate.rstrip()) <= limit:
            current = candidate
        else:
            parts.append(current.strip())
            current = piece.lstrip("\n ")
    if current.strip():
        parts.append(current.strip())
    return tuple(p for p in parts if p)


def _pieces(text: str, limit: int) -> list[str]:
    """Chunks no longer than `limit`, each keeping the separator that preceded it."""
    for separator in ("\n\n", "\n", " "):
        chunks = text.split(separator)
        if all(len(c) <= limit for c in chunks):
            return [chunks[0]] + [separator + c for c in chunks[1:]]
    # A single word longer than the limit (a pasted URL or a wall of emoji): hard cut.
    return [text[i : i + limit] for i in range(0, len(text), limit)]
