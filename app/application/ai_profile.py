"""What of the model's reading of the student's profile is kept: only what the message says."""

from __future__ import annotations

from app.domain.course_search import parse_level
from app.domain.profile import ProfileUpdate
from app.domain.text import normalize
from app.domain.topics import extract_topics

MAX_INTERESTS = 5
MAX_PAIN_POINTS = 3
_MAX_NAME_CHARS = 40
_MAX_ROLE_CHARS = 60
_MAX_INTEREST_CHARS = 40
_MAX_PAIN_POINT_CHARS = 120
_STEM = 5  # "contadora" and "contador" share a stem: enough to say the student said it


def sanitize_profile(update: ProfileUpdate, text: str) -> ProfileUpdate:
    """Keep only what the student's own message supports, in the shapes the memory uses.

    The model sees the profile summary too and may repeat it, or be talked into inventing
    one ("me llamo Admin"), or fill a field with a word of its own ("PRACTICALS", "120"): each
    field is kept only when the message itself says it (a name word for word, a role, an
    interest or a pain point sharing a word stem with it, a level the message states).
    """
    said = set(normalize(text).split())
    stems = {word[:_STEM] for word in said if len(word) >= _STEM}
    name = _said_name(update.name, said)
    role = update.role.strip()[:_MAX_ROLE_CHARS] if update.role else None
    if role and not _supported(role, stems):
        role = None
    level = parse_level(update.level)
    if level is not None and parse_level(text) != level:
        level = None
    pain_points = tuple(p.strip()[:_MAX_PAIN_POINT_CHARS] for p in update.pain_points if _supported(p, stems))
    return ProfileUpdate(
        name=name,
        role=role,
        level=level.value if level else None,
        interests=_interests(update.interests, text, stems),
        pain_points=pain_points[:MAX_PAIN_POINTS],
    )


def _supported(value: str, stems: set[str]) -> bool:
    """The value shares a word stem with the message (so it is not the model's own word)."""
    return any(word[:_STEM] in stems for word in normalize(value).split() if len(word) >= _STEM)


def _said_name(name: str | None, said: set[str]) -> str | None:
    if not name or len(name) > _MAX_NAME_CHARS:
        return None
    words = normalize(name).split()
    if not words or not all(word in said for word in words):
        return None
    return " ".join(part.capitalize() for part in name.split())


def _interests(interests: tuple[str, ...], text: str, stems: set[str]) -> tuple[str, ...]:
    """Canonical topics the message names ("excel"), short free text it supports."""
    named = set(extract_topics(text))
    kept: list[str] = []
    for interest in interests:
        topics = extract_topics(interest)
        items = [t for t in topics if t in named] if topics else []
        if not topics and _supported(interest, stems):
            items = [interest.strip().lower()[:_MAX_INTEREST_CHARS]]
        for item in items:
            if item and item not in kept:
                kept.append(item)
    return tuple(kept[:MAX_INTERESTS])
