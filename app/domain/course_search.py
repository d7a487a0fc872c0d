"""Relevance ranking of the catalogue for free-text searches and interest-based recommendations.

Pure and deterministic: the same courses and query always give the same order, so the JSON
repository and the PostgreSQL one can be checked against each other. Students write from
WhatsApp without accents, with typos ("maquin lerning", "pyton") and with a lot of filler
("quiero aprender un curso de..."), so matching works on Spanish stems of normalised words
(app.domain.search_text), forgives small spelling mistakes and ignores filler.

The ranking is BM25F over all of a course's text: the name, tags, category, descriptions,
session titles and objectives, and bonuses, each field with its weight. A word shared by
most courses ("ia") tells little; a word few courses carry ("excel") tells a lot (IDF). No
list of subjects is kept here: whatever the catalogue says about a course is searchable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.domain.courses import Course, Level
from app.domain.search_text import STOP_WORDS, any_phrase, content_words, searchable, stem, with_same_words
from app.domain.text import normalize
from app.domain.topics import extract_topics, topic_terms

__all__ = ["STOP_WORDS"]

# Where a word appears says how central it is to the course: the name above the tags above
# the short description above the long one. Session texts and bonuses only add a little.
NAME_WEIGHT = 4.0
TAGS_WEIGHT = 3.0
CATEGORY_WEIGHT = 2.5
SHORT_WEIGHT = 2.0
LONG_WEIGHT = 1.0
SYLLABUS_WEIGHT = 0.75
BONUS_WEIGHT = 0.5
_WEIGHTS = (NAME_WEIGHT, TAGS_WEIGHT, CATEGORY_WEIGHT, SHORT_WEIGHT, LONG_WEIGHT, SYLLABUS_WEIGHT, BONUS_WEIGHT)
# BM25 length normalisation per field, against a fixed typical length (not the catalogue's
# average: a course's document then does not depend on which others are ranked with it,
# which keeps PostgreSQL's candidate sets and the whole JSON catalogue in agreement).
_LENGTH_SHARE = (0.0, 0.0, 0.0, 0.5, 0.75, 0.75, 0.5)
_TYPICAL_LENGTH = (5.0, 8.0, 2.0, 15.0, 45.0, 90.0, 20.0)
K1 = 1.2
# Fields that can make a course a result on their own; long texts mention too many everyday
# words ("clima laboral", "tiempo") for one word there to qualify a course, but a need told
# in several words ("detectar defectos con cámaras") that a course's text describes does.
STRONG_WEIGHT = SHORT_WEIGHT
WEAK_TERMS_TO_QUALIFY = 2
# A short name fully covered by the query ("Python desde Cero" for "python desde cero") is a
# more specific answer than a long name that merely contains one query word.
NAME_COVERAGE_WEIGHT = 1.5
MIN_SCORE = 0.5

# Typos forgiven: one edit (a swap of neighbours counts as one) from five letters, two from
# nine. Ratio-based cut-offs let "formas" pass for "formulas"; counting edits does not.
_MIN_FUZZY_LENGTH = 5
_TWO_EDITS_LENGTH = 9
_TYPO_QUALITY: tuple[float, ...] = (1.0, 0.85, 0.75)
# Forms the stemmer keeps apart but a reader joins ("medico" / "medicina", "vender" /
# "vendedores"): a long shared beginning. From six letters, so that "profe" never stands
# for "profesionales".
_RELATED_MIN_LENGTH = 6
_RELATED_MIN_PREFIX = 5
_RELATED_MIN_SHARE = 0.75
_RELATED_QUALITY = 0.9
# A word of the thesaurus stands for what the student wrote with less certainty.
_SUBJECT_QUALITY = 0.7

# With no stated interest these entry-level subjects are what most new students ask for.
DEFAULT_TOPICS: tuple[str, ...] = (
    "inteligencia artificial",
    "ia generativa",
    "python",
    "automatización",
    "productividad",
)

_LEVEL_ORDER: dict[Level, int] = {Level.PRINCIPIANTE: 0, Level.INTERMEDIO: 1, Level.AVANZADO: 2}
_LEVEL_WORDS: dict[str, Level] = {
    "principiante": Level.PRINCIPIANTE,
    "basico": Level.PRINCIPIANTE,
    "inicial": Level.PRINCIPIANTE,
    "novato": Level.PRINCIPIANTE,
    "beginner": Level.PRINCIPIANTE,
    "intermedio": Level.INTERMEDIO,
    "medio": Level.INTERMEDIO,
    "intermediate": Level.INTERMEDIO,
    "avanzado": Level.AVANZADO,
    "experto": Level.AVANZADO,
    "advanced": Level.AVANZADO,
}
# How much a course one or two levels away from the student keeps of its relevance.
_LEVEL_FACTORS: tuple[float, ...] = (1.0, 0.6, 0.25)
_UNKNOWN_LEVEL_FACTOR = 0.6


@dataclass(frozen=True)
class _Field:
    weight: float
    text: str


@dataclass(frozen=True)
class _Document:
    course: Course
    fields: tuple[_Field, ...]
    # stem -> ((field position, length-normalised term frequency), ...)
    stems: dict[str, tuple[tuple[int, float], ...]]
    name_stems: frozenset[str]
    # The searchable text the document was built from: a course whose text is unchanged
    # reuses its document, whichever Course object (a fresh database row) carries it.
    source: tuple[str, ...]


class Term(NamedTuple):
    """One query word and the stems it stands for, with how sure each is (1.0: exact); a
    thesaurus subject also stands for its phrases ("redes sociales"), matched as written."""

    word: str
    stems: tuple[tuple[str, float], ...]
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    # The thesaurus subjects named (each is also one of the terms).
    subjects: tuple[str, ...] = ()
    # The stems of the query's words and of the other spelling of its abbreviations ("ia":
    # "inteligencia artificial"), for how much of a course's name the query covers.
    name_stems: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.terms


def rank_courses(
    courses: Sequence[Course], query: str, limit: int = 5, *, catalogue_size: int | None = None
) -> list[Course]:
    """Courses relevant to a free-text query, best first; empty when nothing really matches.

    `catalogue_size`: how many courses the catalogue has when `courses` are only the
    candidates a database fetched, so that a word's rarity is weighed as over the whole."""
    index = catalog_index(courses, catalogue_size)  # first: its words are what a typo may stand for
    parsed = parse_query([query])
    if limit <= 0 or parsed.is_empty:
        return []
    scored = score_query(index, parsed)
    return [doc.course for doc, _ in _ordered(scored)][:limit]


