"""Answering the question asked: the facets, the course in focus, and the replies they need.

A facet question ("cuánto cuesta?", "tienen certificado?") gets a short answer about the
course in focus, from its fields or the school's knowledge file, instead of a card or a
list again. These are the decisions; the Spanish wording is the templates' (AdvisorTemplates).
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.application.catalogue_turn import CatalogueTemplates
from app.application.ports import ReplyTemplates
from app.application.query_courses import FocusSelection
from app.domain.courses import Course
from app.domain.facet_answers import CARD_FACETS, COURSE_FIELD_FACETS, FacetAnswer
from app.domain.facets import SCHOOL_FACETS, Facet, detect_facets
from app.domain.focus import is_elliptical_follow_up, referenced_course_id
from app.domain.intents import Intent, IntentResult
from app.domain.memory import UserMemory

# Asking for courses ("qué cursos de python tienen y cuánto cuestan?") is answered by a list,
# whose cards state price, level, modality and sessions; a detail beyond the card, or a
# course pointed at, is answered about that course.
_LIST_INTENTS = frozenset({Intent.EXPLORATION, Intent.AUTOMATION_NEED, Intent.PROFESSION_CHANGE})
_NEVER_FACETS = frozenset({Intent.OPT_OUT, Intent.CONTACT_REQUEST})
# After an opt-out, only a clear request for courses (a strong rule match) brings back service.
CLEAR_REQUEST_CONFIDENCE = 0.75
_SERVICE_INTENTS = frozenset(
    {Intent.EXPLORATION, Intent.BUYING_SIGNALS, Intent.GENERAL_QUESTION, Intent.CONTACT_REQUEST,
     Intent.AUTOMATION_NEED, Intent.PROFESSION_CHANGE}
)  # fmt: skip


class FacetReplyContext(BaseModel):
    """A facet question to answer: what answers each facet, about which course."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    text: str
    memory: UserMemory
    answers: tuple[FacetAnswer, ...]
    course: Course | None = None
    # The course is not the one the conversation was about: the answer says which it is.
    course_changed: bool = False


class RecapContext(BaseModel):
    """A course or list whose card the student already has: refer to it, do not resend it."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    memory: UserMemory
    course: Course | None = None
    courses: tuple[Course, ...] = ()


class AdvisorTemplates(ReplyTemplates, CatalogueTemplates, Protocol):
    """The reply templates plus the answers to questions and the conversation's manners."""

    def answer_facets(self, context: FacetReplyContext) -> str:
        """Short, direct answers from the data; says honestly what it does not know."""
        ...

    def ask_which_course(self, context: FacetReplyContext) -> str:
        """A course question with no course in focus yet."""
        ...

    def course_recap(self, context: RecapContext) -> str:
        """The course's card was already sent: a reference to it and what else to ask."""
        ...

    def same_list(self, context: RecapContext) -> str:
        """The same courses as the last list: their names only."""
        ...

    def closing(self, memory: UserMemory) -> str:
        """ "gracias, lo pienso", "luego te escribo": a courteous close."""
        ...

    def offer_advisor(self, memory: UserMemory) -> str:
        """A message that may ask for a person, but not clearly: ask before handing over."""
        ...

    def opted_out_again(self, memory: UserMemory) -> str:
        """A contact who opted out writes again without asking for courses: no sales text."""
        ...

    def rephrase(self, text: str, memory: UserMemory) -> str:
        """The reply would repeat the previous one word for word: say it differently."""
        ...


def facets_asked(text: str, memory: UserMemory) -> tuple[Facet, ...]:
    """The facets of this message; "¿y el segundo?" asks the previous message's again."""
    facets = detect_facets(text)
    if facets or not is_elliptical_follow_up(text):
        return facets
    # Only what depends on the course: the school's answers would just be said again.
    known = {facet.value: facet for facet in COURSE_FIELD_FACETS}
    return tuple(known[value] for value in memory.focus.last_facets if value in known)


def promote_course_reference(result: IntentResult, text: str, memory: UserMemory) -> IntentResult:
    """ "y el segundo?", "la opción 3": a message the rules could not place that points at a
    listed course is a question about that course."""
    if result.intent != Intent.OFF_TOPIC or result.confidence >= CLEAR_REQUEST_CONFIDENCE:
        return result
    if referenced_course_id(text, memory) is None:
        return result
    return IntentResult(
        intent=Intent.GENERAL_QUESTION, confidence=0.6, matched_rules=(*result.matched_rules, "course_reference")
    )


def answers_with_facets(
    result: IntentResult, facets: tuple[Facet, ...], focus: FocusSelection, *, carried: bool = False
) -> bool:
    """Whether the turn answers the facets (True) or shows courses as before (False).

    `carried`: the facets are the previous question's ("¿cuánto cuesta?" … "el de excel")."""
    if not facets or result.intent in _NEVER_FACETS:
        return False
    if set(facets) <= SCHOOL_FACETS:
        return True  # a school question ("emiten factura?") needs no course
    if result.intent in _LIST_INTENTS:
        pointed = focus.source == "reference" or (
            focus.source == "named" and (carried or not set(facets) <= CARD_FACETS)
        )
        return pointed
    return True


def wants_service_again(result: IntentResult, facets: tuple[Facet, ...]) -> bool:
    """A contact who opted out and now clearly asks about courses gets normal service."""
    if result.intent in _SERVICE_INTENTS and result.confidence >= CLEAR_REQUEST_CONFIDENCE:
        return True
    return bool(facets) and result.intent not in {Intent.OPT_OUT, Intent.OFF_TOPIC}
