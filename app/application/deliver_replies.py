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

A burst of short messages (each within `burst_window_seconds` of the one before) is answered
by one turn and one reply. The task a message started first waits, without the lock, until
the user has been quiet for the window (at most `burst_max_wait_factor` windows in all, so a
chatty user is still answered). The burst's last message is its head: the earlier ones are
listed on it before the turn (so the burst is fixed durably, once), the turn reads their
texts together and its reply is stored on the head, then the earlier ones are marked merged
into it and the head's parts are sent. A crash at any point leaves either a burst not fixed
yet (formed again, nothing was answered), or a head that names its members (finished as
that burst, with the stored reply if the turn had run): never a second turn or a second reply.

The one window that cannot be closed: a worker that dies after the provider accepted a part
and before that part is recorded (or a request that times out although the provider got it)
makes the retry send that one part again. Every other crash loses nothing and repeats nothing.
"""

from __future__ import annotations

import asyncio
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
    # Messages of one user at most this far apart are one burst, answered by one turn; 0: each
    # message is answered on its own.
    burst_window_seconds: float = Field(default=0.0, ge=0)
    # A task waits for a burst to settle at most this many windows, so a chatty user is
    # still answered.
    burst_max_wait_factor: float = Field(default=3.0, ge=1)
    burst_max_messages: int = Field(default=10, ge=1)


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
        """Answer the user's waiting messages in arrival order, once a burst has settled; how
        many messages were finished."""
        await self._settle(user_id)
        return await self._deliver_now(user_id)

    async def sweep(self) -> SweepResult:
        """Finish overdue deliveries (a worker died, or a retry is due), one user at a time."""
        now = self._clock()
        waiting = await self._inbound.pending_deliveries(limit=self._policy.sweep_batch)
        users = list(dict.fromkeys(r.user_id for r in waiting if self._overdue(r, now)))
        finished = 0
        for user_id in users:
            try:
                # No waiting for bursts here: these are overdue, and the other users come next.
                finished += await self._deliver_now(user_id)
            except StoreUnavailableError as error:
                # The next sweep tries again; the other users need not wait for it.
                logger.warning("delivery sweep: replies to %s wait for the next sweep: %s", user_id, error)
        if users:
            logger.info("delivery sweep: %d users with overdue replies, %d replies finished", len(users), finished)
        return SweepResult(users=len(users), finished=finished)

    async def counts(self) -> DeliveryCounts:
        return await self._inbound.delivery_counts()

    # --- one user ------------------------------------------------------------------------------

    async def _deliver_now(self, user_id: str) -> int:
        async with self._memory.user_lock(user_id):
            return await self._drain(user_id)

    async def _settle(self, user_id: str) -> None:
        """Wait, on the loop and without the user's lock, until the user's newest unanswered
        message is a window old: a burst still being typed is then answered by one turn."""
        window = self._policy.burst_window_seconds
        budget = window * self._policy.burst_max_wait_factor
        waited = 0.0
        while waited < budget:
            try:
                waiting = await self._inbound.pending_deliveries(user_id=user_id)
            except StoreUnavailableError:
                return  # the delivery itself reports the store's trouble
            unanswered = [r.received_at for r in waiting if r.reply is None]
            if not unanswered:
                return
            pause = min(window - (self._clock() - max(unanswered)).total_seconds(), budget - waited)
            if pause <= 0:
                return
            await asyncio.sleep(pause)
            waited += pause

    async def _drain(self, user_id: str) -> int:
        finished = 0
        while backlog := await self._inbound.pending_deliveries(user_id=user_id):
            # Looked up again after each burst: messages that came in meanwhile are answered
            # too, except a burst still arriving: the task its newest message started is
            # waiting for it to settle and answers it next (the first burst always goes, so a
            # task that stopped waiting at its limit answers a chatty user).
            burst = self._next_burst(backlog)
            if finished and self._still_arriving(burst[-1]):
                return finished
            if await self._deliver_burst(burst) is _Step.BLOCKED:
                return finished
            finished += len(burst)
        return finished

    def _next_burst(self, backlog: list[InboundRecord]) -> list[InboundRecord]:
        """The oldest waiting message and the ones answered with it, head last."""
        first = backlog[0]
        fixed = next((r for r in backlog if r.delivery and first.message_id in r.delivery.merged_from), None)
        if fixed is not None:
            # A burst fixed before a crash: its members still waiting and its head, nothing else.
            assert fixed.delivery is not None
            return [*(r for r in backlog if r.message_id in fixed.delivery.merged_from), fixed]
        owned = {member for r in backlog if r.delivery for member in r.delivery.merged_from}
        window = timedelta(seconds=self._policy.burst_window_seconds)
        burst = [first]
        for record in backlog[1:]:
            if len(burst) >= self._policy.burst_max_messages or record.received_at - burst[-1].received_at > window:
                break
            if not (self._mergeable(burst[-1], owned) and self._mergeable(record, owned)):
                break
            burst.append(record)
        return burst

    def _mergeable(self, record: InboundRecord, owned: set[str]) -> bool:
        """Not answered yet and not part of another burst: a reply stored, or a burst fixed,
        is never changed."""
        return (
            self._policy.burst_window_seconds > 0
            and record.reply is None
            and record.message is not None
            and record.delivery is not None
            and not record.delivery.merged_from
            and record.message_id not in owned
        )

    def _still_arriving(self, newest: InboundRecord) -> bool:
        window = timedelta(seconds=self._policy.burst_window_seconds)
        return bool(window) and newest.reply is None and self._clock() - newest.received_at < window

    async def _deliver_burst(self, burst: list[InboundRecord]) -> _Step:
        """One turn and one reply for the burst (often a single message), sent by its head."""
        claimed = await self._claim_all(burst)
        if claimed is None:
            return _Step.BLOCKED
        *members, head = claimed
        assert head.delivery is not None
        if head.delivery.attempts > self._policy.max_attempts:
            # Its last attempt's worker died: no more tries.
            reason = f"gave up after {head.delivery.attempts - 1} attempts: {head.delivery.last_error}"
            return await self._end(head, members, DeliveryOutcome.failed(reason))
        try:
            fixed = await self._fix_burst(head, members)
            if fixed is None:
                return _Step.BLOCKED
            head = fixed
            reply = head.reply or await self._turn(head)
            if not await self._merge(members, head.message_id):
                return _Step.BLOCKED
            members = []
            if not await self._send_remaining(head, reply):
                return _Step.BLOCKED
        except PermanentDeliveryError as error:
            logger.error("reply to %s not delivered: %s", head.message_id, error)
            return await self._end(head, members, DeliveryOutcome.failed(str(error)))
        except TransientDeliveryError as error:
            logger.warning("reply to %s not delivered yet: %s", head.message_id, error)
            return await self._end(head, members, self._retry_or_fail(head, error))
        except Exception as error:  # a store or the turn failed: try again later, like the provider
            logger.warning("reply to %s not delivered yet: %s", head.message_id, error, exc_info=True)
            return await self._end(head, members, self._retry_or_fail(head, error))
        return await self._end(head, [], DeliveryOutcome.sent())

    async def _claim_all(self, burst: list[InboundRecord]) -> list[InboundRecord] | None:
        """Claim every message of the burst, oldest first; None when one is held elsewhere (the
        claims already taken run out, or are taken again by this worker)."""
        claimed = []
        for record in burst:
            now = self._clock()
            until = now + timedelta(seconds=self._policy.claim_seconds)
            taken = await self._inbound.claim_delivery(record.message_id, self._worker, until, now)
            if taken is None or taken.delivery is None:
                return None
            claimed.append(taken)
        return claimed

    async def _fix_burst(self, head: InboundRecord, members: list[InboundRecord]) -> InboundRecord | None:
        """Record the burst on its head before the turn; None when the claim was lost."""
        assert head.delivery is not None
        merged_from = tuple(m.message_id for m in members)
        if not merged_from or head.delivery.merged_from:
            return head  # a single message, or a burst fixed by an attempt that died
        if not await self._inbound.record_burst(head.message_id, self._worker, merged_from):
            return None
        logger.info("messages %s merged into %s: one turn, one reply", ", ".join(merged_from), head.message_id)
        return head.model_copy(update={"delivery": head.delivery.model_copy(update={"merged_from": merged_from})})

    async def _turn(self, head: InboundRecord) -> Reply:
        if head.message is None:
            raise PermanentDeliveryError("the message itself was not stored; it cannot be answered")
        return await self._process.execute_locked(head.message, await self._earlier_messages(head))

    async def _earlier_messages(self, head: InboundRecord) -> tuple[InboundMessage, ...]:
        """The burst's earlier messages, read from the log: some may already be marked merged."""
        assert head.delivery is not None
        found = []
        for message_id in head.delivery.merged_from:
            record = await self._inbound.get(message_id)
            if record is not None and record.message is not None:
                found.append(record.message)
        return tuple(sorted(found, key=lambda m: (m.received_at, m.message_id)))

    async def _merge(self, members: list[InboundRecord], head_id: str) -> bool:
        """The head's reply is stored: its earlier messages are done. False when a claim was lost."""
        for member in members:
            outcome = DeliveryOutcome.merged(head_id)
            if not await self._inbound.finish_delivery(member.message_id, self._worker, outcome, self._clock()):
                logger.warning("lost the claim on %s before marking it merged into %s", member.message_id, head_id)
                return False
        return True

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

    async def _end(self, record: InboundRecord, members: list[InboundRecord], outcome: DeliveryOutcome) -> _Step:
        # The burst's earlier messages share the head's fate: merged into it once it is final
        # (sent or given up), retried with it otherwise.
        shared = outcome if outcome.retry_at is not None else DeliveryOutcome.merged(record.message_id)
        for member in members:
            await self._inbound.finish_delivery(member.message_id, self._worker, shared, self._clock())
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
