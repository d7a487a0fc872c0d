"""What to ask PostgreSQL for, so that the domain ranking finds its best courses among them.

The database only fetches candidates; app.domain.course_search ranks them, exactly as it
ranks the JSON catalogue. The candidates must therefore include every course the ranking
could put first: the query is read the way the ranking reads it (same stop words, aliases
and topics), widened with every synonym of each topic it mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from app.domain import course_search
from app.domain.topics import topic_terms

# The ranking forgives typos from five letters on; shorter words must match exactly.
MIN_TRIGRAM_LENGTH = 5
MAX_TERMS = 48
# Only letters and digits reach to_tsquery: its operators can then never be injected.
_WORD = re.compile(r"[a-z0-9ñ]+")


class SearchTerms(BaseModel):
    model_config = ConfigDict(frozen=True)

    tsquery: str  # for to_tsquery: words (long ones as prefixes) and phrases joined by " | "
    trigram: tuple[str, ...]  # single words worth a similarity search

    @property
    def is_empty(self) -> bool:
        return not self.tsquery


def search_terms(phrases: Iterable[str]) -> SearchTerms:
    """Terms for the candidate query of a free-text query or a list of interests."""
    # The domain's own query parser: reading the query any other way would fetch candidates
    # for a different question than the one ranked.
    parsed = course_search.parse_query(list(phrases))
    words = [term.word for term in parsed.terms if not term.word.startswith("~")]
    alternatives: list[str] = []
    for item in (*words, *(synonym for subject in parsed.subjects for synonym in topic_terms(subject))):
        clause = _clause(item)
        if clause and clause not in alternatives:
            alternatives.append(clause)
    trigram = tuple(dict.fromkeys(_unaccent(w) for w in words if len(w) >= MIN_TRIGRAM_LENGTH))
    return SearchTerms(tsquery=" | ".join(alternatives[:MAX_TERMS]), trigram=trigram[:MAX_TERMS])


def _clause(item: str) -> str:
    """One to_tsquery alternative: a phrase as words in sequence, a long word as a prefix.

    Words are stemmed by the Spanish configuration; searching the stem as a prefix also finds
    the forms the domain ranking counts as the same stem ("automatizar" and "automatizacion",
    which the stemmer leaves apart once accents are gone).
    """
    words = _WORD.findall(item)
    if not words:
        return ""
    if len(words) > 1:
        return "(" + " <-> ".join(words) + ")"
    word = words[0]
    return f"{word}:*" if len(word) >= MIN_TRIGRAM_LENGTH else word


def _unaccent(word: str) -> str:
    """The form advisor_unaccent() gives the indexed text: normalised words lose their ñ too."""
    return word.replace("ñ", "n")
