"""Which facts answer each facet asked: the course's own fields, the school's file, or none.

This decides *what* can be said; the templates decide how to say it in Spanish. A facet
nobody can answer is marked unknown, and the reply says so honestly and offers a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from app.domain.courses import Course, CourseSession
from app.domain.facets import SCHOOL_FACETS, Facet
from app.domain.school_knowledge import SchoolKnowledge
from app.domain.text import normalize

# Facets a course card already shows: asked together with a new topic, the list answers them.
CARD_FACETS: frozenset[Facet] = frozenset({Facet.PRICE, Facet.MODALITY, Facet.LEVEL, Facet.SESSION_COUNT})
# Facets a course's own fields can answer: "¿y el segundo?" asks them again about another course.
COURSE_FIELD_FACETS: frozenset[Facet] = frozenset(
    {Facet.PRICE, Facet.DURATION, Facet.SESSION_LENGTH, Facet.SESSION_COUNT, Facet.START_DATE, Facet.SCHEDULE,
     Facet.MODALITY, Facet.LOCATION, Facet.SYLLABUS, Facet.ACTIVITIES, Facet.BONUSES, Facet.CERTIFICATE,
     Facet.LEVEL, Facet.PREREQUISITES, Facet.OUTCOMES, Facet.LIVE_OR_RECORDED}
)  # fmt: skip
_CERTIFICATE = re.compile(r"(?i)certificad|constancia|diploma")
_PREREQUISITE = re.compile(
    r"(?i)previ[oa]s|requisit|sin experiencia|experiencia (?:previa|t[eé]cnica)|necesitas saber|dirigido a"
    r"|pensado para|ideal para (?!aprender)|no necesitas|dise[nñ]ad[oa] para|para quienes"
    # "para quienes ya dominan Python": what the student is expected to know already
    r"|\bya (?:domin|sab|conoc|manej|tien|program)\w*"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class FacetAnswer(BaseModel):
    """One facet asked, and where its answer comes from."""

    model_config = ConfigDict(frozen=True)

    facet: Facet
    course: Course | None = None
    from_course: bool = False  # the course's own fields answer it
    knowledge: str | None = None  # the school's answer, stated word for word

    @property
    def known(self) -> bool:
        return self.from_course or self.knowledge is not None


def plan_answers(facets: Sequence[Facet], course: Course | None, knowledge: SchoolKnowledge) -> tuple[FacetAnswer, ...]:
    """What answers each facet, for the course in focus (None: no course to talk about)."""
    answers = []
    for facet in facets:
        from_course = course is not None and facet not in SCHOOL_FACETS and course_answers(course, facet)
        school = knowledge.answer_for(facet)
        if facet == Facet.CERTIFICATE and course is not None and not course.bonuses:
            # The school's policy points at the course's bonuses; with none listed, nobody knows.
            school = None
        # The course's own data is the answer; the school's general text only fills a gap
        # (a certificate policy for a course whose bonuses name none).
        answers.append(
            FacetAnswer(
                facet=facet,
                course=course if facet not in SCHOOL_FACETS else None,
                from_course=from_course,
                # An online course's "where" also gets the campus: the student asked about it.
                knowledge=school if not from_course or facet == Facet.LOCATION else None,
            )
        )
    return tuple(answers)


def course_answers(course: Course, facet: Facet) -> bool:
    """Whether the course's own fields answer this facet."""
    checks = {
        Facet.PRICE: lambda: course.price_label is not None,
        Facet.DURATION: lambda: total_minutes(course) is not None or session_total(course) is not None,
        Facet.SESSION_LENGTH: lambda: bool(session_minutes(course)),
        Facet.SESSION_COUNT: lambda: session_total(course) is not None,
        Facet.START_DATE: lambda: course.start_date is not None,
        Facet.SCHEDULE: lambda: any(s.starts_on for s in course.sessions),
        Facet.MODALITY: lambda: bool(course.modality),
        Facet.LOCATION: lambda: (course.modality or "").lower() == "online",
        Facet.SYLLABUS: lambda: bool(course.sessions or course.long_description or course.short_description),
        Facet.ACTIVITIES: lambda: any(s.activities for s in course.sessions),
        Facet.BONUSES: lambda: bool(course.bonuses),
        Facet.CERTIFICATE: lambda: certificate_bonus(course) is not None,
        Facet.LEVEL: lambda: bool(course.level),
        Facet.PREREQUISITES: lambda: (
            prerequisite_sentence(course) is not None or derived_prerequisite(course) is not None
        ),
        Facet.OUTCOMES: lambda: bool(objectives(course) or course.long_description or course.short_description),
        # A presencial course is taught in a classroom: the school's note on recordings is not its.
        Facet.LIVE_OR_RECORDED: lambda: is_presencial(course),
    }
    check = checks.get(facet)
    return bool(check and check())


