"""What comes in from a student and what goes back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.domain.ai import AIUsage
from app.domain.intents import Intent
from app.domain.modes import AIState

WHATSAPP_PART_LIMIT = 1600
MAX_PROCESSED_CHARS = 2000


class InboundMessage(BaseModel):
    """One message from a student, independent of the channel it came through."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    user_id: str
    text: str = ""
    media_count: int = Field(default=0, ge=0)
    media_types: tuple[str, ...] = ()
    profile_name: str | None = None
    received_at: datetime


class Reply(BaseModel):
    """The answer to one inbound message, with what the pipeline decided on the way."""

    model_config = ConfigDict(frozen=True)

    text: str
    parts: tuple[str, ...]
    intent: Intent
    confidence: float
    course_ids: tuple[str, ...] = ()
    lead_score: int = 0
    mode: str
    ai_used: bool = False  # the text is the AI's (checked against the catalogue), not a template
    ai_state: AIState = AIState.OFF  # the AI's state right after this turn
    ai_usage: AIUsage = AIUsage()  # calls and tokens this message cost
    duplicate: bool = False
