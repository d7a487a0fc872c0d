"""Follow-up campaigns: an approved WhatsApp template to a list of leads, once per contact.

`RunCampaign` has two phases, both safe to repeat:

1. *Plan*: read the list (the lead report's own list definitions: a re-engagement window, a
   stage, an interest), name who is excluded and why (opted out, no marketing consent, no
   value for a placeholder), render each remaining contact's template values and record them
   `pending` under the campaign's name. A contact already recorded for this campaign is never
   planned again: re-running sends nothing to them.
2. *Deliver*: every unsent row, paced by a token bucket at the sender's rate: recorded
   `sending` (after checking consent and opt-out once more) *before* the request, `sent` with
   the provider's id after. A row a crashed run left `sending` is first looked up in the
   provider's message list; found, it is only recorded. Twilio's API takes no idempotency
   key, so that lookup is what keeps a resumed run from sending twice.

`--dry-run` runs the plan without writing and reports who would get what.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.application.campaign_ports import (
    CampaignSend,
    CampaignStore,
    PlannedSend,
    StatusCount,
    TemplateSender,
)
from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.application.lead_report import (
    REENGAGEMENT_WINDOWS,
    LeadQuery,
    ReportFilters,
    lead_query_for,
    reengagement_key,
    reengagement_query,
)
from app.application.token_bucket import TokenBucket
from app.domain.campaigns import (
    CAMPAIGN_NAME,
    CONTENT_SID,
    CampaignContact,
    Exclusion,
    SendState,
    VariableSpec,
    exclusion_for,
    render_variables,
)
from app.domain.lead_scoring import MAX_SCORE, MIN_SCORE, LeadStage
from app.domain.outgoing import FAILED_STATUSES, MAX_ERROR_CHARS, NAMED_ERROR_CODES

logger = logging.getLogger(__name__)

PAGE_SIZE = 500
EXAMPLES_PER_REASON = 20
# The provider's list is searched from a little before the row was marked `sending`: the
# clocks of the database, this machine and the provider differ (as for reply parts).
CLOCK_SKEW = timedelta(minutes=2)
# This many transient failures in a row (an outage) stop the run; the same command resumes it.
MAX_CONSECUTIVE_TRANSIENT = 5
PROGRESS_EVERY_SECONDS = 1.0
DEFAULT_RATE = 10.0  # WhatsApp senders start at about 10 messages a second
ALL_LEADS = "todos"


class CampaignError(Exception):
    """A campaign that cannot run as asked; the message is for the marketer, in Spanish."""


class Audience(BaseModel):
    """Who the campaign is for: a report list and/or a stage, an interest, a minimum score."""

    model_config = ConfigDict(frozen=True)

    list_key: str | None = None  # reenganche_30_89, reenganche_90_mas or todos
    stage: LeadStage | None = None
    interest: str | None = None
    min_score: int | None = Field(default=None, ge=MIN_SCORE, le=MAX_SCORE)

    @model_validator(mode="after")
    def _chosen(self) -> Audience:
        if self.list_key is None and self.stage is None and self.interest is None and self.min_score is None:
            raise ValueError("choose a list, a stage, an interest or a minimum score")
        if self.list_key is not None and self.list_key not in audience_lists():
            raise ValueError(f"unknown list {self.list_key!r}")
        if self.stage == LeadStage.BAJA:
            raise ValueError("opted-out contacts never get a campaign")
        return self


class CampaignRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    campaign: str = Field(pattern=CAMPAIGN_NAME.pattern)
    content_sid: str = Field(pattern=CONTENT_SID.pattern)
    variables: tuple[VariableSpec, ...] = ()
    audience: Audience
    rate: float = Field(default=DEFAULT_RATE, gt=0, le=1000)
    concurrency: int = Field(default=8, ge=1, le=64)  # requests in flight: rate x provider latency
    dry_run: bool = False

    @model_validator(mode="after")
    def _one_value_per_placeholder(self) -> CampaignRequest:
        placeholders = [spec.placeholder for spec in self.variables]
        if len(set(placeholders)) != len(placeholders):
            raise ValueError("a placeholder is given twice")
        return self


class ExcludedContact(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str | None
    reason: Exclusion
    detail: str | None = None


class CampaignProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    to_send: int
    sent: int
    failed: int
    skipped: int  # excluded at send time, or found already at the provider
    left_unsent: int
    elapsed_seconds: float

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped + self.left_unsent


class CampaignOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    campaign: str
    content_sid: str
    dry_run: bool
    rate: float
    listed: int  # contacts on the list, excluded ones included
    planned: int  # new sends recorded (or, in a dry run, that would be)
    recorded_before: dict[SendState, int]  # on the list and already in this campaign
    excluded: dict[Exclusion, int]
    excluded_examples: tuple[ExcludedContact, ...]
    to_send: int = 0  # unsent rows this run delivered (new and resumed)
    sent: int = 0
    reconciled: int = 0  # left `sending` by an earlier run and found at the provider
    failed: dict[int, int] = Field(default_factory=dict)  # provider code (0: none) -> sends
    excluded_at_send: dict[Exclusion, int] = Field(default_factory=dict)
    left_unsent: int = 0  # transient failures: the next run looks them up and sends them
    stopped: str | None = None  # why delivery stopped early
    seconds: float = 0.0

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    @property
    def messages_per_second(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0


def audience_lists() -> dict[str, tuple[int, int | None] | None]:
    """`--list` names: the report's re-engagement lists, and every lead."""
    lists: dict[str, tuple[int, int | None] | None] = {reengagement_key(w): w for w in REENGAGEMENT_WINDOWS}
    lists[ALL_LEADS] = None
    return lists


