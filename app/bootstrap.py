"""The composition root: reads settings, picks adapters, builds the use cases.

Nothing else in the project decides which adapter serves a port or which mode the bot
runs in, so the answer to "why is it in basic mode?" is always here and in the log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import CancelledError, Future
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from app.application.ai_replies import AIAdvisor
from app.application.answer_messages import AnswerPolicy, AnswerWaitingMessages
from app.application.campaigns import RunCampaign, SummarizeCampaign
from app.application.deliver_lead_events import LeadEventReceiver
from app.application.errors import StoreUnavailableError
from app.application.lead_report import ExplainLead, GenerateLeadReport, LeadReportSource
from app.application.ports import CourseRepository, InboundLog, UserMemoryRepository
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.config import Settings, SettingsError
from app.domain.ai import AIUsageTotals
from app.domain.facets import detect_facets
from app.domain.intent_rules import RuleIntentClassifier
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.domain.modes import AIState, Mode, select_mode
from app.domain.profile_extraction import RuleProfileExtractor
from app.domain.school_knowledge import SchoolKnowledge
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.json_store.course_repository import JsonCourseRepository
from app.infrastructure.json_store.inbound_log import JsonInboundLog
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.lead_webhook.advisor_alert import AdvisorAlertOptions, EveryChannel, WhatsAppAdvisorAlert
from app.infrastructure.lead_webhook.sender import LeadWebhookOptions, LeadWebhookSender
from app.infrastructure.openai import CircuitBreaker, ServerDialect, build_conversation_ai
from app.infrastructure.postgres.campaigns import PostgresCampaignStore
from app.infrastructure.postgres.client import PoolOptions
from app.infrastructure.postgres.handoff_desk import HandoffDesk
from app.infrastructure.postgres.lead_report import PostgresLeadReportSource
from app.infrastructure.postgres.reply_queue import PostgresConversationQueue
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.queue.health import DeliveryFigures, WorkerReport
from app.infrastructure.queue.intake import IntakeOptions, MessageIntake
from app.infrastructure.queue.worker import QueueWorker, WorkerOptions, pool_size_for
from app.infrastructure.retention import prune_database, retention_cutoff
from app.infrastructure.school_knowledge.loader import SchoolKnowledgeError, load_school_knowledge
from app.infrastructure.storage import DatabaseStorage, StorageOptions, open_database_storage
from app.infrastructure.templates.spanish import SpanishTemplates
from app.infrastructure.twilio.rest_sender import TwilioReplySender, TwilioSenderOptions
from app.infrastructure.twilio.template_sender import TwilioTemplateSender

logger = logging.getLogger(__name__)
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class ComponentHealth(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str
    state: str
    detail: str | None = None
    pending_writes: int | None = None  # memory updates waiting for the database to return
    deliveries: DeliveryFigures | None = None  # REST delivery, all processes


class Health(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str
    mode: Mode
    ai: AIState
    components: dict[str, ComponentHealth]
    ai_usage: AIUsageTotals | None = None  # calls and tokens since start, in this process


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
        components["twilio"] = ComponentHealth(
            backend="twiml",
            state="ok",
            detail="signature validation on" if self.settings.validates_signatures else "signature validation off",
        )
        degraded = any(c.state in {"down", AIState.DEGRADED.value} for c in components.values())
        return Health(
            status="degraded" if degraded else "ok",
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


def build_container(settings: Settings) -> Container:
    if settings.database_url is not None:
        return _database_container(settings)
    data_dir = settings.data_dir
    courses = JsonCourseRepository()
    memory = JsonUserMemoryRepository(data_dir / "memory")
    mode = select_mode(courses_in_database=False, memory_in_database=False, ai_configured=settings.ai_configured)
    _log_mode_choice(settings, mode)
    return Container(settings, courses=courses, courses_backend="json", memory=memory, memory_backend="json", mode=mode)


def _database_container(settings: Settings, pool: PoolOptions | None = None) -> Container:
    """PostgreSQL courses, and memory unless MEMORY_STORE=json; the pool lives on the engine's loop."""
    assert settings.database_url is not None
    loop = EventLoopThread()
    options = StorageOptions(
        database_url=settings.database_url.get_secret_value(),
        data_dir=settings.data_dir,
        memory_in_json=settings.memory_store == "json",
        pool=pool or PoolOptions(),
        retention=timedelta(days=settings.retention_days),
    )
    storage = open_database_storage(options, loop)
    mode = select_mode(
        courses_in_database=storage.courses_in_database,
        memory_in_database=storage.memory_in_database,
        ai_configured=settings.ai_configured,
    )
    _log_mode_choice(settings, mode)
    return Container(
        settings,
        courses=storage.courses,
        courses_backend="postgres",
        memory=storage.memory,
        memory_backend="json" if options.memory_in_json else "postgres",
        mode=mode,
        loop=loop,
        inbound_log=storage.inbound_log,
        storage=storage,
    )


