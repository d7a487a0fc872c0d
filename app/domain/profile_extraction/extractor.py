"""The extraction logic: name, role, pain points and level, clause by clause."""

from __future__ import annotations

import re

from app.domain.profile import ProfileUpdate
from app.domain.profile_extraction.clauses import Clause, split_clauses
from app.domain.profile_extraction.known_skills import read_known_skills
from app.domain.profile_extraction.vocabulary import (
    AFTER_NAME,
    BUSINESS_OWNER,
    FIELD_LEADS,
    FIELD_ROLES,
    GERUND,
    LEVEL_PATTERNS,
    NAME_LEADS,
    NOT_NAMES,
    OBJECT_STOP,
    PAIN_PATTERNS,
    ROLE_LEADS,
    ROLE_SYNONYMS,
    STRONG_NAME_LEADS,
    STUDENT_PATTERN,
    TITLES,
    TRAILING_FUNCTION_WORDS,
)
from app.domain.topics import extract_topics

MAX_NAME_WORDS = 3
MAX_OBJECT_WORDS = 5
MAX_PAIN_POINTS = 3


# ---------------------------------------------------------------------------------
# Name
# ---------------------------------------------------------------------------------


def _role_words() -> frozenset[str]:
    return frozenset(word for synonyms in ROLE_SYNONYMS.values() for phrase in synonyms for word in phrase.split())


_ROLE_WORDS = _role_words()


def _is_name_word(word: str, original: str) -> bool:
    """A plausible given name or surname: letters only, not a known non-name word."""
    return (
        original.isalpha()
        and len(word) >= 2
        and word not in NOT_NAMES
        and word not in _ROLE_WORDS
        and not any(ch.isdigit() for ch in original)
    )


def _capitalise(original: str) -> str:
    return original[:1].upper() + original[1:].lower()


def _name_after(clause: Clause, start: int) -> str | None:
    while start < len(clause.words) - 1 and clause.words[start] in TITLES:
        start += 1  # "mi nombre es Ing. Roberto Salinas"
    words = []
    for word, original in zip(clause.words[start:], clause.originals[start:], strict=True):
        if len(words) == MAX_NAME_WORDS or not _is_name_word(word, original):
            break
        words.append(_capitalise(original))
    return " ".join(words) or None


def _extract_name(clauses: list[Clause]) -> str | None:
    for clause in clauses:
        for match in NAME_LEADS.finditer(clause.text):
            start = clause.word_index(match.end())
            if start >= len(clause.words):
                continue
            lead = match.group("lead")
            previous = clause.text[: match.start("lead")].split()[-1:]
            if lead == "soy" and previous and previous[0] in {"les", "te", "le", "lo", "la"}:
                continue  # "les soy sincera" is not an introduction
            # "soy", "aquí" and "habla" are followed by many things that are not names:
            # only accept a word the writer capitalised, or after "soy" a short lower-case
            # run that ends the clause or is followed by "y", "de"... ("soy carolina y...").
            if lead not in STRONG_NAME_LEADS and not _looks_like_name_start(clause, start, lead):
                continue
            name = _name_after(clause, start)
            if name:
                return name
    return None


def _looks_like_name_start(clause: Clause, start: int, lead: str) -> bool:
    """Capitalised by the writer, or (after "soy") a short lower-case run ending the clause."""
    original = clause.originals[start]
    if original[:1].isupper() and not original.isupper():
        return True
    if lead != "soy":
        return False
    end = start
    while (
        end < len(clause.words)
        and end - start < MAX_NAME_WORDS
        and _is_name_word(clause.words[end], clause.originals[end])
    ):
        end += 1
    return end > start and (end == len(clause.words) or clause.words[end] in AFTER_NAME)


# ---------------------------------------------------------------------------------
# Role
# ---------------------------------------------------------------------------------


def _role_pattern() -> re.Pattern[str]:
    phrases = {phrase: role for role, synonyms in ROLE_SYNONYMS.items() for phrase in synonyms}
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?:^| )(?:{ROLE_LEADS}) (?:un |una |el |la )?(?P<role>{alternatives})(?= |$)")


