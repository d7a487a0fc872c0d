"""Course information for a conversation: search, recommend, summarise, format."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.application.formatting import format_course_for_chat
from app.application.ports import CourseRepository
from app.domain.courses import Course, CourseStatistics
from app.domain.focus import (
    CourseNames,
    courses_named,
    drops_focus,
    named_course_id,
    referenced_course_id,
    remembered_focus_id,
)
from app.domain.intents import COURSE_RELEVANT_INTENTS, Intent
from app.domain.memory import UserMemory

COURSES_PER_REPLY = 3
# Questions about the whole catalogue read all of it; a school has hundreds of courses, not millions.
CATALOGUE_LIMIT = 10_000
_DETAIL_INTENTS = frozenset({Intent.GENERAL_QUESTION, Intent.BUYING_SIGNALS})
_NO_PRICE = Decimal("Infinity")


class CourseSelection(BaseModel):
    """The courses a reply may talk about: a list, or one course in detail."""

    model_config = ConfigDict(frozen=True)

    courses: tuple[Course, ...] = ()
    detail: Course | None = None

    @property
    def course_ids(self) -> tuple[str, ...]:
        if self.detail is not None:
            return (self.detail.id,)
        return tuple(c.id for c in self.courses)


FocusSource = Literal["reference", "named", "remembered", "none"]


class FocusSelection(BaseModel):
    """The course a question is about, and how it was found."""

    model_config = ConfigDict(frozen=True)

    course: Course | None = None
    source: FocusSource = "none"


class QueryCourseInformation:
    """The integration guide's course query use case."""

    def __init__(self, courses: CourseRepository) -> None:
        self._courses = courses
        self._names: CourseNames | None = None
        self._names_source: tuple[tuple[str, str], ...] | None = None

    async def search_courses_by_keyword(self, keyword: str, limit: int = COURSES_PER_REPLY) -> list[Course]:
        return await self._courses.search_courses_by_text(keyword, limit=limit)

    async def get_recommended_courses(
        self, user_interests: list[str], user_level: str | None, limit: int = COURSES_PER_REPLY
    ) -> list[Course]:
        return await self._courses.get_recommended_courses(user_interests, user_level, limit=limit)

    async def get_course_catalog_summary(self) -> CourseStatistics:
        return await self._courses.get_course_statistics()

    async def get_course_details(self, course_id: str) -> Course | None:
        return await self._courses.get_course_complete_info(course_id)

    def format_course_for_chat(self, course: Course) -> str:
        return format_course_for_chat(course)

    async def select_for_turn(self, intent: Intent, text: str, memory: UserMemory) -> CourseSelection:
        """Which catalogue courses this turn's answer should show, if any."""
        referenced = referenced_course_id(text, memory)
        if referenced is not None and (intent in COURSE_RELEVANT_INTENTS or intent in _OBJECTIONS):
            detail = await self.get_course_details(referenced)
            if detail is not None:
                return CourseSelection(detail=detail)
        if intent == Intent.PRICE_OBJECTION:
            return CourseSelection(courses=tuple(await self._most_affordable(memory)))
        if intent == Intent.TIME_OBJECTION:
            return CourseSelection(courses=tuple(await self._shortest(memory)))
        if drops_focus(text) and intent in COURSE_RELEVANT_INTENTS:
            # "ninguno me convence", "mejor no… algo de marketing": other courses than those shown.
            return CourseSelection(courses=tuple(await self._others_than_shown(text, memory)))
        if intent not in COURSE_RELEVANT_INTENTS:
            return CourseSelection()
        return await self._relevant_selection(intent, text, memory)

    async def course_names(self) -> CourseNames:
        """The catalogue's names as messages say them, rebuilt only when they change."""
        source = await self._courses.get_course_names()
        if self._names is None or (source is not self._names_source and source != self._names_source):
            self._names, self._names_source = CourseNames(source), source
        return self._names

    async def courses_named_in(self, text: str) -> list[str]:
        """Ids of the courses the text names, in the order it names them."""
        return courses_named(text, await self.course_names())

    async def select_focus(self, text: str, memory: UserMemory) -> FocusSelection:
        """The course a question is about: a course the message names (in its last sentence
        that names one), an ordinal or "el otro" of the last list, else the course in focus,
        unless the message turns away from it ("ninguno", "mejor no… algo de marketing")."""
        focus = memory.focus
        on_screen = _unique([focus.focus_course_id, *focus.last_list_ids, *memory.last_course_ids])
        named = named_course_id(text, await self.course_names(), on_screen)
        if named is not None:
            course = await self.get_course_details(named)
            if course is not None:
                return FocusSelection(course=course, source="named")
        referenced = referenced_course_id(text, memory)
        if referenced is not None:
            course = await self.get_course_details(referenced)
            if course is not None:
                return FocusSelection(course=course, source="reference")
        if drops_focus(text):
            return FocusSelection()
        remembered = remembered_focus_id(memory)
        if remembered is not None:
            course = await self.get_course_details(remembered)
            if course is not None:
                return FocusSelection(course=course, source="remembered")
        return FocusSelection()

    async def catalogue(self) -> list[Course]:
        """Every course, for questions about the catalogue as a whole."""
        return await self._courses.get_all_courses(limit=CATALOGUE_LIMIT)

    async def shown_courses(self, memory: UserMemory) -> list[Course]:
        """The last list the student was shown, in its order."""
        return await self._courses_by_id(memory.focus.last_list_ids or memory.last_course_ids)

    async def focus_course(self, memory: UserMemory) -> Course | None:
        focus = memory.focus.focus_course_id
        return await self.get_course_details(focus) if focus else None

    async def _relevant_selection(self, intent: Intent, text: str, memory: UserMemory) -> CourseSelection:
        if intent in _DETAIL_INTENTS:
            # A question names the course it is about: the plain search finds it.
            hits = await self.search_courses_by_keyword(text)
            if hits:
                detail = await self.get_course_details(hits[0].id)
                return CourseSelection(detail=detail) if detail else CourseSelection(courses=tuple(hits))
            follow_up = None if drops_focus(text) else await self._follow_up_selection(intent, memory)
            if follow_up is not None:
                return follow_up
        return CourseSelection(courses=tuple(await self.recommend_for_turn(text, memory)))

    async def recommend_for_turn(self, text: str, memory: UserMemory, limit: int = COURSES_PER_REPLY) -> list[Course]:
        """The courses that fit this person for this message: its words weigh most, then the
        remembered role and interests; the level (stated, or implied by the role) orders them."""
        return await self._courses.get_recommended_courses(
            memory.interests, memory.level, limit, role=memory.role, message=text
        )

    async def _follow_up_selection(self, intent: Intent, memory: UserMemory) -> CourseSelection | None:
        """A question or "quiero inscribirme" with no course named is about the one in focus."""
        focus = _course_in_focus(intent, memory)
        if focus is not None:
            detail = await self.get_course_details(focus)
            if detail is not None:
                return CourseSelection(detail=detail)
        if memory.last_course_ids:
            return CourseSelection(courses=tuple(await self._courses_by_id(memory.last_course_ids)))
        return None

    async def _others_than_shown(self, text: str, memory: UserMemory) -> list[Course]:
        """Courses for this person and message, leaving out those shown that it does not name."""
        focus = memory.focus
        shown = set(_unique([focus.focus_course_id, *focus.last_list_ids, *memory.last_course_ids]))
        shown -= set(await self.courses_named_in(text))
        wider = await self.recommend_for_turn(text, memory, limit=COURSES_PER_REPLY + len(shown))
        return [c for c in wider if c.id not in shown][:COURSES_PER_REPLY]

    async def _courses_by_id(self, course_ids: list[str]) -> list[Course]:
        found = [await self._courses.get_course_complete_info(cid) for cid in course_ids]
        return [c for c in found if c is not None][:COURSES_PER_REPLY]

    async def _most_affordable(self, memory: UserMemory) -> list[Course]:
        candidates = await self.get_recommended_courses(memory.interests, memory.level, limit=8)
        # Prices in different currencies cannot be compared: rank within the usual one first.
        currencies = Counter(c.currency for c in candidates if c.price_amount is not None)
        usual = currencies.most_common(1)[0][0] if currencies else None
        ranked = sorted(candidates, key=lambda c: (c.currency != usual, c.price_amount or _NO_PRICE, c.name))
        return ranked[:COURSES_PER_REPLY]

    async def _shortest(self, memory: UserMemory) -> list[Course]:
        candidates = await self.get_recommended_courses(memory.interests, memory.level, limit=8)
        online_first = sorted(candidates, key=lambda c: (c.modality != "online", c.session_count or 99, c.name))
        return online_first[:COURSES_PER_REPLY]


_OBJECTIONS = frozenset({Intent.PRICE_OBJECTION, Intent.TIME_OBJECTION})


def _unique(ids: list[str | None]) -> list[str]:
    return list(dict.fromkeys(cid for cid in ids if cid))


def _course_in_focus(intent: Intent, memory: UserMemory) -> str | None:
    if len(memory.last_course_ids) == 1:
        return memory.last_course_ids[0]
    if intent == Intent.BUYING_SIGNALS and memory.requested_course_ids:
        return memory.requested_course_ids[-1]
    return None