def build_reply_sender(settings: Settings, connections: int) -> TwilioReplySender:
    """Twilio's REST API, with this deployment's status-callback URL on every message."""
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
    callback = f"{settings.public_base_url}/webhook/status" if settings.public_base_url else None
    logger.info(
        "replies through the Twilio REST API at %s (status callbacks: %s)",
        settings.twilio_api_base_url,
        callback or "off, PUBLIC_BASE_URL not set",
    )
    return TwilioReplySender(twilio_sender_options(settings, connections, callback))


def twilio_sender_options(settings: Settings, connections: int, status_callback: str | None) -> TwilioSenderOptions:
    """The Twilio account, API and timeouts of the settings, for a sender of `connections` at once."""
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
    return TwilioSenderOptions(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        from_number=settings.twilio_phone_number,
        base_url=settings.twilio_api_base_url,
        timeout_seconds=settings.twilio_timeout_seconds,
        connections=connections,
        status_callback_url=status_callback,
    )


@contextmanager
def open_handoff_desk(settings: Settings) -> Iterator[HandoffDesk]:
    """The advisors' desk on its own small psycopg pool, open for one command."""
    assert settings.database_url is not None
    database = SyncDatabase(settings.database_url.get_secret_value())
    database.open()
    try:
        yield HandoffDesk(database)
    finally:
        database.close()


# REST delivery: the webhook's intake and the queue worker ------------------------------------


def build_intake(settings: Settings, threads: int = 8) -> MessageIntake:
    """The webhook's record-and-enqueue on its own small psycopg pool (one per web thread)."""
    assert settings.database_url is not None
    intake = MessageIntake(
        IntakeOptions(
            database_url=settings.database_url.get_secret_value(),
            burst_window_seconds=settings.burst_window_seconds,
            pool_size=threads,
        )
    )
    intake.open()
    return intake


class WorkerRuntime:
    """The engine plus procrastinate's worker on the engine's loop: `python -m app worker`,
    or inside a web process (WORKER_IN_WEB)."""

    def __init__(self, container: Container, worker: QueueWorker, sender: TwilioReplySender) -> None:
        self.container = container
        self.worker = worker
        self._sender = sender
        self._running: Future[None] | None = None

    def start(self) -> Future[None]:
        """Run the worker in the background of the engine's loop."""
        if self._running is None:
            self._running = self.container.loop.submit(self.worker.run())
        return self._running

    def run_until_signalled(self) -> None:
        """Block the main thread until SIGTERM or SIGINT, then stop gracefully."""
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        running = self.start()
        while not stop.is_set() and not running.done():
            stop.wait(0.5)
        self.close()

    def close(self) -> None:
        if self._running is not None:
            self.container.loop.call_soon(self.worker.stop)
            try:
                self._running.result(timeout=20)
            except CancelledError:
                pass  # procrastinate ends its worker by cancelling it
            except Exception:
                logger.warning("the queue worker did not stop cleanly", exc_info=True)
        self._sender.close()
        self.container.close()


