"""The ports the use cases depend on. Adapters in app.infrastructure implement them."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.domain.ai import AIAnalysis, AIRequest
from app.domain.courses import Course, CourseFilters, CourseStatistics
from app.domain.intents import Intent, IntentResult
from app.domain.memory import UserMemory
from app.domain.messages import Reply
from app.domain.profile import ProfileUpdate


class CourseRepository(Protocol):
    """The school's catalogue (the integration guide's course repository)."""

    async def get_all_courses(self, filters: CourseFilters | None = None, limit: int = 50) -> list[Course]: ...

    async def search_courses_by_text(self, search_text: str, limit: int = 5) -> list[Course]:
        """Courses matching the text, most relevant first; accent- and typo-tolerant."""
        ...

    async def get_course_complete_info(self, course_id: str) -> Course | None:
        """The course with its sessions, activities and bonuses."""
        ...

    async def get_recommended_courses(
        self,
        user_interests: list[str],
        user_level: str | None = None,
        limit: int = 3,
        *,
        role: str | None = None,
        message: str = "",
    ) -> list[Course]:
        """Courses for the interests and level; with a role or this turn's message, for the
        person (app.domain.recommendations): the message weighs most, then role and interests."""
        ...

    async def get_course_statistics(self) -> CourseStatistics: ...

    async def get_course_names(self) -> tuple[tuple[str, str], ...]:
        """(id, name) of every course shown to students, by id: what a message may name."""
        ...


class UserStatistics(BaseModel):
    model_config = ConfigDict(frozen=True)

    total_users: int
    active_last_7_days: int
    active_last_30_days: int
    average_lead_score: float
    high_score_leads: int
    opted_out: int
    human_requested: int


class UserMemoryRepository(Protocol):
    """Per-user memory (the integration guide's user memory repository)."""

    def user_lock(self, user_id: str) -> AbstractAsyncContextManager[None]:
        """Exclusive access to one user's memory across tasks and processes.

        A turn loads, changes and saves the memory inside this lock, so two deliveries
        for the same user never overwrite each other's updates.
        """
        ...

    async def load_user_memory(self, user_id: str) -> UserMemory | None: ...

    async def save_user_memory(self, memory: UserMemory) -> None: ...

    async def get_high_score_leads(self, min_score: int = 60, limit: int = 100) -> list[UserMemory]: ...

    async def get_user_statistics(self, now: datetime) -> UserStatistics: ...

    async def delete_user(self, user_id: str) -> bool: ...

    async def export_user(self, user_id: str) -> UserMemory | None: ...


class InboundRecord(BaseModel):
    """An inbound delivery as remembered for de-duplication of inline replies."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    user_id: str
    received_at: datetime
    reply: Reply | None = None


class InboundLog(Protocol):
    """Durable record of inbound deliveries keyed by the channel's message id."""

    async def record_if_new(self, message_id: str, user_id: str, received_at: datetime) -> bool:
        """Store the delivery; False when the same message id was already stored."""
        ...

    async def store_reply(self, message_id: str, reply: Reply) -> None: ...

    async def get(self, message_id: str) -> InboundRecord | None: ...


class IntentClassifier(Protocol):
    def classify(self, text: str) -> IntentResult: ...


class ProfileExtractor(Protocol):
    def extract(self, text: str) -> ProfileUpdate: ...


class ReplyContext(BaseModel):
    """Everything a reply may draw on: the facts come only from `courses`."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    text: str
    memory: UserMemory
    courses: tuple[Course, ...] = ()
    is_first_message: bool = False
    detail_course: Course | None = None
    handoff_recorded: bool = True  # a request for a person is recorded: the reply may say so


class ReplyTemplates(Protocol):
    """Spanish template replies: always available, no network."""

    def compose(self, context: ReplyContext) -> str: ...

    def media_only(self, memory: UserMemory) -> str: ...

    def voice_note(self, memory: UserMemory) -> str:
        """A voice note that could not be transcribed: ask for it in writing."""
        ...

    def empty_message(self, memory: UserMemory) -> str: ...

    def consent_question(self, memory: UserMemory) -> str: ...

    def consent_answer(self, memory: UserMemory, given: bool) -> str: ...

    def contact_declined(self, memory: UserMemory) -> str: ...

    def acknowledgement(self, memory: UserMemory) -> str:
        """Answer to "gracias", "ok", a bare "sí" that answers nothing."""
        ...


class ConversationAI(Protocol):
    """Understands one message and drafts its reply in a single call (OpenAI or compatible).

    Raises AIUnavailableError, with the reason and the usage spent, whenever it has no
    usable answer: the caller then answers with the rules and templates.
    """

    async def analyse(self, request: AIRequest) -> AIAnalysis: ...
