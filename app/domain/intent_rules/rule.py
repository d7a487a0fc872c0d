"""What a rule is: a named regex that adds evidence for one intent with a given weight."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.intents import Intent

# How a rule is written in the rule tables: name, intent, weight, regex alternatives.
RuleSpec = tuple[str, Intent, float, tuple[str, ...]]


@dataclass(frozen=True)
class Rule:
    name: str
    intent: Intent
    weight: float
    pattern: re.Pattern[str]


def compile_alternatives(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Alternatives matched as whole words of the canonical text."""
    body = "|".join(alternatives)
    return re.compile(rf"(?<![a-z0-9ñ$%#+])(?:{body})(?![a-z0-9ñ])")
