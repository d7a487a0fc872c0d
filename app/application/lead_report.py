"""The marketers' lead report: what it contains, the port it reads from, the use cases.

Two adapters implement `LeadReportSource`: PostgreSQL (aggregates and LIMITed lists in SQL,
app/infrastructure/postgres/lead_report.py) and the JSON memory (every memory in Python,
app/infrastructure/json_store/lead_report_source.py). The use cases here turn their answers
into one `LeadReport`, so both stores give the same report for the same memories.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.lead_scoring import (
    ACTIVE_STAGES,
    MAX_SCORE,
    MIN_SCORE,
    LeadScore,
    LeadStage,
    score_lead,
    stage_for,
    stage_score_range,
)
from app.domain.memory import UserMemory
from app.domain.text import normalize
from app.domain.topics import TOPIC_SYNONYMS, extract_topics

# Re-engagement lists of the original plans: consenting contacts silent for 30-89 days and
# for 90 days or more (two campaigns, two messages).
REENGAGEMENT_WINDOWS: tuple[tuple[int, int | None], ...] = ((30, 90), (90, None))
ACTIVE_WINDOWS_DAYS = (7, 30)
NEW_LEADS_DAYS = 30
TOP_INTERESTS = 10
TOP_COURSES = 10
SCORE_BUCKET_WIDTH = 10
MAX_LIST_LIMIT = 100_000


class ReportFilters(BaseModel):
    """What the marketer asked for; they narrow the lead lists, never the totals."""

    model_config = ConfigDict(frozen=True)

    min_score: int | None = Field(default=None, ge=MIN_SCORE, le=MAX_SCORE)
    since: datetime | None = None
    interest: str | None = None
    stage: LeadStage | None = None
    limit: int = Field(default=20, ge=1, le=MAX_LIST_LIMIT)

    @field_validator("stage")
    @classmethod
    def _no_opted_out_stage(cls, value: LeadStage | None) -> LeadStage | None:
        if value == LeadStage.BAJA:
            raise ValueError("opted-out contacts are excluded from every list")
        return value


class LeadQuery(BaseModel):
    """One list as the sources see it: opted-out contacts are always left out.

    `min_score`/`max_score` apply to the score now (after inactivity decay); the idle-day
    window is [idle_days_from, idle_days_below).
    """

    model_config = ConfigDict(frozen=True)

    now: datetime
    min_score: int = MIN_SCORE
    max_score: int = MAX_SCORE
    interest: str | None = None
    contacted_since: datetime | None = None
    idle_days_from: int | None = None
    idle_days_below: int | None = None
    consent_only: bool = False
    limit: int = Field(default=20, ge=1, le=MAX_LIST_LIMIT)


class LeadRow(BaseModel):
    """One lead of a list, as of the report's time."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str | None
    score: int
    base_score: int
    stage: LeadStage
    interests: tuple[str, ...]
    last_message: str | None
    last_contact_at: datetime | None
    first_contact_at: datetime | None
    human_requested: bool
    marketing_consent: bool


class UserCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    users: int
    active_7_days: int
    active_30_days: int
    opted_out: int


class ConversionSignals(BaseModel):
    """Leads (not opted out) showing each signal; one lead may show several."""

    model_config = ConfigDict(frozen=True)

    buying_signals: int
    contact_requested: int
    requested_course: int
    marketing_consent: int


class SourceSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    counts: UserCounts
    conversion: ConversionSignals


class NamedCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    count: int


class Popularity(BaseModel):
    """Interests and requested courses of leads, with the number of leads each (any order)."""

    model_config = ConfigDict(frozen=True)

    interests: tuple[NamedCount, ...]
    courses: tuple[NamedCount, ...]


class LeadReportSource(Protocol):
    """Where the report's numbers come from. Every method leaves opted-out contacts out of
    lead figures; only `summary().counts` mentions them."""

    description: str

    async def summary(self, now: datetime) -> SourceSummary: ...

    async def score_counts(self, now: datetime) -> dict[int, int]:
        """Number of leads with each score now (0-100)."""
        ...

    async def popularity(self) -> Popularity: ...

    async def new_leads_per_day(self, start: datetime, zone: tzinfo) -> dict[date, int]:
        """Leads whose first message was at or after `start`, per calendar day in `zone`."""
        ...

    async def leads(self, query: LeadQuery) -> list[LeadRow]:
        """The best leads matching the query: score now, then base score, then the most recent
        last contact, then user id; at most `query.limit`."""
        ...

    async def count_leads(self, query: LeadQuery) -> int: ...

    async def find_memory(self, user_id: str) -> UserMemory | None: ...

    async def close(self) -> None: ...


class ScoreBucket(BaseModel):
    model_config = ConfigDict(frozen=True)

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}"


class DayCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    count: int