def total_minutes(course: Course) -> int | None:
    if course.duration_hours:
        return course.duration_hours * 60
    minutes = [s.duration_minutes for s in course.sessions]
    return sum(m for m in minutes if m) if minutes and all(minutes) else None


def session_minutes(course: Course) -> tuple[int, ...]:
    """The distinct session lengths, shortest first."""
    return tuple(sorted({s.duration_minutes for s in course.sessions if s.duration_minutes}))


def session_total(course: Course) -> int | None:
    return course.session_count or len(course.sessions) or None


def certificate_bonus(course: Course) -> str | None:
    for bonus in course.bonuses:
        if (bonus.bonus_type or "").lower().startswith("certific") or _CERTIFICATE.search(bonus.content):
            return bonus.content
    return None


def prerequisite_sentence(course: Course) -> str | None:
    """The sentences of the description about who it is for or what it requires (at most two)."""
    for text in (course.long_description or "", course.short_description or ""):
        found = [s.strip() for s in _SENTENCE_END.split(text) if _PREREQUISITE.search(s)]
        if found:
            return " ".join(found[:2])
    return None


_NO_CODE = re.compile(r"(?i)sin (?:escribir )?c[oó]digo|sin programar|no[- ]code|sin saber programar")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def derived_prerequisite(course: Course) -> str | None:
    """What the data implies about prior knowledge when no sentence states it: a course
    "sin código" needs no programming; a beginners' course asks for nothing before."""
    for text in (course.name, course.short_description or "", course.long_description or ""):
        for sentence in _SENTENCES.split(text):
            if _NO_CODE.search(sentence):
                return "no necesitas saber programar"
    level = normalize(course.level or "")
    if level == "principiante":
        return "es para principiantes, no pide conocimientos previos"
    if level and course.category:
        # A course above the first level builds on its subject: an advisor says so rather than "no sé".
        return f"conviene que llegues con bases de {course.category.lower()}"
    return None


def objectives(course: Course) -> tuple[str, ...]:
    """The sessions' objectives: what the student will be able to do."""
    return tuple(s.objective.strip() for s in course.sessions if s.objective and s.objective.strip())


_SESSION_NUMBER = re.compile(r"\b(?:clase|sesion|modulo|leccion|semana)(?: (?:numero|n|no))? ?(\d{1,2})\b")


def asked_session(text: str, course: Course) -> CourseSession | None:
    """ "¿qué se ve en la clase 3?": the session the question names by its number."""
    match = _SESSION_NUMBER.search(normalize(text))
    if match is None:
        return None
    return next((s for s in course.sessions if s.index == int(match.group(1))), None)


_ASKED_EXTRA = re.compile(
    r"\b(?:trae|traen|incluye|incluyen|viene con|vienen con|tiene|dan|hay)\s+"
    r"(?:(?:un|una|el|la|los|las|algun|alguna)\s+)?([a-zñ]{4,})"
)
_NOT_AN_EXTRA = frozenset({"bonos", "bono", "extras", "extra", "material", "materiales", "algo", "certificado",
                           "constancia", "diploma", "costo", "precio", "descuento", "cupo", "cupos",
                           # adverbs ("¿qué me dan aparte?"): they ask for the bonuses, not a thing
                           "aparte", "ademas", "tambien", "adicional", "adicionales", "encima", "gratis"})  # fmt: skip


def asked_extra(text: str, course: Course) -> tuple[str, bool] | None:
    """ "¿trae mentoría?": the thing asked for, and whether one of the course's bonuses names it."""
    match = _ASKED_EXTRA.search(normalize(text))
    if match is None or match.group(1) in _NOT_AN_EXTRA:
        return None
    word = match.group(1)
    found = any(word[:5] in normalize(bonus.content) for bonus in course.bonuses)
    # The word as the student wrote it ("mentoría"), not its normalised form.
    written = next((token for token in re.findall(r"\w+", text.lower()) if normalize(token) == word), word)
    return written, found


def is_presencial(course: Course) -> bool:
    return normalize(course.modality or "") == "presencial"


def activity_kinds(course: Course) -> tuple[str, ...]:
    """The kinds of activity the sessions have ("video", "ejercicio"...), most frequent first."""
    counts: dict[str, int] = {}
    for session in course.sessions:
        for activity in session.activities:
            kind = (activity.item_type or "").strip().lower()
            if kind:
                counts[kind] = counts.get(kind, 0) + 1
    return tuple(sorted(counts, key=lambda kind: (-counts[kind], kind)))