def recommend_courses(
    courses: Sequence[Course],
    interests: Sequence[str],
    level: str | None = None,
    limit: int = 3,
    *,
    catalogue_size: int | None = None,
) -> list[Course]:
    """Courses for a student's interests, preferring their level.

    Interests are free text (the profile stores subjects like "automatización"). A beginner
    is never shown an advanced course before a suitable one, and vice versa. With no
    interest, or none the catalogue covers, the entry-level flagship courses are suggested.
    """
    if limit <= 0:
        return []
    index = catalog_index(courses, catalogue_size)
    target = parse_level(level)
    parsed = parse_query(interests)
    matched = _by_level(score_query(index, parsed), target) if not parsed.is_empty else []
    if matched:
        return matched[:limit]
    # Nothing to go on: beginners are the usual newcomers when the level is unknown too.
    return default_recommendations(index, target or Level.PRINCIPIANTE, limit)


def parse_level(level: str | None) -> Level | None:
    """The Level a free-text level names ("Básico", "avanzado"), or None."""
    if not level:
        return None
    for word in normalize(level).split():
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
    return None


def _by_level(scored: Iterable[tuple[_Document, float]], target: Level | None) -> list[Course]:
    """Courses by relevance scaled to the student's level, never two levels away first."""
    adjusted = [(doc, score * level_factor(target, doc.course)) for doc, score in scored]
    adjusted.sort(key=lambda item: (level_tier(target, item[0].course), -item[1], *_name_key(item[0])))
    return [doc.course for doc, _ in adjusted]


