"""Which course a message is about: named in it, pointed at in the last list, or in focus.

A student rarely repeats the course's name: "cuánto cuesta?", "y el segundo?", "el de power
bi cuánto sale". The course in focus is, in this order: a course the message names (in its
last sentence that names one: "estoy entre el de n8n y el de chatbots… cuánto cuesta el de
n8n?" is about n8n), an ordinal or "el otro" of the last list shown, the last course
described, the first course of the last list; "ninguno" and a change of mind ("mejor no…
algo de marketing") drop it.

A course is named by the words that set it apart: the words of its name, weighted by how
few names of the catalogue carry them (IDF), matched as whole words after typos, accents and
Spanish inflection are evened out. A word most names share ("ia", "curso") names no course,
and a word is never read as the beginning of another ("profe" is not "Profesionales").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.domain.courses import Level, Modality
from app.domain.memory import UserMemory
from app.domain.references import resolve_course_reference
from app.domain.search_text import STOP_WORDS, content_words, searchable, stem, with_same_words
from app.domain.text import normalize

# Words that say what a course is like (level, format, audience, "desde cero"), not which
# course it is: a student says them about any course ("lo quiero para mi trabajo", "¿es
# para empresas?"). Levels and modalities come from the catalogue's own vocabularies.
_EVERYDAY_TEXT = """
    trabajo empresa empresas profesional profesionales aplicada aplicado aplicadas aplicados practica
    practico practicos fundamentos herramientas cero uso taller intensivo esencial principiantes
    online virtual hibrido
"""
_EVERYDAY: frozenset[str] = frozenset(
    stem(normalize(word))
    for word in (*_EVERYDAY_TEXT.split(), *(level.value for level in Level), *(m.value for m in Modality))
)
# A name word carried by more than this share of the catalogue's names (and by more than
# two) sets no course apart: "ia" in "IA para Ventas" when most courses are about IA.
_DISTINCTIVE_SHARE = 1 / 3
_DISTINCTIVE_MIN = 2
# Typos forgiven in a name word: one edit from five letters, two from nine (as in search).
_MIN_TYPO_LENGTH = 5
_TWO_EDITS_LENGTH = 9
_SENTENCES = re.compile(r"[.?!¿¡…;\n]+|\s+pero\s+")
# A bare elliptical follow-up ("y el segundo?", "y ese?", "y el de python?") repeats the last question.
_ELLIPSIS_MAX_WORDS = 7


@dataclass(frozen=True)
class NamedCourse:
    """A course a message names: how strongly (the rarity of its words said) and how much
    of its name was said."""

    course_id: str
    strength: float
    share: float


class CourseNames:
    """The names of a catalogue, as a message may say them. Build once per catalogue."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        pairs = list(names)
        self.course_ids: tuple[str, ...] = tuple(course_id for course_id, _ in pairs)
        self._stems: tuple[frozenset[str], ...] = tuple(_name_stems(name) for _, name in pairs)
        self._frequency: Counter[str] = Counter(s for stems in self._stems for s in stems)
        words = {w for _, name in pairs for w in searchable(name).split() if len(w) >= _MIN_TYPO_LENGTH}
        self._words: dict[str, str] = {w: stem(w) for w in sorted(words)}
        self._typos: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.course_ids)

    @cached_property
    def _distinctive_limit(self) -> float:
        return max(_DISTINCTIVE_MIN, _DISTINCTIVE_SHARE * len(self))

    def weight(self, word_stem: str) -> float:
        """How much saying this stem tells which course is meant (0: no name carries it)."""
        frequency = self._frequency.get(word_stem, 0)
        return math.log(1 + len(self) / frequency) if frequency else 0.0

    def named_in(self, text: str) -> list[NamedCourse]:
        """Every course the text names, strongest first (ties: catalogue order)."""
        said = self._said_stems(text)
        found: list[NamedCourse] = []
        for course_id, stems in zip(self.course_ids, self._stems, strict=True):
            matched = stems & said
            if not matched or all(self._frequency[s] > self._distinctive_limit for s in matched):
                continue
            strength = sum(self.weight(s) for s in matched)
            found.append(NamedCourse(course_id=course_id, strength=strength, share=len(matched) / len(stems)))
        return sorted(found, key=lambda n: (-n.strength, -n.share))

    def _said_stems(self, text: str) -> frozenset[str]:
        words = with_same_words(" ".join(content_words(text)))
        stems = {stem(w) for w in words if w not in STOP_WORDS}
        naming = _NAMING.search(normalize(text))
        # Words about what a course is like name one only where the student names a course
        # ("el de ia aplicada", "el curso para principiantes"), not in passing ("para mi trabajo").
        stems -= _EVERYDAY - _phrase_stems(naming.group(1) if naming else "")
        for word in words:
            stems.update(self._typo_of(word))
        return frozenset(stems)

    def _typo_of(self, word: str) -> tuple[str, ...]:
        """Stems of name words the word is a likely misspelling of (whole words only)."""
        return tuple(self._words[other] for other in self.spellings(word))

    def spellings(self, word: str) -> tuple[str, ...]:
        """Words of the catalogue's names that `word` (normalised) is a likely misspelling of:
        "pyton" -> ("python",). Empty for a word the names use, and below five letters."""
        if len(word) < _MIN_TYPO_LENGTH or word in self._words:
            return ()
        cached = self._typos.get(word)
        if cached is None:
            allowed = 2 if len(word) >= _TWO_EDITS_LENGTH else 1
            matches = process.extract(word, list(self._words), scorer=OSA.distance, score_cutoff=allowed, limit=None)
            cached = self._typos[word] = tuple(
                other for other, edits, _ in matches if edits <= _allowed_edits(word, other)
            )
        return cached


