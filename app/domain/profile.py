"""What one message teaches the bot about the person writing."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ProfileUpdate(BaseModel):
    """Facts learned from one message; empty fields mean nothing was learned."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    role: str | None = None
    interests: tuple[str, ...] = ()
    pain_points: tuple[str, ...] = ()
    level: str | None = None