def default_recommendations(index: CatalogIndex, target: Level, limit: int) -> list[Course]:
    """The best course for each flagship subject in turn, then the rest nearest the level.

    One course per subject keeps the suggestions varied: summing all subjects would favour
    whichever course mentions most of them in passing.
    """
    documents = index.documents
    chosen: dict[str, Course] = {}
    for topic in DEFAULT_TOPICS:
        ranked = _by_level(score_query(index, parse_query([topic])), target)
        fresh = [c for c in ranked if c.id not in chosen]
        # A suggestion out of the blue should match the level exactly when the subject allows.
        pick = next((c for c in fresh if _level_distance(target, c) == 0), fresh[0] if fresh else None)
        if pick is not None:
            chosen[pick.id] = pick
    rest = sorted(
        (doc for doc in documents if doc.course.id not in chosen),
        key=lambda doc: (_distance_or_unknown(target, doc.course), *_name_key(doc)),
    )
    return [*chosen.values(), *(doc.course for doc in rest)][:limit]


# --- query ---------------------------------------------------------------------------------


def parse_query(phrases: Iterable[str]) -> ParsedQuery:
    """The content words of the phrases, each with the stems it may stand for, plus one term
    per subject of the thesaurus (topics.py) they name, standing for all its words.

    Abbreviations need no expansion here: a course's text carries both spellings of each."""
    words: list[str] = []
    subjects: list[str] = []
    for phrase in phrases:
        words.extend(w for w in content_words(phrase) if w not in words)
        subjects.extend(t for t in _subjects_named(searchable(phrase)) if t not in subjects)
    terms = (*(Term(word, expand_word(word)) for word in words), *(_subject_term(t) for t in subjects))
    spelled = {stem(w) for w in with_same_words(" ".join(words)) if w not in STOP_WORDS}
    every_stem = spelled | {s for t in terms for s, _ in t.stems}
    return ParsedQuery(terms=terms, subjects=tuple(subjects), name_stems=frozenset(every_stem))


@lru_cache(maxsize=4096)
def _subjects_named(text: str) -> tuple[str, ...]:
    """Thesaurus subjects the text names with a word that is not filler ("clases" alone is no
    subject: "quiero tomar clases")."""
    named = []
    for topic in extract_topics(text):
        words = {w for synonym in topic_terms(topic) if f" {synonym} " in f" {text} " for w in synonym.split()}
        if words - STOP_WORDS:
            named.append(topic)
    return tuple(named)


@lru_cache(maxsize=256)
def _subject_term(topic: str) -> Term:
    """A subject as one query term: any single word the thesaurus gives for it, with less
    certainty than a word the student wrote."""
    stems: dict[str, float] = {}
    phrases: list[str] = []
    for synonym in topic_terms(topic):
        said = [w for w in synonym.split() if w not in STOP_WORDS]
        if len(said) == 1 or synonym == topic_terms(topic)[0]:
            stems.update((stem(w), _SUBJECT_QUALITY) for w in said)
        elif len(said) > 1:
            phrases.append(synonym)
    return Term(f"~{topic}", tuple(sorted(stems.items())), tuple(phrases))


def expand_word(word: str) -> tuple[tuple[str, float], ...]:
    """The stem of the word, and the stems of catalogue words it is a likely typo of."""
    own = stem(word)
    found: dict[str, float] = {own: 1.0}
    for other_stem, quality in _typo_stems(word):
        if quality > found.get(other_stem, 0.0):
            found[other_stem] = quality
    return tuple(found.items())


# --- typo tolerance --------------------------------------------------------------------------

# Every catalogue word long enough for a typo to be told apart, with its stem: typos are
# matched against the words of every course seen, once per word and vocabulary.
_MAX_VOCABULARY = 200_000
_VOCABULARY: dict[str, str] = {}
_VOCABULARY_LIST: list[str] = []
_BY_BEGINNING: dict[str, list[str]] = {}
_TYPOS: dict[str, tuple[tuple[str, float], ...]] = {}
_MAX_CACHED_TYPOS = 8192


