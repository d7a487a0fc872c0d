"""Is a model's reply at least as good as the template it would replace?

The grounding check (app.domain.grounding) asks whether every fact in a reply is backed
by the catalogue. These checks ask whether the reply is any use to the student: it is in
the student's language, says more than a bare "sí", holds none of the pipeline's internal
labels, gives no contact detail or link the school file does not give, does not deny a
policy the school file states, states the facts the rules' answer states for what was
asked, and does not say "sí" to what nobody knows. The first failing check is reported;
the template answer then goes out, so a weak model can only make a turn as good as the
rules made it, never worse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from app.domain.ai import AIFailure
from app.domain.facet_answers import FacetAnswer, certificate_bonus
from app.domain.facets import Facet
from app.domain.intents import Intent
from app.domain.text import normalize, strip_accents


def _words(text: str) -> list[str]:
    return text.split()


# Function words, which every sentence has and which the two languages do not share.
_SPANISH = frozenset(
    _words(
        "el la los las de del que y en un una es por para con tu te se lo mi al como mas pero muy este esta "
        "son hay tiene tienes puedes quieres cuesta curso cursos hola gracias claro sesiones tambien donde "
        "cuando nuestro nuestra aqui puedo estas esta ese eso"
    )
)
_ENGLISH = frozenset(
    _words(
        "the and you your is are to of for with this that can will yes hello hi we our have it about would "
        "like what how course courses price thanks sure please here there which do does"
    )
)
_MIN_WORDS_FOR_LANGUAGE = 4
# Words that on their own only say yes or no.
_YES_NO = frozenset(
    _words(
        "si no yes ok okay okey claro vale sip nop nope yeah yep listo dale bueno perfecto correcto exacto "
        "obvio seguro nel va"
    )
)
_MIN_CONTENT_WORDS = 2
_AFFIRMATIVE_OPENINGS = ("si", "yes", "claro", "por supuesto", "obvio", "correcto", "exacto", "asi es")

_INTENT_LABELS = frozenset(intent.value for intent in Intent)
_LABEL = re.compile(r"\b[A-Z]{3,}(?:_[A-Z]+)+\b|\b[a-z]+_[a-z_]+\b|\bC\d{1,2}\b|[{}]|\bjson\b", re.IGNORECASE)
_UPPER_WORD = re.compile(r"\b[A-Z_]{5,}\b")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|edu|io|mx|co|ar|cl|pe|es|lat|app)\b")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_MIN_PHONE_DIGITS = 7

# A policy the school's file answers, and the words that name it in a reply. Course-specific
# facets (certificate, campus) are left out: "este curso no entrega constancia" can be true.
_POLICY_WORDS: dict[Facet, str] = {
    Facet.DISCOUNTS: r"descuent\w*|promocion\w*|rebaj\w*",
    Facet.INSTALMENTS: r"cuotas?|meses sin intereses|plazos",
    Facet.SCHOLARSHIPS: r"becas?",
    Facet.REFUNDS: r"reembols\w*|devolucion\w*|devolv\w*",
    Facet.INVOICE: r"factur\w*",
    Facet.LIVE_OR_RECORDED: r"grabad\w*|grabacion\w*",
    Facet.PAYMENT_METHODS: r"paypal|transferencias?|tarjetas?",
}
_NEGATION = r"\b(?:no|ni|sin|ningun|ninguna|ninguno|tampoco|nunca)\b(?:\s+(?!pierdas|olvides|dudes)\w+){0,4}?\s+"
_DENIALS = {facet: re.compile(_NEGATION + rf"(?P<word>{words})\b") for facet, words in _POLICY_WORDS.items()}
_STEM = 6  # "descuento" and "descuentos", "promocion" and "promociones"
_CERTIFICATE = re.compile(r"certificad\w*|constancia\w*|diploma\w*")

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")  # fmt: skip
_NUMBER_WORDS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
                 "once", "doce", "trece", "catorce", "quince", "dieciseis")  # fmt: skip


class ReplyContext(BaseModel):
    """What the rules knew when they wrote their answer, to judge the model's against it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    student_text: str
    rules_answer: str = ""
    answers: tuple[FacetAnswer, ...] = ()  # the facets asked and what answers each
    school_text: str = ""  # the whole school file: the only source of contact details and policies
    school_policies: dict[Facet, str] = {}


class CheckFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    reason: AIFailure
    detail: str


def check_relevance(reply: str, context: ReplyContext) -> CheckFailure | None:
    """The first check the reply fails, or None when it may replace the template."""
    for check in _CHECKS:
        failure = check(reply, context)
        if failure is not None:
            return failure
    return None


def language_of(text: str) -> str:
    """ "es", "en", or "" when the text is too short or mixed to tell."""
    words = normalize(text).split()
    spanish = sum(word in _SPANISH for word in words)
    english = sum(word in _ENGLISH for word in words)
    if english >= 2 and english > spanish:
        return "en"
    if spanish >= 1 and spanish >= english:
        return "es"
    return ""


def _language(reply: str, context: ReplyContext) -> CheckFailure | None:
    wanted = "en" if language_of(context.student_text) == "en" else "es"
    found = language_of(reply)
    if found == wanted:
        return None
    if found or len(normalize(reply).split()) >= _MIN_WORDS_FOR_LANGUAGE:
        return CheckFailure(reason=AIFailure.OFF_LANGUAGE, detail=f"reply in {found or 'no known language'}, "
                            f"student writes {wanted}")  # fmt: skip
    return None


def _bare(reply: str, context: ReplyContext) -> CheckFailure | None:
    content = [word for word in normalize(reply).split() if len(word) > 1 and word not in _YES_NO]
    if len(content) >= _MIN_CONTENT_WORDS:
        return None
    return CheckFailure(reason=AIFailure.BARE_ANSWER, detail=f"nothing beyond yes/no: {reply[:40]!r}")


def _label(reply: str, context: ReplyContext) -> CheckFailure | None:
    found = _LABEL.search(reply)
    if found is None:
        found = next((m for m in _UPPER_WORD.finditer(reply) if m.group(0) in _INTENT_LABELS), None)
    if found is None:
        return None
    return CheckFailure(reason=AIFailure.INTERNAL_LABEL, detail=f"internal label {found.group(0)!r}")


def _contact(reply: str, context: ReplyContext) -> CheckFailure | None:
    given = f"{context.school_text}\n{context.rules_answer}"
    given_lower, given_digits = given.lower(), _digits(given)
    for pattern in (_EMAIL, _URL):
        for match in pattern.finditer(reply):
            if match.group(0).lower().rstrip(".,;)") not in given_lower:
                detail = f"not in the school file: {match.group(0)!r}"
                return CheckFailure(reason=AIFailure.INVENTED_CONTACT, detail=detail)
    for match in _PHONE.finditer(reply):
        digits = _digits(match.group(0))
        if len(digits) >= _MIN_PHONE_DIGITS and digits not in given_digits:
            detail = f"phone not in the school file: {match.group(0)!r}"
            return CheckFailure(reason=AIFailure.INVENTED_CONTACT, detail=detail)
    return None


def _denial(reply: str, context: ReplyContext) -> CheckFailure | None:
    said = normalize(reply)
    for facet, denial in _DENIALS.items():
        policy = context.school_policies.get(facet)
        if policy is None:
            continue
        denied = {m.group("word")[:_STEM] for m in denial.finditer(said)}
        # What the school itself denies ("no tenemos cupones"), the reply may deny too.
        allowed = {m.group("word")[:_STEM] for m in denial.finditer(normalize(policy))}
        if denied - allowed:
            return CheckFailure(reason=AIFailure.POLICY_DENIAL, detail=f"denies the school's {facet.value} policy")
    return None