def audience_query(audience: Audience, now: datetime) -> LeadQuery:
    """The report's own query for the list, without its consent and opt-out filters: the
    campaign names those contacts as excluded instead of silently leaving them out."""
    filters = ReportFilters(min_score=audience.min_score, interest=audience.interest, stage=audience.stage)
    window = audience_lists().get(audience.list_key) if audience.list_key else None
    query = reengagement_query(window, filters, now) if window else lead_query_for(filters, now)
    return query.model_copy(update={"consent_only": False})


@dataclass
class _Tally:
    listed: int = 0
    planned: int = 0
    recorded_before: Counter[SendState] = field(default_factory=Counter)
    excluded: Counter[Exclusion] = field(default_factory=Counter)
    examples: list[ExcludedContact] = field(default_factory=list)
    to_send: int = 0
    sent: int = 0
    reconciled: int = 0
    failed: Counter[int] = field(default_factory=Counter)
    excluded_at_send: Counter[Exclusion] = field(default_factory=Counter)
    left_unsent: int = 0
    transient_in_a_row: int = 0
    stopped: str | None = None

    def exclude(self, contact: CampaignContact, reason: Exclusion, detail: str | None = None) -> None:
        self.excluded[reason] += 1
        if self.excluded[reason] <= EXAMPLES_PER_REASON:
            example = ExcludedContact(user_id=contact.user_id, name=contact.name, reason=reason, detail=detail)
            self.examples.append(example)

    def progress(self, elapsed: float) -> CampaignProgress:
        return CampaignProgress(
            to_send=self.to_send,
            sent=self.sent,
            failed=sum(self.failed.values()),
            skipped=self.reconciled + sum(self.excluded_at_send.values()),
            left_unsent=self.left_unsent,
            elapsed_seconds=elapsed,
        )


