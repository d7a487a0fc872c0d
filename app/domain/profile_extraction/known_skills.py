"""What a message says the student already knows: "ya sé python", "domino excel".

A skill the student states as known is no interest: it must not rank courses, and the
beginner courses on it are no offer. The rest of the message ("quiero construir agentes")
is the need. Conservative: only explicit statements of knowing count, and partial ones
("ya sé algo de python", "no sé nada") are left to the level patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.text import normalize
from app.domain.topics import extract_topics

_LEAD = re.compile(
    r"(?:^| )(?P<lead>ya (?:se|manejo|domino|conozco|uso|programo en)|domino|"
    r"tengo (?:mucha |buena |bastante |varios anos de |anos de )?experiencia (?:en|con|usando|programando en)|"
    r"soy (?:experto|experta|bueno|buena) (?:en|con)|manejo bien|se (?:programar|usar))(?= |$)"
)
# Opening a clause they state a skill too: "ya manejo excel" reaches here as "manejo excel"
# once the acknowledgement "ya" is read apart; mid-clause ("si manejo excel...") they may not.
_OPENING_LEAD = re.compile(r"^(?P<lead>manejo|conozco)(?= |$)")
# "ya sé algo de python" is a level, not a mastered skill; "ya sé que..." is no skill at all.
_NOT_A_SKILL = re.compile(r"^ ?(?:algo|un poco|poco|lo basico|nada|que|como|cual|donde|cuando|si)(?: |$)")
# Where the statement of what is known ends and the need begins.
_NEED_STARTS = re.compile(
    r" (?:y |pero |e )?(?:quiero|quisiera|queria|me gustaria|necesito|busco|ahora|para|pero)(?= |$)"
)
_CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡\n()]+")


@dataclass(frozen=True)
class KnownSkills:
    """The topics the student says they know, and the message without those statements."""

    topics: tuple[str, ...]
    remainder: str


def read_known_skills(message: str) -> KnownSkills:
    """Split a message into what the student knows and the rest of what it says."""
    topics: list[str] = []
    kept: list[str] = []
    for clause in _CLAUSE_BREAK.split(normalize(message)):
        known, rest = _split_clause(clause.strip())
        for topic in extract_topics(known) if known else []:
            if topic not in topics:
                topics.append(topic)
        if rest:
            kept.append(rest)
    if not topics:
        return KnownSkills((), message)
    return KnownSkills(tuple(topics), " , ".join(kept))


def _split_clause(clause: str) -> tuple[str, str]:
    """(the skill phrase, the clause without it); no skill phrase -> ("", clause)."""
    match = _LEAD.search(clause) or _OPENING_LEAD.match(clause)
    if match is None or (match.start() > 0 and clause[: match.start()].split()[-1:] == ["no"]):
        return "", clause
    after = clause[match.end() :]
    if _NOT_A_SKILL.match(after):
        return "", clause
    lead = match.group("lead")
    # "sé programar": the verb itself names the skill.
    skill = f"{lead.split()[-1]}{after}" if lead.startswith("se ") else after
    need = _NEED_STARTS.search(skill)
    end = need.start() if need else len(skill)
    if not extract_topics(skill[:end]):
        return "", clause
    rest = f"{clause[: match.start()]} {skill[end:]}".strip()
    return skill[:end].strip(), rest