def rest_health(settings: Settings, intake: MessageIntake, worker: WorkerRuntime | None = None) -> Health:
    """/health of a REST-mode web process: the database as this process reaches it, delivery
    figures of every process (from the database), the engine's own state when a worker runs
    here. A busy database is reported as such, not as down."""
    signatures = "signature validation on" if settings.validates_signatures else "signature validation off"
    try:
        figures = intake.figures()
    except StoreUnavailableError as error:
        database = ComponentHealth(backend="postgres", state="down", detail=str(error))
        twilio = ComponentHealth(backend="rest", state="degraded", detail=f"{signatures}; figures unavailable")
    else:
        database = ComponentHealth(backend="postgres", state="ok")
        stuck = figures.failed_parts_24h > 0 or figures.workers_alive == 0
        twilio = ComponentHealth(
            backend="rest", state="degraded" if stuck else "ok", detail=signatures, deliveries=figures
        )
    components = {"database": database, "twilio": twilio}
    mode = select_mode(courses_in_database=True, memory_in_database=True, ai_configured=settings.ai_configured)
    ai = AIState.ON if settings.ai_configured else AIState.OFF
    reports = figures.workers if database.state == "ok" else ()
    if reports:
        # What the workers themselves say: a database without the school's course tables,
        # an AI that keeps failing, on whichever machine they run.
        mode = Mode(reports[0].mode)
        ai = AIState.DEGRADED if any(r.ai == AIState.DEGRADED.value for r in reports) else AIState(reports[0].ai)
        summary = "; ".join(f"{r.worker}: {r.mode}, AI {r.ai}, courses {r.courses}" for r in reports)
        off_catalogue = any(not r.courses.startswith("postgres") for r in reports)
        components["workers"] = ComponentHealth(
            backend="queue", state="degraded" if off_catalogue else "ok", detail=summary
        )
    if worker is not None:
        engine = worker.container.health()
        components.update({name: c for name, c in engine.components.items() if name != "twilio"})
        mode, ai = engine.mode, engine.ai
    degraded = any(c.state in {"down", AIState.DEGRADED.value} for c in components.values())
    return Health(status="degraded" if degraded else "ok", mode=mode, ai=ai, components=components)


def prune_database_now(settings: Settings) -> dict[str, int]:
    """What `python -m app prune` deletes from the database, run hourly by the worker."""
    assert settings.database_url is not None
    with SyncDatabase(settings.database_url.get_secret_value()) as database:
        database.open()
        return prune_database(database, retention_cutoff(utc_now(), settings.retention_days))


def worker_report(name: str, container: Container) -> WorkerReport:
    health = container.health()
    courses = health.components.get("courses")
    source = f"{courses.backend}: {courses.state}" if courses else "unknown"
    if courses is not None and courses.detail:
        source += f" ({courses.detail})"
    return WorkerReport(worker=name, mode=health.mode.value, ai=health.ai.value, courses=source[:300])


def build_worker(settings: Settings) -> WorkerRuntime:
    if not settings.replies_by_rest or settings.database_url is None:
        reason = settings.inline_reason or "REPLY_DELIVERY resolves to twiml"
        raise RuntimeError(f"the queue worker is for REST delivery: {reason}")
    concurrency = settings.worker_concurrency
    # Jobs use the engine's pool for short statements only; plus the probe and the catalogue.
    container = _database_container(settings, PoolOptions(max_size=pool_size_for(concurrency) + 2))
    assert container.storage is not None
    sender = build_reply_sender(settings, connections=concurrency)
    queue = PostgresConversationQueue(container.storage.client)
    answer = AnswerWaitingMessages(
        process=container.process_message,
        queue=queue,
        provider=sender,
        courses=container.query_courses,
        clock=utc_now,
        policy=AnswerPolicy(handoff_quiet=timedelta(hours=settings.handoff_quiet_hours)),
        # The worker is built below; a turn's events are queued once it runs.
        publish_events=lambda event_ids: worker.publish_lead_events(event_ids),
    )
    options = WorkerOptions(
        database_url=settings.database_url.get_secret_value(),
        concurrency=concurrency,
        stalled_seconds=settings.worker_stalled_seconds,
        attempts=settings.delivery_attempts,
    )
    channels = build_lead_channels(settings, sender)
    name = f"{socket.gethostname()}:{os.getpid()}"
    worker = QueueWorker(
        options,
        answer,
        prune=lambda: asyncio.to_thread(prune_database_now, settings),
        lead_webhook=channels,
        report=lambda: worker_report(name, container),
    )
    container.run(container.warm_up())
    logger.info("queue worker: %d jobs at once, mode %s", concurrency, container.mode.value)
    return WorkerRuntime(container, worker, sender)


