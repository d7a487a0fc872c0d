"""The conversation container: the engine's adapters, use cases and event loop, in any mode."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from app.application.ai_replies import AIAdvisor
from app.application.handoffs import HandoffRecorder
from app.application.ports import CourseRepository, InboundLog, UserMemoryRepository
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.bootstrap.clock import utc_now
from app.bootstrap.engine_parts import build_ai, load_knowledge
from app.bootstrap.health import ComponentHealth, Health, is_degraded, webhook_signatures
from app.config import Settings
from app.domain.facets import detect_facets
from app.domain.intent_rules import RuleIntentClassifier
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.domain.modes import AIState, Mode, select_mode
from app.domain.profile_extraction import RuleProfileExtractor
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.json_store.handoffs import JsonHandoffs
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.json_store.writable import unwritable_reason
from app.infrastructure.templates.spanish import SpanishTemplates

if TYPE_CHECKING:  # the storage (and its drivers) exists only in database mode: app.bootstrap.mode
    from app.infrastructure.storage import DatabaseStorage

logger = logging.getLogger(__name__)
T = TypeVar("T")


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
        loop: EventLoopThread | None = None,
        inbound_log: InboundLog | None = None,
        storage: DatabaseStorage | None = None,
    ) -> None:
        self.settings = settings
        self.loop = loop or EventLoopThread()
        self.storage = storage
        self.courses_repository = courses
        self.memory_repository = memory
        self.mode = mode
        self._backends = {"courses": courses_backend, "memory": memory_backend}
        self.query_courses = QueryCourseInformation(courses)
        self.knowledge = load_knowledge(settings)
        self.ai = build_ai(settings)
        self.ai_advisor = (
            AIAdvisor(self.ai, self.query_courses, knowledge=self.knowledge) if self.ai is not None else None
        )
        self.inbound_log = inbound_log or JsonInboundLog(settings.data_dir / "inbound")
        self.process_message = ProcessIncomingMessage(
            courses=self.query_courses,
            memory=memory,
            inbound_log=self.inbound_log,
            classifier=RuleIntentClassifier(),
            extractor=RuleProfileExtractor(),
            templates=SpanishTemplates(),
            clock=utc_now,
            mode=lambda: self.mode.value,
            ai=self.ai_advisor,
            ai_state=lambda: self.ai_state,
            knowledge=self.knowledge,
            handoffs=_handoff_recorder(settings, storage),
        )

    @property
    def mode(self) -> Mode:
        """The mode now: with a database it follows the database's state (falls back and returns)."""
        if self.storage is None:
            return self._mode
        return select_mode(
            courses_in_database=self.storage.courses_in_database,
            memory_in_database=self.storage.memory_in_database,
            ai_configured=self.settings.ai_configured,
        )

    @mode.setter
    def mode(self, mode: Mode) -> None:
        self._mode = mode

    @property
    def ai_state(self) -> AIState:
        """off without a key; on or degraded as the AI's circuit breaker sees it right now."""
        return self.ai.state() if self.ai is not None else AIState.OFF

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run a coroutine on the engine's loop and wait for its result."""
        return self.loop.run(coroutine, timeout)

    async def warm_up(self) -> None:
        """Compile the rules and index the catalogue before the first message: otherwise the
        first turns of a process wait for it (about 0.2 s, in the middle of a burst)."""
        sample = "hola, soy docente y quiero un curso de python en linea, cuanto cuesta y cuando empieza?"
        RuleIntentClassifier().classify(sample)
        RuleProfileExtractor().extract(sample)
        detect_facets(sample)
        await self.query_courses.recommend_for_turn(sample, UserMemory(user_id="warm-up", created_at=utc_now()))
        if self.ai is not None:
            await self.ai.warm_up()

    def handle_message(self, message: InboundMessage, timeout: float | None = None) -> Reply:
        return self.run(self.process_message.execute(message), timeout)

    def health(self) -> Health:
        components = {name: ComponentHealth(backend=backend, state="ok") for name, backend in self._backends.items()}
        if self.storage is not None:
            components.update({n: ComponentHealth(**s.model_dump()) for n, s in self.storage.status().items()})
        components["ai"] = ComponentHealth(
            backend="openai" if self.settings.ai_configured else "templates",
            state=self.ai_state.value,
            detail=self.ai.detail() if self.ai is not None else None,
        )
        # Inline modes keep the inbound log, locks and fallbacks there: unwritable, nothing is recorded.
        unwritable = unwritable_reason(self.settings.data_dir)
        state = "down" if unwritable else "ok"
        components["data_dir"] = ComponentHealth(backend="files", state=state, detail=unwritable)
        components["twilio"] = ComponentHealth(
            backend="twiml",
            state="ok",
            detail=webhook_signatures(self.settings),
        )
        return Health(
            status="degraded" if is_degraded(components) else "ok",
            mode=self.mode,
            ai=self.ai_state,
            components=components,
            ai_usage=self.ai_advisor.usage_totals() if self.ai_advisor is not None else None,
        )

    def close(self) -> None:
        if self.ai is not None:
            try:
                # The HTTP client belongs to the engine's loop: close it there, before the loop.
                self.run(self.ai.aclose(), timeout=2)
            except Exception:
                logger.warning("could not close the AI client cleanly", exc_info=True)
        if self.storage is not None:
            try:
                self.run(self.storage.close(), timeout=5)
            except Exception:
                logger.warning("could not close the database pool cleanly", exc_info=True)
        self.loop.stop()


def _handoff_recorder(settings: Settings, storage: DatabaseStorage | None) -> HandoffRecorder:
    """Where a turn answered inline records a hand-off: beside the memory it keeps."""
    if storage is not None and storage.database_memory is not None:
        # Imported here: basic mode and the inline web app load no database driver.
        from app.infrastructure.postgres.handoff_recorder import PostgresHandoffRecorder

        return PostgresHandoffRecorder(storage.client)
    return JsonHandoffs(settings.data_dir / "handoffs")
