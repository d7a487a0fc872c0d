"""What a rule is: a named regex that adds evidence for one intent with a given weight."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from app.domain.intent_rules.cues import Cues, pattern_cues
from app.domain.intents import Intent

# How a rule is written in the rule tables: name, intent, weight, regex alternatives.
RuleSpec = tuple[str, Intent, float, tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    """The pattern is compiled the first time a message contains one of its cues (see cues.py)."""

    name: str
    intent: Intent
    weight: float
    alternatives: tuple[str, ...]
    cues: Cues | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", pattern_cues(self.alternatives))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return compile_alternatives(self.alternatives)

    def matches(self, canonical: str) -> bool:
        if self.cues is not None and not any(cue in canonical for cue in self.cues):
            return False
        return self.pattern.search(canonical) is not None


def compile_alternatives(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Alternatives matched as whole words of the canonical text."""
    body = "|".join(alternatives)
    return re.compile(rf"(?<![a-z0-9ñ$%#+])(?:{body})(?![a-z0-9ñ])")
