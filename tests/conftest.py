"""Fixtures shared by every test layer."""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.domain.courses import Course, CourseBonus, CourseSession
from tests.twilio_fake import TwilioFake

# Settings come from these variables; a developer's shell or .env must not leak into tests.
_SETTING_VARIABLES = (
    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER", "TWILIO_VALIDATE_SIGNATURE",
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "DATABASE_URL", "MEMORY_STORE",
    "OPENAI_TIMEOUT_SECONDS", "OPENAI_MAX_RETRIES", "AI_BUDGET_SECONDS", "AI_COOLDOWN_SECONDS",
    "PUBLIC_BASE_URL", "DATA_DIR", "REPLY_TIMEOUT_SECONDS", "LOG_LEVEL",
    "REPLY_DELIVERY", "TWILIO_API_BASE_URL", "TWILIO_TIMEOUT_SECONDS", "BURST_WINDOW_SECONDS",
    "WORKER_CONCURRENCY", "WORKER_STALLED_SECONDS", "DELIVERY_ATTEMPTS", "WORKER_IN_WEB", "HANDOFF_QUIET_HOURS",
    "ADVISOR_WHATSAPP_NUMBERS", "ADVISOR_ALERT_CONTENT_SID",
    "TWILIO_EDGE", "TWILIO_REGION", "RETENTION_DAYS",
    "LEAD_WEBHOOK_URL", "LEAD_WEBHOOK_SECRET", "LEAD_WEBHOOK_TIMEOUT_SECONDS",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """A test that runs the CLI in-process configures logging (configure_logging): undone
    afterwards, so that later tests and the session's end log as before."""
    names = ("", "gunicorn.error", "gunicorn.access", "py.warnings")
    saved = [(lg, lg.level, list(lg.handlers), lg.propagate) for lg in map(logging.getLogger, names)]
    yield
    logging.captureWarnings(False)
    for logger, level, handlers, propagate in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {"data_dir": tmp_path / "data"}
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return build


@pytest.fixture
def sample_courses() -> list[Course]:
    sessions = tuple(CourseSession(id=f"s{i}", index=i, title=f"Sesión {i} de Python") for i in range(1, 5))
    return [
        Course(
            id="c-python", name="Python desde cero", short_description="Tu primer programa",
            session_count=4, price="149", currency="USD", level="principiante", modality="online",
            sessions=sessions, bonuses=(CourseBonus(id=1, content="Plantillas de código"),),
        ),
        Course(
            id="c-excel", name="Automatización de reportes de Excel", short_description="Menos horas en Excel",
            session_count=6, price="199", currency="USD", level="intermedio", modality="híbrido",
        ),
        Course(
            id="c-ml", name="Machine Learning aplicado", short_description="Modelos que predicen",
            session_count=10, price="499", currency="USD", level="avanzado", modality="presencial",
        ),
    ]  # fmt: skip


@pytest.fixture
def twilio_fake() -> Iterator[TwilioFake]:
    """A local fake of Twilio's REST API (tests/twilio_fake.py). A test whose code sent it a
    request that Twilio's OpenAPI description rejects fails, whatever it asserted itself."""
    fake = TwilioFake().start()
    yield fake
    fake.close()
    violations = "\n".join(map(str, fake.violations))
    assert not violations, f"requests that break Twilio's API contract:\n{violations}"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """Admin URL of the test server: TEST_DATABASE_URL when set, else an embedded server.

    The embedded server's data lives in a directory of its own, not under pytest's temp
    root: pytest resets that root's permissions when another run starts, and the server
    (running as its own system user) would lose access to its files mid-run.
    """
    from tests.postgres import admin_url, start_embedded_server

    url = admin_url()
    if url is not None:
        yield url
        return
    directory = Path(tempfile.mkdtemp(prefix="course-advisor-test-pg-"))
    # Registered first so that it runs last: after the server's own exit hook has stopped it.
    atexit.register(shutil.rmtree, directory, True)
    yield start_embedded_server(directory / "pgdata")


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    from tests.postgres import fresh_database

    with fresh_database(postgres_server_url) as url:
        yield url
