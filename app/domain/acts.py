"""A message read as the acts it contains, the way an advisor reads it.

"ok y cuánto cuesta?" is an acknowledgement and a question; "va, cómo me inscribo?" is not
a "sí" to the last yes/no prompt but a question; "si me apunto y no me mola, me devolvéis el
dinero?" is a hypothetical and a question about refunds; "gracias, quedo atento" is a
closing. The message is cut into clauses (at punctuation, and after a leading run of
courtesy words), and each clause gets one act. The rest of the turn reads:

- `answer`: yes/no to a pending prompt, only when the message is nothing but that answer
  (and courtesy words): an acknowledgement before a question never answers a prompt;
- `content`: the clauses that carry a question, a need or a statement, without the
  acknowledgements and hypotheticals around them: what the intent rules and the facet
  patterns read;
- `is_closing`: nothing but courtesy and a closing ("gracias, quedo atento").
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.facets import detect_facets
from app.domain.focus import drops_focus
from app.domain.text import normalize


class Act(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"  # "ok", "gracias", "perfecto"
    YES = "yes"
    NO = "no"
    QUESTION = "question"
    STATEMENT = "statement"  # a need, a profile, a request: what the intent rules read
    HYPOTHETICAL = "hypothetical"  # "si me apunto y no me gusta", the condition of a question
    CLOSING = "closing"  # "quedo atento", "lo pienso", "chao"


class Clause(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    act: Act


# Words that only acknowledge. "sí"/"no" are answers and are read apart.
_COURTESY = frozenset(
    {"ok", "okay", "oka", "oki", "okey", "okis", "vale", "listo", "perfecto", "genial", "excelente", "super",
     "buenisimo", "buenisima", "bueno", "bien", "muy", "gracias", "grax", "muchas", "mil", "muchisimas",
     "entendido", "ya", "ah", "oh", "aja", "ahh", "eh", "em", "m", "mm", "pues", "thanks", "thank", "you",
     "chido", "chevere", "bacan", "bkn", "sale", "va", "dale", "claro", "porfa", "please", "igualmente", "joya",
     "barbaro", "copado", "guay", "venga", "orale", "ta", "amable"}
)  # fmt: skip
# An unambiguous yes. "va", "vale", "sale" agree only as the whole message ("va, gracias" thanks);
# "ok", "listo" acknowledge, and accept an offer of a person only when they are the whole message.
_YES_WORDS = frozenset({"si", "sii", "sip", "claro", "dale", "simon", "obvio", "acepto", "yes"})
_BARE_AGREEMENT = frozenset({"va", "vale", "sale"})
_BARE_ACCEPTANCE = frozenset({"ok", "okay", "oka", "oki", "okey", "listo"})
_YES_PHRASES = frozenset({"de una", "por supuesto", "claro que si", "si por favor", "si porfa", "si gracias"})
_NO_WORDS = frozenset(["no", "nop", "nope", "nel", "noo", "negativo"])
_NO_PHRASES = frozenset(
    {"para nada", "por ahora no", "ahora no", "todavia no", "mejor no", "no quiero", "por el momento no",
     "no por ahora", "no por el momento", "aun no", "ahorita no", "no gracias"}
)  # fmt: skip
# A courtesy word followed by one of these is part of a longer phrase.
_BOUND = frozenset(["a", "de", "que", "con", "en", "por", "para", "se"])
# After a courtesy run, these only join it to what follows ("ok y cuánto cuesta").
_JOINERS = frozenset(["y", "e", "pero", "entonces", "oye"])
_CLOSING = re.compile(
    r"\b(?:quedo (?:atent[oa]|pendiente|al pendiente)|quedamos en contacto|(?:estamos|seguimos) en contacto"
    r"|lo (?:voy a )?(?:pienso|pensar|pensare|reviso|revisar|revisare|consulto|consultar|analizo|analizar|checo"
    r"|checar|platico|platicar|veo|hablo|hablar|comento|comentar)"
    r"|(?:despues|luego|mas tarde|otro dia|manana) (?:te |les )?(?:escribo|aviso"
    r"|digo|contacto|confirmo|hablo)|(?:te|les) (?:aviso|escribo|confirmo)|hasta (?:luego|pronto|la proxima)"
    r"|nos vemos|bye|chao|chau|adios|feliz (?:dia|tarde|noche)|(?:me|se) despide|(?:lo|la) tengo que pensar"
    r"|tengo que pensarlo|dejame pensarlo|dejeme pensarlo|ya (?:te|les) dire|gracias por (?:todo|la ayuda|tu ayuda"
    r"|su ayuda|la info|la informacion|tu tiempo))\b"
)
_QUESTION_START = re.compile(
    r"^(?:y )?(?:que|cual|cuales|cuanto|cuanta|cuantos|cuantas|como|cuando|donde|quien|quienes|por que|para que"
    r"|hay|tienen|tiene|tienes|puedo|se puede|es|son|incluye|trae|dan|ofrecen|necesito|me pueden|me puedes)\b"
)
_SPLIT = re.compile(r"[,;.!?¡¿\n]+")
# "si me interesa": a short "sí ..." that ends the message is a yes, not a condition.
_SHORT_YES_WORDS = 4


def read_acts(text: str) -> tuple[Clause, ...]:
    """The clauses of the message, in order, each with its act."""
    clauses: list[Clause] = []
    for raw in _SPLIT.split(text):
        words = normalize(raw).split()
        if words:
            clauses += _peel_courtesy(words, _asks(raw, text))
    if clauses and clauses[-1].act == Act.HYPOTHETICAL:
        # A condition needs a main clause after it: a final "si ..." is a yes or a statement.
        last = clauses[-1]
        short = len(last.text.split()) <= _SHORT_YES_WORDS
        clauses[-1] = Clause(text=last.text, act=Act.YES if short and len(clauses) == 1 else Act.STATEMENT)
    return tuple(clauses)


def _asks(raw: str, text: str) -> bool:
    """The chunk is followed by "?" in the original text."""
    at = text.find(raw)
    rest = text[at + len(raw) :] if at >= 0 else ""
    return rest.lstrip().startswith("?")


def _peel_courtesy(words: list[str], asked: bool) -> list[Clause]:
    """ "ok y cuanto cuesta": the acknowledgement, then the clause it precedes."""
    whole = " ".join(words)
    if whole in _YES_PHRASES or (words[0] in _YES_WORDS and set(words) <= _YES_WORDS | _COURTESY):
        return [Clause(text=whole, act=Act.YES)]
    if whole in _NO_PHRASES or (words[0] in _NO_WORDS and set(words) <= _NO_WORDS | _COURTESY):
        return [Clause(text=whole, act=Act.NO)]
    if words[0] == "si" and len(words) > 1:
        # "si me apunto y no me gusta": a condition, not a yes.
        return [Clause(text=whole, act=Act.HYPOTHETICAL)]
    cut = 0
    while cut < len(words) and (words[cut] in _COURTESY or words[cut : cut + 2] == ["de", "acuerdo"]):
        cut += 2 if words[cut] == "de" else 1
    if 0 < cut < len(words) and words[cut] in _BOUND:
        cut = 0  # "va a ser online?", "claro que sí": the word belongs to the phrase
    if cut == 0 or cut >= len(words):
        return [Clause(text=whole, act=_act_of(words, asked))]
    rest = words[cut:]
    while rest and rest[0] in _JOINERS:
        rest = rest[1:]
    head = Clause(text=" ".join(words[:cut]), act=Act.ACKNOWLEDGEMENT)
    return [head, Clause(text=" ".join(rest), act=_act_of(rest, asked))] if rest else [head]


def _act_of(words: list[str], asked: bool) -> Act:
    whole = " ".join(words)
    if set(words) <= _COURTESY or whole == "de acuerdo":
        return Act.ACKNOWLEDGEMENT
    if _is_closing_clause(whole):
        return Act.CLOSING
    if asked or _QUESTION_START.search(whole) is not None:
        return Act.QUESTION
    return Act.STATEMENT


# Words that may surround a closing without adding anything: "bueno, lo voy a pensar entonces".
_CLOSING_FILLER = frozenset(
    {"lo", "la", "me", "te", "les", "voy", "a", "y", "entonces", "pues", "mejor", "bueno", "igual", "por",
     "ahora", "todo", "el"}
)  # fmt: skip


_CONSULTED = re.compile(r"\bcon (?:mi|mis|el|la|los|las|su|sus|nuestro|nuestra|nuestros|nuestras) \w+\b")


def _is_closing_clause(whole: str) -> bool:
    """The clause is a closing and nothing else: "quedo atento", "bueno lo pienso"."""
    if _CLOSING.search(whole) is None:
        return False
    # "lo platico con mi esposa", "lo consulto con mi jefe": whom they will ask adds nothing.
    said = _CONSULTED.sub(" ", _CLOSING.sub(" ", whole))
    rest = [w for w in said.split() if w not in _COURTESY | _CLOSING_FILLER]
    return len(rest) <= 1  # at most a signature: "gracias, Rosa se despide"


def answer_to_prompt(text: str, *, consent: bool = False) -> bool | None:
    """Yes/no to the bot's pending prompt, from the message as written (a 👍 is a yes).

    `consent`: the prompt asks for marketing consent, which only an unambiguous yes gives (a
    bare "ok" acknowledges; it accepts an offer of a person)."""
    if text.strip() in {"👍", "👎"}:
        return text.strip() == "👍"
    return pending_answer(read_acts(text), consent=consent)


def pending_answer(clauses: tuple[Clause, ...], *, consent: bool = False) -> bool | None:
    """Yes/no to the bot's pending prompt: only a message that is nothing but the answer
    (and courtesy) answers it; "ok, ¿y cuánto cuesta?" does not."""
    acts = {clause.act for clause in clauses}
    if not acts or not acts <= {Act.YES, Act.NO, Act.ACKNOWLEDGEMENT}:
        return None
    if Act.YES in acts and Act.NO in acts:
        return None
    if Act.NO in acts:
        return False
    if Act.YES in acts:
        return True
    # A lone "va", "vale" (or, to an offer of a person, "ok"): a bare agreement, nothing after it.
    agreeing = _BARE_AGREEMENT if consent else _BARE_AGREEMENT | _BARE_ACCEPTANCE
    return True if len(clauses) == 1 and clauses[0].text in agreeing else None


_CONTENT_ACTS = frozenset({Act.QUESTION, Act.STATEMENT})


def reading_text(clauses: tuple[Clause, ...], original: str) -> str:
    """What the rules should read: the questions and statements, without the courtesy around
    them, and without a condition whose question is about something else ("si me apunto y no
    me gusta, ¿me devuelven el dinero?" asks about refunds, it does not enrol). The original
    text when nothing would be left."""
    kept = [clause.text for clause in clauses if clause.act in _CONTENT_ACTS]
    if not kept or len(kept) == len(clauses) or drops_focus(original):
        # A change of mind is read whole: its "mejor no" is what turns away from the focus.
        return original
    reading = ", ".join(kept) + ("?" if "?" in original else "")
    if has_hypothetical(clauses) and not detect_facets(reading):
        # The condition is the request itself ("si quiero inscribirme, ¿cómo hago?").
        kept = [clause.text for clause in clauses if clause.act in _CONTENT_ACTS | {Act.HYPOTHETICAL}]
        reading = ", ".join(kept) + ("?" if "?" in original else "")
    return reading


def is_acknowledgement(clauses: tuple[Clause, ...]) -> bool:
    """Thanks, "ok", a plain yes/no or only emoji: courtesy that asks for nothing."""
    return all(clause.act in {Act.ACKNOWLEDGEMENT, Act.YES, Act.NO} for clause in clauses)


def is_closing(clauses: tuple[Clause, ...]) -> bool:
    """Courtesy and a closing, nothing asked: "gracias, quedo atento"."""
    acts = {clause.act for clause in clauses}
    return Act.CLOSING in acts and acts <= {Act.CLOSING, Act.ACKNOWLEDGEMENT, Act.YES}


def asks_something(clauses: tuple[Clause, ...]) -> bool:
    return any(clause.act == Act.QUESTION for clause in clauses)


def has_hypothetical(clauses: tuple[Clause, ...]) -> bool:
    return any(clause.act == Act.HYPOTHETICAL for clause in clauses)


# --- the student's language -------------------------------------------------------------------

_ENGLISH = frozenset(
    {"the", "is", "are", "do", "does", "you", "your", "have", "has", "what", "how", "much", "when", "where",
     "which", "can", "i", "im", "it", "its", "this", "that", "course", "courses", "class", "classes",
     "price", "cost", "live", "recorded", "english", "thanks", "thank", "hello", "hi", "please", "want",
     "would", "like", "about", "for", "with", "of", "to", "and", "there", "any"}
)  # fmt: skip
_SPANISH = frozenset(
    {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "es", "son", "hay", "tienen",
     "cuanto", "cuesta", "curso", "cursos", "quiero", "para", "por", "con", "hola", "gracias", "como",
     "cual", "me", "mi", "si", "no", "se", "lo", "le", "su", "al", "esta", "este"}
)  # fmt: skip


def is_english(text: str) -> bool:
    """Most of the message's words are common English words and few are Spanish."""
    words = normalize(text).split()
    if len(words) < 2:
        return False
    english = sum(1 for w in words if w in _ENGLISH)
    spanish = sum(1 for w in words if w in _SPANISH)
    return english >= 2 and english > 2 * spanish and english / len(words) >= 0.4
