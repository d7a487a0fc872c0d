"""Spelling correction towards a vocabulary: a Spanish phonetic key, keyboard-aware typos."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

_HAS_DIGIT = re.compile(r"\d")
_DOUBLED = re.compile(r"([a-z])\1+")


def phonetic_key(word: str) -> str:
    """Collapse the spellings Spanish writers confuse (c/s/z, b/v, k/qu, ll/y, h)."""
    key = word.replace("ch", "1")  # "ch" is its own sound; protect it from the c and h rules
    key = re.sub(r"g(?=[ei])", "j", key)
    key = re.sub(r"gu(?=[ei])", "g", key)
    key = re.sub(r"qu(?=[ei])", "k", key)
    key = re.sub(r"c(?=[ei])", "s", key)
    key = key.replace("ll", "y").replace("c", "k").replace("q", "k").replace("z", "s")
    key = key.replace("v", "b").replace("h", "").replace("1", "ch")
    key = re.sub(r"y(?=[^aeiou]|$)", "i", key)
    return re.sub(r"(.)\1+", r"\1", key)


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm")
_ROW_OFFSETS = (0.0, 0.25, 0.75)
_KEY_POSITIONS: dict[str, tuple[float, float]] = {
    char: (row + 0.0, column + _ROW_OFFSETS[row])
    for row, letters in enumerate(_KEYBOARD_ROWS)
    for column, char in enumerate(letters)
}
# Letters Spanish writers swap because they sound alike.
_SOUND_ALIKE: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in ("bv", "sz", "sc", "cz", "kc", "qk", "qc", "yi", "jg", "ly", "hg", "xs", "ie", "ou")
)


def _plausible_substitution(typed: str, intended: str) -> bool:
    """A wrong letter is a typo only if it sits next to the right one or sounds like it."""
    if frozenset((typed, intended)) in _SOUND_ALIKE:
        return True
    if typed not in _KEY_POSITIONS or intended not in _KEY_POSITIONS:
        return False
    (row_a, col_a), (row_b, col_b) = _KEY_POSITIONS[typed], _KEY_POSITIONS[intended]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1.3


def _plausible_typo(token: str, word: str) -> bool:
    """ "premio" is not a typo of "precio": m and c are far apart on the keyboard."""
    for op in Levenshtein.editops(token, word):
        if op.tag == "replace" and not _plausible_substitution(token[op.src_pos], word[op.dest_pos]):
            return False
    return True


def _max_typos(key: str) -> int:
    """Short words are too easy to confuse: only long ones get more than one typo."""
    if len(key) >= 9:
        return 2
    if len(key) >= 5:
        return 1
    return 0


class SpellingCorrector:
    """Maps an unknown word to the vocabulary word it most plausibly misspells.

    Only corrects when the answer is unique, the first sound agrees and the lengths are
    close: a wrong correction is worse than none, because it can fire a rule. Protected
    words (frequent Spanish) are never changed, and a word as close to a protected word
    as to a keyword is left alone.
    """

    def __init__(self, vocabulary: Iterable[str], protected: Iterable[str], stems: Iterable[str] = ()) -> None:
        vocabulary = tuple(vocabulary)
        self._words: tuple[str, ...] = (*vocabulary, *protected)
        self._vocabulary: frozenset[str] = frozenset(vocabulary)
        self._known: frozenset[str] = frozenset(self._words)
        self._stems: tuple[str, ...] = tuple(sorted(stems, key=len, reverse=True))

    @cached_property
    def _by_key(self) -> dict[str, str]:
        """Phonetic key -> word, built at the first unknown word (most messages have none)."""
        by_key: dict[str, str] = {}
        for word in self._words:
            by_key.setdefault(phonetic_key(word), word)
        return by_key

    @cached_property
    def _keys_by_initial(self) -> dict[str, list[str]]:
        keys_by_initial: dict[str, list[str]] = {}
        for key in self._by_key:
            if key:
                keys_by_initial.setdefault(key[0], []).append(key)
        return keys_by_initial

    def correct(self, token: str) -> str:
        if token in self._known or _HAS_DIGIT.search(token) or token.startswith(self._stems):
            return token
        squeezed = _DOUBLED.sub(r"\1", token)
        if squeezed in self._known:
            return squeezed  # "holaa", "graciass", "buenass"
        key = phonetic_key(token)
        if key in self._by_key and len(token) >= 4:  # "fui" is not "full": short words are left alone
            return self._by_key[key]
        return self._fuzzy(token, key)

    def _fuzzy(self, token: str, key: str) -> str:
        limit = _max_typos(key)
        if limit == 0 or not key:
            return token
        candidates = [
            k for k in self._keys_by_initial.get(key[0], []) if len(k) >= 4 and abs(len(k) - len(key)) <= limit
        ]
        matches = process.extract(key, candidates, scorer=OSA.distance, score_cutoff=limit, limit=5)
        if not matches:
            return token
        best = min(distance for _, distance, _ in matches)
        closest = [(k, self._by_key[k]) for k, distance, _ in matches if distance == best]
        words = {word for _, word in closest}
        if len(words) != 1:
            return token  # two different words equally close: guessing would be a coin toss
        matched_key, word = closest[0]
        if word not in self._vocabulary:
            return token  # closest to an ordinary word: nothing a rule cares about
        if best == 2 and matched_key[-1] != key[-1]:
            return token  # two edits and a different ending is usually another word form
        return word if _plausible_typo(token, word) else token
