"""A real model behind a local OpenAI-compatible server (docs/ai.md, "A real model on this machine").

Skipped unless LOCAL_MODEL_URL names one, e.g. llama-cpp-python's server with Gemma 3 270M:
    LOCAL_MODEL_URL=http://127.0.0.1:8089/v1 LOCAL_MODEL_NAME=gemma-3-270m .venv/bin/pytest -m local_model
With a model this small the bar is safety, not eloquence: every turn is answered, no reply
the model wrote goes out with an invented fact or in another language, and the server
without strict json_schema gets the next format, chosen once.
"""

import logging
import os
import uuid
from datetime import UTC, datetime

import pytest

from app.config import Settings
from app.domain.grounding import check_reply
from app.domain.messages import InboundMessage
from app.domain.reply_checks import language_of

URL = os.environ.get("LOCAL_MODEL_URL")
pytestmark = [pytest.mark.local_model, pytest.mark.skipif(not URL, reason="LOCAL_MODEL_URL is not set")]
TURNS = ("hola, soy contadora y quiero automatizar reportes", "cuanto cuesta?", "y cuando empieza?", "gracias")


class _Batch(Settings):
    """A slow model on one CPU thread: the AI step gets the REST worker's budget, not the webhook's."""

    @property
    def ai_turn_budget_seconds(self) -> float:
        return self.ai_worker_budget_seconds


def test_a_short_dialogue_against_the_local_model(tmp_path, caplog):
    from app.bootstrap.mode import build_container

    budget = float(os.environ.get("LOCAL_MODEL_BUDGET_SECONDS", "90"))
    settings = _Batch(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, database_url=None, openai_api_key="sk-local", openai_base_url=URL,
        openai_model=os.environ.get("LOCAL_MODEL_NAME", "local"), openai_timeout_seconds=budget,
        ai_worker_budget_seconds=budget, openai_max_retries=0,
    )  # fmt: skip
    container = build_container(settings)
    user = f"whatsapp:+52155{uuid.uuid4().int % 10**8:08d}"
    try:
        with caplog.at_level(logging.INFO):
            replies = [
                container.handle_message(InboundMessage(message_id=f"SM{uuid.uuid4().hex}", user_id=user, text=text,
                                                        received_at=datetime.now(UTC)), timeout=600)
                for text in TURNS
            ]  # fmt: skip
        courses = container.run(container.courses_repository.get_all_courses(limit=10_000))
    finally:
        container.close()
    assert all(reply.text for reply in replies), "every turn is answered"
    for reply in replies:
        if reply.ai_used:
            assert check_reply(reply.text, courses, knowledge=tuple(settings_knowledge(container))).ok
            assert language_of(reply.text) in {"es", ""}
    assert caplog.text.count("refused response_format") <= 1, "the fallback format is chosen once"


def settings_knowledge(container) -> list[str]:
    return [entry.answer for entry in container.knowledge.entries]
