"""Greetings and self-introductions. Farewells and acknowledgements are acts (app.domain.acts)."""

from __future__ import annotations

import re

from app.domain.intent_rules.vocabulary import word_set

# Words that may surround a greeting without adding meaning ("hola, buenas tardes, ¿cómo
# están? espero que bien"). Name words after "soy"/"me llamo" are handled separately.
GREETING_FILLER: frozenset[str] = word_set(
    """
    hola buenas buenos buen dia dias tardes noches saludos saludo hey hi hello que tal onda hubo quiubo
    quiubole como estas esta estan estamos andas andan anda va todo bien bueno muy amigo amiga amigos
    amigas che parce parcero parcera tio tia wey guey compa bro hermano hermana mano crack chicos chicas
    gente equipo senor senora senorita joven mae pana oye oigan mira disculpa disculpe perdon gracias
    por favor un una cordial espero se encuentren encuentres encuentre y a todos todas ustedes usted tu
    vos la el los las de desde aqui aca soy me llamo mi nombre es les te escribe escribo habla con epa ey
    alo ok jaja muchas mucho gusto placer encantado encantada igualmente chao adios bye nos vemos hasta
    luego pronto en lo del al ahi feliz lindo linda bonito excelente genial cuenta cuentame cuenten
    cordiales atentamente muchachos pues o sea ps weon po pe pes nomas no si sii claro orale quien
    estimados estimado estimada hoy tardecita nochecita diita saludito mas qubo bienvenido
    alla buen dia dios bendiga bendiciones
    """
)
_GREETING_WORD = re.compile(
    r"(?<![a-z])(?:hola|buenas|buenos dias|buen dia|buenas tardes|buenas noches|saludos|hello|hi|hey|"
    r"quiubo|quiubole|epa|alo|que onda|que tal|que hubo|que mas|buenas buenas)(?![a-z])"
)
_GREETING_START = re.compile(r"^(?:que onda|que tal|que hubo|que mas|ey|epa|alo|oe|oye)(?![a-z])")
_INTRO = re.compile(
    r"(?:^|(?<= ))(?:soy|me llamo|mi nombre es|habla|aqui|les escribe|te escribe|les saluda|te saluda|"
    r"mi nombre|les habla|te habla)(?= |$)"
)
_PLACE_INTRO = re.compile(r"(?:^|(?<= ))(?:de|desde)(?= )")


def _name_and_place_positions(tokens: list[str]) -> set[int]:
    """Token positions holding the name or home town of a self-introduction."""
    text = " ".join(tokens)
    positions: set[int] = set()
    for match in _INTRO.finditer(text):
        first = len(text[: match.end()].split())
        positions.update(range(first, first + 3))  # a name is at most three words
    for match in _PLACE_INTRO.finditer(text):
        first = len(text[: match.end()].split())
        positions.update(range(first, first + 2))  # "de Bogotá", "desde Buenos Aires"
    return positions


def _leftover_after_greeting(tokens: list[str]) -> int:
    """How many words are neither greeting filler nor the name/place of an introduction."""
    skipped = _name_and_place_positions(tokens)
    return sum(1 for index, token in enumerate(tokens) if index not in skipped and token not in GREETING_FILLER)


def greeting_score(tokens: list[str]) -> tuple[float, str | None]:
    """Evidence that the message is only a greeting or a self-introduction."""
    text = " ".join(tokens)
    if _GREETING_WORD.search(text) or _GREETING_START.search(text):
        rule = "greeting"
    elif _INTRO.match(text):
        rule = "self_introduction"
    else:
        return 0.0, None
    leftover = _leftover_after_greeting(tokens)
    if leftover <= 1:
        return 0.95, rule
    if leftover <= 3:
        return 0.85, rule
    if leftover <= 5:
        return 0.65, rule
    return 0.5, rule