def _unknown_affirmed(reply: str, context: ReplyContext) -> CheckFailure | None:
    unknown = [answer.facet for answer in context.answers if not answer.known or _lists_no_certificate(answer)]
    if not unknown:
        return None
    said = normalize(reply)
    opens_with_yes = any(said == word or said.startswith(f"{word} ") for word in _AFFIRMATIVE_OPENINGS)
    claims_certificate = Facet.CERTIFICATE in unknown and _affirms(_CERTIFICATE, said)
    if opens_with_yes or claims_certificate:
        return CheckFailure(reason=AIFailure.UNKNOWN_AFFIRMED,
                            detail=f"affirms what nobody knows: {', '.join(f.value for f in unknown)}")  # fmt: skip
    return None


def _lists_no_certificate(answer: FacetAnswer) -> bool:
    """A certificate asked about a course whose bonuses name none: the answer is not a yes."""
    return answer.facet == Facet.CERTIFICATE and answer.course is not None and certificate_bonus(answer.course) is None


def _missing_facts(reply: str, context: ReplyContext) -> CheckFailure | None:
    said = normalize(reply)
    for answer in context.answers:
        if not answer.from_course or answer.course is None:
            continue
        missing = [fact for fact in _course_facts(answer) if not any(_says(said, form) for form in fact)]
        if missing:
            detail = f"leaves out the {answer.facet.value} the rules state ({missing[0][0]!r})"
            return CheckFailure(reason=AIFailure.MISSING_FACTS, detail=detail)
    return None


_FACT_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
# The numbers that are facts: prices, counts with their unit, dates, percentages (not a
# description's "24/7" or a list's numbering).
_CARD_FACT = (
    r"(?:us)?\$\s?\d[\d.,]*|\d[\d.,]*\s?(?:usd|mxn|cop|ars|clp|eur|dolares|pesos)\b"
    r"|\d+\s+(?:sesiones|sesion|clases|cuotas)\b|sesiones:\s*\d+"
    rf"|\d{{1,2}} de (?:{'|'.join(_MONTHS)})(?: de \d{{4}})?|\d+(?:[.,]\d+)?\s?%"
)
_FACT = re.compile(_CARD_FACT)
# A paragraph of the school's answers: its periods count too ("7 días", "6 meses"); a course
# card's durations come from its description, which a reply need not repeat.
_SCHOOL_FACT = re.compile(rf"{_CARD_FACT}|\d+\s+(?:horas|semanas|meses|dias|minutos)\b")
_BOLD = re.compile(r"\*([^*\n]{2,120})\*")
_RANKED_LINE = "•"


def _rules_facts(reply: str, context: ReplyContext) -> CheckFailure | None:
    """The reply keeps what the rules' answer states: a model may reword it or show fewer of
    its courses, not thin it. Each block of the answer (a course card, a paragraph) counts:
    a card whose course the reply names must keep its numbers (price, sessions, date), a
    paragraph about no course must keep all of its; and a reply to an answer that names
    courses names at least one of them."""
    said = normalize(reply)
    numbers = {_digits(m.group(0)) for m in _FACT_NUMBER.finditer(reply)}
    named_any, names_seen = False, ""
    for block in re.split(r"\n\s*\n", context.rules_answer):
        names = [_course_name(m.group(1)) for m in _BOLD.finditer(block)]
        names_seen = names_seen or (names[0] if names else "")
        if names and not any(name and name in said for name in names):
            continue
        named_any = named_any or bool(names)
        for line in strip_accents(_BOLD.sub(" ", block)).lower().splitlines():
            # A ranked line ("• SQL: 10 horas en 6 sesiones") states the figure it ranks by.
            facts = _SCHOOL_FACT if not names or line.lstrip().startswith(_RANKED_LINE) else _FACT
            for fact in facts.finditer(line):
                for number in _FACT_NUMBER.finditer(fact.group(0)):
                    if _digits(number.group(0)) not in numbers:
                        detail = f"leaves out {fact.group(0)!r} of the rules' answer"
                        return CheckFailure(reason=AIFailure.MISSING_FACTS, detail=detail)
    if names_seen and not named_any:
        return CheckFailure(reason=AIFailure.MISSING_FACTS, detail=f"names none of the rules' courses ({names_seen!r})")
    return None


