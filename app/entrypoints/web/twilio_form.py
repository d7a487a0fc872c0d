"""The Twilio inbound-message webhook form as a pydantic model."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.messages import InboundMessage

MAX_MEDIA_ITEMS = 10


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
    profile_name: str | None = Field(default=None, alias="ProfileName", max_length=200)

    @field_validator("num_media", mode="before")
    @classmethod
    def _blank_media_is_zero(cls, value: object) -> object:
        return 0 if value in (None, "") else value

    def media_types(self) -> tuple[str, ...]:
        extras = self.model_extra or {}
        found = (extras.get(f"MediaContentType{i}") for i in range(min(self.num_media, MAX_MEDIA_ITEMS)))
        return tuple(str(t) for t in found if t)

    def to_inbound(self, received_at: datetime) -> InboundMessage:
        return InboundMessage(
            message_id=self.message_sid,
            user_id=self.from_,
            text=self.body,
            media_count=self.num_media,
            media_types=self.media_types(),
            profile_name=self.profile_name,
            received_at=received_at,
        )