def build_lead_channels(settings: Settings, sender: TwilioReplySender) -> LeadEventReceiver | None:
    """Where lead events go: the signed webhook, the advisors' WhatsApp, both, or nowhere
    (then they are only kept in the database)."""
    channels: list[LeadEventReceiver] = []
    webhook = build_lead_webhook(settings)
    if webhook is not None:
        channels.append(webhook)
    if settings.advisor_numbers and settings.advisor_alert_content_sid:
        logger.info("hand-offs alert %d advisor number(s) on WhatsApp", len(settings.advisor_numbers))
        templates = TwilioTemplateSender(sender.options)
        options = AdvisorAlertOptions(
            numbers=settings.advisor_numbers,
            content_sid=settings.advisor_alert_content_sid,
            status_callback=sender.options.status_callback_url,
        )
        channels.append(WhatsAppAdvisorAlert(templates, options))
    if len(channels) > 1:
        return EveryChannel(channels)
    return channels[0] if channels else None


def build_lead_webhook(settings: Settings) -> LeadWebhookSender | None:
    """The signed sender of lead events when LEAD_WEBHOOK_URL is set; else the events are
    only kept in the database."""
    if settings.lead_webhook_url is None or settings.lead_webhook_secret is None:
        logger.info("lead events: kept in the database, not sent (LEAD_WEBHOOK_URL is not set)")
        return None
    logger.info("lead events: sent to %s", settings.lead_webhook_url.split("?", 1)[0])
    return LeadWebhookSender(
        LeadWebhookOptions(
            url=settings.lead_webhook_url,
            secret=settings.lead_webhook_secret,
            timeout_seconds=settings.lead_webhook_timeout_seconds,
        )
    )


def load_knowledge(settings: Settings) -> SchoolKnowledge:
    """The school-knowledge file; a broken one stops start-up with a message naming it."""
    try:
        return load_school_knowledge(settings.school_knowledge_path)
    except SchoolKnowledgeError as error:
        raise SettingsError(str(error)) from None


def build_ai(settings: Settings) -> CircuitBreaker | None:
    """The OpenAI adapter when a key is set; its budget always leaves the webhook time to answer."""
    if settings.openai_api_key is None:
        return None
    budget = settings.ai_turn_budget_seconds
    dialect = ServerDialect.for_server(
        settings.openai_base_url, response_format=settings.openai_response_format,
        token_limit_param=settings.openai_token_limit_param, instructions_role=settings.openai_instructions_role,
        stream=settings.openai_stream,
    )  # fmt: skip
    logger.info(
        "AI on: model %s at %s (%.1fs per attempt, %d retry, %.1fs budget; %s)",
        settings.openai_model, settings.openai_base_url or "the OpenAI API", settings.openai_timeout_seconds,
        settings.openai_max_retries, budget, dialect.describe(),
    )  # fmt: skip
    return build_conversation_ai(
        api_key=settings.openai_api_key.get_secret_value(),
        model=settings.openai_model,
        base_url=settings.openai_base_url,
        attempt_timeout=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
        budget_seconds=budget,
        cooldown_seconds=settings.ai_cooldown_seconds,
        dialect=dialect,
    )


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


# The marketers' lead report (`python -m app report`) ----------------------------------------


class LeadReports:
    """The report's use cases over one source, open for one command."""

    def __init__(self, source: LeadReportSource) -> None:
        self.source = source
        self.generate = GenerateLeadReport(source, utc_now)
        self.explain = ExplainLead(source, utc_now)


