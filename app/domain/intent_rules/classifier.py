"""RuleIntentClassifier: canonicalise, collect evidence, adjust it, resolve the winner."""

from __future__ import annotations

from app.domain.intent_rules.canonical import canonical_tokens
from app.domain.intent_rules.evidence import (
    Evidence,
    apply_greeting,
    collect_evidence,
    demote_stated_preferences,
    drop_generic_cues_off_topic,
)
from app.domain.intent_rules.keywords import add_keyword_hints
from app.domain.intent_rules.resolution import resolve
from app.domain.intent_rules.thresholds import EMOJI_ONLY_CONFIDENCE, FALLBACK_CONFIDENCE
from app.domain.intent_rules.vocabulary import WAVE_EMOJI
from app.domain.intents import Intent, IntentResult
from app.domain.text import has_letters_or_digits


class RuleIntentClassifier:
    """Classifies a message into one of the 12 intents with keyword and pattern rules."""

    def classify(self, text: str) -> IntentResult:
        if not has_letters_or_digits(text):
            return _classify_symbols_only(text)
        tokens = canonical_tokens(text)
        if not tokens:
            return IntentResult(intent=Intent.OFF_TOPIC, confidence=EMOJI_ONLY_CONFIDENCE)
        evidence = collect_evidence(text, tokens)
        drop_generic_cues_off_topic(evidence)
        demote_stated_preferences(evidence)
        apply_greeting(evidence)
        add_keyword_hints(evidence)
        if not evidence.scores:
            return _fallback(evidence)
        intent, confidence = resolve(evidence.scores)
        return IntentResult(
            intent=intent,
            confidence=round(min(0.99, max(0.05, confidence)), 2),
            matched_rules=tuple(dict.fromkeys(evidence.matched)),
        )


def _fallback(evidence: Evidence) -> IntentResult:
    """Nothing matched. Thanks and "ok" are read as acts by the turn (app.domain.acts)."""
    return IntentResult(
        intent=Intent.OFF_TOPIC, confidence=FALLBACK_CONFIDENCE, matched_rules=tuple(dict.fromkeys(evidence.matched))
    )


def _classify_symbols_only(text: str) -> IntentResult:
    """Emoji, stickers' alt text, punctuation: only a wave means something on its own."""
    if any(emoji in text for emoji in WAVE_EMOJI):
        return IntentResult(intent=Intent.GREETING, confidence=0.9, matched_rules=("greeting_emoji",))
    return IntentResult(intent=Intent.OFF_TOPIC, confidence=EMOJI_ONLY_CONFIDENCE, matched_rules=("no_text",))
