"""Words as course search and course references compare them.

Text is normalised (accents, case, stretched letters: text.normalize), the few spellings of
brand names that no typo tolerance recovers are spelled out, filler words are dropped, and
every word is reduced to its Spanish stem (Snowball), so "automatizar", "automatización" and
"automatizaciones" are one word, and so are "chatbot" and "chatbots".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

import Stemmer  # PyStemmer: the Snowball stemmers compiled from C

from app.domain.text import normalize

# Filler that says nothing about what the student wants to learn. Written normalised.
_STOP_WORDS_TEXT = """
    a al algo alguien algun alguna alguno algunos ante aprenda aprender aprendo ayuda ayudame ayudar
    año años bien buen buena buenas buenos buscando busco cada clase clases como con conmigo contigo
    costo costos cual cuales cuando cuanta cuanto cuesta cuestan curso cursos da dame de del desde dia
    dias donde e el ella ellos en entre era es esa ese eso esta estan estar este esto estoy estudiar
    experiencia conocimiento conocimientos previa previo previos
    favor fin gracias gusta gustaria ha hacer hay hola hora horas hoy info informacion interesa
    interesada interesado interesan interesaria ir jaja jajaja jeje kiero la las le les lo los mas
    mañana me mes meses mi mis mucho muy nada ni no noche nos nuestro o ofrecen otra otro para pero
    poco podria podrian por porfa porque precio precios puede puedo pues que queria quiero quisiera
    saber se sea semana semanas ser si sin sobre solo son soy su sus tal tambien tarde te tema temas
    tener tenes tengo ti tiempo tiene tienen tienes toda todo todos tu tus u un una unas uno unos
    usted ustedes va vale y ya yo
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Spellings of brand names that neither accent folding nor typo tolerance can recover.
_ALIASES: dict[str, str] = {
    "wasap": "whatsapp",
    "guasap": "whatsapp",
    "wassap": "whatsapp",
    "whats": "whatsapp",
    "wsp": "whatsapp",
    "wpp": "whatsapp",
    "powerbi": "power bi",
    "chatgtp": "chatgpt",
    "chat gpt": "chatgpt",
    "exel": "excel",
    # Clipped words: "profe" is a teacher, and never the beginning of "profesionales".
    "profe": "profesor",
    "profes": "profesores",
}

# Abbreviations written either way: "ia" finds "Inteligencia Artificial desde Cero" and the
# other way round. Other spellings of the same words, not related subjects.
SAME_WORDS: tuple[tuple[str, ...], ...] = (
    ("ia", "inteligencia artificial"),
    ("ml", "machine learning"),
    ("rrhh", "recursos humanos"),
    ("nlp", "pln", "procesamiento de lenguaje natural"),
    ("no code", "nocode", "sin codigo"),
)


def any_phrase(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the normalised phrases as whole words, longest first so that the longest wins."""
    alternatives = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True) if p)
    return re.compile(rf"(?<![a-z0-9ñ])(?:{alternatives})(?![a-z0-9ñ])")


_ALIAS_PATTERN = any_phrase(_ALIASES)

# Snowball stemmers keep state while they work: one per thread.
_local = threading.local()
# A word the Spanish stemmer leaves whole and that ends in "s" is a loanword's plural
# ("chatbots", "pymes", "llms"): its singular is the same word.
_MIN_PLURAL_LENGTH = 4


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Spanish stem of one normalised word."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("spanish")
    stemmed: str = stemmer.stemWord(word)
    if stemmed == word and len(word) >= _MIN_PLURAL_LENGTH and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return stemmed


@lru_cache(maxsize=4096)
def searchable(text: str) -> str:
    """Normalised text with brand spellings spelled out ("wasap" -> "whatsapp")."""
    return _ALIAS_PATTERN.sub(lambda match: _ALIASES[match[0]], normalize(text))


def content_words(text: str) -> list[str]:
    """The words of a message that can name a subject: no filler, each once, in order."""
    return list(dict.fromkeys(w for w in searchable(text).split() if w not in STOP_WORDS))


def with_same_words(text: str) -> list[str]:
    """The words of normalised text plus the other spelling of each abbreviation it uses."""
    words = text.split()
    padded = f" {text} "
    for spellings in SAME_WORDS:
        if any(f" {s} " in padded for s in spellings):
            words.extend(w for s in spellings for w in s.split())
    return words
