"""Replies through the messaging provider's API: one user at a time, in arrival order, each
part exactly once.

The webhook only records the message (`accept`) and answers; `deliver(user)` then runs on the
engine, and the periodic `sweep` finishes whatever a dead or failed worker left behind.

`deliver` holds the user's lock while it works through *all* of the user's unfinished
deliveries, oldest first: whichever task gets the lock first answers every waiting message in
order, so two quick messages are answered in the order they came even if their tasks start
the other way round. Each delivery is claimed first (a lease in the inbound log, see
app.domain.delivery), which keeps workers of other processes off it even if they got past the
lock, and each part is recorded as soon as the provider accepted it, so a retry resumes with
the next part.

The one window that cannot be closed: a worker that dies after the provider accepted a part
and before that part is recorded (or a request that times out although the provider got it)
makes the retry send that one part again. Every other crash loses nothing and repeats nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from app.application.errors import PermanentDeliveryError, StoreUnavailableError, TransientDeliveryError
from app.application.ports import DeliveryCounts, InboundLog, InboundRecord, ReplySender, UserMemoryRepository
from app.application.process_message import ProcessIncomingMessage
from app.domain.delivery import DeliveryOutcome
from app.domain.messages import InboundMessage, Reply

logger = logging.getLogger(__name__)


class DeliveryPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    # A claim's lease, renewed by every part: longer than a turn plus one part's retries, so a
    # live worker never loses it; a dead worker's delivery is taken over after it.
    claim_seconds: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=5, ge=1)
    retry_first_seconds: float = Field(default=5.0, ge=0)  # doubled after each failed attempt
    retry_max_seconds: float = Field(default=120.0, ge=0)
    # The sweep leaves younger deliveries to the task the webhook started for them.
    overdue_after_seconds: float = Field(default=10.0, ge=0)
    sweep_batch: int = Field(default=200, ge=1)


class SweepResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    users: int = 0
    finished: int = 0


class _Step(Enum):
    DONE = "done"  # sent or failed for good: on to the user's next message
    BLOCKED = "blocked"  # claimed elsewhere, or to be retried later: the user's later messages wait


class DeliverReplies:
    """Runs the turn of each recorded message and sends its reply's unsent parts."""

    def __init__(
        self,
        *,
        process: ProcessIncomingMessage,
        inbound_log: InboundLog,
        memory: UserMemoryRepository,
        sender: ReplySender,
        clock: Callable[[], datetime],
        worker: str,
        policy: DeliveryPolicy | None = None,
    ) -> None:
        self._process = process
        self._inbound = inbound_log
        self._memory = memory
        self._sender = sender
        self._clock = clock
        self._worker = worker
        self._policy = policy or DeliveryPolicy()

    async def accept(self, message: InboundMessage) -> bool:
        """Record the message durably; False for a delivery already recorded (a duplicate)."""
        return await self._inbound.record_for_delivery(message)

    async def deliver(self, user_id: str) -> int:
        """Answer the user's waiting messages in arrival order; how many were finished."""
        async with self._memory.user_lock(user_id):
            return await self._drain(user_id)

    async def sweep(self) -> SweepResult:
        """Finish overdue deliveries (a worker died, or a retry is due), one user at a time."""
        now = self._clock()
        waiting = await self._inbound.pending_deliveries(limit=self._policy.sweep_batch)
        users = list(dict.fromkeys(r.user_id for r in waiting if self._overdue(r, now)))
        finished = 0
        for user_id in users:
            try:
                finished += await self.deliver(user_id)
            except StoreUnavailableError as error:
                # The next sweep tries again; the other users need not wait for it.
                logger.warning("delivery sweep: replies to %s wait for the next sweep: %s", user_id, error)
        if users:
            logger.info("delivery sweep: %d users with overdue replies, %d replies finished", len(users), finished)
        return SweepResult(users=len(users), finished=finished)

    async def counts(self) -> DeliveryCounts:
        return await self._inbound.delivery_counts()

    # --- one user ------------------------------------------------------------------------------

    async def _drain(self, user_id: str) -> int:
        finished = 0
        while backlog := await self._inbound.pending_deliveries(user_id=user_id):
            # Looked up again after each pass: messages that came in meanwhile are answered too.
            for record in backlog:
                if await self._deliver_one(record) is _Step.BLOCKED:
                    return finished
                finished += 1
        return finished

    async def _deliver_one(self, record: InboundRecord) -> _Step:
        now = self._clock()
        claimed = await self._inbound.claim_delivery(
            record.message_id, self._worker, now + timedelta(seconds=self._policy.claim_seconds), now
        )
        if claimed is None or claimed.delivery is None:
            return _Step.BLOCKED
        if claimed.delivery.attempts > self._policy.max_attempts:
            # Its last attempt's worker died: no more tries.
            reason = f"gave up after {claimed.delivery.attempts - 1} attempts: {claimed.delivery.last_error}"
            return await self._end(claimed, DeliveryOutcome.failed(reason))
        try:
            reply = claimed.reply or await self._turn(claimed)
            if not await self._send_remaining(claimed, reply):
                return _Step.BLOCKED
        except PermanentDeliveryError as error:
            logger.error("reply to %s not delivered: %s", claimed.message_id, error)
            return await self._end(claimed, DeliveryOutcome.failed(str(error)))
        except TransientDeliveryError as error:
            logger.warning("reply to %s not delivered yet: %s", claimed.message_id, error)
            return await self._end(claimed, self._retry_or_fail(claimed, error))
        except Exception as error:  # a store or the turn failed: try again later, like the provider
            logger.warning("reply to %s not delivered yet: %s", claimed.message_id, error, exc_info=True)
            return await self._end(claimed, self._retry_or_fail(claimed, error))
        return await self._end(claimed, DeliveryOutcome.sent())

    async def _turn(self, record: InboundRecord) -> Reply:
        if record.message is None:
            raise PermanentDeliveryError("the message itself was not stored; it cannot be answered")
        return await self._process.execute_locked(record.message)

    async def _send_remaining(self, record: InboundRecord, reply: Reply) -> bool:
        """Send the parts not sent yet, recording each; False when the claim was lost."""
        assert record.delivery is not None
        total = len(reply.parts)
        for index in range(record.delivery.parts_sent, total):
            provider_id = await self._sender.send(record.user_id, reply.parts[index])
            lease_until = self._clock() + timedelta(seconds=self._policy.claim_seconds)
            if not await self._inbound.record_part_sent(
                record.message_id, self._worker, index, provider_id, lease_until
            ):
                logger.warning("lost the claim on %s after part %d/%d", record.message_id, index + 1, total)
                return False
            logger.info("reply to %s: part %d/%d sent as %s", record.message_id, index + 1, total, provider_id)
        return True

    async def _end(self, record: InboundRecord, outcome: DeliveryOutcome) -> _Step:
        if not await self._inbound.finish_delivery(record.message_id, self._worker, outcome, self._clock()):
            return _Step.BLOCKED
        return _Step.BLOCKED if outcome.retry_at is not None else _Step.DONE

    def _retry_or_fail(self, record: InboundRecord, error: Exception) -> DeliveryOutcome:
        attempts = record.delivery.attempts if record.delivery else 1
        if attempts >= self._policy.max_attempts:
            return DeliveryOutcome.failed(f"gave up after {attempts} attempts: {error}")
        delay = min(self._policy.retry_first_seconds * 2 ** (attempts - 1), self._policy.retry_max_seconds)
        return DeliveryOutcome.retry(str(error) or type(error).__name__, self._clock() + timedelta(seconds=delay))

    def _overdue(self, record: InboundRecord, now: datetime) -> bool:
        delivery = record.delivery
        if delivery is None or now - record.received_at < timedelta(seconds=self._policy.overdue_after_seconds):
            return False
        return delivery.claimed_until is None or delivery.claimed_until <= now
