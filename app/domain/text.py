"""Text normalisation shared by intent rules, profile extraction and course search.

WhatsApp Spanish arrives without accents, with stretched letters ("holaaa"), emoji and
mixed case; every matcher works on the same normalised form so that they agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STRETCHED = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9ñ+#%$]+")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Remove diacritics but keep ñ, which changes meaning in Spanish (año / ano)."""
    if text.isascii():  # nothing to remove
        return text
    decomposed = unicodedata.normalize("NFD", text.replace("ñ", "\0").replace("Ñ", "\1"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).replace("\0", "ñ").replace("\1", "Ñ")


# Course names, levels and topics are normalised again on every turn that ranks them.
@lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with stretched letters squeezed.

    "¡¡Holaaa!! ¿Cuánto CUESTA? 😊" -> "hola cuanto cuesta"
    """
    lowered = strip_accents(text).lower()
    squeezed = _STRETCHED.sub(r"\1", lowered)
    words = _NON_WORD.sub(" ", squeezed)
    return _SPACES.sub(" ", words).strip()


def tokens(text: str) -> list[str]:
    """Words of the normalised text."""
    normalized = normalize(text)
    return normalized.split() if normalized else []


def has_letters_or_digits(text: str) -> bool:
    """True when the text says something beyond emoji, punctuation and whitespace."""
    return any(ch.isalnum() for ch in text)


# C0 control characters except tab and line feed. PostgreSQL refuses NUL in text outright;
# the others only garble a stored message or a report, and no person types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LINE_BREAKS = re.compile(r"\r\n?")


def strip_control_characters(text: str) -> str:
    """Text safe for every store: line breaks kept (CR LF and a lone CR become LF), tabs kept,
    NUL and the other C0 control characters removed."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
