"""Hand-off to a person: while one is open the bot listens and stays silent.

A student who asks for a person (or says yes to "¿quieres que un asesor te contacte?") gets
the bot's confirmation, and from then on their messages are recorded for the advisor but not
answered by the bot; the first one gets one short notice that a person has the conversation.
The hand-off closes when an advisor releases it, or by itself after a quiet time with no
message from either side; the bot then resumes with the memory intact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.intents import Intent
from app.domain.lead_events import LeadSummary

HANDOFF_NOTICE = "Un asesor ya tiene tu conversación 🙌 y te responde por aquí en cuanto pueda."
ADVISOR_MODE = "advisor"  # Reply.mode of a message an advisor wrote
HANDOFF_MODE = "handoff"  # Reply.mode of what the bot records while a person has the conversation
# Messages the bot kept failing to answer go to a person, and the student is told so.
BOT_FAILURE_NOTICE = (
    "Perdón, tuve un problema técnico y no pude responder tu mensaje 🙏 "
    "Un asesor ya tiene tu conversación y te escribe por aquí en cuanto pueda."
)
BOT_FAILURE_MODE = "bot_failure"  # Reply.mode of the turn that hands those messages over


class HandoffReason(StrEnum):
    CONTACT_REQUEST = "contact_request"
    BOT_FAILURE = "bot_failure"  # the bot could not answer the student's messages


_REASON_LABELS = {
    HandoffReason.CONTACT_REQUEST: "pidió hablar con un asesor",
    HandoffReason.BOT_FAILURE: "el bot no pudo responderle",
}


def reason_label(reason: str) -> str:
    """The reason in the advisors' words (Spanish); an unknown one as it was stored."""
    try:
        return _REASON_LABELS[HandoffReason(reason)]
    except ValueError:
        return reason.replace("_", " ")


class OpenHandoff(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    user_id: str
    reason: str
    opened_at: datetime
    last_activity_at: datetime
    notice_sent: bool = False

    def quiet_since(self, now: datetime, quiet: timedelta) -> bool:
        """No message from either side for `quiet`: the hand-off ends by itself."""
        return now - self.last_activity_at >= quiet


class HandoffRequest(BaseModel):
    """A hand-off to open in the same transaction as the turn that asked for it."""

    model_config = ConfigDict(frozen=True)

    reason: HandoffReason
    summary: LeadSummary


def handoff_reason(intent: Intent, opted_out: bool) -> HandoffReason | None:
    """Why this turn hands the student to a person, if it does."""
    if intent == Intent.CONTACT_REQUEST and not opted_out:
        return HandoffReason.CONTACT_REQUEST
    return None
