"""What a rule is: a named regex that adds evidence for one intent with a given weight."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.intent_rules.cues import Cues, pattern_cues
from app.domain.intents import Intent

# How a rule is written in the rule tables: name, intent, weight, regex alternatives.
RuleSpec = tuple[str, Intent, float, tuple[str, ...]]


class Alternative:
    """One alternative of a rule, compiled the first time a message holds one of its cues.

    A rule matches where one of its alternatives matches (they share no groups), so each can
    be compiled and searched alone: see cues.py for why."""

    __slots__ = ("_pattern", "cues", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.cues: Cues | None = pattern_cues(source)
        self._pattern: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        return self._pattern is not None

    def matches(self, canonical: str, present: frozenset[str]) -> bool:
        """`present`: which of the rules' cues `canonical` contains (rule_table.present_cues)."""
        if self.cues is not None and self.cues.isdisjoint(present):
            return False
        if self._pattern is None:
            self._pattern = compile_alternatives((self.source,))
        return self._pattern.search(canonical) is not None


@dataclass(frozen=True)
class Rule:
    name: str
    intent: Intent
    weight: float
    alternatives: tuple[str, ...]
    parts: tuple[Alternative, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(Alternative(source) for source in self.alternatives))

    def matches(self, canonical: str, present: frozenset[str]) -> bool:
        return any(part.matches(canonical, present) for part in self.parts)


def compile_alternatives(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Alternatives matched as whole words of the canonical text."""
    body = "|".join(alternatives)
    return re.compile(rf"(?<![a-z0-9ñ$%#+])(?:{body})(?![a-z0-9ñ])")
