"""Sending a reply through the provider's API: how far it got, and who is sending it.

A reply goes out as one provider message per part. Progress is recorded after each part the
provider accepted, so a worker that dies half-way is resumed from the next part, not from
the start. A worker *claims* a delivery for a limited time (a lease) before working on it,
so two workers (processes, hosts) never send the same part: the claim is a compare-and-set
in the store, and an expired claim (its worker died) can be taken over.

A burst of short messages sent within a few seconds is answered by one turn (see
app.application.deliver_replies): the last message of the burst is its *head* and carries the
reply; it lists the earlier ones (`merged_from`) before the turn runs, so the burst is fixed
durably once, and each earlier one ends `merged` (`merged_into` the head) once the reply is
stored. A merged delivery has nothing of its own to send: its fate is the head's.

These are pure state transitions; the stores apply them atomically (a row update in
PostgreSQL, a locked read-modify-write of one file in the JSON log).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# Enough to say what went wrong in /health and the log without storing a provider's essay.
MAX_ERROR_CHARS = 500


class DeliveryState(StrEnum):
    PENDING = "pending"  # not every part accepted yet (or not even a reply)
    SENT = "sent"  # every part accepted by the provider
    FAILED = "failed"  # given up: a permanent error, or too many attempts
    MERGED = "merged"  # answered by the reply of a later message of the same burst


class DeliveryOutcome(BaseModel):
    """How one attempt ended: sent, failed for good, or to be retried at `retry_at`."""

    model_config = ConfigDict(frozen=True)

    state: DeliveryState
    error: str | None = None
    retry_at: datetime | None = None
    merged_into: str | None = None

    @classmethod
    def sent(cls) -> DeliveryOutcome:
        return cls(state=DeliveryState.SENT)

    @classmethod
    def failed(cls, error: str) -> DeliveryOutcome:
        return cls(state=DeliveryState.FAILED, error=error[:MAX_ERROR_CHARS])

    @classmethod
    def retry(cls, error: str, at: datetime) -> DeliveryOutcome:
        return cls(state=DeliveryState.PENDING, error=error[:MAX_ERROR_CHARS], retry_at=at)

    @classmethod
    def merged(cls, head_id: str) -> DeliveryOutcome:
        return cls(state=DeliveryState.MERGED, merged_into=head_id)


class Delivery(BaseModel):
    """The outbox entry of one inbound message: what was sent of its reply, and by whom."""

    model_config = ConfigDict(frozen=True)

    state: DeliveryState = DeliveryState.PENDING
    parts_sent: int = 0
    attempts: int = 0  # claims taken, i.e. attempts started
    last_error: str | None = None
    provider_ids: tuple[str, ...] = ()  # the provider's id of each part accepted, in order
    claimed_by: str | None = None
    # While claimed: the lease's end. After a retryable failure (claimed_by None): the
    # earliest time of the next attempt.
    claimed_until: datetime | None = None
    finished_at: datetime | None = None
    # Burst bookkeeping: on a head, the earlier messages its reply answers too (fixed before its
    # turn); on a merged delivery, the head that answered it.
    merged_from: tuple[str, ...] = ()
    merged_into: str | None = None

    def claimable_by(self, worker: str, now: datetime) -> bool:
        if self.state != DeliveryState.PENDING:
            return False
        return self.claimed_by == worker or self.claimed_until is None or self.claimed_until <= now

    def claim(self, worker: str, until: datetime) -> Delivery:
        return self.model_copy(update={"claimed_by": worker, "claimed_until": until, "attempts": self.attempts + 1})

    def with_burst(self, worker: str, merged_from: tuple[str, ...]) -> Delivery | None:
        """Fix the burst this delivery heads; None when the claim is lost or another burst is
        already fixed (a burst never changes once recorded, so a re-run cannot re-merge)."""
        if self.state != DeliveryState.PENDING or self.claimed_by != worker:
            return None
        if self.merged_from:
            return self if self.merged_from == merged_from else None
        return self.model_copy(update={"merged_from": merged_from})

    def with_part(self, worker: str, index: int, provider_id: str, lease_until: datetime) -> Delivery | None:
        """Part `index` accepted; None when this worker no longer holds the claim or the part
        was already recorded (then the caller must stop: someone else is on it)."""
        if self.state != DeliveryState.PENDING or self.claimed_by != worker or self.parts_sent != index:
            return None
        return self.model_copy(
            update={
                "parts_sent": index + 1,
                "provider_ids": (*self.provider_ids, provider_id),
                "claimed_until": lease_until,
            }
        )

    def finish(self, worker: str, outcome: DeliveryOutcome, now: datetime) -> Delivery | None:
        """The attempt is over; None when this worker no longer holds the claim."""
        if self.state != DeliveryState.PENDING or self.claimed_by != worker:
            return None
        final = outcome.state != DeliveryState.PENDING
        return self.model_copy(
            update={
                "state": outcome.state,
                "last_error": outcome.error,
                "claimed_by": None,
                "claimed_until": None if final else outcome.retry_at,
                "finished_at": now if final else None,
                "merged_into": outcome.merged_into,
            }
        )
