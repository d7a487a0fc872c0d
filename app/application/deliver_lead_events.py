"""Deliver one stored lead event to the team's tools (the queue's `deliver_lead_event` job).

The event was stored in the transaction of the turn that caused it; this use case sends it
and records the outcome, one short store call before the request and one after: no database
connection is held while the receiver answers. A run that crashes between the send and the
record sends the event again on its next run, with the same id: receivers dedupe on it, so
delivery is at least once by the sender and exactly once as the receiver acts.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.domain.lead_events import LeadEvent

logger = logging.getLogger(__name__)

MAX_ERROR_CHARS = 500


class StoredLeadEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: LeadEvent | None  # None: the stored payload is no longer a valid LeadEvent
    attempts: int
    delivered: bool


class LeadEventOutbox(Protocol):
    """The stored events and their delivery state; every call is one short transaction."""

    async def load(self, event_id: str) -> StoredLeadEvent | None: ...

    async def record_delivered(self, event_id: str) -> None:
        """One more attempt, and it delivered the event."""
        ...

    async def record_failed(self, event_id: str, error: str) -> None:
        """One more attempt, and why it failed."""
        ...


class LeadEventReceiver(Protocol):
    async def send(self, event: LeadEvent) -> None:
        """Raises TransientDeliveryError (try later) or PermanentDeliveryError (never)."""
        ...

    def close(self) -> None:
        """Release connections and threads; called once when the worker stops."""
        ...


class DeliveryOutcome(StrEnum):
    DELIVERED = "delivered"
    ALREADY_DELIVERED = "already_delivered"
    REJECTED = "rejected"  # permanent: recorded, not retried
    MISSING = "missing"


class DeliverLeadEvent:
    def __init__(self, outbox: LeadEventOutbox, receiver: LeadEventReceiver) -> None:
        self._outbox = outbox
        self._receiver = receiver

    async def run(self, event_id: str, last_attempt: bool) -> DeliveryOutcome:
        """Send the event unless it was delivered; a transient failure is recorded and
        raised again, so that the queue retries it (on `last_attempt` the record says so)."""
        stored = await self._outbox.load(event_id)
        if stored is None:
            logger.warning("lead event %s is not stored (pruned?); nothing to deliver", event_id)
            return DeliveryOutcome.MISSING
        if stored.delivered:
            return DeliveryOutcome.ALREADY_DELIVERED
        if stored.event is None:
            await self._outbox.record_failed(event_id, "rechazado: el evento guardado no es válido")
            logger.error("lead event %s has an invalid payload; not delivered", event_id)
            return DeliveryOutcome.REJECTED
        try:
            await self._receiver.send(stored.event)
        except PermanentDeliveryError as error:
            await self._outbox.record_failed(event_id, _limited(f"rechazado: {error}"))
            logger.error("lead event %s refused by the receiver, not retried: %s", event_id, error)
            return DeliveryOutcome.REJECTED
        except TransientDeliveryError as error:
            attempt = stored.attempts + 1
            if last_attempt:
                await self._outbox.record_failed(event_id, _limited(f"sin entregar tras {attempt} intentos: {error}"))
                logger.error("lead event %s not delivered after %d attempts: %s", event_id, attempt, error)
            else:
                await self._outbox.record_failed(event_id, _limited(str(error)))
                logger.warning("lead event %s: attempt %d failed, retried later: %s", event_id, attempt, error)
            raise
        await self._outbox.record_delivered(event_id)
        logger.info("lead event %s delivered", event_id)
        return DeliveryOutcome.DELIVERED


def _limited(text: str) -> str:
    return text[:MAX_ERROR_CHARS]
