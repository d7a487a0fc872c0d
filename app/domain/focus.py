"""Which course a message is about: named in it, pointed at in the last list, or in focus.

A student rarely repeats the course's name: "cuánto cuesta?", "y el segundo?", "el de power
bi cuánto sale". The course in focus is, in this order: a course the message names, an
ordinal of the last list shown ("el segundo", "la opción 2"), the last course described,
the first course of the last list.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.courses import Course
from app.domain.memory import UserMemory
from app.domain.references import resolve_course_reference
from app.domain.text import normalize
from app.domain.topics import extract_topics

# Words of course names that name no course in particular, and words any question uses.
_GENERIC = frozenset(
    [
        "de", "del", "la", "las", "los", "el", "y", "e", "para", "con", "en", "a", "por", "tu", "curso",
        "cursos", "taller", "desde", "cero", "ia", "ai", "inteligencia", "artificial", "profesional",
        "aplicada", "aplicado", "trabajo", "uso", "basico", "intermedio", "avanzado", "principiantes",
        "principiante", "fundamentos", "herramientas", "online", "presencial", "modelos", "datos", "the",
        "virtual", "hibrido", "precio", "clases", "sesiones", "horas",
    ]
)  # fmt: skip
_STEM = 5  # "automatizacion" and "automatizar" share "autom": enough to say a course was named
# A bare elliptical follow-up ("y el segundo?", "y ese?", "y el de python?") repeats the last question.
_ELLIPSIS_MAX_WORDS = 7


def course_terms(course: Course) -> frozenset[str]:
    """The words of its name that single this course out: "power", "bi", "python", "excel".

    Tags are left out: they hold words any message may use ("asistente virtual", "sin
    programar"), and a student names a course by its title."""
    words = normalize(course.name).split()
    return frozenset(w for w in words if w not in _GENERIC and (len(w) >= 2))


def naming_strength(text: str, course: Course) -> int:
    """How many of the course's own words the message uses (0: it does not name it)."""
    said = set(normalize(text).split())
    for topic in extract_topics(text):
        said |= set(normalize(topic).split())
    said -= _GENERIC
    stems = {w[:_STEM] for w in said if len(w) >= _STEM}
    return sum(1 for term in course_terms(course) if term in said or (len(term) >= _STEM and term[:_STEM] in stems))


def named_course(text: str, courses: Sequence[Course]) -> Course | None:
    """The course among `courses` the message names most clearly: the most of its title's
    words, then the largest share of them ("el de python": *Python desde Cero* over *Análisis
    de Datos con Python y Pandas*); the first on a tie."""
    best: tuple[int, float, Course] | None = None
    for course in courses:
        strength = naming_strength(text, course)
        if not strength:
            continue
        share = strength / max(1, len(course_terms(course)))
        if best is None or (strength, share) > (best[0], best[1]):
            best = (strength, share, course)
    return best[2] if best else None


def referenced_course_id(text: str, memory: UserMemory) -> str | None:
    """ "el segundo", "la opción 2", "el último", "ese curso": a course of the last list shown."""
    focus = memory.focus
    listed = focus.last_list_ids or memory.last_course_ids
    referenced = resolve_course_reference(text, listed)
    if referenced is None and focus.focus_course_id and focus.focus_course_id not in listed:
        # "ese curso" after a single course was described.
        referenced = resolve_course_reference(text, [focus.focus_course_id])
    return referenced


def remembered_focus_id(memory: UserMemory) -> str | None:
    """The last course described, else the first of the last list."""
    focus = memory.focus
    if focus.focus_course_id:
        return focus.focus_course_id
    listed = focus.last_list_ids or memory.last_course_ids
    return listed[0] if listed else None


_ELLIPSIS_STARTS = frozenset({"y", "e", "tambien", "mmm", "mm"})
_BARE_REFERENCE_MAX_WORDS = 4


def is_elliptical_follow_up(text: str) -> bool:
    """ "y el segundo?", "y ese?", "el de excel": the previous question, about another course."""
    words = normalize(text).split()
    if not 0 < len(words) <= _ELLIPSIS_MAX_WORDS:
        return False
    if words[0] in _ELLIPSIS_STARTS:
        return True
    return len(words) <= _BARE_REFERENCE_MAX_WORDS and words[0] in {"el", "la", "del", "en", "para"}