def _learn_words(words: Iterable[str]) -> None:
    for word in words:
        if len(word) >= _MIN_FUZZY_LENGTH and word not in _VOCABULARY and len(_VOCABULARY) < _MAX_VOCABULARY:
            _VOCABULARY[word] = stem(word)
            _VOCABULARY_LIST.append(word)
            _BY_BEGINNING.setdefault(word[:_RELATED_MIN_PREFIX], []).append(word)
            _TYPOS.clear()  # a new word may be what an earlier typo meant


def _typo_stems(word: str) -> tuple[tuple[str, float], ...]:
    if len(word) < _MIN_FUZZY_LENGTH:
        return ()  # "ia", "sql", "dato": too short for a typo to be told apart from another word
    cached = _TYPOS.get(word)
    if cached is None:
        if len(_TYPOS) >= _MAX_CACHED_TYPOS:
            _TYPOS.clear()
        cached = _TYPOS[word] = _compute_typo_stems(word)
    return cached


def _compute_typo_stems(word: str) -> tuple[tuple[str, float], ...]:
    found: dict[str, float] = {}
    matches = process.extract(word, _VOCABULARY_LIST, scorer=OSA.distance, score_cutoff=2, limit=None)
    for other, edits, _ in matches:
        allowed = 2 if min(len(word), len(other)) >= _TWO_EDITS_LENGTH else 1
        if 0 < edits <= allowed and len(other) >= _MIN_FUZZY_LENGTH:
            other_stem = _VOCABULARY[other]
            found[other_stem] = max(found.get(other_stem, 0.0), _TYPO_QUALITY[int(edits)])
    for other in _BY_BEGINNING.get(word[:_RELATED_MIN_PREFIX], ()):
        if _related(word, other):
            other_stem = _VOCABULARY[other]
            found[other_stem] = max(found.get(other_stem, 0.0), _RELATED_QUALITY)
    return tuple(sorted(found.items()))


def _related(word: str, other: str) -> bool:
    shortest = min(len(word), len(other))
    if shortest < _RELATED_MIN_LENGTH or word == other:
        return False
    prefix = next((i for i, (a, b) in enumerate(zip(word, other, strict=False)) if a != b), shortest)
    return prefix >= _RELATED_MIN_PREFIX and prefix >= _RELATED_MIN_SHARE * shortest


# --- documents -----------------------------------------------------------------------------

# Documents of every course seen, by id; a course whose text changed gets a new one.
_MAX_DOCUMENTS = 50_000
_DOCUMENTS: dict[str, _Document] = {}
# Indexes of the catalogues (or database candidate sets) seen last, by the identity of their
# documents. The in-memory repositories rank the same catalogue for every message.
_MAX_INDEXES = 32
_INDEXES: dict[tuple[int, ...], CatalogIndex] = {}
# Query words remembered per index: students reuse a small vocabulary.
_MAX_CACHED_TERMS = 4096


class CatalogIndex:
    """A list of courses with their documents; each query word's matches computed once.

    Documents hold their own stems and weights, so an index is only a list: building one for
    a database's candidate set costs nothing per word of their text. Results are read back in
    the order of the list the index was built for.
    """

    def __init__(self, documents: Sequence[_Document], catalogue_size: int | None = None) -> None:
        self.documents: tuple[_Document, ...] = tuple(documents)
        # Rarity is weighed over the whole catalogue, which may be larger than this list.
        self.catalogue_size = max(catalogue_size or 0, len(self.documents))
        self._terms: dict[Term, Hits] = {}

    def serves(self, courses: Sequence[Course]) -> bool:
        return len(courses) == len(self.documents) and all(
            doc.course is course for doc, course in zip(self.documents, courses, strict=True)
        )

    def rebound(self, courses: Sequence[Course]) -> CatalogIndex:
        """The same documents for other Course objects with the same text (rows read again):
        results must be the objects asked about, whose price or level may be newer."""
        rebound = [_rebind(doc, course) for doc, course in zip(self.documents, courses, strict=True)]
        copy = CatalogIndex(rebound, self.catalogue_size)
        copy._terms = self._terms
        return copy

    def __len__(self) -> int:
        return len(self.documents)

    def term_hits(self, term: Term) -> Hits:
        """The documents the word matches, with how strongly."""
        cached = self._terms.get(term)
        if cached is None:
            if len(self._terms) >= _MAX_CACHED_TERMS:
                self._terms.clear()
            cached = self._terms[term] = _term_hits(self.documents, term)
        return cached


