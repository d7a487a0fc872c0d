"""Recording a hand-off to a person when the turn is answered inline (TwiML, terminal chat).

The REST worker opens a hand-off in the transaction that commits the turn; a turn answered
inline has no such transaction, so it records the hand-off through this port: a row in
PostgreSQL's `handoffs`, or in JSON mode a file the advisors' `handoff` command reads. A mode
with no recorder makes no promise: the reply does not say a person will write.
"""

from __future__ import annotations

from typing import Protocol

from app.domain.handoff import HandoffRequest


class HandoffRecorder(Protocol):
    async def open_handoff(self, user_id: str, request: HandoffRequest) -> bool:
        """Record an open hand-off; False when one is already open for this student."""
        ...
