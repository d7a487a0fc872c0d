"""Is every fact in a written reply backed by the catalogue data the writer was given?

The AI writes replies in free text; before one is sent, this module reads it the way a
careful student would and lists every claim the given courses do not back: a price or a
currency, a number of sessions, a date, a duration, a course name, a percentage, or a
promise the school never made (a discount, a gift, a guarantee, a job). One such claim is
enough for the caller to send the template reply instead.

It errs on the side of rejecting: a wrongly rejected reply costs a less personal answer,
a wrongly accepted one costs a student who was promised something false. Plain numbers
without a unit ("te recomiendo 2 cursos") are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from app.domain.courses import Course, parse_price
from app.domain.text import normalize, strip_accents
from app.domain.topics import extract_topics


class ViolationKind(StrEnum):
    PRICE = "price"
    CURRENCY = "currency"
    SESSIONS = "sessions"
    DATE = "date"
    DURATION = "duration"
    MODALITY = "modality"
    COURSE = "course"
    PROMISE = "promise"
    STATISTIC = "statistic"


class GroundingViolation(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ViolationKind
    found: str
    detail: str


class GroundingReport(BaseModel):
    """The claims the catalogue does not back, and the given courses the reply names."""

    model_config = ConfigDict(frozen=True)

    violations: tuple[GroundingViolation, ...] = ()
    mentioned_course_ids: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        return "; ".join(f"{v.kind.value}: {v.found!r} ({v.detail})" for v in self.violations)


# --- numbers ---------------------------------------------------------------------------------

# "129", "1.299", "1,299.00", "1.299,00", "49.99": thousands groups, then optional decimals.
_NUMBER = r"(?:\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]\d{1,2})?"
_NUM = rf"(?<![\d.,]){_NUMBER}(?![\d])"

_SMALL_NUMBERS: dict[str, int] = {
    "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintiun": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
}  # fmt: skip
_TENS: dict[str, int] = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
}  # fmt: skip
_SMALL_WORDS = "|".join(sorted(_SMALL_NUMBERS, key=len, reverse=True))
_TENS_WORDS = "|".join(_TENS)
_NUMBER_WORDS = rf"(?:(?:{_TENS_WORDS})(?:\s+y\s+(?:{_SMALL_WORDS}))?|{_SMALL_WORDS})"
# Articles read as "one" would make "en una sesión verás..." a claim about the session count.
_ARTICLES = frozenset({"un", "una", "uno"})


def parse_number_words(text: str) -> int | None:
    """ "ocho" -> 8, "treinta y dos" -> 32; None for anything else."""
    words = text.split()
    if len(words) == 1:
        return _SMALL_NUMBERS.get(words[0], _TENS.get(words[0]))
    if len(words) == 3 and words[1] == "y" and words[0] in _TENS and words[2] in _SMALL_NUMBERS:
        return _TENS[words[0]] + _SMALL_NUMBERS[words[2]]
    return None


def _to_decimal(raw: str) -> Decimal | None:
    return parse_price(raw)


# --- money -----------------------------------------------------------------------------------

_CURRENCY_BEFORE = r"(?:us\$|usd\s?\$?|mxn\s?\$?|cop\s?\$?|ars\s?\$?|clp\s?\$?|eur|pen|s/\.?|\$|€)"
_CURRENCY_AFTER = (
    r"(?:usd|us\$|dolares(?:\s+americanos|\s+estadounidenses)?|dolar|dlls?|dls|mxn|cop|ars|clp|eur|euros?|€"
    r"|pesos(?:\s+mexicanos|\s+colombianos|\s+argentinos|\s+chilenos)?|soles|pen)"
)
_MONEY_BEFORE = re.compile(
    rf"(?<![a-z])(?P<cur>{_CURRENCY_BEFORE})\s?(?P<num>{_NUM})(?:\s?(?P<post>{_CURRENCY_AFTER})(?![a-z]))?"
)
_MONEY_AFTER = re.compile(rf"(?P<num>{_NUM})\s?(?P<post>{_CURRENCY_AFTER})(?![a-z])")
# "cuesta 129", "el precio es de 129", "por solo 99": a price even without a currency.
_PRICE_WORDS = re.compile(
    r"\b(?:cuesta|cuestan|costo|precio|vale|valor|inversion|pagas|pagar|pago|por solo|por tan solo|total)\b"
    # Spaces, not line breaks: "de bajo costo" ending a syllabus line is not the price "3." of the next.
    r"(?:[ \t]+(?:es|de|del|curso|total|final|solo|tan|apenas|unicamente|son|seria|sera|queda|en))*"
    rf"[ \t]+(?P<num>{_NUM})"
    r"(?!\s?(?:%|por ciento|sesion|clase|hora|hrs|minuto|semana|mes|dia|modulo|leccion))"
)
_CURRENCY_WORD = re.compile(r"(?<![a-z])(?:dolares|dolar|usd|us\$|euros?|eur|€|pesos|mxn|cop|ars|clp|soles)(?![a-z])")

_PESOS = frozenset({"MXN", "COP", "ARS", "CLP"})


def _currency_codes(token: str | None) -> frozenset[str] | None:
    """The ISO codes a currency token can mean; None when it says nothing ("$", or no token)."""
    if not token:
        return None
    word = re.sub(r"[\s$.]", "", token) or "$"
    if word in {"", "$"}:
        return None
    table: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
        (("us", "usd", "dolar", "dolares", "dls", "dll", "dlls", "dolaresamericanos", "dolaresestadounidenses"),
         frozenset({"USD"})),
        (("mxn", "pesosmexicanos"), frozenset({"MXN"})),
        (("cop", "pesoscolombianos"), frozenset({"COP"})),
        (("ars", "pesosargentinos"), frozenset({"ARS"})),
        (("clp", "pesoschilenos"), frozenset({"CLP"})),
        (("pesos",), _PESOS),
        (("eur", "euro", "euros", "€"), frozenset({"EUR"})),
        (("pen", "soles", "s/"), frozenset({"PEN"})),
    )  # fmt: skip
    for words, codes in table:
        if word in words:
            return codes
    return None


# --- sessions, durations, dates ----------------------------------------------------------------

_SESSION_UNITS = r"(?:sesiones|sesion|clases|clase|modulos|modulo|lecciones|leccion|encuentros|encuentro)"
_SESSION_COUNT = re.compile(rf"(?<![\w.,/])(?P<num>\d+|{_NUMBER_WORDS})\s+(?:[a-z]+\s+)?{_SESSION_UNITS}(?![a-z])")
_SESSION_INDEX = re.compile(
    r"\b(?:sesion|clase|modulo|leccion)\s+(?:(?:numero|num|no|n)\.?\s*|[#°º]\s*)?(?P<num>\d+)\b"
)
_DURATION = re.compile(
    rf"(?<![\w.,/])(?P<num>{_NUMBER}|{_NUMBER_WORDS})\s+(?P<unit>horas|hora|hrs|hr|minutos|minuto|mins|min"
    r"|semanas|semana|meses|mes|dias|dia)(?![a-z])"
)
_UNIT_STEMS = {
    "horas": "hora", "hora": "hora", "hrs": "hora", "hr": "hora", "minutos": "minuto", "minuto": "minuto",
    "mins": "minuto", "min": "minuto", "semanas": "semana", "semana": "semana", "meses": "mes", "mes": "mes",
    "dias": "dia", "dia": "dia",
}  # fmt: skip

_MONTHS: dict[str, int] = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_MONTH_WORDS = "|".join(_MONTHS)
_DATE_WORDS = re.compile(
    rf"\b(?P<day>\d{{1,2}})\s+de\s+(?P<month>{_MONTH_WORDS})(?:\s+(?:de|del)\s+(?P<year>\d{{4}}))?\b"
)
_DATE_NUMERIC = re.compile(r"(?<![\d/.,])(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{2,4}))?(?![\d/])")
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_ALONE = re.compile(rf"\b(?P<month>{_MONTH_WORDS})\b")
_YEAR_ALONE = re.compile(r"(?<![\d/.,-])(?P<year>20\d{2})(?![\d/.,-])")
_WEEKDAYS: dict[str, int] = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "sabados": 5,
    "domingo": 6, "domingos": 6,
}  # fmt: skip
_WEEKDAY = re.compile(rf"\b(?P<day>{'|'.join(_WEEKDAYS)})\b")

_MODALITY = re.compile(
    r"\b(?:presenciales|presencial|semipresencial|hibridos|hibridas|hibrido|hibrida|online|en linea|virtuales|virtual"
    r"|a distancia|remoto|remota)\b"
)
_MODALITY_OF = {"presencial": "presencial", "presenciales": "presencial", "semipresencial": "hibrido"}
_MODALITY_OF |= {word: "hibrido" for word in ("hibrido", "hibrida", "hibridos", "hibridas")}

_PERCENT = re.compile(rf"(?P<num>{_NUM})\s?(?:%|por ciento)")
_DISCOUNT_AFTER = re.compile(r"^\s*(?:de\s+)?(?:descuento|dto|off|menos|rebaja|de rebaja|de ahorro)")

# --- promises --------------------------------------------------------------------------------

_PROMISES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        ("descuento", r"\b(?:descuentos?|dto|rebajas?|rebajado|cupon(?:es)?|codigo promocional|2x1|3x2"
                      r"|precio especial|precio preferencial|precio de lanzamiento|black friday|cyber monday"
                      r"|promociones?|promos?|en oferta|ofertas? (?:especial|especiales|limitada|exclusiva)"
                      r"|becas?|becado)\b"),
        ("gratis", r"\b(?:gratis|gratuit[oa]s?|sin costo|sin cargo|sin pagar|no cuesta nada|de regalo"
                   r"|te regalo|te regalamos|regalamos|regalarte|obsequio|obsequiamos|de cortesia)\b"),
        ("garantía", r"\b(?:garantia|garantias|garantizad[oa]s?|garantizamos|garantizo|garantizar|te aseguro"
                     r"|asegurad[oa]|reembolsos?|devolvemos tu dinero|devolucion de tu dinero"
                     r"|devolucion del dinero|te devolvemos)\b"),
        ("empleo", r"\b(?:conseguiras (?:un )?(?:trabajo|empleo)|trabajo asegurado|empleo asegurado"
                   r"|te contratan|te contrataran|contratacion segura)\b"),
        ("pagos", r"\b(?:meses sin intereses|sin intereses|cuotas|financiamiento|financiacion|plan de pagos"
                  r"|pagos? diferidos?|pago a plazos|a plazos)\b"),
    )
)  # fmt: skip
_NEGATIONS = frozenset({"no", "ni", "tampoco", "ningun", "ninguna", "ninguno", "nunca", "jamas"})
_NEGATION_WINDOW = 5
# "no te pierdas el descuento" and "no solo ... sino un descuento" push a promise, not refuse it.
_NOT_A_NEGATION = frozenset({"pierdas", "pierda", "pierdan", "olvides", "olvide", "dejes", "deje", "esperes", "solo"})

# --- course names ------------------------------------------------------------------------------

_SPANS = re.compile(r"\*(?P<a>[^*\n]{2,120})\*|\"(?P<b>[^\"\n]{2,120})\"|“(?P<c>[^”\n]{2,120})”|«(?P<d>[^»\n]{2,120})»")
_COURSE_WORDS = r"(?:[Cc]urso|[Tt]aller|[Bb]ootcamp|[Dd]iplomado|[Pp]rograma|[Mm]asterclass|[Cc]ertificaci[oó]n"
_COURSE_WORDS += r"|[Ee]specializaci[oó]n|[Mm]aestr[ií]a|[Ss]eminario|[Ww]orkshop)"
_TITLE_START = r"[A-ZÁÉÍÓÚÑ][\w+#.\-]*"
_TITLE_WORD = r"[A-ZÁÉÍÓÚÑ0-9][\w+#.\-]*"
_CONNECTORS = r"(?:de|del|la|las|los|y|e|para|con|en|a|el|por)"
_NAMED_COURSE = re.compile(
    rf"\b{_COURSE_WORDS}\s+(?:(?:de|en|sobre|llamado|titulado|del)\s+)?"
    rf"(?P<title>{_TITLE_START}(?:\s+(?:{_CONNECTORS}\s+)?{_TITLE_WORD})*)"
)
_COURSE_KEYWORDS = frozenset(
    {"curso", "taller", "bootcamp", "diplomado", "programa", "masterclass", "certificacion", "especializacion",
     "maestria", "seminario", "workshop"}
)  # fmt: skip
_NAME_STOP_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "para", "con", "en", "a", "por", "tu"})
_FUZZY_NAME_MATCH = 88
_TITLE_CASE_SHARE = 0.6


@dataclass(frozen=True)
class _Name:
    course_id: str
    folded: str  # accent-free, lower-case, punctuation kept: for masking the reply
    normalized: str  # text.normalize: for comparing
    words: frozenset[str]


@dataclass(frozen=True)
class CatalogueFacts:
    """Everything the given courses allow a reply to state, indexed for checking."""

    prices: frozenset[tuple[Decimal, str | None]]
    currencies: frozenset[str]
    session_counts: frozenset[int]
    max_session_index: int
    dates: frozenset[date]
    durations: frozenset[tuple[Decimal, str]]
    modalities: frozenset[str]
    text: str  # folded catalogue text: descriptions, bonuses, session titles, tags
    names: tuple[_Name, ...] = field(default=())
    school_text: str = ""  # folded school-knowledge answers given with the courses

    @property
    def amounts(self) -> frozenset[Decimal]:
        return frozenset(amount for amount, _ in self.prices)

    @classmethod
    def from_courses(cls, courses: Iterable[Course], knowledge: Sequence[str] = ()) -> CatalogueFacts:
        """`knowledge`: the school's own answers given with the courses (payment, refunds...);
        what they say (a number of instalments, a refund period, a fee) may be stated too."""
        courses = list(courses)
        per_course = [_course_facts(c) for c in courses]
        school = _school_facts(tuple(knowledge))
        prices = {(c.price_amount, (c.currency or "").upper() or None) for c in courses if c.price_amount is not None}
        prices |= school.prices
        sessions = {n for c in courses for n in (c.session_count, len(c.sessions) or None) if n}
        dates = {d for c in courses for d in (c.start_date, *(s.starts_on for s in c.sessions)) if d}
        text = " | ".join(f.text for f in per_course)
        text = f"{text} | {school.text}" if school.text else text
        dates |= school.dates
        durations = {(Decimal(c.duration_hours), "hora") for c in courses if c.duration_hours}
        for minutes in {s.duration_minutes for c in courses for s in c.sessions if s.duration_minutes}:
            durations |= {(Decimal(minutes), "minuto"), (Decimal(minutes) / 60, "hora")}
        durations |= school.durations.union(*(f.durations for f in per_course))
        return cls(
            prices=frozenset(prices),  # type: ignore[arg-type]
            currencies=frozenset(code for _, code in prices if code),
            session_counts=frozenset(sessions),
            max_session_index=max(sessions, default=0),
            dates=frozenset(dates),
            durations=frozenset(durations),
            modalities=frozenset(_modality(c.modality) for c in courses if c.modality),
            text=text,
            names=tuple(f.name for f in per_course),
            school_text=school.text,
        )


def check_reply(text: str, courses: Sequence[Course], knowledge: Sequence[str] = ()) -> GroundingReport:
    """Every claim in `text` that `courses` (and the school's answers in `knowledge`) do not
    back, and which of the courses it names."""
    facts = CatalogueFacts.from_courses(courses, knowledge)
    folded = _fold(text)
    mentions, violations = _course_names(text, facts)
    masked = _mask_names(folded, facts)
    violations += _money(masked, facts)
    violations += _currency_words(masked, facts)
    date_spans, date_violations = _dates(masked, facts)
    violations += date_violations
    unmasked = _blank(masked, date_spans)
    violations += _sessions(unmasked, facts)
    violations += _durations(unmasked, facts)
    violations += _percentages(unmasked, facts)
    violations += _modalities(masked, facts)
    violations += _promises(masked, facts)
    violations += _instalment_counts(masked, facts)
    ordered = tuple(dict.fromkeys(course_id for _, course_id in sorted(mentions)))
    return GroundingReport(violations=tuple(_unique(violations)), mentioned_course_ids=ordered)


def mentioned_courses(text: str, courses: Sequence[Course]) -> tuple[str, ...]:
    """Ids of the given courses the text names, in order of first mention."""
    mentions, _ = _course_names(text, CatalogueFacts.from_courses(courses))
    return tuple(dict.fromkeys(course_id for _, course_id in sorted(mentions)))


# --- helpers ---------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower-case and accent-free, keeping digits, symbols and punctuation in place."""
    return strip_accents(text).lower()


@dataclass(frozen=True)
class _CourseFacts:
    course: Course  # the object read: a reloaded catalogue has new ones
    text: str  # folded
    durations: frozenset[tuple[Decimal, str]]
    name: _Name


@dataclass(frozen=True)
class _SchoolFacts:
    text: str  # folded
    durations: frozenset[tuple[Decimal, str]]
    prices: frozenset[tuple[Decimal, str | None]]
    dates: frozenset[date]


# Course id -> its facts. Replies are checked against the same few catalogue courses turn
# after turn, and folding and scanning their texts was most of a check's time.
_COURSE_FACTS: dict[str, _CourseFacts] = {}
_MAX_CACHED_COURSES = 4_096


def _course_facts(course: Course) -> _CourseFacts:
    cached = _COURSE_FACTS.get(course.id)
    if cached is not None and cached.course is course:
        return cached
    text = _fold(_course_text(course))
    facts = _CourseFacts(course=course, text=text, durations=_durations_of(text), name=_name(course))
    if len(_COURSE_FACTS) >= _MAX_CACHED_COURSES:
        _COURSE_FACTS.clear()
    _COURSE_FACTS[course.id] = facts
    return facts


@lru_cache(maxsize=64)
def _school_facts(knowledge: tuple[str, ...]) -> _SchoolFacts:
    text = _fold(" | ".join(knowledge))
    return _SchoolFacts(
        text=text,
        durations=_durations_of(text),
        prices=frozenset(_stated_prices(text)),
        dates=frozenset(_stated_dates(text)),
    )


def _durations_of(text: str) -> frozenset[tuple[Decimal, str]]:
    return frozenset((value, unit) for value, unit, _ in _durations_in(text))


def _course_text(course: Course) -> str:
    parts = [course.name, course.short_description or "", course.long_description or "", *course.tags]
    parts += [b.content for b in course.bonuses] + [s.title for s in course.sessions]
    return " | ".join(parts)


def _name(course: Course) -> _Name:
    normalized = normalize(course.name)
    words = frozenset(w for w in normalized.split() if w not in _NAME_STOP_WORDS)
    return _Name(course_id=course.id, folded=_fold(course.name), normalized=normalized, words=words)


def _stated_prices(school_text: str) -> set[tuple[Decimal, str | None]]:
    """Amounts the school's own answers state ("inscripción de $20 USD")."""
    stated: set[tuple[Decimal, str | None]] = set()
    for pattern in (_MONEY_BEFORE, _MONEY_AFTER):
        for match in pattern.finditer(school_text):
            amount = _to_decimal(match.group("num"))
            groups = match.groupdict()
            codes = _currency_codes(groups.get("post")) or _currency_codes(groups.get("cur")) or frozenset()
            if amount is not None:
                stated |= {(amount, code) for code in codes} or {(amount, None)}
    return stated


def _stated_dates(school_text: str) -> set[date]:
    """Full dates the school's answers state ("inscripciones hasta el 15/01/2027")."""
    stated: set[date] = set()
    for pattern in (_DATE_WORDS, _DATE_ISO, _DATE_NUMERIC):
        for match in pattern.finditer(school_text):
            raw_month, year = match.group("month"), match.group("year")
            if year is None or len(year) != 4:
                continue
            month = _MONTHS[raw_month] if raw_month in _MONTHS else int(raw_month)
            try:
                stated.add(date(int(year), month, int(match.group("day"))))
            except ValueError:
                continue
    return stated


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the given spans replaced by spaces, so positions stay the same."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _mask_names(folded: str, facts: CatalogueFacts) -> str:
    """Blank out given course names: "Python 3" in a name is not a claim about anything."""
    spans = [(m.start(), m.end()) for name in facts.names for m in re.finditer(re.escape(name.folded), folded)]
    return _blank(folded, spans)


def _unique(violations: Iterable[GroundingViolation]) -> list[GroundingViolation]:
    return list(dict.fromkeys(violations))


def _number(raw: str) -> Decimal | None:
    raw = raw.strip()
    if raw and raw[0].isdigit():
        return _to_decimal(raw)
    value = parse_number_words(re.sub(r"\s+", " ", raw))
    return Decimal(value) if value is not None else None


# --- checks ----------------------------------------------------------------------------------


def _money(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    violations: list[GroundingViolation] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_MONEY_BEFORE, _MONEY_AFTER):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            groups = match.groupdict()
            codes = _currency_codes(groups.get("post")) or _currency_codes(groups.get("cur"))
            violations += _check_price(match.group(0).strip(), match.group("num"), codes, facts)
    for match in _PRICE_WORDS.finditer(text):
        if not any(start <= match.start("num") < end for start, end in taken):
            violations += _check_price(match.group(0).strip(), match.group("num"), None, facts)
    return violations


def _check_price(
    found: str, raw_number: str, codes: frozenset[str] | None, facts: CatalogueFacts
) -> list[GroundingViolation]:
    amount = _to_decimal(raw_number)
    if amount is None or amount not in facts.amounts:
        return [GroundingViolation(kind=ViolationKind.PRICE, found=found, detail="no given course has this price")]
    if codes is not None and not any((amount, code) in facts.prices for code in codes):
        detail = "the given course with this price is in another currency"
        return [GroundingViolation(kind=ViolationKind.CURRENCY, found=found, detail=detail)]
    return []


def _currency_words(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    violations = []
    for match in _CURRENCY_WORD.finditer(text):
        codes = _currency_codes(match.group(0))
        if codes is not None and not codes & facts.currencies:
            violations.append(
                GroundingViolation(
                    kind=ViolationKind.CURRENCY, found=match.group(0), detail="no given course is priced in it"
                )
            )
    return violations


def _sessions(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    violations = []
    for match in _SESSION_COUNT.finditer(text):
        raw = match.group("num")
        if raw in _ARTICLES:
            continue
        count = _number(raw)
        # "1 sesión de mentoría" is a bonus, not the length of a course.
        if count is None or count == 1 or int(count) in facts.session_counts:
            continue
        violations.append(
            GroundingViolation(kind=ViolationKind.SESSIONS, found=match.group(0), detail="no given course has it")
        )
    for match in _SESSION_INDEX.finditer(text):
        index = int(match.group("num"))
        if not 1 <= index <= facts.max_session_index:
            violations.append(
                GroundingViolation(kind=ViolationKind.SESSIONS, found=match.group(0), detail="no such session")
            )
    return violations


def _durations_in(text: str) -> list[tuple[Decimal, str, str]]:
    found = []
    for match in _DURATION.finditer(text):
        value = _number(match.group("num"))
        if value is not None:
            found.append((value, _UNIT_STEMS[match.group("unit")], match.group(0)))
    return found


def _durations(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    return [
        GroundingViolation(kind=ViolationKind.DURATION, found=found, detail="not in the given courses")
        for value, unit, found in _durations_in(text)
        if (value, unit) not in facts.durations
    ]


def _dates(text: str, facts: CatalogueFacts) -> tuple[list[tuple[int, int]], list[GroundingViolation]]:
    """Full dates, then months, years and weekdays on their own; returns the spans read."""
    spans: list[tuple[int, int]] = []
    violations: list[GroundingViolation] = []
    for pattern in (_DATE_WORDS, _DATE_ISO, _DATE_NUMERIC):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in spans):
                continue
            spans.append(match.span())
            if not _date_is_given(match, facts):
                violations.append(_date_violation(match.group(0)))
    rest = _blank(text, spans)
    for match in _MONTH_ALONE.finditer(rest):
        if _MONTHS[match.group("month")] not in {d.month for d in facts.dates}:
            violations.append(_date_violation(match.group(0)))
    for match in _YEAR_ALONE.finditer(rest):
        if int(match.group("year")) not in {d.year for d in facts.dates}:
            violations.append(_date_violation(match.group(0)))
    for match in _WEEKDAY.finditer(rest):
        if re.search(rf"\b{match.group('day')}\b", facts.school_text):
            continue  # "de lunes a viernes": the school's own hours
        if _WEEKDAYS[match.group("day")] not in {d.weekday() for d in facts.dates}:
            violations.append(_date_violation(match.group(0)))
    return spans, violations


def _date_is_given(match: re.Match[str], facts: CatalogueFacts) -> bool:
    raw_month = match.group("month")
    month = _MONTHS[raw_month] if raw_month in _MONTHS else int(raw_month)
    day = int(match.group("day"))
    year = match.group("year")
    for given in facts.dates:
        if (given.day, given.month) != (day, month):
            continue
        if year is None or int(year) in {given.year, given.year % 100}:
            return True
    return False


def _date_violation(found: str) -> GroundingViolation:
    return GroundingViolation(kind=ViolationKind.DATE, found=found, detail="no given course has this date")


def _modality(word: str) -> str:
    """ "presencial", "hibrido" or "online" (which "virtual", "en línea", "a distancia" mean)."""
    return _MODALITY_OF.get(normalize(word), "online")


def _modalities(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    """ "Sí, es presencial" about an online course; "no es presencial" is a true denial."""
    return [
        GroundingViolation(kind=ViolationKind.MODALITY, found=match.group(0), detail="no given course is taught so")
        for match in _MODALITY.finditer(text)
        if _modality(match.group(0)) not in facts.modalities
        and not _negated(text, match.start())
        and not re.search(rf"\b{match.group(0)}\b", facts.school_text)
    ]


def _percentages(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    violations = []
    for match in _PERCENT.finditer(text):
        discount = _DISCOUNT_AFTER.match(text[match.end() :])
        if discount:
            if text[match.start() : match.end() + discount.end()] in facts.school_text:
                continue  # the school's own answers offer this discount
            violations.append(GroundingViolation(kind=ViolationKind.PROMISE, found=match.group(0), detail="a discount"))
            continue
        value = _to_decimal(match.group("num"))
        # "100% online" describes the modality; other shares are statistics nobody gave.
        if value == 100 or match.group(0) in facts.text:
            continue
        violations.append(
            GroundingViolation(kind=ViolationKind.STATISTIC, found=match.group(0), detail="not in the given courses")
        )
    return violations


def _promises(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    violations = []
    for label, pattern in _PROMISES:
        for match in pattern.finditer(text):
            found = match.group(0)
            # The catalogue may itself offer it ("herramientas gratuitas" in a bonus).
            if re.search(rf"\b{re.escape(found)}\b", facts.text):
                continue
            if _negated(text, match.start()):
                continue
            violations.append(GroundingViolation(kind=ViolationKind.PROMISE, found=found, detail=label))
    return violations


_INSTALMENT_COUNT = re.compile(
    rf"(?<![\w.,/])(?P<num>\d+|{_NUMBER_WORDS})\s+(?:cuotas|mensualidades|pagos|meses sin intereses|plazos)(?![a-z])"
)


def _instalment_counts(text: str, facts: CatalogueFacts) -> list[GroundingViolation]:
    """ "hasta 6 cuotas" must be what the school's answers say, not just any number of them."""
    return [
        GroundingViolation(kind=ViolationKind.PROMISE, found=match.group(0), detail="not in the school's answers")
        for match in _INSTALMENT_COUNT.finditer(text)
        if match.group("num") not in _ARTICLES and match.group(0) not in facts.text
    ]


def _negated(text: str, start: int) -> bool:
    """ "no manejamos descuentos", "no puedo darte un descuento", "sin garantía": a refusal."""
    before = re.findall(r"[a-zñ]+", text[max(0, start - 80) : start])[-_NEGATION_WINDOW:]
    if "sin" in before[-2:]:
        return True
    if any(word in _NOT_A_NEGATION for word in before):
        return False
    return any(word in _NEGATIONS for word in before)


# --- course names ----------------------------------------------------------------------------


def _course_names(text: str, facts: CatalogueFacts) -> tuple[list[tuple[int, str]], list[GroundingViolation]]:
    """(position, course id) of each given course named, and names of courses nobody gave."""
    mentions: list[tuple[int, str]] = []
    violations: list[GroundingViolation] = []
    normalized_text = f" {normalize(text)} "
    for name in facts.names:
        position = normalized_text.find(f" {name.normalized} ")
        if position >= 0:
            # Positions in the normalised text only order mentions; scale them to the original.
            mentions.append((round(position * len(text) / max(1, len(normalized_text))), name.course_id))
    for match in _SPANS.finditer(text):
        span = next(group for group in match.groups() if group is not None)
        resolved = _resolve_span(span, facts)
        if resolved is not None:
            mentions.append((match.start(), resolved))
        elif _looks_like_a_course(span):
            violations.append(GroundingViolation(kind=ViolationKind.COURSE, found=span, detail="not a given course"))
    for match in _NAMED_COURSE.finditer(text):
        title = match.group("title")
        resolved = _resolve_title(title, facts)
        if resolved == "":
            violations.append(GroundingViolation(kind=ViolationKind.COURSE, found=title, detail="not a given course"))
        elif resolved is not None:
            mentions.append((match.start(), resolved))
    return mentions, violations


def _span_words(span: str) -> tuple[str, frozenset[str]]:
    """A highlighted phrase without list numbering or a leading "curso de", and its words."""
    normalized = re.sub(r"^\d+\s+", "", normalize(span))
    normalized = re.sub(
        rf"^(?:(?:el|la|nuestro|nuestra|mi)\s+)?(?:{'|'.join(_COURSE_KEYWORDS)})\s+(?:de\s+)?", "", normalized
    )
    return normalized, frozenset(w for w in normalized.split() if w not in _NAME_STOP_WORDS)


def _resolve_span(span: str, facts: CatalogueFacts) -> str | None:
    """The id of the given course a highlighted phrase names, else None."""
    normalized, words = _span_words(span)
    if len(words) < 2 and normalized not in {n.normalized for n in facts.names}:
        return None
    exact = [n for n in facts.names if normalized == n.normalized]
    # Of the names holding every word of the phrase, the shortest is the one it names.
    holders = sorted((n for n in facts.names if len(words) >= 2 and words <= n.words), key=lambda n: len(n.words))
    if exact or holders:
        return (exact or holders)[0].course_id
    best: tuple[float, str] | None = None
    for name in facts.names:
        score = fuzz.ratio(normalized, name.normalized)
        if score >= _FUZZY_NAME_MATCH and (best is None or score > best[0]):
            best = (score, name.course_id)
    return best[1] if best else None


def _looks_like_a_course(span: str) -> bool:
    """A highlighted phrase that reads like a course title: "*Bootcamp de Blockchain*"."""
    if re.search(r"[¡!¿?]", span):
        return False  # an exclamation or a question, not a title
    _, words = _span_words(span)
    if len(words) < 2:
        return False
    if frozenset(normalize(span).split()) & _COURSE_KEYWORDS:
        return True
    lettered = [w for w in re.findall(r"[^\W\d_][\w+#-]*", span) if normalize(w) not in _NAME_STOP_WORDS]
    capitalised = sum(1 for w in lettered if w[0].isupper())
    return bool(lettered) and capitalised / len(lettered) >= _TITLE_CASE_SHARE


def _resolve_title(title: str, facts: CatalogueFacts) -> str | None:
    """After "curso de ...": a given course's id, "" for an unknown course, None if unsure.

    "el curso de Python" names "Python desde Cero" when only that given course has the
    word; a word no given course has ("curso de Django") names a course nobody gave.
    """
    normalized, words = _span_words(title)
    if not words:
        return None
    if len(words) == 1 and extract_topics(normalized):
        return None  # "un curso de Python" is a subject, not a course title
    owners = [name for name in facts.names if words <= name.words or name.normalized == normalized]
    if len(owners) == 1:
        return owners[0].course_id
    if owners:
        return None
    if any(fuzz.ratio(normalized, name.normalized) >= _FUZZY_NAME_MATCH for name in facts.names):
        return None
    return ""
