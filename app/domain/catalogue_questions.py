"""Questions about the catalogue as a whole, answered by computing over whatever is loaded.

"cuál es el más barato de todos?", "hay algo gratis?", "cuál es el más corto?", "cuál de los
dos es más fácil?", "son virtuales o toca ir?", "cuánto cuestan más o menos los cursos?",
"tienen cursos de inglés?": none of these is about one course, and none has a fixed answer:
each is a sort, a filter or a count over the courses of the catalogue (or of the list the
student was just shown), so the answer holds in any catalogue.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.course_search import catalog_index, parse_query, score_query
from app.domain.courses import Course
from app.domain.facet_answers import session_total, total_minutes
from app.domain.facets import Facet
from app.domain.search_text import content_words, stem
from app.domain.text import normalize


class CatalogueAsk(StrEnum):
    CHEAPEST = "cheapest"
    CHEAPER = "cheaper"  # cheaper than the courses on screen
    HARDER = "harder"  # a level above the course on screen
    DEAREST = "dearest"
    FREE = "free"
    SHORTEST = "shortest"
    LONGEST = "longest"
    EASIEST = "easiest"
    HARDEST = "hardest"
    SOONEST = "soonest"  # "¿cuáles empiezan primero?": by start date
    COMPARE = "compare"  # the courses on screen side by side
    PRICE_RANGE = "price_range"
    MODALITIES = "modalities"
    IN_MODALITY = "in_modality"  # "¿cuáles son presenciales?": the courses taught that way
    NOT_OFFERED = "not_offered"  # a subject no course teaches


# Answers whose courses become the list the student can point at next ("el primero").
LISTING_ASKS = frozenset(
    {CatalogueAsk.CHEAPEST, CatalogueAsk.CHEAPER, CatalogueAsk.HARDER, CatalogueAsk.DEAREST, CatalogueAsk.FREE,
     CatalogueAsk.SHORTEST,
     CatalogueAsk.LONGEST, CatalogueAsk.EASIEST, CatalogueAsk.HARDEST, CatalogueAsk.SOONEST, CatalogueAsk.COMPARE,
     CatalogueAsk.IN_MODALITY}
)  # fmt: skip


class CatalogueQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    ask: CatalogueAsk
    among_shown: bool = False  # "cuál de los dos", "de estos": the last list, not the catalogue
    shown_count: int | None = None  # "los dos" -> 2
    subject: str = ""  # NOT_OFFERED: what the student asked for, as written
    modality: str = ""  # "el más barato online": a superlative among the courses taught that way
    # "nunca he programado, ¿cuál es lo más básico?": the rest of the message (or the subjects the
    # conversation is about), within whose courses a superlative ranks, when it names no subject itself.
    context: str = ""
    conversation: tuple[str, ...] = ()
    # "¿cuál es más barato y cuál dura menos?": the other rankings the same message asks for.
    also: tuple[CatalogueAsk, ...] = ()


class CatalogueAnswer(BaseModel):
    """What the data says: the courses to name, in order, and the figures around them."""

    model_config = ConfigDict(frozen=True)

    question: CatalogueQuestion
    courses: tuple[Course, ...] = ()
    total: int = 0  # courses considered
    modality_counts: tuple[tuple[str, int], ...] = ()
    price_ranges: tuple[tuple[str, Decimal, Decimal], ...] = ()  # (currency, lowest, highest)
    reference: Course | None = None  # CHEAPER, HARDER: the course the answer is measured against
    within_context: bool = False  # ranked within the courses of the subject the student is on
    categories: tuple[str, ...] = ()  # NOT_OFFERED: what the school does teach


_SUPERLATIVES: tuple[tuple[CatalogueAsk, re.Pattern[str]], ...] = tuple(
    (ask, re.compile(pattern))
    for ask, pattern in (
        (CatalogueAsk.FREE, r"\b(?:gratis|gratuit[oa]s?|sin costo|free|de balde)\b"),
        (CatalogueAsk.CHEAPEST, r"\bmas (?:barat[oa]s?|economic[oa]s?|accesibles?)\b|\b(?:menor|mas bajo) precio\b"
                                r"|\bprecio mas bajo\b|\bmenos (?:cuesta|caro)\b"),
        (CatalogueAsk.DEAREST, r"\bmas car[oa]s?\b|\bmayor precio\b|\bprecio mas alto\b"),
        (CatalogueAsk.SHORTEST, r"\bmas (?:cort[oa]s?|rapid[oa]s?|breves?)\b|\bmenos (?:sesiones|horas|clases|tiempo)\b"
                                r"|\bdura menos\b"),
        (CatalogueAsk.LONGEST, r"\bmas (?:larg[oa]s?|extens[oa]s?)\b|\bmas (?:sesiones|horas|clases)\b|\bdura mas\b"),
        (CatalogueAsk.EASIEST, r"\bmas (?:facil(?:es)?|sencill[oa]s?|basic[oa]s?)\b"
                               r"|\bmenos (?:dificil|complicad[oa])\b"),
        (CatalogueAsk.HARDEST, r"\bmas (?:dificil(?:es)?|avanzad[oa]s?|complej[oa]s?)\b"),
        # Led by the verb: "empieza más pronto" is about a course, unlike "aprender más rápido".
        (CatalogueAsk.SOONEST, r"\b(?:empie[zs]a|inicia|comienza|arranca|abre)n? (?:mas )?(?:primero|antes|pronto)\b"
                               r"|\b(?:proxim[oa]s?|siguientes?) (?:cursos?|en (?:empezar|iniciar|arrancar))\b"
                               r"|\bmas (?:proxim[oa]s?|pronto)\b"),
    )
)  # fmt: skip
_THAN_SHOWN = {CatalogueAsk.CHEAPEST: CatalogueAsk.CHEAPER, CatalogueAsk.HARDEST: CatalogueAsk.HARDER}
_AMONG_SHOWN = re.compile(
    r"\b(?:cual|cuales|que) de (?:los|las|estos|esos|estas|esas|ellos|ellas)\b|\bde (?:estos|esos|estas|esas)\b"
    r"|\bentre (?:estos|esos|estas|esas|los dos|las dos|ambos|ellos)\b|\blos dos\b|\blas dos\b|\bambos\b"
)
# Asking how the courses shown differ names no course: it is about them all.
_TELL_APART = re.compile(r"\b(?:se )?diferenc(?:ia|ian|ias)\b|\bcompar(?:a|alos|amelos|ar|arlos|acion)\b"
                         r"|\bcual (?:es )?(?:la )?diferencia\b")
_COUNT = {"dos": 2, "2": 2, "tres": 3, "3": 3}
_COUNT_WORD = re.compile(r"\b(?:los|las|estos|esos) (dos|tres|2|3)\b|\bambos\b")
_OTHER_THAN_SHOWN = re.compile(r"\b(?:algo|alguno|alguna|otro|otra|uno|una|opcion|opciones|curso|cursos) mas\b")
_WHOLE_CATALOGUE = re.compile(r"\bde todos\b|\bde todo\b|\bdel catalogo\b|\bque tengan\b|\bque tienen\b")
_PLURAL_PRICE = re.compile(
    r"\b(?:cuestan|valen|salen|cobran)\b.*\b(?:cursos|mas o menos|en general|aproximadamente)\b"
    r"|\b(?:los|sus) (?:precios|costos)\b|\brango de precios?\b|\bmas o menos (?:cuanto|los precios)\b"
    r"|\bcuanto (?:cuestan|valen|salen) (?:mas o menos|en general|los cursos|sus cursos)\b"
)
_PLURAL_MODALITY = re.compile(
    r"\b(?:son|los cursos son|sus cursos son|todos son|las clases son)\b.*\b(?:virtuales|presenciales|online|en linea"
    r"|hibridos)\b|\b(?:son|los cursos|sus cursos|todos)\b.*\b(?:toca|hay que) ir\b"
    r"|\b(?:todos|todas) (?:son )?(?:online|virtuales|presenciales)\b"
)
_WHICH_IN_MODALITY = re.compile(
    r"\b(?:cuales|que cursos|cuales cursos)\b.*\b(?:son|hay|tienen|dan)?\b.*?\b(virtuales|presenciales|online|en linea"
    r"|hibridos|a distancia)\b"
)
_MODALITY_OF_WORD = {"virtuales": "online", "online": "online", "en linea": "online", "a distancia": "online",
                     "presenciales": "presencial", "hibridos": "híbrido"}  # fmt: skip
_OFFER = re.compile(
    r"\b(?:tienen|tienes|hay|dan|ofrecen|imparten|ensenan|manejan|tendran|tendras|venden)\b(?: \w+){0,2}? "
    r"(?:cursos?|clases?|talleres?|algo|programas?|formacion|capacitacion) (?:de|sobre) ((?:\w+ ?){1,3})"
)
# Words of a subject that say nothing about which subject it is.
_SUBJECT_FILLER = frozenset(
    {"de", "del", "la", "las", "los", "el", "un", "una", "para", "con", "en", "y", "o", "sobre", "curso",
     "cursos", "clases", "clase", "algo", "ustedes", "aqui", "alla", "tambien", "que", "tipo", "basico",
     "avanzado", "nivel", "online", "presencial", "cual", "cuales", "es", "son", "seria", "hay", "tienen",
     "tiene", "porfa", "por", "favor"}
) | frozenset(
    # "las clases de ese", "algo de eso mismo": a pointer to a course already named, not a subject.
    {"ese", "esa", "este", "esta", "eso", "esto", "aquel", "aquella", "mismo", "misma", "ultimo", "ultima",
     "primero", "primera", "segundo", "segunda", "tercero", "tercera"}
)  # fmt: skip
# "dónde / cuándo / a qué hora se dan las clases de ...": asks where or when, not whether it is taught.
_WHERE_OR_WHEN = re.compile(r"(?:donde|cuando|a que hora|que dias|que horario)")
_STEM = 5
_LEVEL_ORDER = {"principiante": 0, "intermedio": 1, "avanzado": 2}
SHOWN = 3
LISTED = 5  # a filter names at most this many courses, and says how many there are
# ...unless so few are left that naming them costs no more than "… y 2 más" would.
LISTED_SLACK = 2


def detect_catalogue_question(
    text: str, facets: Sequence[Facet], *, has_shown: bool, conversation: Sequence[str] = ()
) -> CatalogueQuestion | None:
    """The catalogue-wide question this message asks, if any (read on its normalised text).

    `conversation`: the subjects the student has spoken of, within which a superlative that
    names none ranks (an advisor asked "¿cuál es el más fácil?" answers within the subject)."""
    read = normalize(text)
    among = has_shown and _AMONG_SHOWN.search(read) is not None
    count_match = _COUNT_WORD.search(read)
    count = (
        _COUNT.get(count_match.group(1), 2) if count_match and count_match.lastindex else (2 if count_match else None)
    )
    for ask, pattern in _SUPERLATIVES:
        found = pattern.search(read)
        if found is None or _describes_an_action(read, found.start()):
            continue
        subject = _subject_after(read[found.end() :]) if not among else ""
        if ask in _THAN_SHOWN and has_shown and not among and _OTHER_THAN_SHOWN.search(read) \
                and not _WHOLE_CATALOGUE.search(read):  # fmt: skip
            ask = _THAN_SHOWN[ask]  # "algo más barato / más avanzado": than the course on screen
        scoped = not among and not subject and not _WHOLE_CATALOGUE.search(read) and ask in _RANKINGS
        context = " ".join([read[: found.start()], read[found.end() :]]) if scoped else ""
        return CatalogueQuestion(ask=ask, among_shown=among, shown_count=count, subject=subject,
                                 modality=_modality_named(read), context=context,
                                 conversation=tuple(conversation) if scoped else (),
                                 also=_other_rankings(read, ask))  # fmt: skip
    if Facet.PRICE in facets and _PLURAL_PRICE.search(read) and not among:
        return CatalogueQuestion(ask=CatalogueAsk.PRICE_RANGE)
    which = _WHICH_IN_MODALITY.search(read)
    if which is not None and not among:
        return CatalogueQuestion(ask=CatalogueAsk.IN_MODALITY, subject=_MODALITY_OF_WORD[which.group(1)])
    if _PLURAL_MODALITY.search(read) and not among:
        return CatalogueQuestion(ask=CatalogueAsk.MODALITIES)
    if among and re.search(r"\b(?:cual|cuales|que)\b", read):
        return CatalogueQuestion(ask=CatalogueAsk.COMPARE, among_shown=True, shown_count=count)
    if has_shown and _TELL_APART.search(read):
        # "¿en qué se diferencian?": the courses on screen, side by side.
        return CatalogueQuestion(ask=CatalogueAsk.COMPARE, among_shown=True, shown_count=count)
    offered = None if _WHERE_OR_WHEN.search(read) else _OFFER.search(read)
    if offered is not None:
        subject = " ".join(w for w in offered.group(1).split() if w not in _SUBJECT_FILLER)
        if subject:
            return CatalogueQuestion(ask=CatalogueAsk.NOT_OFFERED, subject=subject)
    return None


def _other_rankings(read: str, first: CatalogueAsk) -> tuple[CatalogueAsk, ...]:
    """The rankings a message asks for besides the first, in the order it asks them."""
    if first not in _RANKINGS:
        return ()
    found = []
    for ask, pattern in _SUPERLATIVES:
        match = pattern.search(read)
        if ask != first and ask in _RANKINGS and match and not _describes_an_action(read, match.start()):
            found.append((match.start(), ask))
    return tuple(ask for _, ask in sorted(found))


# The word before "más ..." that makes it a course's trait ("el más corto", "cuál es más fácil",
# "algo más barato"); after any other word it tells how the student wants to do something
# ("preparar exámenes más rápido", "hacer mi trabajo más fácil") and asks nothing of the catalogue.
_COURSE_TRAIT_HEADS = frozenset(
    {"el", "la", "los", "las", "lo", "uno", "una", "unos", "algo", "alguno", "alguna", "otro", "otra", "curso",
     "cursos", "programa", "opcion", "opciones", "taller", "cual", "cuales", "que", "es", "son", "sea", "sean",
     "seria", "sale", "salen", "cuesta", "cuestan", "resulta", "queda", "este", "ese", "esta", "esa", "estos",
     "esos", "hay", "tienen", "tengan", "y", "o", "ni", "tan", "quiero", "busco", "necesito", "prefiero"}
)  # fmt: skip


def _describes_an_action(read: str, start: int) -> bool:
    """ "más rápido" after a verb or its object: a manner, not a question about courses."""
    if not read.startswith("mas ", start):
        return False
    before = read[:start].split()
    return bool(before) and before[-1] not in _COURSE_TRAIT_HEADS


_A_MODALITY = re.compile(r"\b(?:(online|virtual|en linea|a distancia)|(presencial)|(hibrido))\b")


def _modality_named(read: str) -> str:
    """ "el más económico online": the modality a superlative is asked within, as the catalogue spells it."""
    found = _A_MODALITY.search(read)
    if found is None:
        return ""
    return ("online", "presencial", "híbrido")[found.lastindex - 1]  # type: ignore[operator]


_QUALIFIER = re.compile(r"^ ?(?:curso )?(?:de|sobre|en) ((?:\w+ ?){1,2})")
# "el más barato de todos", "de los que tienen": the whole catalogue, not a subject.
_NOT_A_SUBJECT = frozenset(
    {"todos", "todo", "todas", "los", "las", "estos", "esos", "ellos", "catalogo", "ustedes", "aqui", "linea",
     "precio", "tiempo", "duracion", "sesiones", "horas"}
)  # fmt: skip


def _subject_after(rest: str) -> str:
    """ "el más barato *de datos*": the subject that narrows a superlative, if any."""
    qualifier = _QUALIFIER.match(rest)
    if qualifier is None:
        return ""
    words = [w for w in qualifier.group(1).split() if w not in _SUBJECT_FILLER]
    if not words or words[0] in _NOT_A_SUBJECT:
        return ""
    return " ".join(words)


def course_text(course: Course) -> str:
    """Everything a course says about its subject, normalised."""
    parts = [course.name, course.short_description or "", course.long_description or "", course.category or ""]
    parts += list(course.tags)
    parts += [f"{s.title} {s.objective or ''}" for s in course.sessions]
    return normalize(" ".join(parts))


def teaches(subject: str, courses: Sequence[Course]) -> bool:
    """Whether any course's own text uses the subject's words (whole words or their stems)."""
    wanted = [w for w in normalize(subject).split() if w not in _SUBJECT_FILLER]
    if not wanted:
        return True
    vocabulary: set[str] = set()
    for course in courses:
        vocabulary |= set(course_text(course).split())
    stems = {w[:_STEM] for w in vocabulary if len(w) >= _STEM}
    return any(w in vocabulary or (len(w) >= _STEM and w[:_STEM] in stems) for w in wanted)


def answer_catalogue_question(
    question: CatalogueQuestion, catalogue: Sequence[Course], shown: Sequence[Course], reference: Course | None = None
) -> CatalogueAnswer | None:
    """The answer the data gives; None when the data cannot answer it (the turn goes on as usual)."""
    pool = list(shown[: question.shown_count or SHOWN]) if question.among_shown else list(catalogue)
    if question.subject and question.ask != CatalogueAsk.NOT_OFFERED:
        # "el más barato de datos": among the courses of that subject, when there are any.
        pool = [course for course in pool if teaches(question.subject, [course])] or pool
    if question.modality:
        pool = [course for course in pool if normalize(course.modality or "") == normalize(question.modality)]
    within = _courses_about(question.context, question.conversation, pool)
    pool = within or pool
    if not pool:
        return None
    ask = question.ask
    base = {"question": question, "total": len(pool), "within_context": bool(within)}
    if ask == CatalogueAsk.NOT_OFFERED:
        if teaches(question.subject, catalogue):
            return None
        categories = Counter(c.category for c in catalogue if c.category)
        return CatalogueAnswer(**base, categories=tuple(name for name, _ in categories.most_common(5)))
    if ask == CatalogueAsk.PRICE_RANGE:
        # The courses at each end of each range: the figures the answer states are theirs.
        ends = [end for currency, low, high in price_ranges(pool) for end in _ends(pool, currency, low, high)]
        return CatalogueAnswer(**base, price_ranges=price_ranges(pool), courses=tuple(dict.fromkeys(ends)))
    if ask == CatalogueAsk.MODALITIES:
        counts = Counter((c.modality or "").lower() for c in pool if c.modality)
        return CatalogueAnswer(**base, modality_counts=tuple(counts.most_common()))
    if ask == CatalogueAsk.IN_MODALITY:
        taught = [c for c in pool if normalize(c.modality or "") == normalize(question.subject)]
        shown_now = taught if len(taught) <= LISTED + LISTED_SLACK else taught[:LISTED]
        return CatalogueAnswer(question=question, total=len(taught), courses=tuple(shown_now))
    if ask == CatalogueAsk.FREE:
        free = [c for c in pool if c.price_amount == 0]
        return CatalogueAnswer(**base, courses=tuple(free[:SHOWN] or _by_price(pool)[:1]))
    if ask == CatalogueAsk.CHEAPER:
        return _cheaper(question, catalogue, shown, reference)
    if ask == CatalogueAsk.HARDER:
        return _harder(question, catalogue, shown, reference)
    if ask == CatalogueAsk.COMPARE:
        return CatalogueAnswer(**base, courses=tuple(pool))
    if ask == CatalogueAsk.SOONEST:
        pool = [course for course in pool if course.start_date is not None]
        if not pool:
            return None  # no dates in this catalogue: the turn goes on as usual
    ranked = _RANKINGS[ask](pool)
    if within and ask == CatalogueAsk.EASIEST:
        # Equally easy courses of the subject: the one most about it first (the pool is by relevance).
        ranked = sorted(pool, key=lambda c: _difficulty(c)[0])
    shown_now = len(pool) if question.among_shown else SHOWN
    return CatalogueAnswer(**base, courses=tuple(ranked[:shown_now]))


# A course belongs to the subject when it scores at least this share of the best match: the
# courses that merely mention a word in passing ("sin programar") stay out.
_SUBJECT_SHARE = 0.5
# A superlative among fewer courses than this ranks nothing: the whole catalogue is meant.
_MIN_WITHIN = 2


def _courses_about(context: str, conversation: Sequence[str], pool: Sequence[Course]) -> list[Course]:
    """The courses of the pool about the subject the message names ("quiero aprender a programar,
    lo más básico"), else the subjects the conversation is about; by relevance."""
    labels = {stem(w) for course in pool for w in normalize(" ".join([course.name, course.category or "",
                                                                       *course.tags])).split()}  # fmt: skip
    for source in (context, " ".join(conversation)):
        # Only words that label courses name a subject: "necesito", "ok", "trabajo todo el día" do not.
        words = [w for w in content_words(source) if stem(w) in labels]
        if not words:
            continue
        scored = sorted(score_query(catalog_index(pool), parse_query([" ".join(words)])), key=lambda item: -item[1])
        if not scored:
            continue
        best = scored[0][1]
        within = [doc.course for doc, score in scored if score >= best * _SUBJECT_SHARE]
        return within if len(within) >= _MIN_WITHIN else []
    return []


def price_ranges(courses: Sequence[Course]) -> tuple[tuple[str, Decimal, Decimal], ...]:
    """Lowest and highest price per currency, the most used currency first."""
    by_currency: dict[str, list[Decimal]] = {}
    for course in courses:
        if course.price_amount is not None:
            by_currency.setdefault(course.currency or "", []).append(course.price_amount)
    ordered = sorted(by_currency.items(), key=lambda item: -len(item[1]))
    return tuple((currency, min(prices), max(prices)) for currency, prices in ordered)


def _ends(courses: Sequence[Course], currency: str, low: Decimal, high: Decimal) -> list[Course]:
    same = [c for c in courses if (c.currency or "") == currency]
    return [next(c for c in same if c.price_amount == low), next(c for c in same if c.price_amount == high)]


def _usual_currency(courses: Sequence[Course]) -> str | None:
    counts = Counter(c.currency for c in courses if c.price_amount is not None)
    return counts.most_common(1)[0][0] if counts else None


def _by_price(courses: Sequence[Course], *, descending: bool = False) -> list[Course]:
    """Priced courses by price, within the most used currency first (prices in two
    currencies cannot be compared)."""
    usual = _usual_currency(courses)
    priced = [c for c in courses if c.price_amount is not None]
    sign = -1 if descending else 1
    return sorted(priced, key=lambda c: (c.currency != usual, sign * (c.price_amount or 0), c.name))


def _length(course: Course) -> tuple[int, int]:
    return (total_minutes(course) or 10**6, session_total(course) or 10**3)


def _difficulty(course: Course) -> tuple[int, int]:
    return (_LEVEL_ORDER.get(normalize(course.level or ""), 1), _length(course)[0])


_RANKINGS = {
    CatalogueAsk.CHEAPEST: _by_price,
    CatalogueAsk.DEAREST: lambda pool: _by_price(pool, descending=True),
    CatalogueAsk.SHORTEST: lambda pool: sorted(pool, key=lambda c: (*_length(c), c.name)),
    CatalogueAsk.LONGEST: lambda pool: sorted(pool, key=lambda c: (-(total_minutes(c) or 0), -(session_total(c) or 0))),
    CatalogueAsk.EASIEST: lambda pool: sorted(pool, key=lambda c: (*_difficulty(c), c.name)),
    CatalogueAsk.SOONEST: lambda pool: sorted(pool, key=lambda c: (c.start_date, c.name)),
    CatalogueAsk.HARDEST: lambda pool: sorted(pool, key=lambda c: (-_difficulty(c)[0], -_difficulty(c)[1], c.name)),
}


def _cheaper(
    question: CatalogueQuestion, catalogue: Sequence[Course], shown: Sequence[Course], reference: Course | None
) -> CatalogueAnswer:
    """Cheaper than the course in focus (or the cheapest shown), in its currency; the
    courses of its category first, then the rest by price."""
    anchors = [reference] if reference is not None else list(shown)
    priced = [c for c in anchors if c.price_amount is not None]
    if not priced:
        return CatalogueAnswer(question=question, total=len(catalogue), courses=tuple(_by_price(catalogue)[:SHOWN]))
    anchor = min(priced, key=lambda c: c.price_amount or 0)
    cheaper = [
        c for c in catalogue
        if c.currency == anchor.currency and c.price_amount is not None and c.price_amount < (anchor.price_amount or 0)
    ]  # fmt: skip
    cheaper.sort(key=lambda c: (c.category != anchor.category, c.price_amount or 0, c.name))
    return CatalogueAnswer(question=question, total=len(catalogue), courses=tuple(cheaper[:SHOWN]), reference=anchor)


def _label_stems(course: Course) -> set[str]:
    """The stems of a course's name and tags: what it is about, in its own labels."""
    words = normalize(" ".join([course.name, *course.tags])).split()
    return {w[:_STEM] for w in words if len(w) >= _STEM and w not in _SUBJECT_FILLER}


def _harder(
    question: CatalogueQuestion, catalogue: Sequence[Course], shown: Sequence[Course], reference: Course | None
) -> CatalogueAnswer:
    """A level above the course in focus (or the first of the list shown): its category first,
    then the courses sharing the words of its name and tags, then by level."""
    anchors = [reference] if reference is not None else list(shown)
    if not anchors:
        return CatalogueAnswer(question=question, total=len(catalogue))
    anchor = anchors[0]  # the course in focus, else the best of the list
    level = _difficulty(anchor)[0]
    above = [c for c in catalogue if _difficulty(c)[0] > level]
    subject = _label_stems(anchor)
    # Its category first, then the courses whose name and tags share the most with it.
    above.sort(key=lambda c: (c.category != anchor.category, -len(subject & _label_stems(c)), _difficulty(c)[0],
                              c.name))  # fmt: skip
    return CatalogueAnswer(question=question, total=len(catalogue), courses=tuple(above[:SHOWN]), reference=anchor)
