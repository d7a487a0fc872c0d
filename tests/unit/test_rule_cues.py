"""A rule's cues only ever skip patterns that could not have matched (app/domain/intent_rules/cues.py)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.intent_rules import canonical_tokens
from app.domain.intent_rules.cues import pattern_cues
from app.domain.intent_rules.rule import Rule, compile_alternatives
from app.domain.intent_rules.rule_table import RULE_TABLE, compiled_rules, present_cues
from app.domain.intents import Intent

DATA = Path(__file__).resolve().parent.parent / "data"


def texts(value: object) -> Iterator[str]:
    """Every "text" field of a JSON document, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def every_message() -> list[str]:
    messages = {
        text for path in sorted(DATA.glob("*.jsonl")) for line in path.read_text("utf-8").splitlines()
        if line.strip() for text in texts(json.loads(line))
    }  # fmt: skip
    return sorted(messages)


@pytest.mark.parametrize(
    ("alternative", "cues"),
    [
        ("quiero inscribirme", {"quiero inscribirme"}),
        # a quantifier binds the character before it; the longer required literal is chosen
        ("cursos? de python", {" de python"}),
        ("(?:me |nos )?(?:inscribo|anoto) ya", {"inscribo", "anoto"}),
        # an optional group gives nothing; a group repeated once or more gives its branches
        ("(?:ya )*listo", {"listo"}),
        ("(?:si|dale)+ gracias", {" gracias"}),
        # top-level branches each need a cue
        ("precio|costo\\w*", {"precio", "costo"}),
        # lookarounds, classes and escapes consume nothing the scanner reads
        ("(?<!no )quiero[s]? \\d+ horas", {"quiero"}),
        ("a{0,2}hola", {"hola"}),
        # a group of plain words is read in one piece
        ("(?:tarjeta|paypal|nequi)", {"tarjeta", "paypal", "nequi"}),
        ("(?:tarjeta|paypal)? en efectivo", {" en efectivo"}),
    ],
)
def test_cues_are_literals_every_match_contains(alternative: str, cues: set[str]) -> None:
    assert pattern_cues(alternative) == cues


@pytest.mark.parametrize(
    "alternative",
    [
        "\\d{7,}",  # nothing literal to require
        "(?i)hola",  # case-insensitive: a substring test would miss "HOLA"
        "hola|[a-z]+\\d?",  # one branch without a cue: the alternative is always searched
    ],
)
def test_patterns_without_a_sure_cue_are_always_searched(alternative: str) -> None:
    assert pattern_cues(alternative) is None


def test_a_rule_without_cues_matches_like_its_pattern() -> None:
    rule = Rule("digits", Intent.CONTACT_REQUEST, 0.8, ("\\d{7,}",))
    assert rule.parts[0].cues is None
    assert rule.matches("mi numero es 3001234567", frozenset())
    assert not rule.matches("mi numero es 300", frozenset())


def test_every_rule_decides_every_known_message_as_its_pattern_does() -> None:
    """Over every message of the test data, canonicalised: skipping by cues never changes a match."""
    compiled = {rule.name: compile_alternatives(rule.alternatives) for rule in compiled_rules()}
    checked = 0
    for message in every_message():
        canonical = " ".join(canonical_tokens(message))
        present = present_cues(canonical)
        for rule in compiled_rules():
            assert rule.matches(canonical, present) == bool(compiled[rule.name].search(canonical)), (
                rule.name,
                canonical,
            )
            checked += 1
    assert checked > 50_000


def test_an_alternative_is_compiled_only_once_a_message_holds_one_of_its_cues() -> None:
    rules = [Rule(*spec) for spec in RULE_TABLE]
    parts = [part for rule in rules for part in rule.parts]
    for rule in rules:
        rule.matches("hola", present_cues("hola"))
    uncompiled = [part for part in parts if not part.compiled]
    assert len(uncompiled) > len(parts) / 2, "a greeting should need few of the rules' alternatives"
    part = uncompiled[0]
    assert part.cues
    text = f"x {min(part.cues)} x"
    part.matches(text, present_cues(text))
    assert part.compiled