_TERM_STEM = 5
# Words of a question that say nothing about what is asked.
_FILLER = frozenset(
    _words("quiero quisiera cuanto cuanta cuando donde tienen tiene tienes puedo puede podria gracias curso cursos "
           "sobre saber informacion buenas buenos hola entonces porfa favor mejor algun alguna ustedes")
)  # fmt: skip


def _asked_terms(reply: str, context: ReplyContext) -> CheckFailure | None:
    """What the student asked about ("trae mentoría?") and the rules' answer covers, the reply
    covers too: a reply that talks around the question is not an answer to it."""
    answer_stems = {w[:_TERM_STEM] for w in normalize(context.rules_answer).split() if len(w) >= _TERM_STEM}
    reply_stems = {w[:_TERM_STEM] for w in normalize(reply).split() if len(w) >= _TERM_STEM}
    # A capitalised word is a name ("soy Carolina"): the reply need not repeat it.
    names = {normalize(w) for w in re.findall(r"\b[A-ZÁÉÍÓÚÑ]\w+", context.student_text)}
    for word in normalize(context.student_text).split():
        if word in names:
            continue
        stem = word[:_TERM_STEM]
        if len(word) >= _TERM_STEM and word not in _FILLER and stem in answer_stems and stem not in reply_stems:
            return CheckFailure(reason=AIFailure.MISSING_FACTS, detail=f"does not answer {word!r}, which the rules do")
    return None


def _course_name(bold: str) -> str:
    """A card's title as a reply would write it: "*1. 📚 Python desde Cero*" -> "python desde cero"."""
    return re.sub(r"^\d+\s+", "", normalize(bold))


def _course_facts(answer: FacetAnswer) -> Iterable[tuple[str, ...]]:
    """Each fact as the accent-free forms a reply may write it in."""
    course = answer.course
    assert course is not None
    if answer.facet == Facet.PRICE and course.price_label:
        amount = re.search(r"\d[\d.,]*", course.price_label)
        if amount is not None:
            yield (normalize(amount.group(0)), amount.group(0).replace(",", "").replace(".", ""))
    elif answer.facet == Facet.SESSION_COUNT and course.session_count:
        count = course.session_count
        yield (str(count), *((_NUMBER_WORDS[count],) if count < len(_NUMBER_WORDS) else ()))
    elif answer.facet == Facet.START_DATE and course.start_date is not None:
        start = course.start_date
        month = _MONTHS[start.month - 1]
        yield (f"{start.day} de {month}", f"{start.day:02d} {start.month:02d}", f"{start.day} {start.month}")


_COMMITMENT = re.compile(
    r"\bpase tus datos\b|\b(?:asesor|persona|humano) te (?:contactara|escribira|llamara|atendera)\b"
    r"|\bte (?:contactara|escribira|llamara) un asesor\b|\b(?:te )?(?:di|dimos|he dado|hemos dado) de baja\b"
    r"|\bya no (?:te enviaremos|te escribiremos|recibiras)\b|\bregistr\w+ tu (?:consentimiento|autorizacion)\b"
)


def false_commitment(reply: str, rules_answer: str) -> bool:
    """The reply announces a hand-off, an opt-out or a consent that the rules' answer does not."""
    found = _COMMITMENT.search(normalize(reply))
    return found is not None and _COMMITMENT.search(normalize(rules_answer)) is None


def _affirms(pattern: re.Pattern[str], said: str) -> bool:
    negated = re.compile(_NEGATION + rf"(?:{pattern.pattern})")
    return pattern.search(said) is not None and negated.search(said) is None


def _says(said: str, form: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", said) is not None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def school_policies(entries: Sequence[tuple[Facet, str]]) -> dict[Facet, str]:
    return {facet: answer for facet, answer in entries if facet in _POLICY_WORDS}


_CHECKS = (_language, _bare, _label, _contact, _denial, _unknown_affirmed, _missing_facts, _rules_facts, _asked_terms)
