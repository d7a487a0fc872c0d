"""Literal cues of a rule's regex: words at least one of which any match must contain.

Compiling the rules' ~670 alternatives costs more than a whole turn (Python's regex compiler
is written in Python). An alternative whose cues are all absent from the canonical text
cannot match, so it need not be compiled, nor searched, for that message. The cues are read from
the pattern source by a small parser that only ever under-approximates: where it is unsure
(classes, escapes, optional parts, lookarounds) it takes nothing from that part, and a
pattern it cannot read gets no cues (it is then always searched).
"""

from __future__ import annotations

import re

Cues = frozenset[str]

_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")
_LITERAL = r"[^\\.^$*+?{}\[\]|()]+"
_TOKEN = re.compile(
    # A group of plain words ("(?:tarjeta|paypal|efectivo)") is one token: most of the rules' text.
    rf"(?P<words>\(\?:{_LITERAL}(?:\|{_LITERAL})+\))"
    r"|(?P<escape>\\.)"
    r"|(?P<klass>\[\^?\]?(?:[^\]\\]|\\.)*\])"
    r"|(?P<open>\((?:\?(?:P<\w+>|<[=!]|[^)]))?)"
    r"|(?P<close>\))"
    r"|(?P<bar>\|)"
    r"|(?P<quantifier>(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?)"
    rf"|(?P<run>{_LITERAL})"
    r"|(?P<other>.)",
    re.DOTALL,
)
_OPTIONAL = re.compile(r"[?*]|\{0*(?:,|\})")
_CONSUMING_GROUPS = ("(", "(?:")

Token = tuple[str, str]


def pattern_cues(alternative: str) -> Cues | None:
    """Literals of which every match of `alternative` contains one; None: no such set."""
    if _INLINE_FLAGS.search(alternative):
        return None  # "(?i)" would make a literal match text that `in` does not find
    tokens = [(match.lastgroup or "other", match.group()) for match in _TOKEN.finditer(alternative)]
    found, end = _alternation(tokens, 0)
    return found if end == len(tokens) else None


def _alternation(tokens: list[Token], position: int) -> tuple[Cues | None, int]:
    """Cues of the branches from `position` to the closing parenthesis (or the end), and its index.

    Each branch contributes its most selective required item: the one whose shortest cue is longest.
    """
    branches: list[Cues | None] = []
    best: Cues | None = None
    best_length = 0
    while position < len(tokens):
        kind, text = tokens[position]
        found: Cues | None = None
        if kind == "close":
            break
        if kind == "bar":
            branches.append(best)
            best, best_length = None, 0
            position += 1
            continue
        if kind == "open":
            inner, close = _alternation(tokens, position + 1)
            if close >= len(tokens):
                return None, close  # unbalanced: no cues rather than a guess
            position, optional = _after_quantifier(tokens, close + 1)
            consuming = text in _CONSUMING_GROUPS or text.startswith("(?P<")
            if consuming and not optional and inner:
                found = inner
        elif kind == "words":
            position, optional = _after_quantifier(tokens, position + 1)
            if not optional:
                found = frozenset(text[3:-1].split("|"))
        elif kind == "run":
            quantified = position + 1 < len(tokens) and tokens[position + 1][0] == "quantifier"
            literal = text[:-1] if quantified else text  # a quantifier binds the last character
            position, _ = _after_quantifier(tokens, position + 1)
            if literal:
                found = frozenset((literal,))
        else:
            position, _ = _after_quantifier(tokens, position + 1)
        if found is not None:
            length = min(map(len, found))
            if length > best_length:
                best, best_length = found, length
    branches.append(best)
    if any(branch is None for branch in branches):
        return None, position
    return frozenset().union(*branches), position  # type: ignore[arg-type]


def _after_quantifier(tokens: list[Token], position: int) -> tuple[int, bool]:
    """The position after a quantifier at `position` (if any), and whether it allows zero."""
    if position < len(tokens) and tokens[position][0] == "quantifier":
        return position + 1, _OPTIONAL.match(tokens[position][1]) is not None
    return position, False
