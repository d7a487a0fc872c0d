"""Fixtures of the fault and load runs: a PostgreSQL server they can restart, and a summary of
every run printed at the end of the session."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from tests.load.postgres_process import PostgresProcess
from tests.postgres import admin_url

_SUMMARIES: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "load: fault and load runs with real processes (tests/load)")


def pytest_terminal_summary(terminalreporter) -> None:
    if _SUMMARIES:
        terminalreporter.section("delivery fault runs")
        for line in _SUMMARIES:
            terminalreporter.write_line(line)


@pytest.fixture
def progress_line(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Writes a line to the terminal while the test runs, past pytest's output capture, the way
    pytest's live logging does (capture off for the line, then on again)."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    terminal = request.config.pluginmanager.getplugin("terminalreporter")
    lock = threading.Lock()  # lines come from the run's progress thread

    def emit(line: str) -> None:
        with lock, capture.global_and_fixture_disabled():
            terminal.write_line(line) if terminal is not None else print(line, file=sys.stderr, flush=True)

    return emit


@pytest.fixture
def record_summary() -> Iterator[list[str]]:
    yield _SUMMARIES


@pytest.fixture(scope="module")
def load_server() -> Iterator[tuple[str, PostgresProcess | None]]:
    """(admin URL, the server process): TEST_DATABASE_URL (which cannot be restarted), or a
    server of our own."""
    url = admin_url()
    if url is not None:
        yield url, None
        return
    server = PostgresProcess().init()
    server.start()
    try:
        yield server.url, server
    finally:
        server.remove()
