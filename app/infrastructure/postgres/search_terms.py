"""What to ask PostgreSQL for, so that the domain ranking finds its best courses among them.

The database only fetches candidates; app.domain.course_search ranks them, exactly as it
ranks the JSON catalogue. The candidates must therefore include every course the ranking
could put first: the query is read the way the ranking reads it (same stop words, brand
spellings and thesaurus), widened with the thesaurus words of each subject it names and with
the words of the catalogue's names a misspelt word may stand for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict

from app.domain import course_search
from app.domain.topics import topic_terms

# From five letters a word is searched as a prefix of its stem.
MIN_PREFIX_LENGTH = 5
MAX_TERMS = 48
# Only letters and digits reach to_tsquery: its operators can then never be injected.
_WORD = re.compile(r"[a-z0-9ñ]+")


class SearchTerms(BaseModel):
    model_config = ConfigDict(frozen=True)

    tsquery: str  # for to_tsquery: words (long ones as prefixes) joined by " | "

    @property
    def is_empty(self) -> bool:
        return not self.tsquery


def search_terms(phrases: Iterable[str], spellings: Callable[[str], Iterable[str]] = lambda _: ()) -> SearchTerms:
    """Terms for the candidate query of a free-text query or a list of interests.

    `spellings`: the catalogue words a word may be a misspelling of ("pyton" -> "python"),
    searched beside it (CourseNames.spellings over the catalogue's names)."""
    # The domain's own query parser: reading the query any other way would fetch candidates
    # for a different question than the one ranked.
    parsed = course_search.parse_query(list(phrases))
    words = [term.word for term in parsed.terms if not term.word.startswith("~")]
    corrected = [other for word in words for other in spellings(word)]
    subject_words = [s for subject in parsed.subjects for s in _subject_words(subject)]
    phrases = [p for term in parsed.terms for p in term.phrases]
    alternatives: list[str] = []
    for clause in (*map(_clause, [*words, *corrected]), *map(_word, subject_words), *map(_phrase, phrases)):
        if clause and clause not in alternatives:
            alternatives.append(clause)
    return SearchTerms(tsquery=" | ".join(alternatives[:MAX_TERMS]))


def _clause(item: str) -> str:
    """One to_tsquery alternative: a word, as a prefix from five letters.

    Words are stemmed by the Spanish configuration; searching the stem as a prefix also finds
    related forms the domain ranking joins ("medico" and "medicina")."""
    word = _word(item)
    if not word:
        return ""
    return f"{word}:*" if len(word) >= MIN_PREFIX_LENGTH else word


def _subject_words(subject: str) -> list[str]:
    """The thesaurus words a subject stands for in the domain ranking: single words only
    (course_search._subject_term), each matched as its stem, not as a prefix: a long query of
    prefixes costs PostgreSQL more per row."""
    return [synonym for synonym in topic_terms(subject) if len(_WORD.findall(synonym)) == 1]


def _phrase(item: str) -> str:
    """A thesaurus phrase ("redes sociales") as words in sequence."""
    return "(" + " <-> ".join(_WORD.findall(item)) + ")"


def _word(item: str) -> str:
    words = _WORD.findall(item)
    return words[0] if len(words) == 1 else ""
