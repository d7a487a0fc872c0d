"""Outgoing reply parts and the provider's delivery statuses: pure states and their order.

A turn's reply leaves as one provider message per part. Each part is `pending` until a worker
is about to send it, `sending` while the request is out (recorded *before* it), then `sent`
with the provider's id, or `failed` with the reason. A part found `sending` after a crash may
or may not have reached the provider: it is looked up there before it is sent again.

Status callbacks arrive in any order and more than once; a status only ever moves forward
(queued < sent < delivered < read), and failed/undelivered end it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.interactive import Interactive

MAX_ERROR_CHARS = 500

# Twilio error codes the operators must see by name: outside WhatsApp's 24-hour window (a
# free-text reply is refused), and a recipient who opted out of the sender's messages.
OUTSIDE_SESSION_WINDOW = 63016
RECIPIENT_OPTED_OUT = 21610
# A campaign sent faster than the WhatsApp sender's throughput: Twilio's queue overflowed.
RATE_LIMIT_EXCEEDED = 63018
NAMED_ERROR_CODES = {
    OUTSIDE_SESSION_WINDOW: "fuera de la ventana de 24 h de WhatsApp",
    RECIPIENT_OPTED_OUT: "el contacto bloqueó los mensajes (STOP)",
    RATE_LIMIT_EXCEEDED: "límite de envíos del remitente superado",
}


class PartState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingPart(BaseModel):
    """One part of a stored reply, as the worker sees it."""

    model_config = ConfigDict(frozen=True)

    turn_id: int
    index: int
    user_id: str
    body: str
    state: PartState = PartState.PENDING
    attempts: int = 0
    sending_at: datetime | None = None
    provider_sid: str | None = None
    interactive: Interactive | None = None  # sent as this tappable message, `body` its text fallback


_STATUS_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "read": 5,
    # Final whatever came before: a failure reported after "sent" still ends the message.
    "undelivered": 9,
    "failed": 9,
    "canceled": 9,
}
FAILED_STATUSES = frozenset({"undelivered", "failed", "canceled"})


def status_rank(status: str) -> int | None:
    """The order of a provider status; None for one this code does not know (kept out)."""
    return _STATUS_RANK.get(status.strip().lower())
