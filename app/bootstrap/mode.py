"""Settings -> mode: JSON files without DATABASE_URL, PostgreSQL with it, and the container for
either. The choice is logged with what is missing, so "why basic mode?" has one answer."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.bootstrap.container import Container
from app.config import Settings
from app.domain.modes import Mode, select_mode
from app.infrastructure.event_loop import EventLoopThread
from app.infrastructure.json_store.course_repository import JsonCourseRepository
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository

if TYPE_CHECKING:
    from app.infrastructure.postgres.client import PoolOptions

logger = logging.getLogger(__name__)


def build_container(settings: Settings) -> Container:
    """The engine of `chat`, `user` and an inline web process, in the mode the settings give."""
    if settings.database_url is not None:
        return build_database_container(settings)
    courses = JsonCourseRepository()
    memory = JsonUserMemoryRepository(settings.data_dir / "memory")
    mode = select_mode(courses_in_database=False, memory_in_database=False, ai_configured=settings.ai_configured)
    log_mode_choice(settings, mode)
    return Container(settings, courses=courses, courses_backend="json", memory=memory, memory_backend="json", mode=mode)


def build_database_container(settings: Settings, pool: PoolOptions | None = None) -> Container:
    """PostgreSQL courses, and memory unless MEMORY_STORE=json; the pool lives on the engine's loop."""
    # Imported here, the one place that chooses the database: basic mode never loads the drivers.
    from app.bootstrap.database import open_storage

    loop = EventLoopThread()
    storage = open_storage(settings, loop, pool)
    mode = select_mode(
        courses_in_database=storage.courses_in_database,
        memory_in_database=storage.memory_in_database,
        ai_configured=settings.ai_configured,
    )
    log_mode_choice(settings, mode)
    return Container(
        settings,
        courses=storage.courses,
        courses_backend="postgres",
        memory=storage.memory,
        memory_backend="json" if settings.memory_store == "json" else "postgres",
        mode=mode,
        loop=loop,
        inbound_log=storage.inbound_log,
        storage=storage,
    )


def log_mode_choice(settings: Settings, mode: Mode) -> None:
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
