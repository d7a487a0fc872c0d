"""Resolving "el primero", "el 2", "ese curso" to a course the bot just listed."""

from __future__ import annotations

import re

from app.domain.text import normalize

_ORDINALS: dict[str, int] = {
    "primero": 0, "primer": 0, "primera": 0, "1": 0, "uno": 0,
    "segundo": 1, "segunda": 1, "2": 1, "dos": 1,
    "tercero": 2, "tercer": 2, "tercera": 2, "3": 2, "tres": 2,
    "cuarto": 3, "cuarta": 3, "4": 3, "cuatro": 3,
    "quinto": 4, "quinta": 4, "5": 4, "cinco": 4,
}  # fmt: skip
_ORDINAL_WORDS = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ORDINAL_REFERENCE = re.compile(
    rf"(?:^|\b(?:el|la|del|al|opcion|curso|numero|num|no)\s+)(?:curso\s+|opcion\s+|numero\s+)?({_ORDINAL_WORDS})\b"
)
_LAST_REFERENCE = re.compile(r"\b(?:el|la|del|al)\s+ultim[oa]\b")
_DEMONSTRATIVE = re.compile(r"\b(?:ese|esa|este|esta|aquel)\s+(?:curso|taller|programa|diplomado)\b|^(?:ese|este)\b")


def resolve_course_reference(text: str, listed_course_ids: list[str]) -> str | None:
    """The id of the listed course the text points at, or None.

    A bare demonstrative ("ese curso") only resolves when one course was listed: with
    several on screen it is ambiguous and guessing would give the student wrong facts.
    """
    if not listed_course_ids:
        return None
    normalized = normalize(text)
    match = _ORDINAL_REFERENCE.search(normalized)
    if match is not None:
        position = _ORDINALS[match.group(1)]
        return listed_course_ids[position] if position < len(listed_course_ids) else None
    if _LAST_REFERENCE.search(normalized):
        return listed_course_ids[-1]
    if len(listed_course_ids) == 1 and _DEMONSTRATIVE.search(normalized):
        return listed_course_ids[0]
    return None
