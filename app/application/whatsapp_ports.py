"""Ports of WhatsApp's extras around a turn: the typing indicator and voice notes."""

from __future__ import annotations

from typing import Protocol

from app.domain.messages import InboundMessage


class TypingIndicator(Protocol):
    async def indicate_typing(self, message_id: str) -> None:
        """Show the student that a reply is on its way (best effort: never raises)."""
        ...


class VoiceTranscriber(Protocol):
    async def transcript(self, message: InboundMessage) -> str | None:
        """The text of the message's voice note; None when there is none to be had (no AI,
        too large, the download or the transcription failed): never raises."""
        ...