def _field_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(FIELD_ROLES, key=len, reverse=True))
    return re.compile(
        rf"(?:^| )(?:{FIELD_LEADS}) (?:la |el |lo |un |una )?(?:area de )?(?P<field>{alternatives})(?= |$)"
    )


_ROLE_RE = _role_pattern()
_FIELD_RE = _field_pattern()
_PHRASE_TO_ROLE = {phrase: role for role, synonyms in ROLE_SYNONYMS.items() for phrase in synonyms}


def _extract_role(clauses: list[Clause]) -> str | None:
    for clause in clauses:
        text = clause.text
        if text in _PHRASE_TO_ROLE:
            return _PHRASE_TO_ROLE[text]  # "Soy Ana, contadora": the role alone as a clause
        match = _ROLE_RE.search(text)
        if match:
            return _PHRASE_TO_ROLE[match.group("role")]
        field = _FIELD_RE.search(text)
        if field:
            return FIELD_ROLES[field.group("field")]
        if BUSINESS_OWNER.search(text):
            return "emprendedor"
        if STUDENT_PATTERN.search(text) and "quiero" not in text.split():
            return "estudiante"
    return None


# ---------------------------------------------------------------------------------
# Pain points and level
# ---------------------------------------------------------------------------------


def _trim_object(phrase: str) -> str:
    """The task itself, without trailing clauses: "reportes en excel y me aburro" -> "reportes en excel"."""
    words = OBJECT_STOP.split(f" {phrase} ", maxsplit=1)[0].split()[:MAX_OBJECT_WORDS]
    while words and words[-1] in TRAILING_FUNCTION_WORDS:
        words.pop()
    return " ".join(words)


def _fill(template: str, values: dict[str, str]) -> str:
    """Templates read "pierde tiempo en X" unless X starts with a gerund ("haciendo reportes")."""
    task = values.get("object", "")
    if template.startswith("pierde tiempo") and not GERUND.match(task.split()[0] if task else ""):
        template = template.replace("{object}", "en {object}")
    if template.startswith("tarda mucho") and not GERUND.match(task.split()[0] if task else ""):
        template = template.replace("{object}", "en {object}")
    return template.format(**values)


def _original_words(clause: Clause, match: re.Match[str], group: str, count: int) -> str:
    """The matched words as the person wrote them (accents kept), lower-cased."""
    start = clause.word_index(match.start(group))
    return " ".join(word.lower() for word in clause.originals[start : start + count])


def _extract_pain_points(clauses: list[Clause]) -> tuple[str, ...]:
    found: list[str] = []
    for clause in clauses:
        for pattern, template in PAIN_PATTERNS:
            match = pattern.search(clause.text)
            if not match:
                continue
            values = {key: value for key, value in match.groupdict().items() if value}
            if "object" in values:
                trimmed = _trim_object(values["object"])
                values["object"] = _original_words(clause, match, "object", len(trimmed.split())) if trimmed else ""
            if "object" in pattern.groupindex and not values.get("object"):
                continue
            phrase = _fill(template, values)
            if phrase not in found:
                found.append(phrase)
    return tuple(found[:MAX_PAIN_POINTS])


def _extract_level(clauses: list[Clause]) -> str | None:
    for level, pattern in LEVEL_PATTERNS:
        if any(pattern.search(clause.text) for clause in clauses):
            return level
    return None


class RuleProfileExtractor:
    """Learns name, role, interests, pain points and level from one message."""

    def extract(self, text: str) -> ProfileUpdate:
        clauses = split_clauses(text)
        if not clauses:
            return ProfileUpdate()
        return ProfileUpdate(
            name=_extract_name(clauses),
            role=_extract_role(clauses),
            # "ya sé python" is what the student knows, not what they want to learn.
            interests=tuple(extract_topics(read_known_skills(text).remainder)),
            pain_points=_extract_pain_points(clauses),
            level=_extract_level(clauses),
        )