class RunCampaign:
    def __init__(
        self,
        store: CampaignStore,
        sender: TemplateSender | None,
        clock: Callable[[], datetime],
        status_callback: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._sender = sender
        self._clock = clock
        self._status_callback = status_callback
        self._monotonic = monotonic

    async def execute(
        self,
        request: CampaignRequest,
        on_planned: Callable[[PlannedSend], None] | None = None,
        on_progress: Callable[[CampaignProgress], None] | None = None,
    ) -> CampaignOutcome:
        started = self._monotonic()
        tally = _Tally()
        if request.dry_run:
            await self._plan(request, tally, on_planned)
        else:
            if self._sender is None:
                raise CampaignError("no hay remitente de Twilio configurado para enviar")
            async with self._store.exclusive(request.campaign) as alone:
                if not alone:
                    raise CampaignError(f"la campaña {request.campaign!r} se está enviando en otro proceso")
                await self._check_template(request)
                await self._plan(request, tally, on_planned)
                await self._deliver(request, tally, started, on_progress)
        return CampaignOutcome(
            campaign=request.campaign,
            content_sid=request.content_sid,
            dry_run=request.dry_run,
            rate=request.rate,
            listed=tally.listed,
            planned=tally.planned,
            recorded_before=dict(tally.recorded_before),
            excluded=dict(tally.excluded),
            excluded_examples=tuple(tally.examples),
            to_send=tally.to_send,
            sent=tally.sent,
            reconciled=tally.reconciled,
            failed=dict(tally.failed),
            excluded_at_send=dict(tally.excluded_at_send),
            left_unsent=tally.left_unsent,
            stopped=tally.stopped,
            seconds=self._monotonic() - started,
        )

    async def _check_template(self, request: CampaignRequest) -> None:
        """One campaign, one template: a name reused with another template would skip
        everyone who got the first one."""
        others = [sid for sid in await self._store.campaign_templates(request.campaign) if sid != request.content_sid]
        if others:
            raise CampaignError(
                f"la campaña {request.campaign!r} ya se envió con la plantilla {others[0]}; "
                "use otro nombre de campaña (--campaign) para una plantilla distinta"
            )

    async def _plan(
        self, request: CampaignRequest, tally: _Tally, on_planned: Callable[[PlannedSend], None] | None
    ) -> None:
        query = audience_query(request.audience, self._clock())
        after: str | None = None
        while page := await self._store.audience_page(request.campaign, query, after, PAGE_SIZE):
            after = page[-1].user_id
            planned = [send for contact in page if (send := self._planned(contact, request, tally)) is not None]
            if request.dry_run:
                for send in planned:
                    if on_planned is not None:
                        on_planned(send)
            elif planned:
                await self._store.record_planned(request.campaign, request.content_sid, planned)
            tally.planned += len(planned)

    @staticmethod
    def _planned(contact: CampaignContact, request: CampaignRequest, tally: _Tally) -> PlannedSend | None:
        tally.listed += 1
        if contact.send_state is not None:
            tally.recorded_before[contact.send_state] += 1
            return None
        reason = exclusion_for(contact)
        if reason is not None:
            tally.exclude(contact, reason)
            return None
        rendered = render_variables(contact, request.variables)
        if rendered.missing:
            fields = {spec.placeholder: spec.field.value for spec in request.variables}
            detail = ", ".join(f"{{{{{p}}}}} ({fields[p]})" for p in rendered.missing)
            tally.exclude(contact, Exclusion.MISSING_VALUE, detail)
            return None
        return PlannedSend(contact=contact, variables=rendered.values)

    async def _deliver(
        self,
        request: CampaignRequest,
        tally: _Tally,
        started: float,
        on_progress: Callable[[CampaignProgress], None] | None,
    ) -> None:
        tally.to_send = await self._store.count_unsent(request.campaign)
        if tally.to_send == 0:
            return
        bucket = TokenBucket(request.rate)
        rows: asyncio.Queue[CampaignSend | None] = asyncio.Queue(maxsize=request.concurrency * 2)
        stop = asyncio.Event()
        last_report = [self._monotonic()]

        def report(final: bool = False) -> None:
            now = self._monotonic()
            if on_progress is not None and (final or now - last_report[0] >= PROGRESS_EVERY_SECONDS):
                last_report[0] = now
                on_progress(tally.progress(now - started))

        async def produce() -> None:
            after: str | None = None
            while not stop.is_set() and (page := await self._store.unsent_page(request.campaign, after, PAGE_SIZE)):
                after = page[-1].user_id
                for row in page:
                    await rows.put(row)
            for _ in range(request.concurrency):
                await rows.put(None)

        async def consume() -> None:
            while (row := await rows.get()) is not None:
                if not stop.is_set():
                    await self._deliver_one(row, bucket, tally, stop)
                    report()

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(produce())
                for _ in range(request.concurrency):
                    group.create_task(consume())
        except ExceptionGroup as errors:
            raise errors.exceptions[0] from None  # the first failure (a lost database, say) as is
        report(final=True)

    async def _deliver_one(self, row: CampaignSend, bucket: TokenBucket, tally: _Tally, stop: asyncio.Event) -> None:
        assert self._sender is not None
        try:
            if row.state == SendState.SENDING and row.sending_at is not None:
                found = await self._find_at_provider(row)
                if found is not None:
                    logger.info("campaign %s: a send left unfinished had reached Twilio; recorded", row.campaign)
                    await self._store.mark_sent(row.campaign, row.user_id, found, self._clock())
                    tally.reconciled += 1
                    return
            await bucket.acquire()
            claim = await self._store.claim(row.campaign, row.user_id, self._clock())
            if not claim.claimed:
                if claim.exclusion is not None:
                    tally.excluded_at_send[claim.exclusion] += 1
                return
            provider_sid = await self._sender.send_template(
                row.user_id, row.content_sid, row.variables, self._status_callback
            )
        except PermanentDeliveryError as error:
            await self._store.mark_failed(
                row.campaign, row.user_id, error.code, str(error)[:MAX_ERROR_CHARS], self._clock()
            )
            tally.failed[error.code or 0] += 1
            tally.transient_in_a_row = 0
            return
        except TransientDeliveryError as error:
            # Left `sending` (or pending): whether Twilio got it is unknown; the next run looks.
            tally.left_unsent += 1
            tally.transient_in_a_row += 1
            logger.warning("campaign %s: send not confirmed, left for the next run: %s", row.campaign, error)
            if tally.transient_in_a_row >= MAX_CONSECUTIVE_TRANSIENT and not stop.is_set():
                tally.stopped = f"Twilio falló {tally.transient_in_a_row} veces seguidas: {error}"
                stop.set()
            return
        await self._store.mark_sent(row.campaign, row.user_id, provider_sid, self._clock())
        tally.sent += 1
        tally.transient_in_a_row = 0

    async def _find_at_provider(self, row: CampaignSend) -> str | None:
        """A message to this contact since the row went `sending`, showing every rendered
        value (Twilio lists a template message with its text filled in) and recorded as
        nothing else (not a reply part, not another campaign's send)."""
        assert self._sender is not None and row.sending_at is not None
        messages = await self._sender.recent_messages(row.user_id, row.sending_at - CLOCK_SKEW)
        candidates = [m.sid for m in messages if all(value in m.body for value in row.variables.values()) or not m.body]
        if not candidates:
            return None
        known = await self._store.known_provider_sids(candidates)
        return next((sid for sid in candidates if sid not in known), None)


# --- the summary from the status callbacks -----------------------------------------------------


class FailureWhere(StrEnum):
    AT_SEND = "al enviar"
    REPORTED = "informado por Twilio"


class FailureCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: int | None
    meaning: str | None
    where: FailureWhere
    count: int


class CampaignSummary(BaseModel):
    """A campaign's sends and what Twilio reported about them (POST /webhook/status)."""

    model_config = ConfigDict(frozen=True)

    campaign: str
    recorded: int
    unsent: int  # pending or sending: the next run sends (or reconciles) them
    accepted: int  # Twilio took the message
    refused: int  # failed at send time (Twilio's 4xx, or excluded just before sending)
    no_status_yet: int  # accepted, no callback received yet
    in_transit: int  # queued / sending / sent, not delivered yet
    delivered: int  # delivered or read
    read: int
    failed_after: int  # accepted, then failed or undelivered
    failures: tuple[FailureCount, ...]


def summarize(campaign: str, counts: list[StatusCount]) -> CampaignSummary:
    def total(condition: Callable[[StatusCount], bool]) -> int:
        return sum(c.count for c in counts if condition(c))

    accepted = [c for c in counts if c.state == SendState.SENT]
    failures: Counter[tuple[int | None, FailureWhere]] = Counter()
    for c in counts:
        if c.state == SendState.FAILED:
            failures[(c.error_code, FailureWhere.AT_SEND)] += c.count
        elif c.state == SendState.SENT and c.status in FAILED_STATUSES:
            failures[(c.error_code, FailureWhere.REPORTED)] += c.count
    return CampaignSummary(
        campaign=campaign,
        recorded=total(lambda c: True),
        unsent=total(lambda c: c.state in (SendState.PENDING, SendState.SENDING)),
        accepted=sum(c.count for c in accepted),
        refused=total(lambda c: c.state == SendState.FAILED),
        no_status_yet=sum(c.count for c in accepted if c.status is None),
        in_transit=sum(c.count for c in accepted if c.status in ("accepted", "scheduled", "queued", "sending", "sent")),
        delivered=sum(c.count for c in accepted if c.status in ("delivered", "read")),
        read=sum(c.count for c in accepted if c.status == "read"),
        failed_after=sum(c.count for c in accepted if c.status in FAILED_STATUSES),
        failures=tuple(
            FailureCount(code=code, meaning=NAMED_ERROR_CODES.get(code or 0), where=where, count=n)
            for (code, where), n in sorted(failures.items(), key=lambda item: (-item[1], item[0][0] or 0))
        ),
    )


class SummarizeCampaign:
    def __init__(self, store: CampaignStore) -> None:
        self._store = store

    async def execute(self, campaign: str) -> CampaignSummary | None:
        counts = await self._store.status_counts(campaign)
        return summarize(campaign, counts) if counts else None
