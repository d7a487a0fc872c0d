"""The parts of the engine read from settings: the school-knowledge file and the AI adapter."""

from __future__ import annotations

import logging

from app.config import Settings, SettingsError
from app.domain.school_knowledge import SchoolKnowledge
from app.infrastructure.openai import CircuitBreaker, ServerDialect, build_conversation_ai
from app.infrastructure.school_knowledge.loader import SchoolKnowledgeError, load_school_knowledge

logger = logging.getLogger(__name__)


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
