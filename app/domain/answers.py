"""Short yes/no answers to a question the bot asked ("sí", "dale", "nel", "no gracias")."""

from __future__ import annotations

import re

from app.domain.text import normalize

_YES = {
    "si", "sip", "sii", "claro", "dale", "ok", "okay", "oka", "va", "vale", "obvio", "bueno", "listo",
    "de una", "por supuesto", "si claro", "claro que si", "si por favor", "si porfa", "porfa", "acepto",
    "me parece", "perfecto", "sale", "simon", "afirmativo", "yes", "👍",
}  # fmt: skip
_NO = {
    "no", "nop", "nope", "no gracias", "nel", "para nada", "no por ahora", "ahora no", "todavia no",
    "no quiero", "no mejor no", "mejor no", "negativo", "no por el momento", "👎",
}  # fmt: skip
_MAX_WORDS = 6
_COURTESY = {
    "gracias", "muchas gracias", "mil gracias", "ok gracias", "ok", "okay", "oki", "vale", "perfecto", "listo",
    "genial", "excelente", "super", "buenisimo", "entendido", "de acuerdo", "ya", "ah ok", "ah ya", "muy bien",
    "bien", "gracias por la info", "gracias por la informacion", "ok perfecto", "perfecto gracias", "dale gracias",
}  # fmt: skip
_COURTESY_EMOJI = {"👍", "🙏", "👌", "🙌", "😊", "🙂", "❤️", "👏"}


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when the text is not a plain short answer."""
    if text.strip() in {"👍", "👎"}:
        return text.strip() == "👍"
    normalized = normalize(text)
    if not normalized or len(normalized.split()) > _MAX_WORDS:
        return None
    if _CLOSING.search(normalized) is not None:
        return None  # "ok, lo voy a checar": thinking it over is not a yes
    if normalized in _YES or normalized.split()[0] in {"si", "claro", "dale", "ok", "va", "acepto"}:
        return True
    if normalized.startswith(("no se", "no sabia", "no entiendo")):
        return None
    if normalized in _NO or normalized.split()[0] in {"no", "noo", "nel", "nop"}:
        return False
    return None


def is_acknowledgement(text: str) -> bool:
    """Thanks, "ok" or a plain yes/no: polite closings that ask for nothing."""
    stripped = text.strip()
    if stripped and all(ch in "".join(_COURTESY_EMOJI) or ch.isspace() for ch in stripped):
        return True
    normalized = normalize(text)
    return normalized in _COURTESY or parse_yes_no(text) is not None


# "gracias, lo pienso", "luego te escribo": the student closes the conversation for now.
_CLOSING = re.compile(
    r"\b(?:lo (?:voy a )?(?:pienso|pensar|penzare|pensare|reviso|revisar|revisare|consulto|consultar|analizo|analizar"
    r"|checo|checar|platico|platicar|veo|ver)"
    r"|(?:despues|luego|mas tarde|otro dia|mañana|manana) (?:te |les )?(?:escribo|aviso|digo|contacto|confirmo|hablo)"
    r"|(?:te|les) (?:aviso|escribo|confirmo)(?: (?:despues|luego|cualquier cosa|mas tarde))?"
    r"|gracias por (?:todo|la ayuda|tu ayuda|su ayuda|la info|la informacion|tu tiempo)"
    r"|hasta luego|hasta pronto|nos vemos|bye|chao|chau|adios|que tengas buen dia|buen dia|buenas noches"
    r"|lo tengo que pensar|tengo que pensarlo|dejame pensarlo|dejeme pensarlo|ya te dire|ya les dire)\b"
)
_CLOSING_MAX_WORDS = 12


# "buenísimo, gracias", "vale, mil gracias", "ahorita no, gracias": nothing but courtesy words.
_THANKS = frozenset({"gracias", "grax", "thanks", "ok", "okay", "oki", "vale", "listo", "perfecto", "dale"})
_COURTESY_WORDS = _THANKS | frozenset(
    [
        "muchas", "mil", "muchisimas", "buenisimo", "buenisima", "genial", "excelente", "super", "chido",
        "chevere", "bacan", "bkn", "ya", "bueno", "bien", "muy", "entendido", "de", "acuerdo", "si", "no",
        "ahorita", "ahora", "por", "la", "info", "informacion", "todo", "igual", "igualmente", "a", "ti",
        "usted", "ustedes", "te", "les", "amable", "mas", "tarde", "ah", "oh", "va", "sale", "claro",
    ]
)  # fmt: skip


def is_closing(text: str) -> bool:
    """A short message that ends the conversation for now ("gracias, lo pienso", "chao")."""
    normalized = normalize(text)
    words = normalized.split()
    if not 0 < len(words) <= _CLOSING_MAX_WORDS:
        return False
    if _CLOSING.search(normalized) is not None:
        return True
    return len(words) <= _MAX_WORDS and bool(_THANKS & set(words)) and set(words) <= _COURTESY_WORDS
