"""The Twilio inbound-message webhook form as a pydantic model."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.interactive import Tap
from app.domain.messages import InboundMessage
from app.domain.text import strip_control_characters

logger = logging.getLogger(__name__)

MAX_MEDIA_ITEMS = 10
# WhatsApp's message types as Twilio's MessageType names them; another is logged once per process.
KNOWN_MESSAGE_TYPES = frozenset(
    {"text", "button", "interactive", "image", "audio", "video", "document", "sticker", "location", "contacts",
     "reaction", "unsupported"}
)  # fmt: skip
_unknown_types_seen: set[str] = set()
_MAX_TAP_CHARS = 200  # a tap's id and title as the bot keeps them (its own ids are shorter)
# Twilio's error codes are five digits; the column is PostgreSQL's integer (int4).
MAX_ERROR_CODE = 2**31 - 1
# Any C0 control character or DEL: never part of a real Twilio id or address.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def refuse_control_characters(value: str | None) -> str | None:
    if value is not None and _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


class TwilioInboundForm(BaseModel):
    """Fields Twilio posts for an incoming WhatsApp message; unknown fields are kept, not refused.

    Twilio adds fields without notice, so the model allows extras instead of failing.
    """

    model_config = ConfigDict(extra="allow", str_strip_whitespace=False)

    message_sid: str = Field(alias="MessageSid", min_length=1, max_length=64)
    from_: str = Field(alias="From", min_length=1, max_length=200)
    to: str | None = Field(default=None, alias="To", max_length=200)
    body: str = Field(default="", alias="Body")
    num_media: int = Field(default=0, alias="NumMedia", ge=0, le=100)
    profile_name: str | None = Field(default=None, alias="ProfileName")  # cut to 200 by InboundMessage
    message_type: str | None = Field(default=None, alias="MessageType")
    # A tapped quick-reply button (its id and title) or list item (ListId, ListTitle); cut to
    # 200 characters by tap(), never refused.
    button_payload: str | None = Field(default=None, alias="ButtonPayload")
    button_text: str | None = Field(default=None, alias="ButtonText")
    list_id: str | None = Field(default=None, alias="ListId")
    list_title: str | None = Field(default=None, alias="ListTitle")

    @field_validator("body", "profile_name", "button_payload", "button_text", "list_id", "list_title", "message_type")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        # What the person wrote is kept, minus NUL and the like, which PostgreSQL refuses and
        # no keyboard produces: a message is never refused for them.
        return strip_control_characters(value) if value is not None else None

    @field_validator("message_sid", "from_", "to")
    @classmethod
    def _identifier_without_control_characters(cls, value: str | None) -> str | None:
        # Ids and addresses are looked up and used as keys: changing them would file the
        # message under someone else, so a malformed one is refused (400) instead.
        return refuse_control_characters(value)

    @field_validator("num_media", mode="before")
    @classmethod
    def _blank_media_is_zero(cls, value: object) -> object:
        return 0 if value in (None, "") else value

    def media_types(self) -> tuple[str, ...]:
        extras = self.model_extra or {}
        found = (extras.get(f"MediaContentType{i}") for i in range(min(self.num_media, MAX_MEDIA_ITEMS)))
        return tuple(clean for t in found if t and (clean := strip_control_characters(str(t))))

    def media_urls(self) -> tuple[str, ...]:
        """The media URLs, paired with media_types(): an item without a type or URL is left out of both."""
        extras = self.model_extra or {}
        found = []
        for i in range(min(self.num_media, MAX_MEDIA_ITEMS)):
            kind, url = extras.get(f"MediaContentType{i}"), extras.get(f"MediaUrl{i}")
            if kind and strip_control_characters(str(kind)):
                found.append(str(url or ""))
        return tuple(found)

    def tap(self) -> Tap | None:
        """The list item or button the student tapped, if this message is a tap."""
        kind = (self.message_type or "")[:40]
        if kind and kind not in KNOWN_MESSAGE_TYPES and kind not in _unknown_types_seen:
            _unknown_types_seen.add(kind)
            logger.warning("WhatsApp message type %r is new to this bot; read as its text", kind)
        payload = self.list_id or self.button_payload
        if not payload:
            return None
        title = self.list_title or self.button_text or ""
        return Tap(payload=payload[:_MAX_TAP_CHARS], title=title[:_MAX_TAP_CHARS])

    def to_inbound(self, received_at: datetime) -> InboundMessage:
        return InboundMessage(
            tap=self.tap(),
            media_urls=self.media_urls(),
            message_id=self.message_sid,
            user_id=self.from_,
            text=self.body,
            media_count=self.num_media,
            media_types=self.media_types(),
            profile_name=self.profile_name,
            received_at=received_at,
        )


class TwilioStatusForm(BaseModel):
    """Twilio's status callback for a message the bot sent (queued, sent, delivered, read,
    failed, undelivered), with the error code of a failure."""

    model_config = ConfigDict(extra="allow")

    message_sid: str = Field(alias="MessageSid", min_length=1, max_length=64)
    message_status: str = Field(alias="MessageStatus", min_length=1, max_length=32)
    # A value the database cannot hold is refused here (400), not by the database (503 forever).
    error_code: int | None = Field(default=None, alias="ErrorCode", ge=0, le=MAX_ERROR_CODE)

    @field_validator("error_code", mode="before")
    @classmethod
    def _blank_code_is_none(cls, value: object) -> object:
        return None if value in (None, "") else value

    @field_validator("message_sid", "message_status")
    @classmethod
    def _without_control_characters(cls, value: str) -> str | None:
        # PostgreSQL refuses a NUL in text: a signed callback carrying one would fail forever.
        return refuse_control_characters(value)
