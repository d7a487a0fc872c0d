"""Courses that fit the person: what they asked for now, who they are and what they know.

The message's words weigh most (a nurse who asks for Excel gets Excel); the person's role
and remembered interests come next (a teacher who asks for ChatGPT gets the teachers' course
first); the level keeps a programmer away from "desde cero" courses; and a course named for
one trade ("IA para Abogados") is held back from someone of another trade. Pure and
deterministic, like course_search, so the JSON and PostgreSQL repositories agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from app.domain.course_search import (
    CatalogIndex,
    ParsedQuery,
    catalog_index,
    default_recommendations,
    level_factor,
    level_tier,
    name_key,
    parse_level,
    parse_query,
    score_query,
    scored_positions,
)
from app.domain.courses import Course, Level
from app.domain.profile_extraction.known_skills import read_known_skills
from app.domain.profile_extraction.vocabulary import (
    BUSINESS_OWNER,
    ROLE_LEVELS,
    ROLE_SYNONYMS,
    ROLE_TOPICS,
    SECTOR_TOPICS,
)
from app.domain.text import normalize
from app.domain.topics import extract_topics

# Each signal is scaled to its best course (1.0) before it is weighed: the message says what
# the person wants now, the profile what they told us before.
MESSAGE_WEIGHT = 1.0
PROFILE_WEIGHT = 0.8
# A course the message scores at half the best or more keeps its whole profile score; one
# the message scores lower keeps a share of it, never less than the floor.
PROFILE_LIFT_FULL_FROM = 0.5
PROFILE_LIFT_FLOOR = 0.5
# What a course made for another trade keeps of its score.
OTHER_TRADE_FACTOR = 0.4


class StudentProfile(BaseModel):
    """What the bot knows when it recommends: this message and the remembered profile."""

    model_config = ConfigDict(frozen=True)

    message: str = ""
    interests: tuple[str, ...] = ()
    role: str | None = None
    level: str | None = None


def recommend_for_student(
    courses: Sequence[Course], student: StudentProfile, limit: int = 3, *, catalogue_size: int | None = None
) -> list[Course]:
    """Courses for this person and message, best first; the flagship courses of their level
    when nothing they said or told us matches. `catalogue_size`: as in course_search."""
    if limit <= 0:
        return []
    index = catalog_index(courses, catalogue_size)
    # "ya sé python, quiero construir agentes": the need is the rest of the message.
    known = read_known_skills(student.message)
    student = student.model_copy(update={"message": known.remainder})
    role_subjects = (*role_topics(student.role), *_business_topics(student.message))
    target = target_level(student)
    trades = _student_trades(student, role_subjects)
    message = _scaled(index, parse_query([student.message]) if student.message else None)
    request = _without_role_words(student.message, student.role)
    asked = {doc.course.id for doc, _ in score_query(index, parse_query([request]))} if request else set()
    # The role's own word too: a course written for "docentes" is found by a teacher.
    profile_query = parse_query([*student.interests, *role_subjects, student.role or ""])
    profile = _scaled(index, profile_query)
    scored: list[tuple[int, float, tuple[str, str], Course]] = []
    for position in message.keys() | profile.keys():
        course = index.documents[position].course
        tier = level_tier(target, course)
        if tier and course.id not in asked:
            # Two levels away and not asked for: "Python desde Cero" is no offer for a programmer.
            continue
        if _teaches_known_basics(course, known.topics):
            continue
        said = message.get(position, 0.0)
        score = MESSAGE_WEIGHT * said + PROFILE_WEIGHT * profile.get(position, 0.0) * _profile_lift(message, said)
        score *= level_factor(target, course) * _trade_factor(trades, index, position)
        scored.append((tier, -score, name_key(course), course))
    if scored:
        return [course for *_, course in sorted(scored, key=lambda item: item[:3])][:limit]
    # Nothing they said matches a course: a list padded with unrelated ones would read as
    # irrelevant, so the flagship courses of their level are offered only then.
    return _flagships(index, target, trades, limit)


def _teaches_known_basics(course: Course, known: tuple[str, ...]) -> bool:
    """A beginner course on a skill the student says they have ("Python desde Cero" for
    "ya sé python")."""
    return bool(known) and course.level == Level.PRINCIPIANTE and bool(set(_name_topics(course.name)) & set(known))


@lru_cache(maxsize=4096)
def _name_topics(name: str) -> tuple[str, ...]:
    return tuple(extract_topics(name))


def _profile_lift(message: dict[int, float], said: float) -> float:
    """How much of its profile score a course keeps. Where the message ranks courses, the
    profile settles between those it ranks alike, but lifts one the message ranks far below
    by less: "imágenes" also reads as the content topic, yet the course the message
    describes ("que una cámara detecte objetos") stays first."""
    if not message:
        return 1.0
    return max(PROFILE_LIFT_FLOOR, min(1.0, said / PROFILE_LIFT_FULL_FROM))


def target_level(student: StudentProfile) -> Level | None:
    """The level stated, else the one the role implies (a programmer is no beginner)."""
    return parse_level(student.level) or ROLE_LEVELS.get(student.role or "")


def role_topics(role: str | None) -> tuple[str, ...]:
    """The subjects a role works on: its own words when the topic vocabulary knows them."""
    if not role:
        return ()
    if role in ROLE_TOPICS:
        return ROLE_TOPICS[role]
    return tuple(extract_topics(" , ".join(ROLE_SYNONYMS.get(role, (normalize(role),)))))


def _without_role_words(message: str, role: str | None) -> str:
    """The message minus the words naming the person's role: "soy programador" says who
    they are (the profile weighs it), not that they want a programming course."""
    text = normalize(message)
    if not role or not text:
        return text
    return _role_pattern(role).sub(" ", text)


@lru_cache(maxsize=256)
def _role_pattern(role: str) -> re.Pattern[str]:
    phrases = sorted(ROLE_SYNONYMS.get(role, (normalize(role),)), key=len, reverse=True)
    return re.compile(rf"(?<![a-z0-9ñ])(?:{'|'.join(re.escape(p) for p in phrases)})(?![a-z0-9ñ])")


def _business_topics(message: str) -> tuple[str, ...]:
    """Owning a business ("tengo un restaurante") makes small-business courses relevant."""
    return ("emprendimiento",) if BUSINESS_OWNER.search(normalize(message)) else ()


def _scaled(index: CatalogIndex, query: ParsedQuery | None) -> dict[int, float]:
    """Position -> score over the best score, for the courses the query qualifies."""
    if query is None or query.is_empty:
        return {}
    scores = scored_positions(index, query)
    best = max(scores.values(), default=0.0)
    return {position: score / best for position, score in scores.items()} if best > 0 else {}


def _student_trades(student: StudentProfile, role_subjects: Iterable[str]) -> frozenset[str]:
    said = extract_topics(" , ".join([student.message, *student.interests]))
    return frozenset(t for t in (*role_subjects, *said) if t in SECTOR_TOPICS)


def _course_trades(index: CatalogIndex, position: int) -> frozenset[str]:
    """The trades a course is named for (its name, or its category when the catalogue has one)."""
    fields = index.documents[position].fields
    return _trades_named(f"{fields[0].text} , {fields[2].text}")


@lru_cache(maxsize=8192)
def _trades_named(text: str) -> frozenset[str]:
    return frozenset(t for t in extract_topics(text) if t in SECTOR_TOPICS)


def _trade_factor(trades: frozenset[str], index: CatalogIndex, position: int) -> float:
    if not trades:
        return 1.0
    course_trades = _course_trades(index, position)
    return OTHER_TRADE_FACTOR if course_trades and not course_trades & trades else 1.0


def _flagships(index: CatalogIndex, target: Level | None, trades: frozenset[str], limit: int) -> list[Course]:
    """The level's flagship courses, none made for another trade."""
    positions = {doc.course.id: position for position, doc in enumerate(index.documents)}
    pool = default_recommendations(index, target or Level.PRINCIPIANTE, len(index))
    return [c for c in pool if _trade_factor(trades, index, positions[c.id]) == 1.0][:limit]
