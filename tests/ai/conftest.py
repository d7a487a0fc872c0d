"""Fixtures for the AI tests: the fake chat-completions server and apps wired to it.

The composition root is imported inside the fixtures, so that the pure tests (grounding,
context, policy) run on their own.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.ai.fake_openai import FakeOpenAI
from tests.fakes import SteppingMonotonicClock

if TYPE_CHECKING:
    from app.bootstrap.container import Container
    from app.config import Settings
    from tests.e2e.conftest import LiveServer

# Short limits keep the failure tests fast; tests of the real limits set them explicitly.
FAST_AI = {"openai_timeout_seconds": 0.8, "ai_budget_seconds": 2.0, "ai_cooldown_seconds": 60.0}


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    yield fake
    fake.close()


@pytest.fixture
def ai_clock(monkeypatch: pytest.MonkeyPatch) -> SteppingMonotonicClock:
    """The AI's clock in containers built after this fixture: budget and cool-down move only with the test.

    Without it, whether a failed attempt is retried depends on how long the first attempt
    took on this machine, and the end of the cool-down on sleeping through it.
    """
    import app.bootstrap.container
    from app.infrastructure.openai import build_conversation_ai

    clock = SteppingMonotonicClock(start=1_000.0)
    stepping = functools.partial(build_conversation_ai, clock=clock)
    monkeypatch.setattr(app.bootstrap.engine_parts, "build_conversation_ai", stepping)
    return clock


@pytest.fixture
def ai_settings(make_settings, fake_openai) -> Callable[..., Settings]:
    """Settings with a key and OPENAI_BASE_URL pointing at the fake."""

    def build(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "openai_api_key": "sk-test-fake",
            "openai_base_url": fake_openai.base_url,
            "openai_model": "fake-small-model",
            **FAST_AI,
        }
        values.update(overrides)
        return make_settings(**values)

    return build


@pytest.fixture
def ai_container(ai_settings) -> Iterator[Callable[..., Container]]:
    from app.bootstrap.mode import build_container

    built: list[Container] = []

    def build(**overrides: object) -> Container:
        container = build_container(ai_settings(**overrides))
        built.append(container)
        return container

    yield build
    for container in built:
        container.close()


@pytest.fixture
def ai_server(ai_settings) -> Iterator[Callable[..., tuple[LiveServer, Container]]]:
    """The Flask app on a loopback port (as in tests/e2e), with the AI pointed at the fake."""
    from werkzeug.serving import make_server

    from app.bootstrap.mode import build_container
    from app.entrypoints.web.app import create_app
    from tests.e2e.conftest import AUTH_TOKEN, PUBLIC_BASE_URL, LiveServer

    started = []

    def start(**overrides: object) -> tuple[LiveServer, Container]:
        overrides.setdefault("twilio_auth_token", AUTH_TOKEN)
        overrides.setdefault("public_base_url", PUBLIC_BASE_URL)
        settings = ai_settings(**overrides)
        container = build_container(settings)
        server = make_server("127.0.0.1", 0, create_app(settings, container), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append((server, container))
        return LiveServer(f"http://127.0.0.1:{server.server_port}"), container

    yield start
    for server, container in started:
        server.shutdown()
        container.close()
