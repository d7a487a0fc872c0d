"""All regex rules, in the order they are tried, and their compiled form."""

from __future__ import annotations

from functools import lru_cache

from app.domain.intent_rules.rule import Rule, RuleSpec
from app.domain.intent_rules.rules_buying_and_questions import BUYING_SIGNALS_RULES, GENERAL_QUESTION_RULES
from app.domain.intent_rules.rules_career_and_automation import AUTOMATION_NEED_RULES, PROFESSION_CHANGE_RULES
from app.domain.intent_rules.rules_exploration_and_off_topic import EXPLORATION_RULES, OFF_TOPIC_RULES
from app.domain.intent_rules.rules_free_and_objections import (
    FREE_RESOURCES_RULES,
    PRICE_OBJECTION_RULES,
    TIME_OBJECTION_RULES,
)
from app.domain.intent_rules.rules_opt_out_and_contact import CONTACT_REQUEST_RULES, OPT_OUT_RULES

# The order is the order rules are tried in: it is the order of matched_rules, and
# corroborating cues of one intent add up in this order (Evidence.add).
RULE_TABLE: tuple[RuleSpec, ...] = (
    *OPT_OUT_RULES,
    *CONTACT_REQUEST_RULES,
    *FREE_RESOURCES_RULES,
    *PRICE_OBJECTION_RULES,
    *TIME_OBJECTION_RULES,
    *BUYING_SIGNALS_RULES,
    *PROFESSION_CHANGE_RULES,
    *AUTOMATION_NEED_RULES,
    *GENERAL_QUESTION_RULES,
    *EXPLORATION_RULES,
    *OFF_TOPIC_RULES,
)


@lru_cache(maxsize=1)
def compiled_rules() -> tuple[Rule, ...]:
    return tuple(Rule(name, intent, weight, alternatives) for name, intent, weight, alternatives in RULE_TABLE)


@lru_cache(maxsize=1)
def _all_cues() -> tuple[str, ...]:
    return tuple({cue for rule in compiled_rules() for part in rule.parts for cue in part.cues or ()})


def present_cues(canonical: str) -> frozenset[str]:
    """The rules' cues found in the canonical text: one scan for all rules (see cues.py)."""
    return frozenset(cue for cue in _all_cues() if cue in canonical)
