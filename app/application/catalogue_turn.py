"""Questions about the catalogue as a whole, and a message in another language.

The data answers these (app.domain.catalogue_questions); this module decides when a turn is
one of them and gathers what the answer needs; the wording is the templates'.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.application.query_courses import QueryCourseInformation
from app.domain.catalogue_questions import (
    CatalogueAnswer,
    CatalogueAsk,
    answer_catalogue_question,
    detect_catalogue_question,
)
from app.domain.courses import Course
from app.domain.facet_answers import FacetAnswer, plan_answers
from app.domain.facets import Facet
from app.domain.memory import UserMemory
from app.domain.school_knowledge import SchoolKnowledge


class CatalogueReplyContext(BaseModel):
    """A catalogue-wide answer, and for a comparison, each course's answers to the facets asked."""

    model_config = ConfigDict(frozen=True)

    answer: CatalogueAnswer
    memory: UserMemory
    compared: tuple[tuple[Course, tuple[FacetAnswer, ...]], ...] = ()
    more: tuple[CatalogueAnswer, ...] = ()  # the other rankings the message asked for


class CatalogueTemplates(Protocol):
    def answer_catalogue(self, context: CatalogueReplyContext) -> str:
        """The catalogue's answer: the courses it names, with the figure that ranks them."""
        ...

    def in_english(self, memory: UserMemory) -> str:
        """A message in English: the courses are taught in Spanish; shall we go on?"""
        ...


async def catalogue_answer(
    courses: QueryCourseInformation, text: str, facets: tuple[Facet, ...], memory: UserMemory,
    knowledge: SchoolKnowledge,
) -> CatalogueReplyContext | None:  # fmt: skip
    """The answer when the message asks about the catalogue rather than one course."""
    # Read first, fetch after: most turns are no catalogue question and cost no query here.
    has_shown = bool(memory.focus.last_list_ids or memory.last_course_ids)
    question = detect_catalogue_question(text, facets, has_shown=has_shown, conversation=memory.interests)
    if question is None:
        return None
    shown = await courses.shown_courses(memory)
    catalogue = await courses.catalogue()
    if question.ask in {CatalogueAsk.CHEAPER, CatalogueAsk.HARDER}:
        # "no tienen algo más barato / avanzado?": than the course in focus, else the list shown.
        reference = await courses.focus_course(memory)
        answer = answer_catalogue_question(question, catalogue, shown, reference)
    else:
        if question.ask == CatalogueAsk.NOT_OFFERED and await courses.courses_named_in(text):
            return None
        answer = answer_catalogue_question(question, catalogue, shown)
    if answer is None:
        return None
    compared: tuple[tuple[Course, tuple[FacetAnswer, ...]], ...] = ()
    if question.ask == CatalogueAsk.COMPARE and facets:
        compared = tuple((course, plan_answers(facets, course, knowledge)) for course in answer.courses)
    more = tuple(
        found for found in (
            answer_catalogue_question(question.model_copy(update={"ask": ask, "also": ()}), catalogue, shown)
            for ask in question.also
        ) if found is not None
    )  # fmt: skip
    return CatalogueReplyContext(answer=answer, memory=memory, compared=compared, more=more)