class LeadList(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    total: int
    rows: tuple[LeadRow, ...]


class ReportTotals(BaseModel):
    model_config = ConfigDict(frozen=True)

    users: int
    active_7_days: int
    active_30_days: int
    opted_out: int
    leads: int
    leads_by_stage: dict[LeadStage, int]
    conversion: ConversionSignals
    average_score: float


class LeadReport(BaseModel):
    """Everything the terminal, CSV and HTML renderings show."""

    model_config = ConfigDict(frozen=True)

    generated_at: datetime
    timezone: str
    source: str
    filters: ReportFilters
    totals: ReportTotals
    score_distribution: tuple[ScoreBucket, ...]
    top_interests: tuple[NamedCount, ...]
    top_courses: tuple[NamedCount, ...]
    new_leads_per_day: tuple[DayCount, ...]
    leads: LeadList
    reengagement: tuple[LeadList, ...]


class GenerateLeadReport:
    """Builds the report from one source, asking it everything at once."""

    def __init__(self, source: LeadReportSource, clock: Callable[[], datetime]) -> None:
        self._source = source
        self._clock = clock

    async def execute(self, filters: ReportFilters, zone: tzinfo, zone_name: str) -> LeadReport:
        now = self._clock()
        lead_query = lead_query_for(filters, now)
        reengagement_queries = [reengagement_query(window, filters, now) for window in REENGAGEMENT_WINDOWS]
        start = days_window_start(now, zone, NEW_LEADS_DAYS)
        # Independent questions: a SQL source answers them on several connections at once.
        summary, score_counts, popularity, per_day, leads, total, list_rows, list_totals = await asyncio.gather(
            self._source.summary(now),
            self._source.score_counts(now),
            self._source.popularity(),
            self._source.new_leads_per_day(start, zone),
            self._source.leads(lead_query),
            self._count_unless_everyone(lead_query),
            asyncio.gather(*(self._source.leads(q) for q in reengagement_queries)),
            asyncio.gather(*(self._source.count_leads(q) for q in reengagement_queries)),
        )
        return LeadReport(
            generated_at=now,
            timezone=zone_name,
            source=self._source.description,
            filters=filters,
            totals=_totals(summary, score_counts),
            score_distribution=score_buckets(score_counts),
            top_interests=top_named(popularity.interests, TOP_INTERESTS),
            top_courses=top_named(popularity.courses, TOP_COURSES),
            new_leads_per_day=fill_days(per_day, start.astimezone(zone).date(), NEW_LEADS_DAYS),
            leads=LeadList(
                key="principales",
                title="Mejores leads",
                total=sum(score_counts.values()) if total is None else total,
                rows=tuple(leads),
            ),
            reengagement=_reengagement_lists(list_rows, list_totals),
        )

    async def _count_unless_everyone(self, query: LeadQuery) -> int | None:
        """None when the list has no filter: its total is every lead, known from the score counts."""
        unfiltered = LeadQuery(now=query.now, limit=query.limit)
        return None if query == unfiltered else await self._source.count_leads(query)


class LeadExplanation(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str | None
    stored_score: int
    last_contact_at: datetime | None
    human_requested: bool
    marketing_consent: bool
    opted_out: bool
    score: LeadScore


class ExplainLead:
    """Answers "¿por qué este lead tiene 72?": the score now, point by point."""

    def __init__(self, source: LeadReportSource, clock: Callable[[], datetime]) -> None:
        self._source = source
        self._clock = clock

    async def execute(self, phone: str) -> LeadExplanation | None:
        for user_id in user_id_candidates(phone):
            memory = await self._source.find_memory(user_id)
            if memory is not None:
                return explain_memory(memory, self._clock())
        return None


def explain_memory(memory: UserMemory, now: datetime) -> LeadExplanation:
    return LeadExplanation(
        user_id=memory.user_id,
        name=memory.name,
        stored_score=memory.lead_score,
        last_contact_at=memory.last_interaction_at,
        human_requested=memory.human_requested,
        marketing_consent=memory.marketing_consent,
        opted_out=memory.opted_out,
        score=score_lead(memory, now),
    )


def user_id_candidates(phone: str) -> list[str]:
    """The stored ids a typed phone may stand for: "+57300...", "57300...", "whatsapp:+57..."."""
    text = "".join(phone.split())
    bare = text.removeprefix("whatsapp:")
    digits = bare.lstrip("+")
    candidates = [text, f"whatsapp:{bare}", f"whatsapp:+{digits}", f"+{digits}", digits]
    return list(dict.fromkeys(c for c in candidates if c and c != "whatsapp:"))


def mask_phone(user_id: str) -> str:
    """whatsapp:+573001234567 -> whatsapp:+57300***4567: enough to tell leads apart."""
    prefix, _, number = user_id.rpartition(":")
    head = f"{prefix}:" if prefix else ""
    sign = "+" if number.startswith("+") else ""
    digits = number.removeprefix("+")
    if len(digits) <= 6:
        return head + sign + "*" * len(digits)
    return f"{head}{sign}{digits[:5]}***{digits[-4:]}"


def canonical_interest(text: str) -> str:
    """The stored topic a typed interest means ("automatizacion" -> "automatización")."""
    wanted = normalize(text)
    for topic in TOPIC_SYNONYMS:
        if normalize(topic) == wanted:
            return topic
    topics = extract_topics(text)
    return topics[0] if topics else text.strip().lower()


def lead_query_for(filters: ReportFilters, now: datetime) -> LeadQuery:
    low, high = _score_window(filters)
    return LeadQuery(
        now=now,
        min_score=low,
        max_score=high,
        interest=filters.interest,
        contacted_since=filters.since,
        limit=filters.limit,
    )


def reengagement_query(window: tuple[int, int | None], filters: ReportFilters, now: datetime) -> LeadQuery:
    """Consenting leads silent for the window's days; --since would contradict it, so it is ignored."""
    low, high = _score_window(filters)
    return LeadQuery(
        now=now,
        min_score=low,
        max_score=high,
        interest=filters.interest,
        idle_days_from=window[0],
        idle_days_below=window[1],
        consent_only=True,
        limit=filters.limit,
    )


def _score_window(filters: ReportFilters) -> tuple[int, int]:
    low, high = MIN_SCORE, MAX_SCORE
    if filters.stage is not None:
        low, high = stage_score_range(filters.stage)
    if filters.min_score is not None:
        low = max(low, filters.min_score)
    return low, high


def score_buckets(score_counts: Mapping[int, int]) -> tuple[ScoreBucket, ...]:
    """0-9, 10-19, ... 90-100: the last bucket includes the perfect score."""
    buckets = []
    for low in range(MIN_SCORE, MAX_SCORE, SCORE_BUCKET_WIDTH):
        high = low + SCORE_BUCKET_WIDTH - 1 if low + SCORE_BUCKET_WIDTH < MAX_SCORE else MAX_SCORE
        count = sum(n for score, n in score_counts.items() if low <= score <= high)
        buckets.append(ScoreBucket(low=low, high=high, count=count))
    return tuple(buckets)


def top_named(items: tuple[NamedCount, ...], limit: int) -> tuple[NamedCount, ...]:
    """Most frequent first, ties by label: the same order whatever store counted them."""
    return tuple(sorted(items, key=lambda item: (-item.count, item.label, item.key))[:limit])


def days_window_start(now: datetime, zone: tzinfo, days: int) -> datetime:
    """Midnight, in `zone`, of the first of the last `days` calendar days (today included)."""
    first_day = now.astimezone(zone).date() - timedelta(days=days - 1)
    return datetime(first_day.year, first_day.month, first_day.day, tzinfo=zone)


def fill_days(per_day: Mapping[date, int], first_day: date, days: int) -> tuple[DayCount, ...]:
    return tuple(
        DayCount(day=day, count=per_day.get(day, 0)) for day in (first_day + timedelta(days=i) for i in range(days))
    )


def _totals(summary: SourceSummary, score_counts: Mapping[int, int]) -> ReportTotals:
    by_stage = dict.fromkeys(ACTIVE_STAGES, 0)
    for score, count in score_counts.items():
        by_stage[stage_for(score)] += count
    leads = sum(score_counts.values())
    points = sum(score * count for score, count in score_counts.items())
    return ReportTotals(
        users=summary.counts.users,
        active_7_days=summary.counts.active_7_days,
        active_30_days=summary.counts.active_30_days,
        opted_out=summary.counts.opted_out,
        leads=leads,
        leads_by_stage=by_stage,
        conversion=summary.conversion,
        average_score=round(points / leads, 1) if leads else 0.0,
    )


def reengagement_key(window: tuple[int, int | None]) -> str:
    """The list's name in the report, the CSV and `campaign --list`: reenganche_30_89, reenganche_90_mas."""
    low, high = window
    return f"reenganche_{low}_{high - 1}" if high else f"reenganche_{low}_mas"


def _reengagement_lists(rows_per_list: list[list[LeadRow]], totals: list[int]) -> tuple[LeadList, ...]:
    lists = []
    for (low, high), rows, total in zip(REENGAGEMENT_WINDOWS, rows_per_list, totals, strict=True):
        key = reengagement_key((low, high))
        title = f"Reenganche: {low} a {high - 1} días sin escribir" if high else f"Reenganche: {low}+ días sin escribir"
        lists.append(LeadList(key=key, title=title, total=total, rows=tuple(rows)))
    return tuple(lists)
