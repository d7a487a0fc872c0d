"""The composition root: reads settings, picks adapters, builds the use cases.

Nothing else in the project decides which adapter serves a port or which mode the bot
runs in, so the answer to "why is it in basic mode?" is always here and in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from app.application.ports import CourseRepository, UserMemoryRepository
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.config import Settings
from app.domain.intent_rules import RuleIntentClassifier
from app.domain.messages import InboundMessage, Reply
from app.domain.modes import AIState, Mode, select_mode
from app.domain.profile_extraction import RuleProfileExtractor
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.json_store.course_repository import JsonCourseRepository
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.templates.spanish import SpanishTemplates

logger = logging.getLogger(__name__)
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class ComponentHealth(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str
    state: str
    detail: str | None = None


class Health(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str
    mode: Mode
    ai: AIState
    components: dict[str, ComponentHealth]


class Container:
    """The running application: its adapters, use cases and event loop."""

    def __init__(
        self,
        settings: Settings,
        *,
        courses: CourseRepository,
        courses_backend: str,
        memory: UserMemoryRepository,
        memory_backend: str,
        mode: Mode,
    ) -> None:
        self.settings = settings
        self.loop = EventLoopThread()
        self.courses_repository = courses
        self.memory_repository = memory
        self.mode = mode
        self.ai_state = AIState.ON if settings.ai_configured else AIState.OFF
        self._backends = {"courses": courses_backend, "memory": memory_backend}
        self.query_courses = QueryCourseInformation(courses)
        self.process_message = ProcessIncomingMessage(
            courses=self.query_courses,
            memory=memory,
            inbound_log=JsonInboundLog(settings.data_dir / "inbound"),
            classifier=RuleIntentClassifier(),
            extractor=RuleProfileExtractor(),
            templates=SpanishTemplates(),
            clock=utc_now,
            mode=lambda: self.mode.value,
        )

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run a coroutine on the engine's loop and wait for its result."""
        return self.loop.run(coroutine, timeout)

    def handle_message(self, message: InboundMessage, timeout: float | None = None) -> Reply:
        return self.run(self.process_message.execute(message), timeout)

    def health(self) -> Health:
        components = {name: ComponentHealth(backend=backend, state="ok") for name, backend in self._backends.items()}
        components["ai"] = ComponentHealth(
            backend="openai" if self.settings.ai_configured else "templates", state=self.ai_state.value
        )
        components["twilio"] = ComponentHealth(
            backend="twiml",
            state="ok",
            detail="signature validation on" if self.settings.validates_signatures else "signature validation off",
        )
        degraded = any(c.state in {"down", AIState.DEGRADED.value} for c in components.values())
        return Health(status="degraded" if degraded else "ok", mode=self.mode, ai=self.ai_state, components=components)

    def close(self) -> None:
        self.loop.stop()


def build_container(settings: Settings) -> Container:
    data_dir = settings.data_dir
    courses = JsonCourseRepository()
    memory = JsonUserMemoryRepository(data_dir / "memory")
    mode = select_mode(courses_in_database=False, memory_in_database=False, ai_configured=settings.ai_configured)
    _log_mode_choice(settings, mode)
    return Container(settings, courses=courses, courses_backend="json", memory=memory, memory_backend="json", mode=mode)


def _log_mode_choice(settings: Settings, mode: Mode) -> None:
    missing = [
        name
        for name, value in (
            ("DATABASE_URL", settings.database_url),
            ("OPENAI_API_KEY", settings.openai_api_key),
            ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
        )
        if value is None
    ]
    reason = f" ({', '.join(missing)} not set)" if missing else ""
    logger.info("starting in %s mode%s", mode.value, reason)
