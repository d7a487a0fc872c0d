"""Rule-based extraction of what a message says about the person writing it.

Conservative by design: a wrong name or role in the memory is worse than none, because
replies address the student with it. Every extractor works clause by clause (commas and
full stops end a clause) on words aligned between the original text, which keeps accents
and capitals, and the normalised text, which the patterns are written for.
"""

# Split into vocabulary (the word lists and phrase patterns), clauses (how a message is cut)
# and extractor (the logic); importers keep using app.domain.profile_extraction.
from app.domain.profile_extraction.extractor import (
    MAX_NAME_WORDS,
    MAX_OBJECT_WORDS,
    MAX_PAIN_POINTS,
    RuleProfileExtractor,
)
from app.domain.profile_extraction.vocabulary import FIELD_ROLES, OTHER_ROLES, ROLE_SYNONYMS

__all__ = [
    "FIELD_ROLES",
    "MAX_NAME_WORDS",
    "MAX_OBJECT_WORDS",
    "MAX_PAIN_POINTS",
    "OTHER_ROLES",
    "ROLE_SYNONYMS",
    "RuleProfileExtractor",
]
