"""Rule-based intent classification for WhatsApp messages, without any network call.

The classifier works in three steps:

1. Canonicalise: emoji become words, the text is normalised (see text.normalize),
   WhatsApp abbreviations are expanded ("q" -> "que", "xq" -> "porque") and misspelt
   words are corrected towards the vocabulary the rules use ("kiero" -> "quiero",
   "inscrivirme" -> "inscribirme"). Rules are then written once, in correct Spanish.
2. Score: every rule that matches adds evidence for one intent with a weight that says
   how unambiguous that cue is (0.9 for "quiero inscribirme", 0.5 for a bare topic).
3. Resolve: among the strong candidates the most specific, most actionable intent wins
   (an opt-out beats everything, an objection beats the question it comes with, a
   greeting only wins when nothing else was said). When no rule is sure of anything,
   indicative single words vote (KEYWORD_HINTS), always below ASK_AI_BELOW.

The confidence is the winning evidence, lowered for mixed messages: >= STRONG (0.75)
means a clear cue matched, below ASK_AI_BELOW (0.6) means the rules only guessed and the
pipeline should ask an AI; OFF_TOPIC at FALLBACK_CONFIDENCE (0.3) means nothing matched.
"""

from __future__ import annotations

from app.domain.intent_rules.canonical import canonical_tokens
from app.domain.intent_rules.classifier import RuleIntentClassifier
from app.domain.intent_rules.evidence import GENERIC_RULES, TECH_TOPICS
from app.domain.intent_rules.greeting import GREETING_FILLER, greeting_score
from app.domain.intent_rules.keywords import KEYWORD_HINT_BASE, KEYWORD_HINT_MAX, KEYWORD_HINTS
from app.domain.intent_rules.pattern_parts import G1, G2, G3
from app.domain.intent_rules.resolution import PRIORITY
from app.domain.intent_rules.rule import Rule
from app.domain.intent_rules.spelling import SpellingCorrector
from app.domain.intent_rules.thresholds import ASK_AI_BELOW, EMOJI_ONLY_CONFIDENCE, FALLBACK_CONFIDENCE, STRONG
from app.domain.intent_rules.vocabulary import (
    ABBREVIATIONS,
    COMMON_WORDS,
    EMOJI_WORDS,
    EXTRA_VOCABULARY,
    WAVE_EMOJI,
)

__all__ = [
    "ABBREVIATIONS",
    "ASK_AI_BELOW",
    "COMMON_WORDS",
    "EMOJI_ONLY_CONFIDENCE",
    "EMOJI_WORDS",
    "EXTRA_VOCABULARY",
    "FALLBACK_CONFIDENCE",
    "G1",
    "G2",
    "G3",
    "GENERIC_RULES",
    "GREETING_FILLER",
    "KEYWORD_HINTS",
    "KEYWORD_HINT_BASE",
    "KEYWORD_HINT_MAX",
    "PRIORITY",
    "STRONG",
    "TECH_TOPICS",
    "WAVE_EMOJI",
    "Rule",
    "RuleIntentClassifier",
    "SpellingCorrector",
    "canonical_tokens",
    "greeting_score",
]