def _term_hits(documents: Sequence[_Document], term: Term) -> Hits:
    hits: Hits = {}
    for position, doc in enumerate(documents):
        per_field: dict[int, tuple[float, float]] = {}  # field -> (quality, quality x frequency)
        for term_stem, quality in term.stems:
            for field, frequency in doc.stems.get(term_stem, ()):
                if quality * frequency > per_field.get(field, (0.0, 0.0))[1]:
                    per_field[field] = (quality, quality * frequency)
        if term.phrases:
            pattern = _phrase_pattern(term.phrases)
            for field, text in enumerate(f.text for f in doc.fields):
                if pattern.search(text) and per_field.get(field, (0.0, 0.0))[1] < _SUBJECT_QUALITY:
                    per_field[field] = (_SUBJECT_QUALITY, _SUBJECT_QUALITY)
        if per_field:
            best = max(_WEIGHTS[field] * quality for field, (quality, _) in per_field.items())
            weighted = sum(_WEIGHTS[field] * value for field, (_, value) in per_field.items())
            hits[position] = Hit(best=best, weighted=weighted)
    return hits


@lru_cache(maxsize=256)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return any_phrase(phrases)


def catalog_index(courses: Sequence[Course], catalogue_size: int | None = None) -> CatalogIndex:
    """The index of these courses, built once per catalogue version.

    Keyed by course id and text, never by comparing whole Course models: a fresh copy of an
    unchanged catalogue (the same rows read again) finds the index already built.
    """
    documents = [_document(course) for course in courses]
    key = (catalogue_size or 0, *(id(doc) for doc in documents))
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        # The index keeps its documents alive, so the ids in its key cannot be reused.
        index = _INDEXES[key] = CatalogIndex(documents, catalogue_size)
    return index if index.serves(courses) else index.rebound(courses)


def build_index(courses: Sequence[Course]) -> CatalogIndex:
    """A fresh index with no cache at all: the per-message cost before caching (the benchmark)."""
    return CatalogIndex([_build_document(course) for course in courses])


def _rebind(doc: _Document, course: Course) -> _Document:
    return _Document(course=course, fields=doc.fields, stems=doc.stems, name_stems=doc.name_stems, source=doc.source)


def _document(course: Course) -> _Document:
    cached = _DOCUMENTS.get(course.id)
    if cached is not None and cached.course is course:
        return cached  # the very object it was built from (models are frozen): no text to compare
    source = searchable_text(course)
    if cached is not None and cached.source == source:
        return cached
    if len(_DOCUMENTS) >= _MAX_DOCUMENTS:
        _DOCUMENTS.clear()
    doc = _DOCUMENTS[course.id] = _build_document(course, source)
    return doc


def searchable_text(course: Course) -> tuple[str, ...]:
    """The course's text by field, in the order of the field weights."""
    return (
        course.name,
        " | ".join(course.tags),
        course.category or "",
        course.short_description or "",
        course.long_description or "",
        " | ".join(f"{s.title} | {s.objective or ''}" for s in course.sessions),
        " | ".join(b.content for b in course.bonuses),
    )


def _build_document(course: Course, source: tuple[str, ...] | None = None) -> _Document:
    source = source or searchable_text(course)
    fields: list[_Field] = []
    frequencies: dict[str, dict[int, float]] = {}
    for position, (weight, raw) in enumerate(zip(_WEIGHTS, source, strict=True)):
        # "|" keeps tags and sessions apart, so that a phrase cannot span two of them.
        text = " | ".join(searchable(part) for part in raw.split("|") if part.strip())
        fields.append(_Field(weight=weight, text=text))
        words = [w for w in with_same_words(text) if w != "|"]
        _learn_words(words)
        counts: dict[str, int] = {}
        for word in words:
            if word not in STOP_WORDS:
                counts[stem(word)] = counts.get(stem(word), 0) + 1
        # Long texts are discounted, short ones never boosted above their field's weight.
        norm = max(1.0, 1 - _LENGTH_SHARE[position] + _LENGTH_SHARE[position] * len(words) / _TYPICAL_LENGTH[position])
        for word_stem, count in counts.items():
            frequencies.setdefault(word_stem, {})[position] = count / norm
    stems = {s: tuple(sorted(by_field.items())) for s, by_field in frequencies.items()}
    name_stems = frozenset(stem(w) for w in fields[0].text.split() if w not in STOP_WORDS and w != "|")
    return _Document(course=course, fields=tuple(fields), stems=stems, name_stems=name_stems, source=source)


