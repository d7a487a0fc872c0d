"""Relevance ranking of the catalogue for free-text searches and interest-based recommendations.

Pure and deterministic: the same courses and query always give the same order, so the JSON
repository and the PostgreSQL one can be checked against each other. Students write from
WhatsApp without accents, with typos ("maquin lerning", "pyton") and with a lot of filler
("quiero aprender un curso de..."), so matching works on normalised words, forgives small
spelling mistakes and ignores Spanish stop words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from app.domain.courses import Course, Level
from app.domain.text import normalize
from app.domain.topics import TOPIC_SYNONYMS, extract_topics, topic_terms

# Filler that says nothing about what the student wants to learn. Written normalised.
_STOP_WORDS_TEXT = """
    a al algo alguien algun alguna alguno algunos ante aprenda aprender aprendo ayuda ayudame ayudar
    año años bien buen buena buenas buenos buscando busco cada clase clases como con conmigo contigo
    costo costos cual cuales cuando cuanta cuanto cuesta cuestan curso cursos da dame de del desde dia
    dias donde e el ella ellos en entre era es esa ese eso esta estan estar este esto estoy estudiar
    experiencia conocimiento conocimientos previa previo previos
    favor fin gracias gusta gustaria ha hacer hay hola hora horas hoy info informacion interesa
    interesada interesado interesan interesaria ir jaja jajaja jeje kiero la las le les lo los mas
    mañana me mes meses mi mis mucho muy nada ni no noche nos nuestro o ofrecen otra otro para pero
    poco podria podrian por porfa porque precio precios puede puedo pues que queria quiero quisiera
    saber se sea semana semanas ser si sin sobre solo son soy su sus tal tambien tarde te tema temas
    tener tenes tengo ti tiempo tiene tienen tienes toda todo todos tu tus u un una unas uno unos
    usted ustedes va vale y ya yo
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Spellings of brand names that neither accent folding nor fuzzy matching can recover.
_ALIASES: dict[str, str] = {
    "wasap": "whatsapp",
    "guasap": "whatsapp",
    "wassap": "whatsapp",
    "whats": "whatsapp",
    "wsp": "whatsapp",
    "wpp": "whatsapp",
    "powerbi": "power bi",
    "chatgtp": "chatgpt",
    "chat gpt": "chatgpt",
    "exel": "excel",
}


