"""What comes in from a student and what goes back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.ai import AIUsage
from app.domain.intents import Intent
from app.domain.interactive import Interactive, Tap
from app.domain.modes import AIState

WHATSAPP_PART_LIMIT = 1600
# What is read and kept of a message: its first 2,000 characters (WhatsApp allows 4,096), and
# the first 200 of the sender's profile name. Beyond them, nothing is stored anywhere.
MAX_PROCESSED_CHARS = 2000
MAX_PROFILE_NAME_CHARS = 200


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
    tap: Tap | None = None  # a tapped list item or button: the unambiguous answer it carries
    media_urls: tuple[str, ...] = ()  # the provider's URLs of the media, in media_types' order

    @property
    def has_audio(self) -> bool:
        return any(kind.startswith("audio/") for kind in self.media_types)

    def audio_url(self) -> str | None:
        """The first audio attachment's URL (a voice note), if any."""
        pairs = zip(self.media_urls, self.media_types, strict=False)
        found = (url for url, kind in pairs if kind.startswith("audio/") and url)
        return next(found, None)

    @field_validator("text")
    @classmethod
    def _capped_text(cls, value: str) -> str:
        return value[:MAX_PROCESSED_CHARS]

    @field_validator("profile_name")
    @classmethod
    def _capped_profile_name(cls, value: str | None) -> str | None:
        # A long name is cut, never refused: Twilio does not retry a 4xx, the message would be lost.
        return value[:MAX_PROFILE_NAME_CHARS] if value is not None else None


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
    # Where the channel allows it, the last part goes as this tappable message (REST delivery).
    interactive: Interactive | None = None


# Between the texts of a burst merged into one turn: the classifier, the profile extractor and
# the search read "hola\nquiero info\ndel curso de python" like the three messages together,
# and a line break keeps a name or a course name from running into the next message's words.
BURST_SEPARATOR = "\n"


def merge_burst(messages: tuple[InboundMessage, ...]) -> InboundMessage:
    """One message standing for a burst (oldest first): the last message's id and time, the
    texts joined in order, the media added up. A message with no text (media only) adds
    nothing to the text; a burst of nothing but media stays text-less, like one such message."""
    if not messages:
        raise ValueError("a burst has at least one message")
    head = messages[-1]
    if len(messages) == 1:
        return head
    texts = [m.text.strip() for m in messages if m.text.strip()]
    return head.model_copy(
        update={
            "text": BURST_SEPARATOR.join(texts),
            "media_count": sum(m.media_count for m in messages),
            "media_types": tuple(t for m in messages for t in m.media_types),
            "media_urls": tuple(u for m in messages for u in m.media_urls),
            "tap": next((m.tap for m in reversed(messages) if m.tap is not None), None),
            "profile_name": next((m.profile_name for m in reversed(messages) if m.profile_name), None),
        }
    )
