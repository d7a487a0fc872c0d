"""The lead report over the JSON memory: every memory is read once and scored in Python.

The JSON memory is the small-scale store (basic and AI-only modes), so reading every file is
fine here; at scale the PostgreSQL adapter answers the same questions in SQL. The scores are
computed with app.domain.lead_scoring.score_lead itself, which makes this adapter the
reference the SQL one is tested against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo

from app.application.lead_report import (
    ACTIVE_WINDOWS_DAYS,
    ConversionSignals,
    LeadQuery,
    LeadRow,
    NamedCount,
    Popularity,
    SourceSummary,
    UserCounts,
)
from app.domain.intents import Intent
from app.domain.lead_scoring import LeadScore, idle_days_between, score_lead
from app.domain.memory import UserMemory
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository


class ScoredMemory:
    """A memory with its score at the report's time, computed once."""

    __slots__ = ("memory", "score")

    def __init__(self, memory: UserMemory, score: LeadScore) -> None:
        self.memory = memory
        self.score = score


class JsonLeadReportSource:
    """The LeadReportSource port over a snapshot of the JSON memory directory."""

    def __init__(self, repository: JsonUserMemoryRepository, course_names: Mapping[str, str], description: str) -> None:
        self.description = description
        self._repository = repository
        self._course_names = dict(course_names)
        self._memories: list[UserMemory] | None = None
        self._scored: dict[datetime, list[ScoredMemory]] = {}

    async def summary(self, now: datetime) -> SourceSummary:
        memories = await self._snapshot()
        leads = [m for m in memories if not m.opted_out]
        short, long = ACTIVE_WINDOWS_DAYS
        counts = UserCounts(
            users=len(memories),
            active_7_days=sum(1 for m in memories if _idle_below(m, now, short)),
            active_30_days=sum(1 for m in memories if _idle_below(m, now, long)),
            opted_out=len(memories) - len(leads),
        )
        conversion = ConversionSignals(
            buying_signals=sum(1 for m in leads if m.intent_counts.get(Intent.BUYING_SIGNALS.value, 0) > 0),
            contact_requested=sum(1 for m in leads if m.human_requested),
            requested_course=sum(1 for m in leads if m.requested_course_ids),
            marketing_consent=sum(1 for m in leads if m.marketing_consent),
        )
        return SourceSummary(counts=counts, conversion=conversion)

    async def score_counts(self, now: datetime) -> dict[int, int]:
        return dict(Counter(item.score.score for item in await self._leads_at(now)))

    async def popularity(self) -> Popularity:
        leads = [m for m in await self._snapshot() if not m.opted_out]
        interests = Counter(interest for m in leads for interest in m.interests)
        courses = Counter(course_id for m in leads for course_id in m.requested_course_ids)
        return Popularity(
            interests=tuple(NamedCount(key=k, label=k, count=n) for k, n in interests.items()),
            courses=tuple(NamedCount(key=k, label=self._course_names.get(k, k), count=n) for k, n in courses.items()),
        )

    async def new_leads_per_day(self, start: datetime, zone: tzinfo) -> dict[date, int]:
        leads = [m for m in await self._snapshot() if not m.opted_out]
        firsts = (m.first_interaction_at for m in leads)
        return dict(Counter(first.astimezone(zone).date() for first in firsts if first is not None and first >= start))

    async def leads(self, query: LeadQuery) -> list[LeadRow]:
        matching = [item for item in await self._leads_at(query.now) if _matches(item, query)]
        return [_row(item) for item in _ranked(matching)[: query.limit]]

    async def count_leads(self, query: LeadQuery) -> int:
        return sum(1 for item in await self._leads_at(query.now) if _matches(item, query))

    async def find_memory(self, user_id: str) -> UserMemory | None:
        # Read through the snapshot rather than load_user_memory: a report never moves files.
        return next((m for m in await self._snapshot() if m.user_id == user_id), None)

    async def close(self) -> None:
        self._memories = None
        self._scored.clear()

    async def _snapshot(self) -> list[UserMemory]:
        if self._memories is None:
            self._memories = [memory async for memory in self._repository.iter_memories()]
        return self._memories

    async def _leads_at(self, now: datetime) -> list[ScoredMemory]:
        if now not in self._scored:
            leads = [m for m in await self._snapshot() if not m.opted_out]
            self._scored[now] = [ScoredMemory(m, score_lead(m, now)) for m in leads]
        return self._scored[now]


def _idle_below(memory: UserMemory, now: datetime, days: int) -> bool:
    idle = idle_days_between(memory.last_interaction_at, now)
    return idle is not None and idle < days


def _matches(item: ScoredMemory, query: LeadQuery) -> bool:
    memory, score = item.memory, item.score.score
    if not query.min_score <= score <= query.max_score:
        return False
    if query.consent_only and not memory.marketing_consent:
        return False
    if query.interest is not None and query.interest not in memory.interests:
        return False
    last = memory.last_interaction_at
    if query.contacted_since is not None and (last is None or last < query.contacted_since):
        return False
    return _in_idle_window(idle_days_between(last, query.now), query)


def _in_idle_window(idle: int | None, query: LeadQuery) -> bool:
    if query.idle_days_from is None and query.idle_days_below is None:
        return True
    if idle is None:
        return False
    if query.idle_days_from is not None and idle < query.idle_days_from:
        return False
    return query.idle_days_below is None or idle < query.idle_days_below


def _ranked(items: Iterable[ScoredMemory]) -> list[ScoredMemory]:
    """Score now, base score, latest contact (none last) descending; user id ascending.

    Stable sorts from the last key to the first, so no key needs a numeric trick.
    """
    ordered = sorted(items, key=lambda item: item.memory.user_id)
    ordered.sort(key=_last_contact_key, reverse=True)
    ordered.sort(key=lambda item: (item.score.score, item.score.base_score), reverse=True)
    return ordered


def _last_contact_key(item: ScoredMemory) -> tuple[int, datetime | None]:
    last = item.memory.last_interaction_at
    return (1, last) if last is not None else (0, None)


def _row(item: ScoredMemory) -> LeadRow:
    memory = item.memory
    return LeadRow(
        user_id=memory.user_id,
        name=memory.name,
        score=item.score.score,
        base_score=item.score.base_score,
        stage=item.score.stage,
        interests=tuple(memory.interests),
        last_message=last_user_message(memory),
        last_contact_at=memory.last_interaction_at,
        first_contact_at=memory.first_interaction_at,
        human_requested=memory.human_requested,
        marketing_consent=memory.marketing_consent,
    )


def last_user_message(memory: UserMemory) -> str | None:
    return next((entry.text for entry in reversed(memory.message_history) if entry.role == "user"), None)