_NAMING = re.compile(r"\b(?:el|la|del|al)\s+(?:curso\s+|taller\s+)?(?:de|del|para|sobre)\s+(.+)")


def _phrase_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in content_words(text))


def _allowed_edits(word: str, other: str) -> int:
    return 2 if min(len(word), len(other)) >= _TWO_EDITS_LENGTH else 1


def _name_stems(name: str) -> frozenset[str]:
    words = with_same_words(" ".join(content_words(name)))
    return frozenset(stem(w) for w in words if w not in STOP_WORDS)


def sentences(text: str) -> list[str]:
    """The text's sentences and clauses ("…", "?", "pero" end one), in order."""
    return [part for part in _SENTENCES.split(text) if part.strip()]


def courses_named(text: str, names: CourseNames) -> list[str]:
    """Ids of every course the text names, in the order the text names them."""
    ordered: list[str] = []
    for sentence in sentences(text):
        ordered.extend(n.course_id for n in names.named_in(sentence) if n.course_id not in ordered)
    return ordered


def named_course_id(text: str, names: CourseNames, on_screen: Sequence[str] = ()) -> str | None:
    """The course the message is about among those it names: the one named in its last
    sentence that names any, the most clearly there: the rarest words, then a course on screen
    (`on_screen`: the focus, then the last list in order) before one that is not, then the
    largest share of its name ("el de python" is *Python desde Cero* before *Machine Learning
    con Python*), then the course shown first."""
    shown = {course_id: place for place, course_id in enumerate(on_screen)}

    def preference(n: NamedCourse) -> tuple[float, bool, float, int]:
        return -n.strength, n.course_id not in shown, -n.share, shown.get(n.course_id, len(shown))

    for sentence in reversed(sentences(text)):
        named = names.named_in(sentence)
        if named:
            return min(named, key=preference).course_id
    return None


# --- the last list and the focus -----------------------------------------------------------------

_NONE_OF_THEM = re.compile(r"\b(?:ninguno|ninguna|ni uno ni otro|ni el uno ni el otro)\b")
_TURNING_AWAY = re.compile(
    r"\b(?:mejor|pensandolo bien|cambi[eo] de (?:opinion|idea)|prefiero|ya no (?:me interesa|quiero)"
    r"|no (?:es|era) lo que busco)\b"
)
# ...towards something else: "algo de marketing", "otra cosa", "otro curso" (not "otro día").
_SOMETHING_ELSE = re.compile(
    r"\b(?:algo|otr[oa]s?|otra cosa)\b(?!\s+(?:dia|momento|vez|rato|semana|mes|ano|año)s?\b)"
)


def rejects_listed(text: str) -> bool:
    """ "ninguno me convence": none of the courses shown is wanted."""
    return bool(_NONE_OF_THEM.search(normalize(text)))


def changes_mind(text: str) -> bool:
    """ "mejor no… algo de marketing", "pensándolo bien, otra cosa": the course in focus is
    dropped for something else. A bare "mejor no, gracias" or "mejor otro día" is a decline,
    not a change of mind."""
    normalized = normalize(text)
    return bool(_TURNING_AWAY.search(normalized) and _SOMETHING_ELSE.search(normalized))


def drops_focus(text: str) -> bool:
    """The message turns away from the course in focus and the last list."""
    return rejects_listed(text) or changes_mind(text)


def referenced_course_id(text: str, memory: UserMemory) -> str | None:
    """ "el segundo", "la opción 2", "el último", "el otro", "ese curso": a course of the last
    list shown, or of the conversation."""
    focus = memory.focus
    listed = focus.last_list_ids or memory.last_course_ids
    if _OTHER.search(normalize(text)):
        return other_course_id(memory)
    referenced = resolve_course_reference(text, listed)
    if referenced is None and focus.focus_course_id and focus.focus_course_id not in listed:
        # "ese curso" after a single course was described.
        referenced = resolve_course_reference(text, [focus.focus_course_id])
    return referenced


_OTHER = re.compile(r"\b(?:el|la|del|al|y)\s+otr[oa]\b(?!\s+(?:curso|cosa)s?\s+(?:de|sobre|para))")


def other_course_id(memory: UserMemory) -> str | None:
    """ "el otro": of two courses on screen, the one not in focus; else the course in focus
    before the current one."""
    focus = memory.focus
    listed = focus.last_list_ids or memory.last_course_ids
    current = focus.focus_course_id
    if len(listed) == 2 and current in listed:
        return listed[1] if current == listed[0] else listed[0]
    previous = focus.previous_course_id
    return previous if previous and previous != current else None


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
