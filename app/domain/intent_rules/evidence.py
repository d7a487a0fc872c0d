"""Evidence accumulation: which rules fired for a message and how strongly each intent is backed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.intent_rules.greeting import greeting_score
from app.domain.intent_rules.rule_table import compiled_rules, present_cues
from app.domain.intents import Intent
from app.domain.topics import extract_topics


@dataclass
class Evidence:
    """What the rules found in one message."""

    tokens: list[str]
    canonical: str
    has_topic: bool
    has_tech_topic: bool
    scores: dict[Intent, float] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)

    def add(self, name: str, intent: Intent, weight: float) -> None:
        """Strongest cue wins, each corroborating cue adds a little."""
        self.matched.append(name)
        previous = self.scores.get(intent)
        self.scores[intent] = weight if previous is None else min(0.97, max(previous, weight) + 0.03)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Topics named by words that mean little else ("python", "IA", "excel"). Topics such as
# "ventas" or "salud" are matched by everyday words ("comercial", "hospital") that alone
# do not show interest in a course.
TECH_TOPICS: frozenset[str] = frozenset(
    {
        "inteligencia artificial",
        "automatización",
        "excel",
        "machine learning",
        "deep learning",
        "python",
        "programación",
        "análisis de datos",
        "ciencia de datos",
        "chatbots",
        "ia generativa",
        "visión por computadora",
        "nlp",
        "ciberseguridad",
        "cloud",
        "sql",
        "no-code",
        "marketing",
    }
)


def collect_evidence(text: str, tokens: list[str]) -> Evidence:
    canonical = " ".join(tokens)
    # Topics are looked up in the corrected text and in the original (which keeps "ñ").
    topics = set(extract_topics(canonical)) | set(extract_topics(text))
    evidence = Evidence(tokens, canonical, bool(topics), bool(topics & TECH_TOPICS))
    present = present_cues(canonical)
    for rule in compiled_rules():
        if rule.matches(canonical, present):
            evidence.add(rule.name, rule.intent, rule.weight)
    if _EMAIL.search(text):
        # Normalising drops "@", so an e-mail address is only visible in the raw text.
        evidence.add("contact_email_given", Intent.CONTACT_REQUEST, 0.8)
    _add_topic_evidence(evidence)
    return evidence


_WANTS = re.compile(
    r"(?<![a-z])(?:quiero|busco|necesito|me gustaria|quisiera|me interesa|algo de|sobre|tienen|hay)(?![a-z])"
)


def _add_topic_evidence(evidence: Evidence) -> None:
    """A subject of study on its own ("python?", "algo de IA") is a weak exploration cue."""
    if not evidence.has_topic:
        return
    if _WANTS.search(evidence.canonical):
        evidence.add("explore_topic_wanted", Intent.EXPLORATION, 0.72 if evidence.has_tech_topic else 0.6)
    elif evidence.has_tech_topic:
        evidence.add("explore_topic_mention", Intent.EXPLORATION, 0.5)


# Cues that only say "tell me / recommend me / I want to learn" without saying what:
# next to an off-topic subject ("me recomiendas una película") they are not about courses.
GENERIC_RULES: frozenset[str] = frozenset(
    {
        "explore_recommend",
        "explore_learn",
        "explore_info",
        "question_generic",
        "buy_want",
        "price_discount",
        "question_price",
        "question_schedule",
        "question_duration",
        "career_lost_job",
    }
)
_COURSE_CONTEXT = re.compile(
    r"(?<![a-z])(?:curso|cursos|clase|clases|programa|diplomado|taller|bootcamp|escuela|academia|"
    r"certificado|ustedes|inscri\w*)(?![a-z])"
)


def drop_generic_cues_off_topic(evidence: Evidence) -> None:
    """With an off-topic subject and no course subject, generic request verbs prove nothing."""
    if Intent.OFF_TOPIC not in evidence.scores or evidence.has_topic or _COURSE_CONTEXT.search(evidence.canonical):
        return
    fired = [rule for rule in compiled_rules() if rule.name in evidence.matched]
    for intent in {rule.intent for rule in fired if rule.name in GENERIC_RULES}:
        if all(rule.name in GENERIC_RULES for rule in fired if rule.intent == intent):
            del evidence.scores[intent]


# Someone searching ("busco un curso online de excel") states a preference, not a
# question about an existing course: the modality or schedule words do not make it one.
_SEARCHING = re.compile(
    r"(?<![a-z])(?:busco|buscando|quiero aprender|me gustaria aprender|quisiera aprender|estoy buscando)(?![a-z])"
)
_PREFERENCE_RULES = frozenset({"question_modality", "question_schedule"})


def demote_stated_preferences(evidence: Evidence) -> None:
    if Intent.EXPLORATION not in evidence.scores or not _SEARCHING.search(evidence.canonical):
        return
    question_rules = {name for name in evidence.matched if name.startswith("question_")}
    if question_rules and question_rules <= _PREFERENCE_RULES:
        evidence.scores.pop(Intent.GENERAL_QUESTION, None)


def apply_greeting(evidence: Evidence) -> None:
    """A greeting only counts when nothing about courses was said alongside it."""
    score, rule = greeting_score(evidence.tokens)
    if rule is None:
        return
    evidence.matched.append(rule)
    if any(score >= 0.5 for intent, score in evidence.scores.items() if intent != Intent.OFF_TOPIC):
        return
    if Intent.OFF_TOPIC in evidence.scores:
        return  # "hola, viste el partido?" is small talk, not a greeting
    evidence.scores[Intent.GREETING] = score
