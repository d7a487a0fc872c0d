"""A message cut into clauses, each word aligned with its original spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.text import normalize


@dataclass(frozen=True)
class Clause:
    """One clause of the message: normalised words with their original spelling alongside."""

    words: tuple[str, ...]
    originals: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def word_index(self, char_offset: int) -> int:
        """Index of the word that starts at or after a character offset of `text`."""
        return len(self.text[:char_offset].split())


_CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡\n()\"“”]+")
# "Ing. Roberto Salinas": the full stop of a title does not end the clause.
_TITLE_DOT = re.compile(r"\b(ing|lic|dr|dra|sr|sra|srta|prof|mtro|mtra|arq|lcdo|lcda)\.", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def split_clauses(text: str) -> list[Clause]:
    """Punctuation ends a clause; clauses with no usable word are dropped."""
    clauses: list[Clause] = []
    for part in _CLAUSE_BREAK.split(_TITLE_DOT.sub(r"\1", text)):
        pairs = [(normalize(word), word) for word in _WORD.findall(part)]
        pairs = [(norm, original) for norm, original in pairs if norm and " " not in norm]
        if pairs:
            clauses.append(Clause(tuple(n for n, _ in pairs), tuple(o for _, o in pairs)))
    return clauses
