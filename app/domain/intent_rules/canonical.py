"""The message as the rules see it: emoji as words, normalised, abbreviations expanded,
laughs unified and typos corrected towards the words the rules use."""

from __future__ import annotations

import re
from functools import lru_cache

from app.domain.intent_rules.greeting import GREETING_FILLER
from app.domain.intent_rules.rule_table import RULE_TABLE
from app.domain.intent_rules.spelling import SpellingCorrector
from app.domain.intent_rules.vocabulary import ABBREVIATIONS, COMMON_WORDS, EMOJI_WORDS, EXTRA_VOCABULARY
from app.domain.text import normalize
from app.domain.topics import TOPIC_SYNONYMS

_LAUGH = re.compile(r"^(?:[jh][aeiou]){2,}[jh]?$|^(?:js)+j?$|^x+d+$")


@lru_cache(maxsize=1)
def _corrector() -> SpellingCorrector:
    words_in_rules: set[str] = set()
    stems: set[str] = set()
    for _, _, _, alternatives in RULE_TABLE:
        for alternative in alternatives:
            # Whole words only: a stem followed by \w* or a group is not a word.
            words_in_rules.update(re.findall(r"(?<![a-zñ\\])[a-zñ]{4,}(?![a-zñ\\(\[])", alternative))
            for stem in re.findall(r"(?<![a-zñ\\])([a-zñ]{3,})\[oa\]", alternative):
                words_in_rules.update({f"{stem}o", f"{stem}a", f"{stem}os", f"{stem}as"})
            stems.update(re.findall(r"(?<![a-zñ\\])([a-zñ]{5,})\\w\*", alternative))
    abbreviation_words = {word for value in ABBREVIATIONS.values() for word in value.split()}
    vocabulary = sorted(words_in_rules | set(EXTRA_VOCABULARY) | abbreviation_words)
    protected = sorted(COMMON_WORDS | GREETING_FILLER | _topic_words())
    return SpellingCorrector(vocabulary, protected, stems)


def _topic_words() -> set[str]:
    return {word for synonyms in TOPIC_SYNONYMS.values() for phrase in synonyms for word in phrase.split()}


def _replace_emoji(text: str) -> str:
    for emoji, word in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    return text


def canonical_tokens(text: str) -> list[str]:
    """The message as the rules see it: normalised, abbreviations expanded, typos fixed."""
    corrector = _corrector()
    result: list[str] = []
    for raw_token in normalize(_replace_emoji(text)).split():
        token = raw_token.replace("ñ", "n")  # rules are written without ñ: "manana", "anos"
        if token in ABBREVIATIONS:
            result.extend(ABBREVIATIONS[token].split())
        elif _LAUGH.match(token):
            result.append("jaja")
        else:
            result.append(corrector.correct(token))
    return result