# --- scoring -------------------------------------------------------------------------------


def score_query(index: CatalogIndex, query: ParsedQuery) -> list[tuple[_Document, float]]:
    """(document, score) for every document that qualifies as a result."""
    return [(index.documents[position], score) for position, score in scored_positions(index, query).items()]


def scored_positions(index: CatalogIndex, query: ParsedQuery) -> dict[int, float]:
    """Position in the index -> BM25F score, for every document that qualifies, in index order.

    Qualifying takes a query word in a strong field (the short description or better), or
    several of its words in the course's longer texts."""
    total = index.catalogue_size
    terms = [(_idf(total, len(hits)), hits) for hits in map(index.term_hits, query.terms)]
    touched: dict[int, int] = {}
    strong: set[int] = set()
    for _, hits in terms:
        for position, hit in hits.items():
            touched[position] = touched.get(position, 0) + 1
            if hit.best >= STRONG_WEIGHT:
                strong.add(position)
    results: dict[int, float] = {}
    for position in sorted(touched):
        if position not in strong and touched[position] < WEAK_TERMS_TO_QUALIFY:
            continue
        score = sum(idf * _saturated(hits[position].weighted) for idf, hits in terms if position in hits)
        score += NAME_COVERAGE_WEIGHT * _name_coverage(index.documents[position], query)
        if score >= MIN_SCORE:
            results[position] = score
    return results


def _saturated(weighted_frequency: float) -> float:
    return weighted_frequency * (K1 + 1) / (weighted_frequency + K1)


def _ordered(scored: Iterable[tuple[_Document, float]]) -> list[tuple[_Document, float]]:
    return sorted(scored, key=lambda item: (-item[1], *_name_key(item[0])))


def _name_key(doc: _Document) -> tuple[str, str]:
    return name_key(doc.course)


def name_key(course: Course) -> tuple[str, str]:
    """Ties are broken by name, then id, so every store gives the same order."""
    return normalize(course.name), course.id


def _idf(total: int, matched: int) -> float:
    # A word every course shares ("ia") tells less than one only a few have ("excel").
    return math.log(1 + total / matched) if matched else 0.0


class Hit(NamedTuple):
    """How well a query word matches one document."""

    best: float  # the weight of the best field it is in, times the match quality
    weighted: float  # the field-weighted, length-normalised frequency (BM25F)


# Position in the index -> the hit, for the documents matched only.
Hits = dict[int, Hit]


def _name_coverage(doc: _Document, query: ParsedQuery) -> float:
    """Share of the name's words that the query asked for."""
    if not doc.name_stems:
        return 0.0
    return len(doc.name_stems & query.name_stems) / len(doc.name_stems)


# --- levels --------------------------------------------------------------------------------


def _course_level(course: Course) -> Level | None:
    return parse_level(course.level)


def _level_distance(target: Level | None, course: Course) -> int | None:
    own = _course_level(course)
    if target is None or own is None:
        return None
    return abs(_LEVEL_ORDER[target] - _LEVEL_ORDER[own])


def _distance_or_unknown(target: Level, course: Course) -> int:
    """Level distance, counting a course without a level as one step away."""
    distance = _level_distance(target, course)
    return 1 if distance is None else distance


def level_factor(target: Level | None, course: Course) -> float:
    if target is None:
        return 1.0
    distance = _level_distance(target, course)
    return _UNKNOWN_LEVEL_FACTOR if distance is None else _LEVEL_FACTORS[distance]


def level_tier(target: Level | None, course: Course) -> int:
    """0 for courses a student of that level can take, 1 for those two levels away."""
    distance = _level_distance(target, course)
    return 1 if distance is not None and distance >= 2 else 0