@asynccontextmanager
async def open_lead_reports(settings: Settings) -> AsyncIterator[LeadReports]:
    """PostgreSQL when DATABASE_URL is set and MEMORY_STORE is not json; else the JSON memory."""
    source = await _open_report_source(settings)
    try:
        yield LeadReports(source)
    finally:
        await source.close()


async def _open_report_source(settings: Settings) -> LeadReportSource:
    bundled = {course.id: course.name for course in await JsonCourseRepository().get_all_courses(limit=100_000)}
    if settings.database_url is not None and settings.memory_store != "json":
        database = PostgresLeadReportSource(settings.database_url.get_secret_value(), fallback_course_names=bundled)
        await database.open()
        logger.debug("lead report from %s", database.description)
        return database
    directory = settings.data_dir / "memory"
    names = {**bundled, **await _database_course_names(settings)}
    logger.debug("lead report from the JSON memory in %s", directory)
    return JsonLeadReportSource(JsonUserMemoryRepository(directory), names, f"memoria JSON ({directory})")


async def _database_course_names(settings: Settings) -> dict[str, str]:
    """In hybrid mode the courses, hence the requested ids, are the school's in PostgreSQL."""
    if settings.database_url is None:
        return {}
    database = PostgresLeadReportSource(settings.database_url.get_secret_value())
    try:
        await database.open(check_indexes=False)
        return await database.course_names()
    except StoreUnavailableError as error:
        logger.warning("course names for the report from the bundled catalogue only: %s", error)
        return {}
    finally:
        await database.close()


# Follow-up campaigns (`python -m app campaign`) ---------------------------------------------


class Campaigns:
    """The campaign use cases over PostgreSQL, with Twilio when the command sends."""

    def __init__(self, store: PostgresCampaignStore, sender: TwilioTemplateSender | None, callback: str | None) -> None:
        self.store = store
        self.run = RunCampaign(store, sender, utc_now, status_callback=callback)
        self.summarize = SummarizeCampaign(store)


def campaign_setup_problem(settings: Settings, *, sending: bool) -> str | None:
    """Why campaigns cannot run with these settings (Spanish, for the marketer), or None.
    A dry run and a summary only read the database; sending also needs the Twilio account
    and the public URL Twilio reports delivery to."""
    if settings.database_url is None or settings.memory_store == "json":
        return (
            "Las campañas necesitan la memoria de los contactos en PostgreSQL: configure DATABASE_URL "
            "(y MEMORY_STORE distinto de json). / Campaigns need DATABASE_URL (memory in PostgreSQL)."
        )
    if sending and not settings.twilio_account_configured:
        return (
            "Para enviar hace falta la cuenta de Twilio: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN y "
            "TWILIO_PHONE_NUMBER (pruebe antes con --dry-run). / Sending needs the Twilio account."
        )
    if sending and not settings.public_base_url:
        return (
            "Falta PUBLIC_BASE_URL: sin ella Twilio no informa entregas y lecturas (/webhook/status) y "
            "--summary no tendría datos. / PUBLIC_BASE_URL is needed for status callbacks."
        )
    return None


@asynccontextmanager
async def open_campaigns(settings: Settings, *, sending: bool, concurrency: int = 8) -> AsyncIterator[Campaigns]:
    """Raises SettingsError with campaign_setup_problem's message when they cannot run."""
    problem = campaign_setup_problem(settings, sending=sending)
    if problem is not None:
        raise SettingsError(problem)
    assert settings.database_url is not None
    # Course names for {{course}}: the school's tables, then the bundled catalogue's ids.
    bundled = {course.id: course.name for course in await JsonCourseRepository().get_all_courses(limit=100_000)}
    store = PostgresCampaignStore(
        settings.database_url.get_secret_value(),
        {**bundled, **await _database_course_names(settings)},
        pool_size=concurrency + 2,
    )
    await store.open()
    sender = callback = None
    if sending:
        assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
        callback = f"{settings.public_base_url}/webhook/status"
        sender = TwilioTemplateSender(twilio_sender_options(settings, concurrency, status_callback=None))
    try:
        yield Campaigns(store, sender, callback)
    finally:
        if sender is not None:
            await sender.aclose()
        await store.close()