def _any_phrase(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the normalised phrases as whole words, longest first so that the longest wins."""
    alternatives = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True) if p)
    return re.compile(rf"(?<![a-z0-9ñ])(?:{alternatives})(?![a-z0-9ñ])")


_ALIAS_PATTERN = _any_phrase(_ALIASES)

# Spellings of the same thing, so that "ia" finds "Inteligencia Artificial desde Cero" as well
# as "IA para Ventas" and the other way round. Unlike topic synonyms these are not related
# subjects ("llms" is not the same as "chatgpt"), only other ways to write the same words.
_SAME_WORD: tuple[tuple[str, ...], ...] = (
    ("ia", "inteligencia artificial"),
    ("ml", "machine learning"),
    ("rrhh", "recursos humanos"),
    ("nlp", "pln", "procesamiento de lenguaje natural"),
    ("no code", "nocode", "sin codigo"),
)

# Where a word appears says how central it is to the course: the name above the tags above
# the short description above the long one. Session titles only break ties.
NAME_WEIGHT = 4.0
TAGS_WEIGHT = 3.0
CATEGORY_WEIGHT = 2.5
SHORT_WEIGHT = 2.0
LONG_WEIGHT = 1.0
SYLLABUS_WEIGHT = 0.75
# Fields that can make a course a result on their own; long texts mention too many everyday
# words ("clima laboral", "tiempo") to qualify a course by themselves.
STRONG_WEIGHT = SHORT_WEIGHT

TOPIC_WEIGHT = 1.0
# A short name fully covered by the query ("Python desde Cero" for "python desde cero") is a
# more specific answer than a long name that merely contains one query word.
NAME_COVERAGE_WEIGHT = 3.0
# Further fields that contain a term add a little, so breadth breaks near ties.
SECONDARY_FIELD_SHARE = 0.2
MIN_SCORE = 1.0

# Typos forgiven: one edit (a swap of neighbours counts as one) from five letters, two from
# nine. Ratio-based cut-offs let "formas" pass for "formulas"; counting edits does not.
_MIN_FUZZY_LENGTH = 5
_TWO_EDITS_LENGTH = 9
_TYPO_QUALITY: tuple[float, ...] = (1.0, 0.85, 0.75)
_STEM_MIN_PREFIX = 5
_STEM_MIN_SHARE = 0.75
_STEM_QUALITY = 0.9

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
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Document:
    course: Course
    fields: tuple[_Field, ...]
    name_words: tuple[str, ...]
    # The searchable text the document was built from: a course whose text is unchanged
    # reuses its document, whichever Course object (a fresh database row) carries it.
    source: tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]
    topics: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.topics


def rank_courses(courses: Sequence[Course], query: str, limit: int = 5) -> list[Course]:
    """Courses relevant to a free-text query, best first; empty when nothing really matches."""
    parsed = parse_query([query])
    if limit <= 0 or parsed.is_empty:
        return []
    scored = score_query(catalog_index(courses), parsed)
    return [doc.course for doc, _ in _ordered(scored)][:limit]


def recommend_courses(
    courses: Sequence[Course], interests: Sequence[str], level: str | None = None, limit: int = 3
) -> list[Course]:
    """Courses for a student's interests, preferring their level.

    Interests are canonical topics (topics.TOPIC_SYNONYMS keys) or free text. A beginner is
    never shown an advanced course before a suitable one, and vice versa. With no interest,
    or none the catalogue covers, the entry-level flagship courses are suggested instead.
    """
    if limit <= 0:
        return []
    index = catalog_index(courses)
    target = parse_level(level)
    parsed = parse_query(interests, canonical_topics(interests))
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
        ranked = _by_level(score_query(index, ParsedQuery(terms=(), topics=(topic,))), target)
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


def parse_query(phrases: Iterable[str], known_topics: Iterable[str] = ()) -> ParsedQuery:
    terms: list[str] = []
    topics: list[str] = list(dict.fromkeys(known_topics))
    for phrase in phrases:
        text = _apply_aliases(normalize(phrase))
        topics.extend(t for t in extract_topics(text) if t not in topics and _said_with_content(t, text))
        terms.extend(w for w in text.split() if w not in STOP_WORDS and w not in terms)
    return ParsedQuery(terms=tuple(terms), topics=tuple(topics))


def _said_with_content(topic: str, text: str) -> bool:
    """False when the topic was only matched through filler ("quiero tomar clases" is not educación)."""
    return any(
        any(word not in STOP_WORDS for word in match[0].split()) for match in _topic_pattern(topic).finditer(text)
    )


def _apply_aliases(text: str) -> str:
    return _ALIAS_PATTERN.sub(lambda match: _ALIASES[match[0]], text)


def canonical_topics(interests: Iterable[str]) -> list[str]:
    """The vocabulary topics named exactly by the interests, even if no synonym spells them."""
    canonical = _topics_by_normal_form()
    return [canonical[key] for key in (normalize(i) for i in interests) if key in canonical]


@lru_cache(maxsize=1)
def _topics_by_normal_form() -> dict[str, str]:
    return {normalize(topic): topic for topic in TOPIC_SYNONYMS}


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
    """The term data of one list of courses, built once and reused for every query.

    Holds each course's normalised fields and, per distinct word, where it occurs; the match
    qualities of a query word or topic are computed once per index. Results are read back in
    the order of the list the index was built for.
    """

    def __init__(self, documents: Sequence[_Document]) -> None:
        self.documents: tuple[_Document, ...] = tuple(documents)
        postings: dict[str, list[tuple[int, int]]] = {}
        for position, doc in enumerate(self.documents):
            for field_position, field in enumerate(doc.fields):
                for word in field.words:
                    postings.setdefault(word, []).append((position, field_position))
        self._postings = postings
        # Only words from five letters can match a different word (a typo or a stem).
        self._fuzzy_words = tuple(w for w in postings if len(w) >= _MIN_FUZZY_LENGTH)
        self._terms: dict[str, Hits] = {}
        self._topics: dict[str, Hits] = {}

    def serves(self, courses: Sequence[Course]) -> bool:
        return len(courses) == len(self.documents) and all(
            doc.course is course for doc, course in zip(self.documents, courses, strict=True)
        )

    def rebound(self, courses: Sequence[Course]) -> CatalogIndex:
        """The same term data for other Course objects with the same text (rows read again):
        results must be the objects asked about, whose price or level may be newer."""
        copy = object.__new__(CatalogIndex)
        copy.__dict__.update(self.__dict__)
        copy.documents = tuple(_rebind(doc, course) for doc, course in zip(self.documents, courses, strict=True))
        return copy

    def __len__(self) -> int:
        return len(self.documents)

    def term_hits(self, term: str) -> Hits:
        """The documents the word matches, with the weighted match quality in their fields."""
        cached = self._terms.get(term)
        if cached is None:
            if len(self._terms) >= _MAX_CACHED_TERMS:
                self._terms.clear()
            cached = self._terms[term] = _hits(self._compute_term(term))
        return cached

    def topic_hits(self, topic: str) -> Hits:
        """The documents that mention the topic, with the weight of each field that does."""
        cached = self._topics.get(topic)
        if cached is None:
            pattern = _topic_pattern(topic)
            per_document = (tuple(f.weight for f in doc.fields if pattern.search(f.text)) for doc in self.documents)
            cached = self._topics[topic] = _hits(per_document)
        return cached

    def _compute_term(self, term: str) -> tuple[tuple[float, ...], ...]:
        best: dict[tuple[int, int], float] = {}
        candidates = self._fuzzy_words if len(term) >= _MIN_FUZZY_LENGTH else ()
        matches = [(term, 1.0)] if term in self._postings else []
        matches.extend((w, q) for w in candidates if w != term and (q := _word_similarity(term, w)) > 0)
        for word, quality in matches:
            for place in self._postings[word]:
                if quality > best.get(place, 0.0):
                    best[place] = quality
        return tuple(
            tuple(
                field.weight * best[(position, field_position)]
                for field_position, field in enumerate(doc.fields)
                if (position, field_position) in best
            )
            for position, doc in enumerate(self.documents)
        )


def catalog_index(courses: Sequence[Course]) -> CatalogIndex:
    """The index of these courses, built once per catalogue version.

    Keyed by course id and text, never by comparing whole Course models: a fresh copy of an
    unchanged catalogue (the same rows read again) finds the index already built.
    """
    documents = [_document(course) for course in courses]
    key = tuple(id(doc) for doc in documents)
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        # The index keeps its documents alive, so the ids in its key cannot be reused.
        index = _INDEXES[key] = CatalogIndex(documents)
    return index if index.serves(courses) else index.rebound(courses)


def build_index(courses: Sequence[Course]) -> CatalogIndex:
    """A fresh index with no cache at all: the per-message cost before caching (the benchmark)."""
    return CatalogIndex([_build_document(course) for course in courses])


def _rebind(doc: _Document, course: Course) -> _Document:
    return _Document(course=course, fields=doc.fields, name_words=doc.name_words, source=doc.source)


def _document(course: Course) -> _Document:
    cached = _DOCUMENTS.get(course.id)
    if cached is not None and cached.course is course:
        return cached  # the very object it was built from (models are frozen): no text to compare
    source = _searchable_text(course)
    if cached is not None and cached.source == source:
        return cached
    if len(_DOCUMENTS) >= _MAX_DOCUMENTS:
        _DOCUMENTS.clear()
    doc = _DOCUMENTS[course.id] = _build_document(course, source)
    return doc


def _searchable_text(course: Course) -> tuple[str, ...]:
    return (
        course.name,
        " | ".join(course.tags),
        course.category or "",
        course.short_description or "",
        course.long_description or "",
        " ".join(s.title for s in course.sessions),
    )


def _build_document(course: Course, source: tuple[str, ...] | None = None) -> _Document:
    source = source or _searchable_text(course)
    weights = (NAME_WEIGHT, TAGS_WEIGHT, CATEGORY_WEIGHT, SHORT_WEIGHT, LONG_WEIGHT, SYLLABUS_WEIGHT)
    fields = tuple(_field(weight, text) for weight, text in zip(weights, source, strict=True))
    name_words = tuple(dict.fromkeys(w for w in fields[0].text.split() if w not in STOP_WORDS))
    return _Document(course=course, fields=fields, name_words=name_words, source=source)


def _field(weight: float, raw: str) -> _Field:
    # "|" keeps tags apart so that a topic phrase cannot span two tags.
    text = " | ".join(normalize(part) for part in raw.split("|"))
    words = [w for w in text.split() if w != "|"]
    padded = f" {text} "
    for spellings in _SAME_WORD:
        if any(f" {s} " in padded for s in spellings):
            words.extend(w for s in spellings for w in s.split())
    return _Field(weight=weight, text=text, words=tuple(dict.fromkeys(words)))


# --- scoring -------------------------------------------------------------------------------


def score_query(index: CatalogIndex, query: ParsedQuery) -> list[tuple[_Document, float]]:
    """(document, score) for every document that qualifies as a result."""
    return [(index.documents[position], score) for position, score in scored_positions(index, query).items()]


def scored_positions(index: CatalogIndex, query: ParsedQuery) -> dict[int, float]:
    """Position in the index -> score, for every document that qualifies, in index order.

    Only documents some term or topic matched are visited: a query names a few courses of
    the catalogue, and each term's matches are computed once per catalogue (the index)."""
    total = len(index)
    terms = [(_idf(total, len(hits)), hits) for hits in map(index.term_hits, query.terms)]
    topics = [(TOPIC_WEIGHT * _idf(total, len(hits)), hits) for hits in map(index.topic_hits, query.topics)]
    # Qualifying takes at least an exact word in the short description, or better.
    qualified = sorted({p for _, hits in terms + topics for p, hit in hits.items() if hit.best >= STRONG_WEIGHT})
    results: dict[int, float] = {}
    for position in qualified:
        score = sum(weight * hits[position].combined for weight, hits in terms if position in hits)
        score += sum(weight * hits[position].combined for weight, hits in topics if position in hits)
        score += NAME_COVERAGE_WEIGHT * _name_coverage(index.documents[position], query)
        if score >= MIN_SCORE:
            results[position] = score
    return results


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
    """How well a term or topic matches one document, over its fields."""

    best: float  # the best field's weighted match
    combined: float  # the best field fully, every other field that matched a small share


# Position in the index -> the hit, for the documents matched only.
Hits = dict[int, Hit]


def _hits(per_document: Iterable[tuple[float, ...]]) -> Hits:
    return {position: _hit(weighted) for position, weighted in enumerate(per_document) if weighted}


def _hit(weighted: tuple[float, ...]) -> Hit:
    ordered = sorted(weighted, reverse=True)
    return Hit(best=ordered[0], combined=ordered[0] + SECONDARY_FIELD_SHARE * sum(ordered[1:]))


@lru_cache(maxsize=128)
def _topic_pattern(topic: str) -> re.Pattern[str]:
    return _any_phrase(topic_terms(topic))


def _name_coverage(doc: _Document, query: ParsedQuery) -> float:
    """Share of the name's words that the query asked for, directly or through a topic."""
    if not doc.name_words:
        return 0.0
    covered = set(_topic_words_in(doc.fields[0].text, query.topics))
    covered.update(w for w in doc.name_words if any(_word_similarity(t, w) for t in query.terms))
    return len(covered.intersection(doc.name_words)) / len(doc.name_words)


def _topic_words_in(text: str, topics: Iterable[str]) -> list[str]:
    matches = (match[0] for topic in topics for match in _topic_pattern(topic).finditer(text))
    return [word for phrase in matches for word in phrase.split()]


@lru_cache(maxsize=65536)
def _word_similarity(term: str, word: str) -> float:
    """1.0 for the same word, less for the same stem or a likely typo, 0.0 otherwise."""
    if term == word:
        return 1.0
    shortest = min(len(term), len(word))
    if shortest < _MIN_FUZZY_LENGTH:
        # "ia", "sql", "dato": too short for a typo to be told apart from another word.
        return 0.0
    prefix = _common_prefix_length(term, word)
    if prefix >= _STEM_MIN_PREFIX and prefix >= _STEM_MIN_SHARE * shortest:
        # Same stem: "automatizar" / "automatizacion", "contadores" / "contador".
        return _STEM_QUALITY
    allowed = 2 if shortest >= _TWO_EDITS_LENGTH else 1
    edits = OSA.distance(term, word, score_cutoff=allowed)
    return _TYPO_QUALITY[edits] if edits <= allowed else 0.0


def _common_prefix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


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
