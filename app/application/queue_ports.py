"""Ports of the queued REST delivery: the store of waiting messages and reply parts, and the
messaging provider's API."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.domain.handoff import HandoffRequest, OpenHandoff
from app.domain.interactive import Interactive
from app.domain.lead_events import LeadEvent
from app.domain.memory import UserMemory
from app.domain.messages import InboundMessage, Reply
from app.domain.outgoing import OutgoingPart


class VersionedMemory(BaseModel):
    """A user's memory as loaded, with the version a later save must still find."""

    model_config = ConfigDict(frozen=True)

    memory: UserMemory | None
    version: int  # 0: the user had no row


class TurnContext(BaseModel):
    """What a turn starts from, read together: the memory, the open hand-off, the recent pace."""

    model_config = ConfigDict(frozen=True)

    memory: VersionedMemory
    handoff: OpenHandoff | None
    messages_since: int  # the user's messages (answered or not) since the time asked for


class NextTurn(BaseModel):
    """What a run reads before each turn, together."""

    model_config = ConfigDict(frozen=True)

    unsent: tuple[OutgoingPart, ...]  # parts an earlier run left pending or sending, in order
    messages: tuple[InboundMessage, ...]  # unanswered, oldest first
    context: TurnContext


class TurnToCommit(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    message_ids: tuple[str, ...]
    memory: UserMemory
    base_version: int
    reply: Reply
    events: tuple[LeadEvent, ...] = ()
    open_handoff: HandoffRequest | None = None  # opened with the turn, with its event
    handoff_activity: int | None = None  # the open hand-off these messages were recorded for
    handoff_notice: bool = False  # the reply is the one notice of that hand-off


class CommittedTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_ids: tuple[str, ...] = ()  # lead events stored by this commit, to be delivered
    parts: tuple[OutgoingPart, ...] = ()  # the reply's parts as stored, pending, in sending order


class ConversationQueue(Protocol):
    """Waiting messages, the memory and the outgoing parts of one user, in one database.

    Every method is one short transaction: none is held across a provider request or an AI
    call.
    """

    async def next_turn(self, user_id: str, limit: int, since: datetime) -> NextTurn:
        """The user's unsent parts, up to `limit` of their unanswered messages (read after
        every webhook commit of theirs still in flight), and the context of a turn for them
        (the messages counted since `since`)."""
        ...

    async def rate_notice_since(self, user_id: str, since: datetime) -> bool:
        """Whether the user was told to slow down since `since`."""
        ...

    async def commit_turn(self, turn: TurnToCommit) -> CommittedTurn | None:
        """Save the memory, store the reply's parts, the lead events and the hand-off, and
        mark the messages answered, all or nothing; None (and nothing written) when a message
        was already answered or the memory changed since it was loaded: the caller runs the
        turn again."""
        ...

    async def close_handoff(self, handoff_id: int, closed_by: str) -> bool: ...

    async def provider_ids_since(self, user_id: str, since: datetime) -> set[str]:
        """The provider ids already recorded for the user's parts finished since `since`."""
        ...

    async def mark_sending(self, part: OutgoingPart, now: datetime) -> OutgoingPart: ...

    async def mark_sent(self, part: OutgoingPart, provider_sid: str, now: datetime) -> None: ...

    async def mark_failed(self, part: OutgoingPart, error: str, code: int | None, now: datetime) -> None: ...


class MessageProvider(Protocol):
    """The provider's API (Twilio). Raises TransientDeliveryError when a later attempt may
    work and PermanentDeliveryError when it cannot."""

    async def send(self, to: str, body: str) -> str:
        """The provider's id of the accepted message."""
        ...

    async def send_interactive(self, to: str, text: str, interactive: Interactive) -> str:
        """The tappable message (list-picker, quick-reply), or `text` where it cannot go."""
        ...

    async def find_sent(self, to: str, body: str, since: datetime, exclude: set[str]) -> str | None:
        """The id of a message with this body sent to `to` at or after `since`, other than
        those in `exclude` (the same text may have been sent before, for another part)."""
        ...
